/* test-server-group-join.c: joining a group of one's own accord against the real timchat-server
 * over real WebSockets: get_group_public_info (the SDK's searchGroupByID) for outsiders,
 * apply_join_group by each ApplyJoinOption (FreeAccess joins at once, NeedPermission waits for the
 * owner or an admin, DisableApply and Work groups refuse), handle_apply_join_group (Agree, Reject,
 * answered twice, the token checked, only managers), get_pendency (a manager's pending list, paged
 * by time), the notices and tips each side hears, and an application kept across a restart. */
#define G_LOG_DOMAIN "test-server-group-join"

#include "config.h"

#include <string.h>

#include "tim-error.h"
#include "timchat-test-extra.h"

static TimchatFixture *fixture;

/* A group of owner's of type with the join option (NULL: the type's default) and members. */
static char *
create_group (TimchatTestPeer *owner, const char *type, const char *option,
              const char *members_json)
{
  return timchat_test_group_create (owner, type, "Club", option, members_json);
}

static JsonObject *
apply (TimchatTestPeer *p, const char *group, const char *message)
{
  g_autofree char *body = g_strdup_printf (
      "{\"GroupId\":\"%s\",\"ApplyMsg\":\"%s\",\"WebPushFlag\":1}", group, message);

  return timchat_test_group_request (p, "apply_join_group", body);
}

static void
apply_code (TimchatTestPeer *p, const char *group, gint64 code)
{
  g_autoptr (JsonObject) reply = apply (p, group, "");

  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, code);
}

/* The next tip 1 (joined) p hears whose operator is user, passing over others (a group's
 * creation tells its creator with one too); NULL when none comes. */
static JsonObject *
expect_joined (TimchatTestPeer *p, const char *user)
{
  for (guint i = 0; i < 8; i++)
    {
      g_autoptr (JsonObject) tip =
          timchat_test_peer_find (p, 4, "GroupTips", "MsgBody.OpType", 1, 5000);

      if (tip == NULL)
        return NULL;
      if (g_strcmp0 (timchat_test_json_get_string (tip, "MsgBody.Operator_Account"), user) == 0)
        return g_steal_pointer (&tip);
    }
  return NULL;
}

static char *
handle_body (const char *group, const char *applicant, const char *action,
             const char *authentication)
{
  return g_strdup_printf ("{\"GroupId\":\"%s\",\"Applicant_Account\":\"%s\",\"HandleMsg\":\"%s\","
                          "\"ApprovalMsg\":\"sorry\",\"Authentication\":\"%s\",\"MsgKey\":\"k\"}",
                          group, applicant, action, authentication);
}

/* Whether user is in group, as a member sees the list. */
static gboolean
is_member (TimchatTestPeer *member, const char *group, const char *user)
{
  g_autoptr (JsonObject) entry = timchat_test_group_member (member, group, user);

  return entry != NULL;
}

/* Outsiders see a Public group's profile, fields as filtered; not a Work group's; an unknown
 * group answers its own error in the list. */
