/* test-server-group-profile.c: modify_group_base_info against the real timchat-server over real
 * WebSockets and REST: who may change what, the checks on every field, the profile tip (6) with
 * MsgGroupNewInfo to every member, the new version in the group's info, and mute-all. */
#define G_LOG_DOMAIN "test-server-group-profile"

#include "config.h"

#include <string.h>

#include "tim-error.h"
#include "tim-limits.h"
#include "timchat-test-extra.h"

static TimchatFixture *fixture;

static char *
create_group (TimchatTestPeer *owner, const char *type, const char *members_json)
{
  return timchat_test_group_create (owner, type, "Before", NULL, members_json);
}

/* The group's profile as the SDK's getGroupProfile asks for it. */
static JsonObject *
profile (TimchatTestPeer *p, const char *group)
{
  g_autofree char *body = g_strdup_printf ("{\"GroupIdList\":[\"%s\"]}", group);
  JsonObject *reply = timchat_test_group_request (p, "get_group_self_member_info", body);

  g_assert_cmpint (timchat_test_json_get_int (reply, "GroupInfo.0.ErrorCode"), ==, 0);
  return reply;
}

static char *
modify_body (const char *group, const char *fields)
{
  return g_strdup_printf ("{\"GroupId\":\"%s\",%s}", group, fields);
}

static void
test_rename_in_private_group (void)
{
  g_autoptr (TimchatTestPeer) alice = timchat_test_peer_new (fixture, "r-alice");
  g_autoptr (TimchatTestPeer) bob = timchat_test_peer_new (fixture, "r-bob");
  g_autoptr (TimchatTestPeer) outsider = timchat_test_peer_new (fixture, "r-outsider");
  g_autofree char *group = create_group (alice, "Private", "[{\"Member_Account\":\"r-bob\"}]");
  g_autofree char *rename = modify_body (
      group, "\"Name\":\"After\",\"Introduction\":\"About us\",\"Notification\":\"Be kind\"");
  g_autoptr (JsonObject) before = profile (alice, group);
  g_autoptr (JsonObject) after = NULL, tip = NULL, again = NULL;

  g_assert_cmpint (timchat_test_json_get_int (before, "GroupInfo.0.InfoSeq"), ==, 1);
  json_object_unref (timchat_test_peer_expect (alice, 4, "GroupTips", "MsgBody.OpType", 1));

  /* In a Private (Work) group any member renames it; everyone hears it as tip 6. */
  timchat_test_group_request_code (outsider, "modify_group_base_info", rename,
                                   TIM_ERROR_GROUP_PERMISSION);
  timchat_test_group_request_code (bob, "modify_group_base_info", rename, 0);
  tip = timchat_test_peer_expect (alice, 4, "GroupTips", "MsgBody.OpType", 6);
  g_assert_cmpstr (timchat_test_json_get_string (tip, "MsgBody.Operator_Account"), ==, "r-bob");
  g_assert_cmpstr (timchat_test_json_get_string (tip, "MsgBody.MsgGroupNewInfo.GroupName"), ==,
                   "After");
  g_assert_cmpstr (timchat_test_json_get_string (tip, "MsgBody.MsgGroupNewInfo.GroupIntroduction"),
                   ==, "About us");
  g_assert_cmpstr (timchat_test_json_get_string (tip, "MsgBody.MsgGroupNewInfo.GroupNotification"),
                   ==, "Be kind");
  /* Only what changed is in it. */
  g_assert_false (timchat_test_json_has (tip, "MsgBody.MsgGroupNewInfo.GroupFaceUrl"));
  /* The tip names the group by its new name. */
  g_assert_cmpstr (timchat_test_json_get_string (tip, "GroupInfo.GroupName"), ==, "After");

  after = profile (bob, group);
  g_assert_cmpstr (timchat_test_json_get_string (after, "GroupInfo.0.Name"), ==, "After");
  g_assert_cmpstr (timchat_test_json_get_string (after, "GroupInfo.0.Introduction"), ==,
                   "About us");
  g_assert_cmpstr (timchat_test_json_get_string (after, "GroupInfo.0.Notification"), ==, "Be kind");
  g_assert_cmpint (timchat_test_json_get_int (after, "GroupInfo.0.InfoSeq"), ==, 2);
  g_assert_cmpint (timchat_test_json_get_int (after, "GroupInfo.0.LastInfoTime"), >=,
                   timchat_test_json_get_int (before, "GroupInfo.0.CreateTime"));

  /* Nothing to change: no new version, no tip. */
  g_free (rename);
  rename = modify_body (group, "\"AppDefinedData\":[]");
  timchat_test_group_request_code (bob, "modify_group_base_info", rename, 0);
  g_assert_cmpuint (timchat_test_peer_count (alice, 4, "GroupTips", "MsgBody.OpType", 6, 300), ==,
                    0);
  again = profile (bob, group);
  g_assert_cmpint (timchat_test_json_get_int (again, "GroupInfo.0.InfoSeq"), ==, 2);
}

