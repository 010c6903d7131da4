/* test-server-group-common.c: the helpers both of the server's group test programs
 * (tests/test-server-group-messages.c and -members.c) use: creating a group and reading its
 * history. */
#define G_LOG_DOMAIN "test-server-group-common"

#include "config.h"

#include "test-server-group-common.h"

char *
create_group (TimchatTestPeer *owner, const char *members_json)
{
  char *group_id = timchat_test_group_create (owner, "Private", "g", NULL, members_json);

  g_assert_true (g_str_has_prefix (group_id, "@TGS#"));
  return group_id;
}

JsonObject *
history (TimchatTestPeer *p, const char *group, gint64 seq, gint64 number)
{
  g_autofree char *body =
      g_strdup_printf ("{\"GroupId\":\"%s\",\"ReqMsgSeq\":%" G_GINT64_FORMAT
                       ",\"ReqMsgNumber\":%" G_GINT64_FORMAT ",\"WithRecalledMsg\":1}",
                       group, seq, number);
  JsonObject *reply = timchat_test_group_request (p, "group_msg_get", body);

  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 0);
  return reply;
}