static void
test_public_info (void)
{
  g_autoptr (TimchatTestPeer) owner = timchat_test_peer_new (fixture, "pi-owner");
  g_autoptr (TimchatTestPeer) outsider = timchat_test_peer_new (fixture, "pi-outsider");
  g_autofree char *open = create_group (owner, "Public", NULL, "[]");
  g_autofree char *work = create_group (owner, "Private", NULL, "[]");
  g_autofree char *body = g_strdup_printf (
      "{\"GroupIdList\":[\"%s\",\"%s\",\"@TGS#nothing\"],\"ResponseFilter\":"
      "{\"GroupBasePublicInfoFilter\":[\"Type\",\"Name\",\"MemberNum\",\"ApplyJoinOption\"]}}",
      open, work);
  g_autoptr (JsonObject) reply =
      timchat_test_group_request (outsider, "get_group_public_info", body);

  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 0);
  g_assert_cmpstr (timchat_test_json_get_string (reply, "GroupInfo.0.GroupId"), ==, open);
  g_assert_cmpint (timchat_test_json_get_int (reply, "GroupInfo.0.ErrorCode"), ==, 0);
  g_assert_cmpstr (timchat_test_json_get_string (reply, "GroupInfo.0.Name"), ==, "Club");
  g_assert_cmpstr (timchat_test_json_get_string (reply, "GroupInfo.0.Type"), ==, "Public");
  g_assert_cmpint (timchat_test_json_get_int (reply, "GroupInfo.0.MemberNum"), ==, 1);
  g_assert_cmpstr (timchat_test_json_get_string (reply, "GroupInfo.0.ApplyJoinOption"), ==,
                   "NeedPermission");
  g_assert_false (timchat_test_json_has (reply, "GroupInfo.0.Introduction"));
  g_assert_cmpint (timchat_test_json_get_int (reply, "GroupInfo.1.ErrorCode"), ==,
                   TIM_ERROR_GROUP_PERMISSION);
  g_assert_false (timchat_test_json_has (reply, "GroupInfo.1.Name"));
  g_assert_cmpint (timchat_test_json_get_int (reply, "GroupInfo.2.ErrorCode"), ==,
                   TIM_ERROR_GROUP_NOT_FOUND);
  timchat_test_group_request_code (outsider, "get_group_public_info", "{\"GroupIdList\":[]}",
                                   TIM_ERROR_INVALID_PARAMETER);
  timchat_test_group_request_code (outsider, "get_group_public_info", "{}",
                                   TIM_ERROR_INVALID_PARAMETER);
}

/* FreeAccess: joined at once, and every member (the newcomer too) hears tip 1 from them; a
 * Meeting always. Applying again is 10013; DisableApply and Work groups refuse (10007); a full
 * group 10014. */
static void
test_free_access_and_refusals (void)
{
  g_autoptr (TimchatTestPeer) owner = timchat_test_peer_new (fixture, "fa-owner");
  g_autoptr (TimchatTestPeer) joiner = timchat_test_peer_new (fixture, "fa-joiner");
  g_autoptr (TimchatTestPeer) late = timchat_test_peer_new (fixture, "fa-late");
  g_autofree char *free_group = create_group (owner, "Public", "FreeAccess", "[]");
  g_autofree char *closed = create_group (owner, "Public", "DisableApply", "[]");
  g_autofree char *work = create_group (owner, "Private", NULL, "[]");
  g_autoptr (JsonObject) joined = apply (joiner, free_group, "hello");
  g_autoptr (JsonObject) tip = NULL;
  g_autofree char *small = NULL;

  g_assert_cmpint (timchat_test_json_get_int (joined, "ErrorCode"), ==, 0);
  g_assert_cmpstr (timchat_test_json_get_string (joined, "JoinedStatus"), ==, "JoinedSuccess");
  tip = expect_joined (owner, "fa-joiner");
  g_assert_nonnull (tip);
  g_assert_cmpstr (timchat_test_json_get_string (tip, "GroupId"), ==, free_group);
  g_clear_pointer (&tip, json_object_unref);
  tip = expect_joined (joiner, "fa-joiner");
  g_assert_nonnull (tip);
  g_assert_true (is_member (owner, free_group, "fa-joiner"));
  apply_code (joiner, free_group, TIM_ERROR_GROUP_ALREADY_MEMBER);
  /* A Meeting (ChatRoom) is joined freely whatever its option (the SDK sends none for it). */
  {
    g_autofree char *meeting = create_group (owner, "ChatRoom", "NeedPermission", "[]");
    g_autoptr (JsonObject) in_meeting = apply (joiner, meeting, "");

    g_assert_cmpstr (timchat_test_json_get_string (in_meeting, "JoinedStatus"), ==,
                     "JoinedSuccess");
  }
  apply_code (joiner, closed, TIM_ERROR_GROUP_PERMISSION);
  apply_code (joiner, work, TIM_ERROR_GROUP_PERMISSION);
  apply_code (joiner, "@TGS#nothing", TIM_ERROR_GROUP_NOT_FOUND);
  {
    g_autofree char *too_long = g_strnfill (301, 'x');
    g_autoptr (JsonObject) refused = apply (late, free_group, too_long);

    g_assert_cmpint (timchat_test_json_get_int (refused, "ErrorCode"), ==,
                     TIM_ERROR_INVALID_PARAMETER);
  }

  /* Full: two members, room for two. */
  small = g_strdup_printf ("{\"GroupId\":\"%s\",\"MaxMemberNum\":2}", free_group);
  json_object_unref (
      timchat_test_rest_ok (fixture, "group_open_http_svc/modify_group_base_info", small));
  apply_code (late, free_group, TIM_ERROR_GROUP_FULL);
  g_assert_false (is_member (owner, free_group, "fa-late"));
}