static void
test_checks_every_field (void)
{
  g_autoptr (TimchatTestPeer) alice = timchat_test_peer_new (fixture, "k-alice");
  g_autofree char *group = create_group (alice, "Public", "[]");
  g_autofree char *padding = g_strnfill (TIM_MAX_GROUP_FACE_URL_BYTES, 'x');
  g_autofree char *long_face_url = g_strdup_printf ("\"FaceUrl\":\"https://h/%s\"", padding);
  const char *refused[] = {
    "\"Name\":\"\"",
    "\"Name\":\"  \\t \"",
    "\"Name\":\"0123456789012345678901234567890\"", /* 31 bytes */
    "\"Name\":7",
    "\"Introduction\":[]",
    long_face_url, /* over TIM_MAX_GROUP_FACE_URL_BYTES */
    "\"ApplyJoinOption\":\"Sometimes\"",
    "\"ShutUpAllMember\":\"Maybe\"",
    "\"AppDefinedData\":{}",
  };
  g_autofree char *unknown = modify_body ("@TGS#nothere", "\"Name\":\"x\"");
  g_autofree char *size = modify_body (group, "\"MaxMemberNum\":10");
  g_autofree char *fits = NULL;
  g_autoptr (JsonObject) after = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autofree char *body = modify_body (group, refused[i]);

      timchat_test_group_request_code (alice, "modify_group_base_info", body,
                                       TIM_ERROR_INVALID_PARAMETER);
    }
  timchat_test_group_request_code (alice, "modify_group_base_info", "{\"Name\":\"x\"}",
                                   TIM_ERROR_INVALID_PARAMETER);
  timchat_test_group_request_code (alice, "modify_group_base_info", unknown,
                                   TIM_ERROR_GROUP_NOT_FOUND);
  /* The size is the app admin's (REST), even for the owner. */
  timchat_test_group_request_code (alice, "modify_group_base_info", size,
                                   TIM_ERROR_GROUP_PERMISSION);
  after = profile (alice, group);
  g_assert_cmpstr (timchat_test_json_get_string (after, "GroupInfo.0.Name"), ==, "Before");
  g_assert_cmpint (timchat_test_json_get_int (after, "GroupInfo.0.InfoSeq"), ==, 1);

  /* Over the vendor's 100 bytes is fine: our own upload URLs are longer with a long host name. */
  g_free (padding);
  padding = g_strnfill (120, 'x');
  fits = g_strdup_printf ("\"FaceUrl\":\"https://h/%s\"", padding);
  g_free (size);
  size = modify_body (group, fits);
  timchat_test_group_request_code (alice, "modify_group_base_info", size, 0);
}

static void
test_public_group_managers_only (void)
{
  g_autoptr (TimchatTestPeer) alice = timchat_test_peer_new (fixture, "p-alice");
  g_autoptr (TimchatTestPeer) bob = timchat_test_peer_new (fixture, "p-bob");
  g_autoptr (TimchatTestPeer) carol = timchat_test_peer_new (fixture, "p-carol");
  g_autofree char *group = create_group (
      alice, "Public",
      "[{\"Member_Account\":\"p-bob\"},{\"Member_Account\":\"p-carol\",\"Role\":\"Admin\"}]");
  g_autofree char *rename = modify_body (group, "\"Name\":\"Renamed\",\"FaceUrl\":\"\"");
  g_autofree char *option = modify_body (group, "\"ApplyJoinOption\":\"DisableApply\"");
  g_autoptr (JsonObject) after = NULL, tip = NULL;

  timchat_test_group_request_code (bob, "modify_group_base_info", rename,
                                   TIM_ERROR_GROUP_PERMISSION);
  timchat_test_group_request_code (bob, "modify_group_base_info", option,
                                   TIM_ERROR_GROUP_PERMISSION);
  timchat_test_group_request_code (carol, "modify_group_base_info", rename, 0);
  timchat_test_group_request_code (alice, "modify_group_base_info", option, 0);
  tip = timchat_test_peer_expect (bob, 4, "GroupTips", "MsgBody.OpType", 6);
  g_assert_cmpstr (timchat_test_json_get_string (tip, "MsgBody.MsgGroupNewInfo.GroupName"), ==,
                   "Renamed");
  after = profile (bob, group);
  g_assert_cmpstr (timchat_test_json_get_string (after, "GroupInfo.0.Name"), ==, "Renamed");
  g_assert_cmpstr (timchat_test_json_get_string (after, "GroupInfo.0.ApplyJoinOption"), ==,
                   "DisableApply");
  g_assert_cmpint (timchat_test_json_get_int (after, "GroupInfo.0.InfoSeq"), ==, 3);
}

