/* tim-json-fallback.c: the json-glib half of tim_json_parse (), for the text the strict reader
 * (tim-json-reader.c) refuses. json-glib reads more than strict JSON (comments, single quotes, hex
 * and leading zeros, raw control characters, "var NAME = ..."), and the server keeps accepting
 * exactly that, with json-glib's words for the errors, but for what json-glib 1.6 gets wrong
 * (found with tests/fuzz/fuzz-core.c, see docs/fuzzing.md):
 *
 *  - nesting its recursion would not survive;
 *  - a value followed by more top-level objects or arrays ("{}{}", "1 []"): it returns the first
 *    value and leaks every tree after it, a frame's worth of memory per frame;
 *  - a malformed surrogate pair ("\ud83d\u0041"): it refuses it, but leaks the string read so
 *    far, up to a frame's worth;
 *  - lone surrogates ("\udc00") and octal escapes ("\351"): it reads them as bytes that are not
 *    UTF-8, which the server would store and relay in frames no peer's parser accepts;
 *  - an object with more than TIM_JSON_READER_MAX_MEMBERS members: it looks each repeated name up
 *    in a list, quadratic time (tim-json-reader.h);
 *  - an escape that reads as U+0000 ("\u0000", "\0"): the string ends there, the rest is lost;
 *    refused when the caller asks (TIM_JSON_PARSE_REFUSE_NUL), as the strict reader does.
 *
 * The escapes that are not characters are found in the tree json-glib returns; everything else
 * before json-glib sees the text, by following its scanner (its copy of GScanner,
 * json-scanner.c) over the text. */
#define G_LOG_DOMAIN "tim-core"

#include "config.h"

#include <string.h>

#include "tim-error.h"
#include "tim-json-fallback.h"
#include "tim-json-reader.h"
#include "tim-json.h"

/* The text as json-glib's scanner reads it: a NUL byte reads as the end (but is stepped over),
 * the end reads as NUL forever. */
typedef struct
{
  const char *p;
  const char *end;
} Scan;

static guchar
scan_get (Scan *s)
{
  return s->p < s->end ? (guchar) *s->p++ : 0;
}

static guchar
scan_peek (Scan *s)
{
  return s->p < s->end ? (guchar) *s->p : 0;
}

static gboolean
is_hex (guchar c)
{
  return g_ascii_isxdigit (c);
}