/* An AVChatRoom member's join succeeds again, the creator's too: the Web SDK joins every
 * AVChatRoom it has not joined since its login before it posts there, and takes anything but
 * JoinedSuccess as a failure. Nobody joins twice: no second tip, no second member. */
static void
test_avchatroom_member_joins_again (void)
{
  g_autoptr (TimchatTestPeer) owner = timchat_test_peer_new (fixture, "av-owner");
  g_autoptr (TimchatTestPeer) viewer = timchat_test_peer_new (fixture, "av-viewer");
  g_autofree char *room = create_group (owner, "AVChatRoom", NULL, "[]");
  g_autoptr (JsonObject) first = apply (viewer, room, "");
  g_autoptr (JsonObject) tip = expect_joined (owner, "av-viewer");

  g_assert_cmpstr (timchat_test_json_get_string (first, "JoinedStatus"), ==, "JoinedSuccess");
  g_assert_cmpint (timchat_test_json_get_int (first, "HugeGroupFlag"), ==, 1);
  g_assert_nonnull (tip);
  for (guint i = 0; i < 2; i++)
    {
      TimchatTestPeer *who = i == 0 ? owner : viewer;
      g_autoptr (JsonObject) again = apply (who, room, "");

      g_assert_cmpint (timchat_test_json_get_int (again, "ErrorCode"), ==, 0);
      g_assert_cmpstr (timchat_test_json_get_string (again, "JoinedStatus"), ==, "JoinedSuccess");
      g_assert_cmpstr (timchat_test_json_get_string (again, "ToGroupId"), ==, room);
      g_assert_cmpint (timchat_test_json_get_int (again, "HugeGroupFlag"), ==, 1);
    }
  g_assert_cmpuint (timchat_test_peer_count (owner, 4, "GroupTips", "MsgBody.OpType", 1, 300), ==,
                    0);
  timchat_test_group_send_code (viewer, room, 77, 0);
  {
    g_autoptr (JsonObject) mine = timchat_test_group_member (owner, room, "av-owner");

    g_assert_cmpstr (timchat_test_json_get_string (mine, "Role"), ==, "Owner");
  }
}

/* How many members of group have a socket logged in now, as p asks get_online_member_num. */
static gint64
online_count (TimchatTestPeer *p, const char *group)
{
  g_autofree char *body = g_strdup_printf ("{\"GroupId\":\"%s\"}", group);
  g_autoptr (JsonObject) reply = timchat_test_group_request (p, "get_online_member_num", body);

  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 0);
  g_assert_true (timchat_test_json_has (reply, "OnlineMemberNum"));
  return timchat_test_json_get_int (reply, "OnlineMemberNum");
}

/* get_online_member_num, the SDK's getGroupOnlineMemberCount (which asks it of an AVChatRoom it
 * joined; until 28 Nov it was 10003, an unknown command): the members with a socket logged in,
 * not one who joined and went; an outsider is 10007, a group that is none 10010. */