static void
test_mute_all (void)
{
  g_autoptr (TimchatTestPeer) alice = timchat_test_peer_new (fixture, "m-alice");
  g_autoptr (TimchatTestPeer) bob = timchat_test_peer_new (fixture, "m-bob");
  g_autofree char *group = create_group (alice, "Private", "[{\"Member_Account\":\"m-bob\"}]");
  g_autofree char *mute = modify_body (group, "\"ShutUpAllMember\":\"On\"");
  g_autofree char *unmute = modify_body (group, "\"ShutUpAllMember\":\"Off\"");
  g_autoptr (JsonObject) tip = NULL, info = NULL;

  /* Even in a Private group, mute-all is the managers'. */
  timchat_test_group_request_code (bob, "modify_group_base_info", mute, TIM_ERROR_GROUP_PERMISSION);
  timchat_test_group_request_code (alice, "modify_group_base_info", mute, 0);
  tip = timchat_test_peer_expect (bob, 4, "GroupTips", "MsgBody.OpType", 6);
  g_assert_cmpint (timchat_test_json_get_int (tip, "MsgBody.MsgGroupNewInfo.MuteAllMembers"), ==,
                   1);
  info = profile (bob, group);
  g_assert_cmpstr (timchat_test_json_get_string (info, "GroupInfo.0.ShutUpAllMember"), ==, "On");

  timchat_test_group_send_code (bob, group, 101, TIM_ERROR_GROUP_MUTED);
  timchat_test_group_send_code (alice, group, 102, 0);
  timchat_test_group_request_code (alice, "modify_group_base_info", unmute, 0);
  timchat_test_group_send_code (bob, group, 103, 0);
}

static void
test_rest_admin (void)
{
  g_autoptr (TimchatTestPeer) alice = timchat_test_peer_new (fixture, "a-alice");
  g_autofree char *group = create_group (alice, "Public", "[]");
  g_autofree char *body = modify_body (group, "\"Name\":\"By admin\",\"MaxMemberNum\":50");
  g_autofree char *small = modify_body (group, "\"MaxMemberNum\":0");
  g_autoptr (JsonObject) reply = NULL, info = NULL, tip = NULL;

  reply = timchat_test_rest_ok (fixture, "group_open_http_svc/modify_group_base_info", body);
  tip = timchat_test_peer_expect (alice, 4, "GroupTips", "MsgBody.OpType", 6);
  g_assert_cmpint (timchat_test_json_get_int (tip, "MsgBody.MsgGroupNewInfo.MaxMemberNum"), ==, 50);
  info = profile (alice, group);
  g_assert_cmpstr (timchat_test_json_get_string (info, "GroupInfo.0.Name"), ==, "By admin");
  g_assert_cmpint (timchat_test_json_get_int (info, "GroupInfo.0.MaxMemberNum"), ==, 50);
  {
    g_autoptr (JsonObject) refused =
        timchat_test_rest (fixture, "group_open_http_svc/modify_group_base_info", small, NULL);

    g_assert_cmpint (timchat_test_json_get_int (refused, "ErrorCode"), ==,
                     TIM_ERROR_INVALID_PARAMETER);
  }
}

/* The role of user in group, as get_group_member_info lists it. */
static char *
role_of (TimchatTestPeer *p, const char *group, const char *user)
{
  g_autoptr (JsonObject) member = timchat_test_group_member (p, group, user);

  return member != NULL ? g_strdup (timchat_test_json_get_string (member, "Role")) : NULL;
}

#define ASSERT_ROLE(p, group, user, role)                                                          \
  G_STMT_START                                                                                     \
  {                                                                                                \
    g_autofree char *role_ = role_of (p, group, user);                                             \
    g_assert_cmpstr (role_, ==, role);                                                             \
  }                                                                                                \
  G_STMT_END

