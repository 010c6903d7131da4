/* test-tim-text.c: the emoji parser against a transliteration of the seed's parseText, and the
 * sentences of group tips and group system notices. */
#define G_LOG_DOMAIN "test-tim-text"

#include "config.h"

#include <string.h>

#include "tim-json.h"
#include "tim-text.h"

/* ---- the reference: the seed's loop, written with its own indexOf/slice/substring ---- */

typedef struct
{
  gboolean emoji;
  char *text;
} RefSegment;

static void
ref_segment_free (RefSegment *segment)
{
  g_free (segment->text);
  g_free (segment);
}

static long
index_of (const char *s, char c)
{
  const char *p = strchr (s, c);

  return p != NULL ? p - s : -1;
}

static char *
slice (const char *s, long start, long end)
{
  return g_strndup (s + start, end - start);
}

static void
ref_push (GPtrArray *out, gboolean emoji, char *text)
{
  RefSegment *segment = g_new0 (RefSegment, 1);

  segment->emoji = emoji;
  segment->text = text;
  g_ptr_array_add (out, segment);
}

/* while (temp !== '') { left = temp.indexOf('['); right = temp.indexOf(']'); ... } */
static GPtrArray *
reference_parse (const char *text)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) ref_segment_free);
  char *temp = g_strdup (text);

  while (strcmp (temp, "") != 0)
    {
      long left = index_of (temp, '[');
      long right = index_of (temp, ']');
      char *next;

      if (left == 0)
        {
          if (right == -1)
            {
              ref_push (out, FALSE, g_strdup (temp));
              next = g_strdup ("");
            }
          else
            {
              char *token = slice (temp, 0, right + 1);

              if (tim_text_emoji_for_token (token) != NULL)
                {
                  ref_push (out, TRUE, token);
                  next = g_strdup (temp + right + 1);
                }
              else
                {
                  g_free (token);
                  ref_push (out, FALSE, g_strdup ("["));
                  next = g_strdup (temp + 1);
                }
            }
        }
      else if (left == -1)
        {
          ref_push (out, FALSE, g_strdup (temp));
          next = g_strdup ("");
        }
      else
        {
          ref_push (out, FALSE, slice (temp, 0, left));
          next = g_strdup (temp + left);
        }
      g_free (temp);
      temp = next;
    }
  g_free (temp);
  return out;
}

static void
assert_same_as_reference (const char *input)
{
  g_autoptr (GPtrArray) got = tim_text_parse (input);
  g_autoptr (GPtrArray) want = reference_parse (input);

  if (got->len != want->len)
    g_error ("parse(\"%s\"): %u segments, the seed gives %u", input, got->len, want->len);
  for (guint i = 0; i < got->len; i++)
    {
      TimTextSegment *g = got->pdata[i];
      RefSegment *w = want->pdata[i];

      if ((g->kind == TIM_TEXT_SEGMENT_EMOJI) != w->emoji || strcmp (g->text, w->text) != 0)
        g_error ("parse(\"%s\") segment %u: got %s \"%s\", the seed gives %s \"%s\"", input, i,
                 g->kind == TIM_TEXT_SEGMENT_EMOJI ? "emoji" : "text", g->text,
                 w->emoji ? "emoji" : "text", w->text);
      if (g->kind == TIM_TEXT_SEGMENT_EMOJI)
        g_assert_cmpstr (g->emoji, ==, tim_text_emoji_for_token (g->text));
      else
        g_assert_null (g->emoji);
    }
}

/* "t:" text and "e:" emoji segments, joined by "|". */
static char *
describe (const char *input)
{
  g_autoptr (GPtrArray) got = tim_text_parse (input);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < got->len; i++)
    {
      TimTextSegment *segment = got->pdata[i];

      g_string_append_printf (out, "%s%s:%s", i ? "|" : "",
                              segment->kind == TIM_TEXT_SEGMENT_EMOJI ? "e" : "t", segment->text);
    }
  return g_string_free (out, FALSE);
}