static void
test_avchatroom_online_count (void)
{
  g_autoptr (TimchatTestPeer) owner = timchat_test_peer_new (fixture, "oc-owner");
  g_autoptr (TimchatTestPeer) viewer = timchat_test_peer_new (fixture, "oc-viewer");
  g_autoptr (TimchatTestPeer) gone = timchat_test_peer_new (fixture, "oc-gone");
  g_autoptr (TimchatTestPeer) outsider = timchat_test_peer_new (fixture, "oc-outsider");
  g_autofree char *room = create_group (owner, "AVChatRoom", NULL, "[]");
  g_autofree char *body = g_strdup_printf ("{\"GroupId\":\"%s\"}", room);
  gint64 count = 0;

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr (JsonObject) joined = apply (i == 0 ? viewer : gone, room, "");

      g_assert_cmpstr (timchat_test_json_get_string (joined, "JoinedStatus"), ==, "JoinedSuccess");
    }
  g_assert_cmpint (online_count (owner, room), ==, 3);
  g_clear_pointer (&gone, timchat_test_peer_free);
  for (guint i = 0; i < 100 && (count = online_count (viewer, room)) != 2; i++)
    timchat_test_spin (20);
  g_assert_cmpint (count, ==, 2);
  timchat_test_group_request_code (outsider, "get_online_member_num", body,
                                   TIM_ERROR_GROUP_PERMISSION);
  timchat_test_group_request_code (outsider, "get_online_member_num", "{\"GroupId\":\"@TGS#none\"}",
                                   TIM_ERROR_GROUP_NOT_FOUND);
}

/* NeedPermission: the owner and the admin each get notice 1 (the message, the token); the
 * applicant is no member until one agrees, and hears the answer (2 or 3); answered twice, or
 * with another token, or by a plain member, it is refused. */
static void
test_need_permission (void)
{
  g_autoptr (TimchatTestPeer) owner = timchat_test_peer_new (fixture, "np-owner");
  g_autoptr (TimchatTestPeer) admin = timchat_test_peer_new (fixture, "np-admin");
  g_autoptr (TimchatTestPeer) plain = timchat_test_peer_new (fixture, "np-plain");
  g_autoptr (TimchatTestPeer) ann = timchat_test_peer_new (fixture, "np-ann");
  g_autoptr (TimchatTestPeer) bo = timchat_test_peer_new (fixture, "np-bo");
  g_autofree char *group = create_group (owner, "Public", NULL,
                                         "[{\"Member_Account\":\"np-admin\",\"Role\":\"Admin\"},"
                                         "{\"Member_Account\":\"np-plain\"}]");
  g_autoptr (JsonObject) waiting = apply (ann, group, "let me in");
  g_autoptr (JsonObject) to_owner = NULL, to_admin = NULL, accepted = NULL, joined = NULL;
  g_autoptr (JsonObject) refused = NULL;
  g_autofree char *token = NULL;
  g_autofree char *agree = NULL, *forged = NULL, *plain_agree = NULL, *again = NULL;
  g_autofree char *reject = NULL;

  g_assert_cmpint (timchat_test_json_get_int (waiting, "ErrorCode"), ==, 0);
  g_assert_cmpstr (timchat_test_json_get_string (waiting, "JoinedStatus"), ==, "WaitAdminApproval");
  to_owner = timchat_test_peer_expect (owner, 5, "GroupTips", "MsgBody.ReportType", 1);
  to_admin = timchat_test_peer_expect (admin, 5, "GroupTips", "MsgBody.ReportType", 1);
  g_assert_cmpuint (timchat_test_peer_count (plain, 5, "GroupTips", "MsgBody.ReportType", 1, 300),
                    ==, 0);
  g_assert_cmpstr (timchat_test_json_get_string (to_owner, "MsgBody.Operator_Account"), ==,
                   "np-ann");
  g_assert_cmpstr (timchat_test_json_get_string (to_owner, "MsgBody.RemarkInfo"), ==, "let me in");
  g_assert_cmpstr (timchat_test_json_get_string (to_owner, "GroupId"), ==, group);
  token = g_strdup (timchat_test_json_get_string (to_owner, "MsgBody.Authentication"));
  g_assert_cmpuint (strlen (token), ==, 32);
  g_assert_cmpstr (timchat_test_json_get_string (to_admin, "MsgBody.Authentication"), ==, token);
  g_assert_false (is_member (owner, group, "np-ann"));

  plain_agree = handle_body (group, "np-ann", "Agree", token);
  timchat_test_group_request_code (plain, "handle_apply_join_group", plain_agree,
                                   TIM_ERROR_GROUP_PERMISSION);
  forged = handle_body (group, "np-ann", "Agree", "0123456789abcdef0123456789abcdef");
  timchat_test_group_request_code (owner, "handle_apply_join_group", forged,
                                   TIM_ERROR_INVALID_PARAMETER);
  again = handle_body (group, "np-ann", "Maybe", token);
  timchat_test_group_request_code (owner, "handle_apply_join_group", again,
                                   TIM_ERROR_INVALID_PARAMETER);

  agree = handle_body (group, "np-ann", "Agree", token);
  timchat_test_group_request_code (admin, "handle_apply_join_group", agree, 0);
  accepted = timchat_test_peer_expect (ann, 5, "GroupTips", "MsgBody.ReportType", 2);
  g_assert_cmpstr (timchat_test_json_get_string (accepted, "MsgBody.Operator_Account"), ==,
                   "np-admin");
  joined = expect_joined (ann, "np-ann");
  g_assert_nonnull (joined);
  g_assert_true (is_member (owner, group, "np-ann"));
  /* The owner's notice is answered already. */
  timchat_test_group_request_code (owner, "handle_apply_join_group", agree,
                                   TIM_ERROR_GROUP_REQUEST_HANDLED);

  /* bo is refused, with the reason; the token may be left out (our own clients keep it). */
  json_object_unref (apply (bo, group, ""));
  json_object_unref (timchat_test_peer_expect (owner, 5, "GroupTips", "MsgBody.ReportType", 1));
  reject = handle_body (group, "np-bo", "Reject", "");
  timchat_test_group_request_code (owner, "handle_apply_join_group", reject, 0);
  refused = timchat_test_peer_expect (bo, 5, "GroupTips", "MsgBody.ReportType", 3);
  g_assert_cmpstr (timchat_test_json_get_string (refused, "MsgBody.RemarkInfo"), ==, "sorry");
  g_assert_false (is_member (owner, group, "np-bo"));
  timchat_test_group_request_code (owner, "handle_apply_join_group", reject,
                                   TIM_ERROR_GROUP_REQUEST_HANDLED);
}