/* change_group_owner (the SDK's changeGroupOwner): only the owner (or the app admin) hands the
 * group to another member, who becomes the owner while the old one becomes a plain member, free to
 * leave; everyone hears tip 6 with the new owner; anything else is refused with its code. */
static void
test_change_owner (void)
{
  g_autoptr (TimchatTestPeer) alice = timchat_test_peer_new (fixture, "o-alice");
  g_autoptr (TimchatTestPeer) bob = timchat_test_peer_new (fixture, "o-bob");
  g_autoptr (TimchatTestPeer) carl = timchat_test_peer_new (fixture, "o-carl");
  g_autoptr (TimchatTestPeer) outsider = timchat_test_peer_new (fixture, "o-outsider");
  g_autofree char *group = create_group (
      alice, "Private", "[{\"Member_Account\":\"o-bob\"},{\"Member_Account\":\"o-carl\"}]");
  g_autofree char *to_bob = modify_body (group, "\"NewOwner_Account\":\"o-bob\"");
  g_autofree char *to_carl = modify_body (group, "\"NewOwner_Account\":\"o-carl\"");
  g_autofree char *to_alice = modify_body (group, "\"NewOwner_Account\":\"o-alice\"");
  g_autofree char *to_outsider = modify_body (group, "\"NewOwner_Account\":\"o-outsider\"");
  g_autofree char *to_nobody = modify_body (group, "\"NewOwner_Account\":\"o-nobody-at-all\"");
  g_autofree char *to_number = modify_body (group, "\"NewOwner_Account\":7");
  g_autofree char *just_group = g_strdup_printf ("{\"GroupId\":\"%s\"}", group);
  g_autoptr (JsonObject) tip = NULL, info = NULL, by_admin = NULL;

  json_object_unref (timchat_test_peer_expect (carl, 4, "GroupTips", "MsgBody.OpType", 1));
  timchat_test_group_request_code (bob, "change_group_owner", to_carl, TIM_ERROR_GROUP_PERMISSION);
  timchat_test_group_request_code (outsider, "change_group_owner", to_carl,
                                   TIM_ERROR_GROUP_PERMISSION);
  timchat_test_group_request_code (alice, "change_group_owner", just_group,
                                   TIM_ERROR_INVALID_PARAMETER);
  timchat_test_group_request_code (alice, "change_group_owner", to_number,
                                   TIM_ERROR_INVALID_PARAMETER);
  timchat_test_group_request_code (alice, "change_group_owner", to_nobody,
                                   TIM_ERROR_GROUP_ACCOUNT_NOT_FOUND);
  timchat_test_group_request_code (alice, "change_group_owner", to_outsider,
                                   TIM_ERROR_INVALID_PARAMETER);
  timchat_test_group_request_code (alice, "change_group_owner", to_alice,
                                   TIM_ERROR_INVALID_PARAMETER);
  ASSERT_ROLE (carl, group, "o-alice", "Owner");

  timchat_test_group_request_code (alice, "change_group_owner", to_bob, 0);
  tip = timchat_test_peer_expect (carl, 4, "GroupTips", "MsgBody.OpType", 6);
  g_assert_cmpstr (timchat_test_json_get_string (tip, "MsgBody.Operator_Account"), ==, "o-alice");
  g_assert_cmpstr (timchat_test_json_get_string (tip, "MsgBody.MsgGroupNewInfo.Owner_Account"), ==,
                   "o-bob");
  info = profile (carl, group);
  g_assert_cmpstr (timchat_test_json_get_string (info, "GroupInfo.0.Owner_Account"), ==, "o-bob");
  g_assert_cmpint (timchat_test_json_get_int (info, "GroupInfo.0.InfoSeq"), ==, 2);
  ASSERT_ROLE (carl, group, "o-alice", "Member");
  ASSERT_ROLE (carl, group, "o-bob", "Owner");
  /* The old owner has no say now; the new one cannot leave, the old one can. */
  timchat_test_group_request_code (alice, "change_group_owner", to_carl,
                                   TIM_ERROR_GROUP_PERMISSION);
  timchat_test_group_request_code (bob, "quit_group", just_group,
                                   TIM_ERROR_GROUP_OWNER_CANNOT_QUIT);
  timchat_test_group_request_code (alice, "quit_group", just_group, 0);

  /* The app admin, over REST, for anyone. */
  by_admin = timchat_test_rest_ok (fixture, "group_open_http_svc/change_group_owner", to_carl);
  ASSERT_ROLE (bob, group, "o-carl", "Owner");
  ASSERT_ROLE (bob, group, "o-bob", "Member");
}