static void
test_parse_table (void)
{
  static const struct
  {
    const char *input;
    const char *expected;
  } cases[] = {
    { "", "" },
    { "hello", "t:hello" },
    { "[Grin]", "e:[Grin]" },
    { "[[Grin]", "t:[|e:[Grin]" },
    { "[Grin", "t:[Grin" },
    { "Grin]", "t:Grin]" },
    { "[]", "t:[|t:]" },
    { "[[Grin]]", "t:[|e:[Grin]|t:]" },
    { "]a[Grin]", "t:]a|e:[Grin]" },
    { "a]b[Smile]c", "t:a]b|e:[Smile]|t:c" },
    { "[a][Grin]", "t:[|t:a]|e:[Grin]" },
    { "[Grin][Smile]", "e:[Grin]|e:[Smile]" },
    { "[Grin][Grin][Grin]", "e:[Grin]|e:[Grin]|e:[Grin]" },
    { "[Unknown]", "t:[|t:Unknown]" },
    { "[grin]", "t:[|t:grin]" },
    { "中文[Grin]中文", "t:中文|e:[Grin]|t:中文" },
    { "[中]", "t:[|t:中]" },
    { "[Gr[Grin]", "t:[|t:Gr|e:[Grin]" },
    { "x[", "t:x|t:[" },
    { "[", "t:[" },
    { "]", "t:]" },
    { "][", "t:]|t:[" },
    { "[Heart] [BrokenHeart]", "e:[Heart]|t: |e:[BrokenHeart]" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = describe (cases[i].input);

      g_assert_cmpstr (got, ==, cases[i].expected);
      assert_same_as_reference (cases[i].input);
    }
  assert_same_as_reference ("😀[Smile]😀]][[[Grin");
}

static void
test_parse_fuzz (void)
{
  static const char *alphabet[] = { "[", "]", "Grin", "Smile", "x", "中" };
  g_autoptr (GRand) rand = g_rand_new_with_seed (20261125);

  for (guint n = 0; n < 10000; n++)
    {
      g_autoptr (GString) input = g_string_new (NULL);
      guint length = g_rand_int_range (rand, 0, 16);

      for (guint i = 0; i < length; i++)
        g_string_append (input, alphabet[g_rand_int_range (rand, 0, G_N_ELEMENTS (alphabet))]);
      assert_same_as_reference (input->str);
    }
}

static void
test_emoji_table (void)
{
  const char *const *tokens = tim_text_emoji_tokens ();
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  guint n = 0;

  for (; tokens[n] != NULL; n++)
    {
      const char *emoji = tim_text_emoji_for_token (tokens[n]);
      const char *name = tim_text_emoji_name_for_token (tokens[n]);

      /* A name in words: not empty, not the token with its brackets. */
      g_assert_nonnull (name);
      g_assert_cmpuint (strlen (name), >, 1);
      g_assert_null (strchr (name, '['));
      g_assert_true (tokens[n][0] == '[');
      g_assert_true (g_str_has_suffix (tokens[n], "]"));
      g_assert_nonnull (emoji);
      g_assert_true (g_utf8_validate (emoji, -1, NULL));
      g_assert_true (g_hash_table_add (seen, (gpointer) tokens[n]));
    }
  g_assert_cmpuint (n, ==, 40);
  g_assert_cmpstr (tokens[0], ==, "[Smile]");
  g_assert_cmpstr (tim_text_emoji_for_token ("[Rocket]"), ==, "🚀");
  g_assert_null (tim_text_emoji_for_token ("[rocket]"));
  g_assert_null (tim_text_emoji_for_token (NULL));
  g_assert_cmpstr (tim_text_emoji_name_for_token ("[ThumbsUp]"), ==, "Thumbs Up");
  g_assert_null (tim_text_emoji_name_for_token ("[rocket]"));
  g_assert_null (tim_text_emoji_name_for_token (NULL));
}

static char *
tip_text_by (const char *json, gboolean notice, const char *operator_name)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) payload = tim_json_parse_object (json, -1, &error);

  g_assert_no_error (error);
  return notice ? tim_text_group_notice (payload, operator_name)
                : tim_text_group_tip (payload, operator_name, NULL);
}

