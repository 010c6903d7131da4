/* tim-json-reader.c: every frame and every stored body is read here, so it is a plain
 * recursive-descent reader over the bytes: json-glib's GScanner cost ~21 µs per sendmsg frame
 * (15 - 17 % of the relay's main thread, docs/performance.md). It builds the same JsonNode trees
 * json-glib does; anything outside strict JSON is left to json-glib by tim_json_parse(). */
#define G_LOG_DOMAIN "tim-core"

#include "config.h"

#include <string.h>

#include "tim-json-reader.h"

G_DEFINE_QUARK (tim - json - reader - error - quark, tim_json_reader_error)

typedef struct
{
  const char *start;
  const char *p;
  const char *end;
  GString *scratch; /* the string being decoded, NUL-terminated for json-glib to copy */
  TimJsonReaderFlags flags;
  GError *error;
} Reader;

static gboolean
fail (Reader *r, TimJsonReaderError code, const char *what)
{
  if (r->error == NULL)
    r->error = g_error_new (TIM_JSON_READER_ERROR, code, "at byte %" G_GSIZE_FORMAT ": %s",
                            (gsize) (r->p - r->start), what);
  return FALSE;
}

static inline void
skip_space (Reader *r)
{
  while (r->p < r->end && (*r->p == ' ' || *r->p == '\n' || *r->p == '\r' || *r->p == '\t'))
    r->p++;
}