/* user's pending applications (get_pendency) from start on, limit a page. */
static JsonObject *
pendency (TimchatTestPeer *p, const char *user, gint64 start, gint64 limit)
{
  g_autofree char *body =
      g_strdup_printf ("{\"StartTime\":%" G_GINT64_FORMAT ",\"Limit\":%" G_GINT64_FORMAT
                       ",\"Handle_Account\":\"%s\"}",
                       start, limit, user);
  JsonObject *reply = timchat_test_group_request (p, "get_pendency", body);

  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 0);
  return reply;
}

/* "GROUP/applicant" of each item of list, in order. */
static char *
pendency_keys (JsonArray *list)
{
  GString *keys = g_string_new ("");

  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *item = json_array_get_object_element (list, i);

      g_string_append_printf (keys, "%s%s/%s", i > 0 ? " " : "",
                              timchat_test_json_get_string (item, "GroupId"),
                              timchat_test_json_get_string (item, "From_Account"));
    }
  return g_string_free (keys, FALSE);
}

/* "GROUP/applicant" of two applications of one second, in the order the server gives them. */
static const char *
in_order (const char *group_a, const char *applicant_a, const char *group_b,
          const char *applicant_b)
{
  static char keys[2][256];
  static guint turn;
  char *out = keys[turn++ % 2];
  gboolean a_first = g_strcmp0 (group_a, group_b) < 0;

  g_snprintf (out, 256, "%s/%s %s/%s", a_first ? group_a : group_b,
              a_first ? applicant_a : applicant_b, a_first ? group_b : group_a,
              a_first ? applicant_b : applicant_a);
  return out;
}

/* Walks owner's list limit at a time: the pages add up to whole (keys), none empty but a last,
 * none splitting a second. */