/* Nobody mutes the owner, nor lifts an owner's mute: so a muted member who is handed the group
 * is muted no more, and every member hears it (tip 7 with ShutupTime 0), or the new owner could
 * not post in their own group until the time ran out, up to 136 years. */
static void
test_change_owner_lifts_mute (void)
{
  g_autoptr (TimchatTestPeer) alice = timchat_test_peer_new (fixture, "om-alice");
  g_autoptr (TimchatTestPeer) bob = timchat_test_peer_new (fixture, "om-bob");
  g_autofree char *group = create_group (alice, "Private", "[{\"Member_Account\":\"om-bob\"}]");
  g_autofree char *mute_bob =
      modify_body (group, "\"Member_Account\":\"om-bob\",\"ShutUpTime\":3600");
  g_autofree char *to_bob = modify_body (group, "\"NewOwner_Account\":\"om-bob\"");
  g_autoptr (JsonObject) muted = NULL, lifted = NULL, owner = NULL;

  timchat_test_group_request_code (alice, "modify_group_member_info", mute_bob, 0);
  muted = timchat_test_peer_expect (alice, 4, "GroupTips", "MsgBody.OpType", 7);
  g_assert_cmpint (timchat_test_json_get_int (muted, "MsgBody.MsgMemberExtraInfo.0.ShutupTime"), ==,
                   3600);
  timchat_test_group_send_code (bob, group, 301, TIM_ERROR_GROUP_MUTED);

  timchat_test_group_request_code (alice, "change_group_owner", to_bob, 0);
  ASSERT_ROLE (alice, group, "om-bob", "Owner");
  timchat_test_group_send_code (bob, group, 302, 0);
  owner = timchat_test_group_member (alice, group, "om-bob");
  g_assert_nonnull (owner);
  g_assert_cmpint (timchat_test_json_get_int (owner, "ShutUpUntil"), ==, 0);
  lifted = timchat_test_peer_expect (alice, 4, "GroupTips", "MsgBody.OpType", 7);
  g_assert_cmpstr (timchat_test_json_get_string (lifted, "MsgBody.MsgMemberExtraInfo.0.UserId"), ==,
                   "om-bob");
  g_assert_cmpint (timchat_test_json_get_int (lifted, "MsgBody.MsgMemberExtraInfo.0.ShutupTime"),
                   ==, 0);
}

/* The change is stored: after a restart the group still has its new name, version and mute-all. */
static void
test_survives_restart (void)
{
  g_autofree char *group = NULL;
  g_autoptr (JsonObject) info = NULL;

  {
    g_autoptr (TimchatTestPeer) alice = timchat_test_peer_new (fixture, "t-alice");
    g_autoptr (TimchatTestPeer) bob = timchat_test_peer_new (fixture, "t-bob");
    g_autofree char *change = NULL;

    group = create_group (alice, "Private", "[{\"Member_Account\":\"t-bob\"}]");
    change = modify_body (group, "\"Name\":\"Kept\",\"ShutUpAllMember\":\"On\"");
    timchat_test_group_request_code (alice, "modify_group_base_info", change, 0);
  }
  timchat_fixture_restart (fixture);
  {
    g_autoptr (TimchatTestPeer) bob = timchat_test_peer_new (fixture, "t-bob");

    info = profile (bob, group);
    g_assert_cmpstr (timchat_test_json_get_string (info, "GroupInfo.0.Name"), ==, "Kept");
    g_assert_cmpint (timchat_test_json_get_int (info, "GroupInfo.0.InfoSeq"), ==, 2);
    g_assert_cmpstr (timchat_test_json_get_string (info, "GroupInfo.0.ShutUpAllMember"), ==, "On");
    timchat_test_group_send_code (bob, group, 201, TIM_ERROR_GROUP_MUTED);
  }
}

static gboolean
is_tip (JsonObject *frame, gint64 op_type)
{
  return timchat_test_json_get_int (frame, "body.EventArray.0.GroupTips.0.MsgBody.OpType") ==
         op_type;
}

/* Sends servcmd with body on ws (seq) and reads until its answer: how many group tips of op_type
 * the socket got before the answer. */
