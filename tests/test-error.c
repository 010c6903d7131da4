/* test-error.c: every TIM code we use has a plain text; ids and limits behave. */
#define G_LOG_DOMAIN "test-error"

#include "config.h"

#include <string.h>

#include "tim-conv.h"
#include "tim-error.h"
#include "tim-limits.h"

static void
test_texts (void)
{
  const int codes[] = { 10003, 10004, 10007, 10010, 10030, 10031, 20002, 20003, 20016, 20026,
                        20027, 20017, 20022, 20023, 60006, 60007, 60010, 60012, 70001, 70003,
                        70009, 70013, 70014, 70107, 80002, 90001, 90003, 90005, 90008, 2253,
                        2301,  2351,  2402,  2403,  2500,  2801,  2106,  2905 };

  for (gsize i = 0; i < G_N_ELEMENTS (codes); i++)
    {
      const char *text = tim_error_text (codes[i]);

      g_assert_nonnull (text);
      g_assert_cmpstr (text, !=, "Unknown error");
      g_assert_cmpuint (strlen (text), >, 8);
    }
  g_assert_cmpstr (tim_error_text (0), ==, "");
  g_assert_cmpstr (tim_error_text (123456), ==, "Unknown error");
  g_assert_cmpint (TIM_ERROR_USERSIG_EXPIRED, ==, 70001);
  g_assert_cmpint (TIM_ERROR_BODY_TOO_LARGE, ==, 80002);
}

static void
test_conversation_ids (void)
{
  const char *target = NULL;

  g_assert_cmpint (tim_conv_parse_id ("C2Calice", &target), ==, TIM_CONV_C2C);
  g_assert_cmpstr (target, ==, "alice");
  g_assert_cmpint (tim_conv_parse_id ("GROUP@TGS#1abc", &target), ==, TIM_CONV_GROUP);
  g_assert_cmpstr (target, ==, "@TGS#1abc");
  g_assert_cmpint (tim_conv_parse_id ("@TIM#SYSTEM", NULL), ==, TIM_CONV_SYSTEM);
  g_assert_cmpint (tim_conv_parse_id ("C2C", NULL), ==, TIM_CONV_INVALID);
  g_assert_cmpint (tim_conv_parse_id ("C2Cbad user", NULL), ==, TIM_CONV_INVALID);
  g_assert_cmpint (tim_conv_parse_id ("bogus", NULL), ==, TIM_CONV_INVALID);
  g_assert_cmpint (tim_conv_parse_id (NULL, NULL), ==, TIM_CONV_INVALID);
  {
    g_autofree char *id = tim_conv_make_id (TIM_CONV_GROUP, "g1");
    g_assert_cmpstr (id, ==, "GROUPg1");
  }
}

static void
test_user_ids (void)
{
  g_autofree char *longest = g_strnfill (TIM_MAX_USERID_BYTES, 'a');
  g_autofree char *too_long = g_strnfill (TIM_MAX_USERID_BYTES + 1, 'a');

  g_assert_true (tim_user_id_is_valid ("alice_01-x"));
  g_assert_true (tim_user_id_is_valid (longest));
  g_assert_false (tim_user_id_is_valid (too_long));
  g_assert_false (tim_user_id_is_valid (""));
  g_assert_false (tim_user_id_is_valid ("a b"));
  g_assert_false (tim_user_id_is_valid ("ünï"));
  g_assert_false (tim_user_id_is_valid ("a\"b"));
}

static void
test_group_names (void)
{
  g_assert_true (tim_group_name_is_blank (NULL));
  g_assert_true (tim_group_name_is_blank (""));
  g_assert_true (tim_group_name_is_blank (" \t\n"));
  g_assert_true (tim_group_name_is_blank ("\u3000 ")); /* an ideographic space */
  g_assert_false (tim_group_name_is_blank (" Crew "));
  g_assert_false (tim_group_name_is_blank ("\u3000夜班"));
}

/* The remind names and the C2C numbers, both ways; nothing else is a name. */
static void
test_remind_flags (void)
{
  g_assert_cmpstr (tim_remind_flag_to_name (0), ==, "AcceptAndNotify");
  g_assert_cmpstr (tim_remind_flag_to_name (1), ==, "Discard");
  g_assert_cmpstr (tim_remind_flag_to_name (2), ==, "AcceptNotNotify");
  g_assert_cmpstr (tim_remind_flag_to_name (3), ==, "AcceptAndNotify");
  g_assert_cmpstr (tim_remind_flag_to_name (-1), ==, "AcceptAndNotify");
  for (gint64 flag = 0; flag <= 2; flag++)
    g_assert_cmpint (tim_remind_flag_from_name (tim_remind_flag_to_name (flag)), ==, flag);
  g_assert_cmpint (tim_remind_flag_from_name ("Quiet"), ==, -1);
  g_assert_cmpint (tim_remind_flag_from_name ("acceptandnotify"), ==, -1);
  g_assert_cmpint (tim_remind_flag_from_name (NULL), ==, -1);
}

/* StandardMark as the Web SDK reads it (its markList: bit i of the string from the right is the
 * mark 2^i). */
static void
test_marks (void)
{
  static const struct
  {
    guint64 marks;
    const char *wire;
  } cases[] = {
    { 0, "" },
    { TIM_CONV_MARK_UNREAD, "10" },
    { TIM_CONV_MARK_STAR | TIM_CONV_MARK_HIDE, "1001" },
    { G_GUINT64_CONSTANT (1) << 63,
      "1000000000000000000000000000000000000000000000000000000000000000" },
    { G_MAXUINT64, "1111111111111111111111111111111111111111111111111111111111111111" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *wire = tim_conv_marks_to_wire (cases[i].marks);

      g_assert_cmpstr (wire, ==, cases[i].wire);
      g_assert_cmpuint (tim_conv_marks_from_wire (cases[i].wire), ==, cases[i].marks);
    }
  g_assert_cmpuint (tim_conv_marks_from_wire ("0010"), ==, TIM_CONV_MARK_UNREAD);
  g_assert_cmpuint (tim_conv_marks_from_wire (NULL), ==, 0);
  g_assert_cmpuint (tim_conv_marks_from_wire ("12"), ==, 0);
  g_assert_cmpuint (tim_conv_marks_from_wire ("10 "), ==, 0);
  /* 65 bits: more than a mark can have. */
  g_assert_cmpuint (tim_conv_marks_from_wire (
                        "11111111111111111111111111111111111111111111111111111111111111111"),
                    ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/error/texts", test_texts);
  g_test_add_func ("/conv/ids", test_conversation_ids);
  g_test_add_func ("/conv/user-ids", test_user_ids);
  g_test_add_func ("/conv/group-names", test_group_names);
  g_test_add_func ("/conv/remind-flags", test_remind_flags);
  g_test_add_func ("/conv/marks", test_marks);
  return g_test_run ();
}