static char *
tip_text (const char *json, gboolean notice)
{
  return tip_text_by (json, notice, NULL);
}

static void
test_group_tips (void)
{
  static const struct
  {
    const char *payload;
    const char *expected;
  } cases[] = {
    { "{\"operationType\":1,\"operatorID\":\"alice\",\"userIDList\":[\"alice\"]}",
      "alice joined the group" },
    { "{\"operationType\":1,\"operatorID\":\"alice\",\"userIDList\":[\"bob\",\"carol\"]}",
      "alice added bob and carol to the group" },
    { "{\"operationType\":1,\"operatorID\":\"alice\",\"userIDList\":[\"bob\",\"carol\",\"dave\"]}",
      "alice added bob, carol and dave to the group" },
    { "{\"operationType\":1,\"operatorID\":\"alice\",\"userIDList\":[\"alice\",\"bob\"]}",
      "alice and bob joined the group" },
    { "{\"operationType\":2,\"operatorID\":\"bob\",\"userIDList\":[\"bob\"]}",
      "bob left the group" },
    { "{\"operationType\":3,\"operatorID\":\"alice\",\"userIDList\":[\"bob\"]}",
      "bob was removed by alice" },
    { "{\"operationType\":3,\"operatorID\":\"alice\",\"userIDList\":[\"bob\",\"dave\"]}",
      "bob and dave were removed by alice" },
    { "{\"operationType\":3,\"operatorID\":\"\",\"userIDList\":[\"bob\"]}",
      "bob was removed from the group" },
    { "{\"operationType\":4,\"operatorID\":\"alice\",\"userIDList\":[\"bob\"]}",
      "bob is now an admin" },
    { "{\"operationType\":5,\"operatorID\":\"alice\",\"userIDList\":[\"bob\"]}",
      "bob is no longer an admin" },
    { "{\"operationType\":6,\"operatorID\":\"alice\",\"newGroupProfile\":{\"groupName\":\"Team\"}}",
      "alice renamed the group to “Team”" },
    { "{\"operationType\":6,\"operatorID\":\"alice\",\"newGroupProfile\":"
      "{\"notification\":\"hi\",\"muteAllMembers\":true}}",
      "alice changed the group announcement\nalice muted all members" },
    { "{\"operationType\":6,\"operatorID\":\"alice\",\"newGroupProfile\":{}}",
      "alice changed the group profile" },
    { "{\"operationType\":7,\"operatorID\":\"alice\",\"userIDList\":[\"bob\"],"
      "\"memberList\":[{\"userID\":\"bob\",\"muteTime\":60}]}",
      "bob was muted for 1 minute" },
    { "{\"operationType\":7,\"operatorID\":\"alice\",\"userIDList\":[\"bob\"],"
      "\"memberList\":[{\"userID\":\"bob\",\"muteTime\":172800}]}",
      "bob was muted for 2 days" },
    { "{\"operationType\":7,\"operatorID\":\"alice\",\"userIDList\":[\"bob\"],"
      "\"memberList\":[{\"userID\":\"bob\",\"muteTime\":90}]}",
      "bob was muted for 90 seconds" },
    { "{\"operationType\":7,\"operatorID\":\"alice\",\"userIDList\":[\"bob\"],"
      "\"memberList\":[{\"userID\":\"bob\",\"muteTime\":0}]}",
      "bob was unmuted" },
    { "{\"operationType\":7,\"operatorID\":\"alice\",\"userIDList\":[\"bob\"]}",
      "bob updated their group profile" },
    { "{\"operationType\":10,\"operatorID\":\"alice\",\"userIDList\":[\"bob\"]}",
      "bob was banned" },
    { "{\"operationType\":11,\"operatorID\":\"alice\",\"userIDList\":[\"bob\"]}",
      "bob was unbanned" },
    { "{\"operationType\":99}", "The group was updated" },
    /* Nobody named (no user IDs, no operator): "Someone", not a sentence without its subject. */
    { "{\"operationType\":1}", "Someone joined the group" },
    { "{\"operationType\":2,\"operatorID\":\"\",\"userIDList\":[]}", "Someone left the group" },
    { "{\"operationType\":3,\"userIDList\":[\"\"]}", "Someone was removed from the group" },
    { "{\"operationType\":6,\"newGroupProfile\":{\"groupName\":\"T\"}}",
      "Someone renamed the group to “T”" },
    { "{\"operationType\":7}", "Someone updated their group profile" },
    /* Nobody named but the operator: who joined, left or changed their profile is the operator;
     * who was removed, promoted or banned by them is not. */
    { "{\"operationType\":1,\"operatorID\":\"alice\",\"userIDList\":[]}",
      "alice joined the group" },
    { "{\"operationType\":2,\"operatorID\":\"bob\"}", "bob left the group" },
    { "{\"operationType\":7,\"operatorID\":\"bob\",\"userIDList\":[\"\"]}",
      "bob updated their group profile" },
    { "{\"operationType\":3,\"operatorID\":\"alice\",\"userIDList\":[]}",
      "Someone was removed by alice" },
    { "{\"operationType\":4,\"operatorID\":\"alice\"}", "Someone is now an admin" },
    { "{\"operationType\":10,\"operatorID\":\"alice\"}", "Someone was banned" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = tip_text (cases[i].payload, FALSE);

      g_assert_cmpstr (text, ==, cases[i].expected);
    }
}

/* People by their nicks: members from the memberList (an empty nick leaves the ID), the operator
 * from the message's nick, or from the memberList when they are one of the members. */
static void
test_group_tips_by_nick (void)
{
  static const char *members = "\"memberList\":[{\"userID\":\"bob\",\"nick\":\"Bob B.\"},"
                               "{\"userID\":\"carol\",\"nick\":\"\"}]";
  g_autofree char *joined = g_strdup_printf (
      "{\"operationType\":1,\"operatorID\":\"bob\",\"userIDList\":[\"bob\",\"carol\"],%s}",
      members);
  g_autofree char *removed = g_strdup_printf (
      "{\"operationType\":3,\"operatorID\":\"alice\",\"userIDList\":[\"bob\"],%s}", members);
  g_autofree char *muted = g_strdup_printf (
      "{\"operationType\":7,\"operatorID\":\"alice\",\"userIDList\":[\"bob\"],"
      "\"memberList\":[{\"userID\":\"bob\",\"nick\":\"Bob B.\",\"muteTime\":60}]}");
  static const char *renamed =
      "{\"operationType\":6,\"operatorID\":\"alice\",\"newGroupProfile\":{\"groupName\":\"T\"}}";
  static const char *dismissed = "{\"operationType\":5,\"operatorID\":\"alice\"}";
  static const char *nobody = "{\"operationType\":5,\"operatorID\":\"\"}";
  struct
  {
    char *text;
    const char *expected;
  } cases[] = {
    { tip_text (joined, FALSE), "Bob B. and carol joined the group" },
    { tip_text (removed, FALSE), "Bob B. was removed by alice" },
    { tip_text_by (removed, FALSE, "Alice A."), "Bob B. was removed by Alice A." },
    { tip_text (muted, FALSE), "Bob B. was muted for 1 minute" },
    { tip_text_by (renamed, FALSE, "Alice A."), "Alice A. renamed the group to “T”" },
    { tip_text_by (renamed, FALSE, ""), "alice renamed the group to “T”" },
    { tip_text_by (dismissed, TRUE, "Alice A."), "The group was dismissed by Alice A." },
    { tip_text_by (nobody, TRUE, "Alice A."), "The group was dismissed" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_assert_cmpstr (cases[i].text, ==, cases[i].expected);
      g_free (cases[i].text);
    }
}

/* A tip about me alone speaks to me; one about me among others names me "you", last; what I did
 * says "You". */
static void
test_group_tips_to_me (void)
{
  static const struct
  {
    const char *payload;
    const char *expected;
  } cases[] = {
    { "{\"operationType\":1,\"operatorID\":\"tia\",\"userIDList\":[\"me\"]}",
      "Tia T. added you to the group" },
    { "{\"operationType\":1,\"operatorID\":\"me\",\"userIDList\":[\"me\"]}",
      "You joined the group" },
    { "{\"operationType\":1,\"operatorID\":\"tia\",\"userIDList\":[\"me\",\"bob\"]}",
      "Tia T. added bob and you to the group" },
    { "{\"operationType\":1,\"operatorID\":\"me\",\"userIDList\":[\"me\",\"bob\"]}",
      "bob and you joined the group" },
    { "{\"operationType\":1,\"operatorID\":\"me\",\"userIDList\":[\"bob\",\"carol\"]}",
      "You added bob and carol to the group" },
    { "{\"operationType\":3,\"operatorID\":\"me\",\"userIDList\":[\"bob\"]}",
      "bob was removed by you" },
    { "{\"operationType\":3,\"operatorID\":\"tia\",\"userIDList\":[\"bob\",\"me\"]}",
      "bob and you were removed by Tia T." },
    { "{\"operationType\":4,\"operatorID\":\"tia\",\"userIDList\":[\"me\",\"bob\"]}",
      "bob and you are now admins" },
    { "{\"operationType\":6,\"operatorID\":\"me\",\"newGroupProfile\":{\"groupName\":\"T\"}}",
      "You renamed the group to “T”" },
    { "{\"operationType\":6,\"operatorID\":\"tia\",\"newGroupProfile\":{\"ownerID\":\"me\"}}",
      "You are now the group owner" },
    { "{\"operationType\":7,\"operatorID\":\"tia\",\"userIDList\":[\"me\"],"
      "\"memberList\":[{\"userID\":\"me\",\"muteTime\":60}]}",
      "You were muted for 1 minute" },
    { "{\"operationType\":7,\"operatorID\":\"tia\",\"userIDList\":[\"me\"],"
      "\"memberList\":[{\"userID\":\"me\",\"muteTime\":0}]}",
      "You were unmuted" },
    { "{\"operationType\":7,\"operatorID\":\"tia\",\"userIDList\":[\"me\"]}",
      "You updated your group profile" },
    { "{\"operationType\":2,\"operatorID\":\"me\",\"userIDList\":[\"me\"]}", "You left the group" },
    /* The operator is the one who left when the list names nobody: me. */
    { "{\"operationType\":2,\"operatorID\":\"me\",\"userIDList\":[]}", "You left the group" },
    { "{\"operationType\":3,\"operatorID\":\"tia\",\"userIDList\":[\"me\"]}",
      "You were removed from the group by Tia T." },
    { "{\"operationType\":3,\"operatorID\":\"tia\",\"userIDList\":[\"bob\"]}",
      "bob was removed by Tia T." },
    { "{\"operationType\":4,\"operatorID\":\"tia\",\"userIDList\":[\"me\"]}",
      "You are now an admin" },
    { "{\"operationType\":5,\"operatorID\":\"tia\",\"userIDList\":[\"me\"]}",
      "You are no longer an admin" },
    { "{\"operationType\":10,\"operatorID\":\"tia\",\"userIDList\":[\"me\"]}", "You were banned" },
    { "{\"operationType\":11,\"operatorID\":\"tia\",\"userIDList\":[\"me\"]}",
      "You were unbanned" },
    { "{\"operationType\":6,\"operatorID\":\"tia\",\"userIDList\":[\"me\"],"
      "\"newGroupProfile\":{\"groupName\":\"T\"}}",
      "Tia T. renamed the group to “T”" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (JsonObject) payload = tim_json_parse_object (cases[i].payload, -1, &error);
      g_autofree char *text = tim_text_group_tip (payload, "Tia T.", "me");
      g_autofree char *anyone = tim_text_group_tip (payload, "Tia T.", NULL);

      g_assert_no_error (error);
      g_assert_cmpstr (text, ==, cases[i].expected);
      g_assert_null (strstr (anyone, "ou ")); /* "you", "You" */
    }
}

/* A group's first tip (the join of those it was made with) as its creation, the creator named
 * (or "You") and the others after "with". */
static void
test_group_created (void)
{
  static const struct
  {
    const char *payload;
    const char *me;
    const char *expected;
  } cases[] = {
    { "{\"operationType\":1,\"operatorID\":\"tia\",\"userIDList\":[\"tia\"]}", NULL,
      "Tia T. created the group" },
    { "{\"operationType\":1,\"operatorID\":\"tia\",\"userIDList\":[\"tia\",\"bob\"]}", NULL,
      "Tia T. created the group with bob" },
    { "{\"operationType\":1,\"operatorID\":\"tia\",\"userIDList\":[\"tia\",\"bob\",\"me\"]}", "me",
      "Tia T. created the group with bob and you" },
    { "{\"operationType\":1,\"operatorID\":\"me\",\"userIDList\":[\"me\"]}", "me",
      "You created the group" },
    { "{\"operationType\":1,\"operatorID\":\"me\",\"userIDList\":[\"me\",\"bob\",\"carol\"]}", "me",
      "You created the group with bob and carol" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (JsonObject) payload = tim_json_parse_object (cases[i].payload, -1, &error);
      g_autofree char *text = tim_text_group_created (payload, "Tia T.", cases[i].me);

      g_assert_no_error (error);
      g_assert_cmpstr (text, ==, cases[i].expected);
    }
}

static void
test_group_notices (void)
{
  static const struct
  {
    int op;
    const char *expected;
  } cases[] = {
    { 1, "alice asked to join the group" },
    { 2, "alice accepted your request to join the group" },
    { 3, "alice declined your request to join the group" },
    { 4, "You were removed from the group by alice" },
    { 5, "The group was dismissed by alice" },
    { 6, "alice created the group" },
    { 7, "alice added you to the group" },
    { 8, "You left the group" },
    { 9, "alice made you an admin" },
    { 10, "alice removed your admin role" },
    { 11, "The group was recycled" },
    { 12, "alice invited you to join the group" },
    { 42, "Group system notice" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *json = g_strdup_printf (
          "{\"operationType\":%d,\"operatorID\":\"alice\",\"userDefinedField\":\"\"}", cases[i].op);
      g_autofree char *text = tip_text (json, TRUE);

      g_assert_cmpstr (text, ==, cases[i].expected);
    }
  {
    g_autofree char *custom = tip_text ("{\"operationType\":255,\"operatorID\":\"admin\","
                                        "\"userDefinedField\":\"Maintenance at 9\"}",
                                        TRUE);
    g_autofree char *no_operator = tip_text ("{\"operationType\":5,\"operatorID\":\"\"}", TRUE);

    g_assert_cmpstr (custom, ==, "Maintenance at 9");
    g_assert_cmpstr (no_operator, ==, "The group was dismissed");
  }
  /* An application and its answers say what was said with them. */
  {
    g_autofree char *asked = tip_text ("{\"operationType\":1,\"operatorID\":\"bob\","
                                       "\"handleMessage\":\"let me in\"}",
                                       TRUE);
    g_autofree char *refused = tip_text ("{\"operationType\":3,\"operatorID\":\"alice\","
                                         "\"handleMessage\":\"no room\"}",
                                         TRUE);
    g_autofree char *kicked = tip_text ("{\"operationType\":4,\"operatorID\":\"alice\","
                                        "\"handleMessage\":\"spam\"}",
                                        TRUE);

    g_assert_cmpstr (asked, ==, "bob asked to join the group: “let me in”");
    g_assert_cmpstr (refused, ==, "alice declined your request to join the group: “no room”");
    g_assert_cmpstr (kicked, ==, "You were removed from the group by alice");
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tim/text/parse-table", test_parse_table);
  g_test_add_func ("/tim/text/parse-fuzz", test_parse_fuzz);
  g_test_add_func ("/tim/text/emoji-table", test_emoji_table);
  g_test_add_func ("/tim/text/group-tips", test_group_tips);
  g_test_add_func ("/tim/text/group-tips-by-nick", test_group_tips_by_nick);
  g_test_add_func ("/tim/text/group-tips-to-me", test_group_tips_to_me);
  g_test_add_func ("/tim/text/group-created", test_group_created);
  g_test_add_func ("/tim/text/group-notices", test_group_notices);

  return g_test_run ();
}
