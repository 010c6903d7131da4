/* test-server-priority.c: group frequency control with priorities (tim-rest-facts.md §8) against
 * the real server: a pipelined burst of 60 mixed-priority messages into a group limited to
 * 10/s. Every sender gets success; High is always kept; Lowest is shed most, then Low, then
 * Normal; what is stored is exactly what is delivered. A resend of a stored message is answered
 * as the first send was, whatever the limiter would say, and spends none of its budget. */
#define G_LOG_DOMAIN "test-server-priority"

#include "config.h"

#include <string.h>

#include "timchat-test-util.h"

#define SEND "group_open_http_svc.send_group_msg"
#define PUSH "im_open_push.msg_push"
#define BURST 60

static const char *const names[] = { "High", "Normal", "Low", "Lowest" };

/* Sends one send_group_msg frame without waiting for its reply. */
static void
send_pipelined (TimchatFixture *f, TimchatTestClient *c, const char *group, int i)
{
  g_autofree char *frame = g_strdup_printf (
      "{\"head\":{\"ver\":\"v4\",\"platform\":7,\"servcmd\":\"" SEND "\",\"seq\":%d,"
      "\"sdkappid\":%" G_GUINT64_FORMAT
      ",\"contenttype\":\"json\",\"a2\":\"%s\",\"tinyid\":\"%s\"},"
      "\"body\":{\"GroupId\":\"%s\",\"Random\":%d,\"ClientSeq\":%d,\"MsgPriority\":\"%s\","
      "\"MsgBody\":[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"%d\"}}]}}",
      900000 + i, timchat_fixture_get_sdkappid (f), timchat_test_client_get_a2 (c),
      timchat_test_client_get_tinyid (c), group, 7000 + i, i, names[i % 4], i);
  g_autoptr (GBytes) bytes = g_bytes_new (frame, strlen (frame));

  timchat_test_client_send_raw (c, bytes, TRUE);
}

static int
text_index (JsonObject *item)
{
  const char *text = timchat_test_json_get_string (item, "MsgBody.0.MsgContent.Text");

  return text != NULL ? atoi (text) : -1;
}

static void
test_burst (void)
{
  const char *conf[] = { "limits/group_rate=10", NULL };
  g_autoptr (TimchatFixture) f = timchat_fixture_new (conf);
  g_autoptr (TimchatTestClient) alice = timchat_test_connect (f, "p-alice");
  g_autoptr (TimchatTestClient) bob = timchat_test_connect (f, "p-bob");
  g_autoptr (JsonObject) created = NULL;
  g_autoptr (GPtrArray) replies =
      g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  gboolean stored[BURST] = { FALSE }, delivered[BURST] = { FALSE };
  guint kept[4] = { 0 }, got[4] = { 0 };
  g_autofree char *group = NULL;
  gint64 deadline;
  gint64 seq;

  created = timchat_test_client_request_printf (
      alice, "group_open_http_svc.create_group",
      "{\"Name\":\"burst\",\"MemberList\":[{\"Member_Account\":\"p-bob\"}]}");
  g_assert_cmpint (timchat_test_json_get_int (created, "ErrorCode"), ==, 0);
  group = g_strdup (timchat_test_json_get_string (created, "GroupId"));
  /* Let the bucket start full (creation sends no group messages through it). */
  g_usleep (1100 * 1000);

  for (int i = 0; i < BURST; i++)
    send_pipelined (f, alice, group, i);

  /* Every send is answered with success, refused ones too. */
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (replies->len < BURST && g_get_monotonic_time () < deadline)
    {
      g_autoptr (GPtrArray) more = NULL;

      timchat_test_client_pump (alice, 50);
      more = timchat_test_client_take_pushes (alice, SEND);
      for (guint i = 0; i < more->len; i++)
        g_ptr_array_add (replies, json_object_ref (more->pdata[i]));
    }
  g_assert_cmpuint (replies->len, ==, BURST);
  for (guint i = 0; i < replies->len; i++)
    {
      g_assert_cmpint (timchat_test_json_get_int (replies->pdata[i], "ErrorCode"), ==, 0);
      g_assert_cmpint (timchat_test_json_get_int (replies->pdata[i], "MsgTime"), >, 0);
    }

  /* Delivered to bob: whatever arrives until a quiet second. */
  for (;;)
    {
      g_autoptr (GPtrArray) pushes = NULL;
      guint n_new = 0;

      timchat_test_client_pump (bob, 1000);
      pushes = timchat_test_client_take_pushes (bob, PUSH);
      for (guint i = 0; i < pushes->len; i++)
        {
          JsonArray *items =
              timchat_test_json_get_array (pushes->pdata[i], "EventArray.0.GroupMsgArray");

          for (guint j = 0; items != NULL && j < json_array_get_length (items); j++)
            {
              int index = text_index (json_array_get_object_element (items, j));

              g_assert_cmpint (index, >=, 0);
              g_assert_cmpint (index, <, BURST);
              g_assert_false (delivered[index]);
              delivered[index] = TRUE;
              n_new++;
            }
        }
      if (n_new == 0)
        break;
    }

  /* Stored: page the history from the newest seq down. */
  for (seq = 0;;)
    {
      g_autoptr (JsonObject) page = timchat_test_client_request_printf (
          bob, "group_open_http_svc.group_msg_get",
          "{\"GroupId\":\"%s\",\"ReqMsgNumber\":21,\"ReqMsgSeq\":%" G_GINT64_FORMAT "}", group,
          seq);
      JsonArray *list = timchat_test_json_get_array (page, "RspMsgList");
      guint n = list != NULL ? json_array_get_length (list) : 0;

      g_assert_cmpint (timchat_test_json_get_int (page, "ErrorCode"), ==, 0);
      for (guint i = 0; i < n; i++)
        {
          JsonObject *item = json_array_get_object_element (list, i);

          seq = timchat_test_json_get_int (item, "MsgSeq");
          if (timchat_test_json_get_int (item, "Event") != 4)
            stored[text_index (item)] = TRUE;
        }
      if (n == 0 || seq <= 1 || timchat_test_json_get_int (page, "IsFinished") != 0)
        break;
      seq--;
    }

  for (int i = 0; i < BURST; i++)
    {
      g_assert_cmpint (stored[i], ==, delivered[i]);
      kept[i % 4] += stored[i];
      got[i % 4] += delivered[i];
    }
  g_test_message ("kept of 15 each: High %u, Normal %u, Low %u, Lowest %u", kept[0], kept[1],
                  kept[2], kept[3]);
  g_assert_cmpuint (kept[0], ==, BURST / 4);
  g_assert_cmpuint (kept[1], >=, kept[2]);
  g_assert_cmpuint (kept[2], >=, kept[3]);
  g_assert_cmpuint (kept[3], <, BURST / 4);
  g_assert_cmpuint (kept[0] + kept[1] + kept[2] + kept[3], <, BURST);
  g_assert_cmpuint (got[0], ==, BURST / 4);
}