static void
walk_pendency (TimchatTestPeer *owner, gint64 limit, const char *whole)
{
  GString *walked = g_string_new ("");
  g_autofree char *keys = NULL;
  gint64 start = 0, last_time = -1;

  for (guint pages = 0; pages < 10; pages++)
    {
      g_autoptr (JsonObject) page = pendency (owner, "pl-owner", start, limit);
      JsonArray *list = timchat_test_json_get_array (page, "PendencyList");
      g_autofree char *page_keys = pendency_keys (list);
      gint64 next = timchat_test_json_get_int (page, "NextStartTime");

      g_test_message ("limit %" G_GINT64_FORMAT " from %" G_GINT64_FORMAT
                      ": %s, next %" G_GINT64_FORMAT,
                      limit, start, page_keys, next);
      if (json_array_get_length (list) > 0)
        {
          g_assert_cmpint (
              timchat_test_json_get_int (json_array_get_object_element (list, 0), "Time"), >,
              last_time);
          last_time = timchat_test_json_get_int (
              json_array_get_object_element (list, json_array_get_length (list) - 1), "Time");
          g_string_append_printf (walked, "%s%s", walked->len > 0 ? " " : "", page_keys);
        }
      else
        g_assert_cmpint (next, ==, 0);
      if (next == 0)
        break;
      g_assert_cmpint (next, >, start);
      start = next;
    }
  keys = g_string_free (walked, FALSE);
  g_assert_cmpstr (keys, ==, whole);
}

/* get_pendency: a manager's pending applications across their groups (the notice's token, the
 * applicant's words and nick, the group's name), an admin's only their groups', a plain
 * member's none; answered or joined otherwise, gone; paged by time without a repeat or a gap. */