static gboolean
is_blank (guchar c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static gboolean
is_identifier_char (guchar c)
{
  return g_ascii_isalnum (c) || c == '_' || c == '-';
}

/* json_scanner_get_unichar (): up to four hex digits; the first character that is not one is
 * consumed too. */
static gunichar
scan_unichar (Scan *s)
{
  gunichar unit = 0;

  for (int i = 0; i < 4; i++)
    {
      guchar c = scan_get (s);

      if (!is_hex (c))
        break;
      unit += (gunichar) g_ascii_xdigit_value ((char) c) << ((3 - i) * 4);
    }
  return unit;
}

/* A string in double quotes, after the quote, as json-glib reads its escapes. "malformed
 * surrogate pair" where it finds a surrogate followed by "\u" and something that does not make a
 * pair with it: that is where json-glib drops the string it has read without freeing it. With
 * refuse_nul, why an escape it reads as U+0000 ("\u0000", an octal "\0" or "\400", its byte
 * wrapping) is refused: json-glib's string would end there. NULL if neither is found. */
static const char *
scan_string (Scan *s, gboolean refuse_nul)
{
  static const char nul[] = "a string holds U+0000 (\\u0000)";

  for (guchar c; (c = scan_get (s)) != 0 && c != '"';)
    {
      if (c != '\\')
        continue;
      c = scan_get (s);
      if (c == 'u' && is_hex (scan_peek (s)))
        {
          gunichar unit = scan_unichar (s);
          gunichar low;

          if (unit == 0 && refuse_nul)
            return nul;
          if (unit < 0xd800 || unit > 0xdfff)
            continue;
          /* Its short-circuit: a character that is not '\\' is consumed alone. */
          if (scan_get (s) != '\\' || scan_get (s) != 'u')
            continue;
          low = scan_unichar (s);
          if (unit > 0xdbff || low < 0xdc00 || low > 0xdfff)
            return "malformed surrogate pair";
        }
      else if (c >= '0' && c <= '7')
        {
          guint value = c - '0';

          for (int i = 0; i < 2 && scan_peek (s) >= '0' && scan_peek (s) <= '7'; i++)
            value = value * 8 + (scan_get (s) - '0');
          if ((value & 0xff) == 0 && refuse_nul)
            return nul;
        }
    }
  return NULL;
}

/* NULL if json-glib may be given the text, else why not. A second top-level value is a '{' or
 * '[' at the top level after the first value; json-glib's "var NAME =" before that value is no
 * value. Its comments run from a '/' to the next '/' (its single-line comment pair is "//"). */
static const char *
json_glib_hazard (const char *data, gsize length, gboolean refuse_nul)
{
  Scan s = { data, data + length };
  guint depth = 0;
  gboolean value_seen = FALSE;
  guchar c;
  /* Per open bracket (the caller checked the nesting): members so far, -1 for an array. */
  int members[TIM_JSON_READER_MAX_DEPTH + 1];

  if (length >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    s.p += 3;
  while ((c = scan_get (&s)) != 0)
    {
      if (c == '{' || c == '[')
        {
          if (depth == 0 && value_seen)
            return "more than one top-level value";
          if (depth <= TIM_JSON_READER_MAX_DEPTH)
            members[depth] = c == '{' ? 0 : -1;
          depth++;
          value_seen = TRUE;
        }
      else if (c == ':' && depth > 0 && depth <= TIM_JSON_READER_MAX_DEPTH + 1 &&
               members[depth - 1] >= 0 && ++members[depth - 1] > TIM_JSON_READER_MAX_MEMBERS)
        return "an object with too many members";
      else if (c == '}' || c == ']')
        depth -= depth > 0;
      else if (c == '"')
        {
          const char *bad = scan_string (&s, refuse_nul);

          if (bad != NULL)
            return bad;
          value_seen = TRUE;
        }
      else if (c == '\'')
        {
          while ((c = scan_get (&s)) != 0 && c != '\'')
            ;
          value_seen = TRUE;
        }
      else if (c == '/')
        {
          while ((c = scan_get (&s)) != 0 && c != '/')
            ;
        }
      else if (depth == 0 && !value_seen && c == 'v' && s.end - s.p >= 2 &&
               memcmp (s.p, "ar", 2) == 0 && !is_identifier_char (s.end - s.p > 2 ? s.p[2] : 0))
        {
          /* "var NAME =": the first value is still to come. */
          for (s.p += 2; is_blank (scan_peek (&s)); s.p++)
            ;
          while (is_identifier_char (scan_peek (&s)))
            s.p++;
          while (is_blank (scan_peek (&s)))
            s.p++;
          if (scan_peek (&s) == '=')
            s.p++;
        }
      else if (g_ascii_isalnum (c) || c == '-' || c == '.' || c == '$' || c == '_')
        value_seen = TRUE; /* a number or a word; anything else is a blank or an error */
    }
  return NULL;
}

JsonNode *
_tim_json_parse_with_json_glib (const char *data, gsize length, gboolean refuse_nul, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  g_autoptr (GError) local_error = NULL;
  const char *hazard;
  JsonNode *root;

  if (tim_json_reader_max_nesting (data, length) > TIM_JSON_READER_MAX_DEPTH)
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_JSON_PARSE,
                   "Invalid JSON: nested deeper than %d levels", TIM_JSON_READER_MAX_DEPTH);
      return NULL;
    }
  if ((hazard = json_glib_hazard (data, length, refuse_nul)) != NULL)
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_JSON_PARSE, "Invalid JSON: %s", hazard);
      return NULL;
    }
  if (!json_parser_load_from_data (parser, data, (gssize) length, &local_error))
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_JSON_PARSE, "Invalid JSON: %s",
                   local_error->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root != NULL && !tim_json_node_is_utf8 (root))
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_JSON_PARSE,
                           "Invalid JSON: an escape is not a character (a lone surrogate or an "
                           "octal escape)");
      return NULL;
    }
  return root != NULL ? json_node_ref (root) : NULL;
}