static int
hex_digit (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* The four hex digits after "\u"; -1 if they are not there. */
static int
read_hex4 (Reader *r)
{
  int value = 0;

  if (r->end - r->p < 4)
    return -1;
  for (int i = 0; i < 4; i++)
    {
      int digit = hex_digit (r->p[i]);

      if (digit < 0)
        return -1;
      value = value * 16 + digit;
    }
  r->p += 4;
  return value;
}

static gboolean
read_escape (Reader *r)
{
  static const char simple[] = "\"\"\\\\//b\bf\fn\nr\rt\t";
  char buffer[6];
  int unit;
  gunichar c;

  for (const char *s = simple; *s != '\0'; s += 2)
    if (*r->p == s[0])
      {
        g_string_append_c (r->scratch, s[1]);
        r->p++;
        return TRUE;
      }
  if (*r->p != 'u')
    return fail (r, TIM_JSON_READER_ERROR_SYNTAX, "unknown escape");
  r->p++;
  if ((unit = read_hex4 (r)) < 0)
    return fail (r, TIM_JSON_READER_ERROR_SYNTAX, "\\u needs four hex digits");
  c = (gunichar) unit;
  if (unit >= 0xDC00 && unit <= 0xDFFF)
    return fail (r, TIM_JSON_READER_ERROR_SYNTAX, "lone low surrogate");
  if (unit >= 0xD800 && unit <= 0xDBFF)
    {
      int low;

      if (r->end - r->p < 2 || r->p[0] != '\\' || r->p[1] != 'u')
        return fail (r, TIM_JSON_READER_ERROR_SYNTAX, "lone high surrogate");
      r->p += 2;
      low = read_hex4 (r);
      if (low < 0xDC00 || low > 0xDFFF)
        return fail (r, TIM_JSON_READER_ERROR_SYNTAX, "malformed surrogate pair");
      c = 0x10000 + (((gunichar) unit - 0xD800) << 10) + ((gunichar) low - 0xDC00);
    }
  /* "\u0000" lands as a NUL, so json-glib's copy ends there, as json-glib's own parser does:
   * unless asked, the string is read cut short without a word. */
  if (c == 0 && (r->flags & TIM_JSON_READER_REFUSE_NUL) != 0)
    return fail (r, TIM_JSON_READER_ERROR_NUL, "a string holds U+0000 (\\u0000)");
  g_string_append_len (r->scratch, buffer, g_unichar_to_utf8 (c, buffer));
  return TRUE;
}

/* On entry r->p is at the opening quote; the decoded text ends up in r->scratch. Raw control
 * characters other than NUL are kept as they are: json-glib accepts them too. */
static gboolean
read_string (Reader *r)
{
  g_string_truncate (r->scratch, 0);
  r->p++;
  for (;;)
    {
      const char *run = r->p;
      gboolean ascii = TRUE;

      while (r->p < r->end && *r->p != '"' && *r->p != '\\' && *r->p != '\0')
        {
          ascii &= (guchar) *r->p < 0x80;
          r->p++;
        }
      if (!ascii && !g_utf8_validate_len (run, r->p - run, NULL))
        return fail (r, TIM_JSON_READER_ERROR_SYNTAX, "string is not UTF-8");
      g_string_append_len (r->scratch, run, r->p - run);
      if (r->p == r->end || *r->p == '\0')
        return fail (r, TIM_JSON_READER_ERROR_SYNTAX, "unterminated string");
      if (*r->p++ == '"')
        return TRUE;
      if (r->p == r->end)
        return fail (r, TIM_JSON_READER_ERROR_SYNTAX, "unterminated escape");
      if (!read_escape (r))
        return FALSE;
    }
}

static gboolean
is_digit (Reader *r)
{
  return r->p < r->end && *r->p >= '0' && *r->p <= '9';
}

static JsonNode *
read_number (Reader *r)
{
  const char *start = r->p;
  gboolean negative = FALSE, is_double = FALSE;
  guint64 magnitude = 0;

  if (*r->p == '-')
    {
      negative = TRUE;
      r->p++;
    }
  if (!is_digit (r))
    return fail (r, TIM_JSON_READER_ERROR_SYNTAX, "expected a digit"), NULL;
  if (*r->p == '0')
    {
      r->p++;
      if (is_digit (r))
        return fail (r, TIM_JSON_READER_ERROR_SYNTAX, "leading zero"), NULL;
    }
  else
    for (; is_digit (r); r->p++)
      {
        guint digit = (guint) (*r->p - '0');

        /* Past 2^64 - 1 json-glib's scanner stays at 2^64 - 1 (strtoull's ERANGE). */
        magnitude = magnitude > (G_MAXUINT64 - digit) / 10 ? G_MAXUINT64 : magnitude * 10 + digit;
      }
  if (r->p < r->end && *r->p == '.')
    {
      is_double = TRUE;
      r->p++;
      if (!is_digit (r))
        return fail (r, TIM_JSON_READER_ERROR_SYNTAX, "expected a digit after '.'"), NULL;
      while (is_digit (r))
        r->p++;
    }
  if (r->p < r->end && (*r->p == 'e' || *r->p == 'E'))
    {
      is_double = TRUE;
      r->p++;
      if (r->p < r->end && (*r->p == '+' || *r->p == '-'))
        r->p++;
      if (!is_digit (r))
        return fail (r, TIM_JSON_READER_ERROR_SYNTAX, "expected a digit in the exponent"), NULL;
      while (is_digit (r))
        r->p++;
    }
  if (is_double)
    {
      char text[64];
      g_autofree char *long_text = NULL;
      gsize n = (gsize) (r->p - start);

      if (n >= sizeof text)
        return json_node_init_double (json_node_alloc (),
                                      g_ascii_strtod (long_text = g_strndup (start, n), NULL));
      memcpy (text, start, n);
      text[n] = '\0';
      return json_node_init_double (json_node_alloc (), g_ascii_strtod (text, NULL));
    }
  /* json-glib reads the digits as unsigned and negates after: 2^63 wraps to G_MININT64. */
  return json_node_init_int (json_node_alloc (),
                             (gint64) (negative ? (guint64) 0 - magnitude : magnitude));
}

static JsonNode *read_value (Reader *r, guint depth);

/* After an element or a member: a ',' (*more, and the space after it skipped) or the closing
 * bracket (stepped over); anything else fails. */
static gboolean
read_separator (Reader *r, char close, gboolean *more)
{
  skip_space (r);
  if (r->p < r->end && (*r->p == ',' || *r->p == close))
    {
      *more = *r->p++ == ',';
      if (*more)
        skip_space (r);
      return TRUE;
    }
  return fail (r, TIM_JSON_READER_ERROR_SYNTAX,
               close == ']' ? "expected ',' or ']'" : "expected ',' or '}'");
}

static JsonNode *
read_array (Reader *r, guint depth)
{
  JsonArray *array = json_array_new ();
  JsonNode *node;

  r->p++;
  skip_space (r);
  if (r->p < r->end && *r->p == ']')
    r->p++;
  else
    for (gboolean more = TRUE; more;)
      {
        JsonNode *element = read_value (r, depth);

        if (element == NULL)
          goto failed;
        json_array_add_element (array, element);
        if (!read_separator (r, ']', &more))
          goto failed;
      }
  /* Not json_node_init_array (): it takes a reference of its own, and this one would leak. */
  node = json_node_init (json_node_alloc (), JSON_NODE_ARRAY);
  json_node_take_array (node, array);
  return node;

failed:
  json_array_unref (array);
  return NULL;
}

static JsonNode *
read_object (Reader *r, guint depth)
{
  JsonObject *object = json_object_new ();
  JsonNode *node;
  guint members = 0;

  r->p++;
  skip_space (r);
  if (r->p < r->end && *r->p == '}')
    r->p++;
  else
    for (gboolean more = TRUE; more;)
      {
        char short_name[64];
        g_autofree char *long_name = NULL;
        const char *name = short_name;
        JsonNode *member;

        if (r->p == r->end || *r->p != '"')
          {
            fail (r, TIM_JSON_READER_ERROR_SYNTAX, "expected a member name");
            goto failed;
          }
        if (!read_string (r))
          goto failed;
        /* The value reuses the scratch buffer; names are short, so mostly no allocation. */
        if (r->scratch->len < sizeof short_name)
          memcpy (short_name, r->scratch->str, r->scratch->len + 1);
        else
          name = long_name = g_strndup (r->scratch->str, r->scratch->len);
        skip_space (r);
        if (r->p == r->end || *r->p != ':')
          {
            fail (r, TIM_JSON_READER_ERROR_SYNTAX, "expected ':'");
            goto failed;
          }
        r->p++;
        skip_space (r);
        if ((member = read_value (r, depth)) == NULL)
          goto failed;
        if (++members > TIM_JSON_READER_MAX_MEMBERS)
          {
            json_node_unref (member);
            fail (r, TIM_JSON_READER_ERROR_MEMBERS, "an object with too many members");
            goto failed;
          }
        /* As json-glib: a repeated name keeps its first position and takes the last value. */
        json_object_set_member (object, name, member);
        if (!read_separator (r, '}', &more))
          goto failed;
      }
  node = json_node_init (json_node_alloc (), JSON_NODE_OBJECT);
  json_node_take_object (node, object);
  return node;

failed:
  json_object_unref (object);
  return NULL;
}

static gboolean
read_word (Reader *r, const char *word, gsize length)
{
  if ((gsize) (r->end - r->p) < length || memcmp (r->p, word, length) != 0)
    return fail (r, TIM_JSON_READER_ERROR_SYNTAX, "unknown word");
  r->p += length;
  return TRUE;
}

static JsonNode *
read_value (Reader *r, guint depth)
{
  if (r->p == r->end)
    return fail (r, TIM_JSON_READER_ERROR_SYNTAX, "expected a value"), NULL;
  switch (*r->p)
    {
    case '{':
    case '[':
      if (depth >= TIM_JSON_READER_MAX_DEPTH)
        return fail (r, TIM_JSON_READER_ERROR_DEPTH, "nested too deep"), NULL;
      return *r->p == '{' ? read_object (r, depth + 1) : read_array (r, depth + 1);
    case '"':
      if (!read_string (r))
        return NULL;
      return json_node_init_string (json_node_alloc (), r->scratch->str);
    case 't':
      return read_word (r, "true", 4) ? json_node_init_boolean (json_node_alloc (), TRUE) : NULL;
    case 'f':
      return read_word (r, "false", 5) ? json_node_init_boolean (json_node_alloc (), FALSE) : NULL;
    case 'n':
      return read_word (r, "null", 4) ? json_node_init_null (json_node_alloc ()) : NULL;
    default:
      if (*r->p == '-' || (*r->p >= '0' && *r->p <= '9'))
        return read_number (r);
      return fail (r, TIM_JSON_READER_ERROR_SYNTAX, "expected a value"), NULL;
    }
}

JsonNode *
tim_json_reader_parse (const char *data, gsize length, GError **error)
{
  return tim_json_reader_parse_full (data, length, TIM_JSON_READER_DEFAULT, error);
}

JsonNode *
tim_json_reader_parse_full (const char *data, gsize length, TimJsonReaderFlags flags,
                            GError **error)
{
  Reader r = { data, data, data + length, NULL, flags, NULL };
  JsonNode *root;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  r.scratch = g_string_sized_new (64);
  skip_space (&r);
  root = read_value (&r, 0);
  if (root != NULL)
    {
      skip_space (&r);
      if (r.p != r.end)
        {
          fail (&r, TIM_JSON_READER_ERROR_SYNTAX, "unexpected data after the value");
          g_clear_pointer (&root, json_node_unref);
        }
    }
  g_string_free (r.scratch, TRUE);
  if (r.error != NULL)
    g_propagate_error (error, r.error);
  return root;
}

guint
tim_json_reader_max_nesting (const char *data, gsize length)
{
  guint depth = 0, max = 0;

  /* Not MAX (max, ++depth): the macro would step depth twice at every new maximum. */
  for (gsize i = 0; i < length; i++)
    if (data[i] == '[' || data[i] == '{')
      {
        if (++depth > max)
          max = depth;
      }
    else if ((data[i] == ']' || data[i] == '}') && depth > 0)
      depth--;
  return max;
}