static void
test_pending_list (void)
{
  g_autoptr (TimchatTestPeer) owner = timchat_test_peer_new (fixture, "pl-owner");
  g_autoptr (TimchatTestPeer) admin = timchat_test_peer_new (fixture, "pl-admin");
  g_autoptr (TimchatTestPeer) plain = timchat_test_peer_new (fixture, "pl-plain");
  g_autoptr (TimchatTestPeer) ann = timchat_test_peer_new (fixture, "pl-ann");
  g_autoptr (TimchatTestPeer) bo = timchat_test_peer_new (fixture, "pl-bo");
  g_autoptr (TimchatTestPeer) cy = timchat_test_peer_new (fixture, "pl-cy");
  g_autoptr (TimchatTestPeer) di = timchat_test_peer_new (fixture, "pl-di");
  g_autofree char *club = create_group (owner, "Public", NULL,
                                        "[{\"Member_Account\":\"pl-admin\",\"Role\":\"Admin\"},"
                                        "{\"Member_Account\":\"pl-plain\"}]");
  g_autofree char *other = create_group (owner, "Public", NULL, "[]");
  g_autofree char *nick = NULL, *add_di = NULL, *answer = NULL, *whole = NULL, *expected = NULL;
  g_autofree char *admin_keys = NULL, *after = NULL, *spy = NULL;
  g_autoptr (JsonObject) notice = NULL, all = NULL, of_admin = NULL, of_plain = NULL;
  g_autoptr (JsonObject) community = NULL, left = NULL;
  JsonObject *first;

  nick =
      g_strdup_printf ("{\"ProfileItem\":[{\"Tag\":\"Tag_Profile_IM_Nick\",\"Value\":\"Ann\"}]}");
  json_object_unref (timchat_test_request_ok (ann->c, "profile.portrait_set", nick));
  json_object_unref (apply (ann, club, "let me in"));
  notice = timchat_test_peer_expect (owner, 5, "GroupTips", "MsgBody.ReportType", 1);
  /* bo and cy in the next second, di and ann's second group in the one after. */
  g_usleep (G_USEC_PER_SEC - g_get_real_time () % G_USEC_PER_SEC + 20000);
  json_object_unref (apply (bo, club, ""));
  json_object_unref (apply (cy, other, "me too"));
  g_usleep (G_USEC_PER_SEC - g_get_real_time () % G_USEC_PER_SEC + 20000);
  json_object_unref (apply (di, club, ""));
  json_object_unref (apply (ann, other, ""));

  all = pendency (owner, "pl-owner", 0, 100);
  whole = pendency_keys (timchat_test_json_get_array (all, "PendencyList"));
  /* By time, then group, then applicant. */
  expected = g_strdup_printf ("%s/pl-ann %s %s", club, in_order (club, "pl-bo", other, "pl-cy"),
                              in_order (club, "pl-di", other, "pl-ann"));
  g_assert_cmpstr (whole, ==, expected);
  g_assert_cmpint (timchat_test_json_get_int (all, "NextStartTime"), ==, 0);
  first = json_array_get_object_element (timchat_test_json_get_array (all, "PendencyList"), 0);
  g_assert_cmpstr (timchat_test_json_get_string (first, "FromUserNickName"), ==, "Ann");
  g_assert_cmpstr (timchat_test_json_get_string (first, "GroupName"), ==, "Club");
  g_assert_cmpstr (timchat_test_json_get_string (first, "ApplyMsg"), ==, "let me in");
  g_assert_cmpstr (timchat_test_json_get_string (first, "To_Account"), ==, "pl-owner");
  g_assert_cmpint (timchat_test_json_get_int (first, "Handled"), ==, 0);
  g_assert_cmpstr (timchat_test_json_get_string (first, "Authentication"), ==,
                   timchat_test_json_get_string (notice, "MsgBody.Authentication"));
  g_assert_cmpint (timchat_test_json_get_int (first, "Time"), >, 0);

  walk_pendency (owner, 1, whole);
  walk_pendency (owner, 2, whole);
  walk_pendency (owner, 3, whole);

  of_admin = pendency (admin, "pl-admin", 0, 100);
  admin_keys = pendency_keys (timchat_test_json_get_array (of_admin, "PendencyList"));
  g_assert_cmpuint (json_array_get_length (timchat_test_json_get_array (of_admin, "PendencyList")),
                    ==, 3);
  g_assert_null (strstr (admin_keys, other));
  of_plain = pendency (plain, "pl-plain", 0, 100);
  g_assert_cmpuint (json_array_get_length (timchat_test_json_get_array (of_plain, "PendencyList")),
                    ==, 0);
  community = timchat_test_group_request (owner, "get_pendency", "{\"Type\":\"Community\"}");
  g_assert_cmpuint (json_array_get_length (timchat_test_json_get_array (community, "PendencyList")),
                    ==, 0);
  spy = g_strdup_printf ("{\"Handle_Account\":\"pl-owner\"}");
  timchat_test_group_request_code (plain, "get_pendency", spy, TIM_ERROR_FROM_ACCOUNT_INVALID);
  timchat_test_group_request_code (owner, "get_pendency", "{\"Limit\":0}",
                                   TIM_ERROR_INVALID_PARAMETER);
  timchat_test_group_request_code (owner, "get_pendency", "{\"StartTime\":\"soon\"}",
                                   TIM_ERROR_INVALID_PARAMETER);

  /* Answered, or added by the owner meanwhile: gone from the list. */
  answer = handle_body (club, "pl-bo", "Reject", "");
  timchat_test_group_request_code (admin, "handle_apply_join_group", answer, 0);
  add_di = g_strdup_printf ("{\"GroupId\":\"%s\",\"MemberList\":[{\"Member_Account\":\"pl-di\"}]}",
                            club);
  timchat_test_group_request_code (owner, "add_group_member", add_di, 0);
  left = pendency (owner, "pl-owner", 0, 100);
  after = pendency_keys (timchat_test_json_get_array (left, "PendencyList"));
  g_assert_null (strstr (after, "pl-bo"));
  g_assert_null (strstr (after, "pl-di"));
  g_assert_cmpuint (json_array_get_length (timchat_test_json_get_array (left, "PendencyList")), ==,
                    3);
}