/* send_group_msg with this Random and ClientSeq (the key a resend is known by), Normal priority. */
static JsonObject *
send_normal (TimchatTestClient *c, const char *group, int key, const char *text)
{
  return timchat_test_client_request_printf (
      c, SEND,
      "{\"GroupId\":\"%s\",\"Random\":%d,\"ClientSeq\":%d,\"MsgPriority\":\"Normal\","
      "\"MsgBody\":[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"%s\"}}]}",
      group, 5000 + key, key, text);
}

/* A group limited to 1 message a second: after one Normal message the bucket is empty for a
 * second, in which a new Normal one is dropped (MsgSeq 0). A resend of the stored one (its reply
 * was lost, say) must still get its MsgSeq and MsgTime, or the sender shows as failed a message
 * everyone got; and it must not spend the token the next new message needs. */
static void
test_resend_in_burst (void)
{
  const char *conf[] = { "limits/group_rate=1", NULL };
  g_autoptr (TimchatFixture) f = timchat_fixture_new (conf);
  g_autoptr (TimchatTestClient) alice = timchat_test_connect (f, "rs-alice");
  g_autoptr (JsonObject) created = NULL;
  g_autoptr (JsonObject) first = NULL;
  g_autoptr (JsonObject) dropped = NULL;
  g_autoptr (JsonObject) next = NULL;
  g_autofree char *group = NULL;
  gint64 seq, time;

  created = timchat_test_client_request_printf (alice, "group_open_http_svc.create_group",
                                                "{\"Name\":\"resend\"}");
  g_assert_cmpint (timchat_test_json_get_int (created, "ErrorCode"), ==, 0);
  group = g_strdup (timchat_test_json_get_string (created, "GroupId"));
  g_usleep (1100 * 1000); /* a full bucket: one token */

  first = send_normal (alice, group, 1, "first");
  g_assert_cmpint (timchat_test_json_get_int (first, "ErrorCode"), ==, 0);
  seq = timchat_test_json_get_int (first, "MsgSeq");
  time = timchat_test_json_get_int (first, "MsgTime");
  g_assert_cmpint (seq, >, 0);

  /* The bucket is empty: a new message is dropped, the resends are answered as the first. */
  dropped = send_normal (alice, group, 2, "dropped");
  g_assert_cmpint (timchat_test_json_get_int (dropped, "ErrorCode"), ==, 0);
  g_assert_cmpint (timchat_test_json_get_int (dropped, "MsgSeq"), ==, 0);
  for (int i = 0; i < 3; i++)
    {
      g_autoptr (JsonObject) again = send_normal (alice, group, 1, "first");

      g_assert_cmpint (timchat_test_json_get_int (again, "ErrorCode"), ==, 0);
      g_assert_cmpint (timchat_test_json_get_int (again, "MsgSeq"), ==, seq);
      g_assert_cmpint (timchat_test_json_get_int (again, "MsgTime"), ==, time);
    }

  /* Full again: resends take nothing from it, so the next new message is kept, right after. */
  g_usleep (1100 * 1000);
  for (int i = 0; i < 3; i++)
    {
      g_autoptr (JsonObject) again = send_normal (alice, group, 1, "first");

      g_assert_cmpint (timchat_test_json_get_int (again, "MsgSeq"), ==, seq);
    }
  next = send_normal (alice, group, 3, "next");
  g_assert_cmpint (timchat_test_json_get_int (next, "ErrorCode"), ==, 0);
  g_assert_cmpint (timchat_test_json_get_int (next, "MsgSeq"), ==, seq + 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/server-priority/burst", test_burst);
  g_test_add_func ("/server-priority/resend-in-burst", test_resend_in_burst);
  return g_test_run ();
}