static guint
tips_before_answer (TimchatTestRawWs *ws, const char *servcmd, gint64 seq, const char *body,
                    gint64 op_type)
{
  g_autofree char *frame = timchat_test_frame_json (fixture, servcmd, seq, NULL, body);
  guint before = 0;

  timchat_test_raw_ws_send_json (ws, frame);
  for (;;)
    {
      g_autoptr (JsonObject) got = timchat_test_raw_ws_read_json (ws);

      if (g_strcmp0 (timchat_test_json_get_string (got, "head.servcmd"), servcmd) == 0)
        {
          g_assert_cmpint (timchat_test_json_get_int (got, "body.ErrorCode"), ==, 0);
          break;
        }
      before += is_tip (got, op_type);
    }
  return before;
}

/* Reads ws until a group tip of op_type comes (the socket's 10 s timeout fails the test when it
 * does not). */
static void
read_until_tip (TimchatTestRawWs *ws, gint64 op_type)
{
  for (gboolean tip = FALSE; !tip;)
    {
      g_autoptr (JsonObject) got = timchat_test_raw_ws_read_json (ws);

      tip = is_tip (got, op_type);
    }
}

/* The operator's own socket reads its answer first, then the tip of its change (the Web SDK
 * moves memberCount by the reply and sets it from the tip: with the tip first, an add was counted
 * twice). A hand-over and a join too: libtim takes their outcome from the answer (until 28 Nov
 * it took it from the tip, and the server sent those two tips first). */
static void
test_answer_before_tip (void)
{
  g_autoptr (TimchatTestPeer) alice = timchat_test_peer_new (fixture, "ab-alice");
  g_autoptr (TimchatTestPeer) bob = timchat_test_peer_new (fixture, "ab-bob");
  g_autoptr (TimchatTestPeer) cyd = timchat_test_peer_new (fixture, "ab-cyd");
  g_autofree char *group = create_group (alice, "Private", "[{\"Member_Account\":\"ab-bob\"}]");
  g_autofree char *meeting = create_group (alice, "ChatRoom", "[]");
  g_autoptr (TimchatTestRawWs) phone = timchat_test_raw_ws_login (fixture, "ab-alice");
  g_autoptr (TimchatTestRawWs) cyd_phone = timchat_test_raw_ws_login (fixture, "ab-cyd");
  g_autofree char *rename = modify_body (group, "\"Name\":\"After\"");
  g_autofree char *to_bob = modify_body (group, "\"NewOwner_Account\":\"ab-bob\"");
  g_autofree char *join = g_strdup_printf ("{\"GroupId\":\"%s\",\"ApplyMsg\":\"\"}", meeting);

  g_assert_cmpuint (
      tips_before_answer (phone, "group_open_http_svc.modify_group_base_info", 2, rename, 6), ==,
      0);
  read_until_tip (phone, 6);
  g_assert_cmpuint (
      tips_before_answer (phone, "group_open_http_svc.change_group_owner", 3, to_bob, 6), ==, 0);
  read_until_tip (phone, 6);
  /* A Meeting is joined at once (FreeAccess): the joiner's tip 1 behind the answer. */
  g_assert_cmpuint (
      tips_before_answer (cyd_phone, "group_open_http_svc.apply_join_group", 1, join, 1), ==, 0);
  read_until_tip (cyd_phone, 1);
  (void) bob;
  (void) cyd;
}

int
main (int argc, char **argv)
{
  const char *conf[] = { "limits/group_rate=0", NULL };
  int ret;

  g_test_init (&argc, &argv, NULL);
  fixture = timchat_fixture_new (conf);
  g_test_add_func ("/server-group-profile/rename-in-private-group", test_rename_in_private_group);
  g_test_add_func ("/server-group-profile/checks-every-field", test_checks_every_field);
  g_test_add_func ("/server-group-profile/public-group-managers-only",
                   test_public_group_managers_only);
  g_test_add_func ("/server-group-profile/mute-all", test_mute_all);
  g_test_add_func ("/server-group-profile/rest-admin", test_rest_admin);
  g_test_add_func ("/server-group-profile/change-owner", test_change_owner);
  g_test_add_func ("/server-group-profile/change-owner-lifts-mute", test_change_owner_lifts_mute);
  g_test_add_func ("/server-group-profile/survives-restart", test_survives_restart);
  g_test_add_func ("/server-group-profile/answer-before-tip", test_answer_before_tip);
  ret = g_test_run ();
  timchat_fixture_free (fixture);
  return ret;
}