/* Invited while their application waited, then gone again: the application was answered by the
 * invitation. It does not come back to the managers' list once its applicant quits, nor does
 * answering the old notice pull the one who left back in. */
static void
test_invited_then_quit (void)
{
  g_autoptr (TimchatTestPeer) owner = timchat_test_peer_new (fixture, "iq-owner");
  g_autoptr (TimchatTestPeer) ann = timchat_test_peer_new (fixture, "iq-ann");
  g_autofree char *group = create_group (owner, "Public", NULL, "[]");
  g_autofree char *add = NULL, *quit = NULL, *agree = NULL, *keys = NULL;
  g_autoptr (JsonObject) notice = NULL, waiting = NULL;

  json_object_unref (apply (ann, group, "let me in"));
  notice = timchat_test_peer_expect (owner, 5, "GroupTips", "MsgBody.ReportType", 1);
  add = g_strdup_printf ("{\"GroupId\":\"%s\",\"MemberList\":[{\"Member_Account\":\"iq-ann\"}]}",
                         group);
  timchat_test_group_request_code (owner, "add_group_member", add, 0);
  g_assert_true (is_member (owner, group, "iq-ann"));
  quit = g_strdup_printf ("{\"GroupId\":\"%s\"}", group);
  timchat_test_group_request_code (ann, "quit_group", quit, 0);
  g_assert_false (is_member (owner, group, "iq-ann"));

  waiting = pendency (owner, "iq-owner", 0, 100);
  keys = pendency_keys (timchat_test_json_get_array (waiting, "PendencyList"));
  g_assert_cmpstr (keys, ==, "");
  agree = handle_body (group, "iq-ann", "Agree",
                       timchat_test_json_get_string (notice, "MsgBody.Authentication"));
  timchat_test_group_request_code (owner, "handle_apply_join_group", agree,
                                   TIM_ERROR_GROUP_REQUEST_HANDLED);
  g_assert_false (is_member (owner, group, "iq-ann"));
}

/* An application is stored: the owner answers it after a restart. */
static void
test_survives_restart (void)
{
  g_autofree char *group = NULL;
  g_autofree char *token = NULL;

  {
    g_autoptr (TimchatTestPeer) owner = timchat_test_peer_new (fixture, "sr-owner");
    g_autoptr (TimchatTestPeer) cy = timchat_test_peer_new (fixture, "sr-cy");
    g_autoptr (JsonObject) notice = NULL;

    group = create_group (owner, "Public", NULL, "[]");
    json_object_unref (apply (cy, group, "hi"));
    notice = timchat_test_peer_expect (owner, 5, "GroupTips", "MsgBody.ReportType", 1);
    token = g_strdup (timchat_test_json_get_string (notice, "MsgBody.Authentication"));
  }
  timchat_fixture_restart (fixture);
  {
    g_autoptr (TimchatTestPeer) owner = timchat_test_peer_new (fixture, "sr-owner");
    g_autofree char *agree = handle_body (group, "sr-cy", "Agree", token);

    timchat_test_group_request_code (owner, "handle_apply_join_group", agree, 0);
    g_assert_true (is_member (owner, group, "sr-cy"));
  }
}

int
main (int argc, char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  fixture = timchat_fixture_new (NULL);
  g_test_add_func ("/server/group-join/public-info", test_public_info);
  g_test_add_func ("/server/group-join/free-access-and-refusals", test_free_access_and_refusals);
  g_test_add_func ("/server/group-join/avchatroom-member-joins-again",
                   test_avchatroom_member_joins_again);
  g_test_add_func ("/server/group-join/avchatroom-online-count", test_avchatroom_online_count);
  g_test_add_func ("/server/group-join/need-permission", test_need_permission);
  g_test_add_func ("/server/group-join/pending-list", test_pending_list);
  g_test_add_func ("/server/group-join/invited-then-quit", test_invited_then_quit);
  g_test_add_func ("/server/group-join/survives-restart", test_survives_restart);
  ret = g_test_run ();
  timchat_fixture_free (fixture);
  return ret;
}
