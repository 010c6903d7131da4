/* test-wire.c: the C2C push written straight to text (timchat-wire.c) is, byte for byte, what
 * the tree path (_timchat_wire_c2c_msg + _timchat_wire_push_body) encodes to. */
#define G_LOG_DOMAIN "test-wire"

#include "config.h"

#include <glib/gstdio.h>

#include "tim-frame.h"
#include "tim-json-writer.h"
#include "tim-json.h"
#include "timchat-commands-private.h"
#include "timchat-server.h"

/* The push as the server built it before: the item as a tree, MsgLifeTime for online-only
 * messages, From/To swapped and IsSyncMsg for the sender's devices. */
static char *
push_by_tree (TimchatServer *server, const TimchatMsg *msg, gboolean online_only, gboolean sync)
{
  JsonObject *item = _timchat_wire_c2c_msg (server, msg);
  g_autoptr (JsonObject) body = NULL;

  if (online_only)
    json_object_set_int_member (item, "MsgLifeTime", 0);
  if (sync)
    {
      json_object_set_string_member (item, "From_Account", msg->to_id);
      json_object_set_string_member (item, "To_Account", msg->from_user);
      json_object_set_int_member (item, "IsSyncMsg", 1);
    }
  body = _timchat_wire_push_body (1, "C2cMsgArray", item);
  return tim_json_to_string (body, NULL);
}

/* msg->body as _timchat_c2c_prepare writes it. */
static char *
written_body (const char *json)
{
  g_autoptr (JsonNode) node = tim_json_parse (json, -1, NULL);

  g_assert_nonnull (node);
  return tim_json_node_to_string (node, NULL);
}

static void
assert_same_push (TimchatServer *server, const TimchatMsg *msg)
{
  for (int online_only = 0; online_only < 2; online_only++)
    for (int sync = 0; sync < 2; sync++)
      {
        g_autofree char *expected = push_by_tree (server, msg, online_only, sync);
        g_autofree char *got = _timchat_wire_c2c_push_json (server, msg, online_only, sync);

        g_assert_cmpstr (got, ==, expected);
      }
}

static void
test_c2c_push (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("timchat-wire-XXXXXX", &error);
  g_autoptr (TimchatServer) server = NULL;
  TimchatStore *store;
  g_autoptr (TimchatAccount) alice = NULL;
  const char *bodies[] = {
    "[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"hi \\\"there\\\"\\n\\u0001 "
    "\xe4\xb8\xad\"}}]",
    "[{\"MsgType\":\"TIMLocationElem\",\"MsgContent\":{\"Desc\":\"x\",\"Latitude\":22.5,"
    "\"Longitude\":113.25}}]",
    /* Numbers JsonGenerator writes in forms json-glib cannot read back: the tree path drops
     * the body, and so must the text path. */
    "[{\"MsgType\":\"TIMLocationElem\",\"MsgContent\":{\"Desc\":\"x\",\"Latitude\":1e22,"
    "\"Longitude\":1e999}}]",
    "[]",
  };

  g_assert_no_error (error);
  server = timchat_server_new (dir, &error);
  g_assert_no_error (error);
  store = timchat_server_get_store (server);
  alice = timchat_store_ensure_account (store, "alice", &error);
  g_assert_no_error (error);
  g_assert_true (
      timchat_store_update_profile (store, "alice", "Al\"ice\t", "http://a/\\.png", NULL, &error));
  g_assert_no_error (error);

  for (gsize i = 0; i < G_N_ELEMENTS (bodies); i++)
    for (int variant = 0; variant < 4; variant++)
      {
        TimchatMsg msg = {
          .conv_type = TIM_CONV_C2C,
          .from_user = variant == 3 ? "nobody" : "alice", /* no account: TinyId 0, nick = ID */
          .to_id = "bob",
          .seq = 42,
          .client_seq = G_MAXINT64,
          .random = 123456789,
          .time = 1764115200,
          .client_time = 1764115199,
          .priority = 2,
          .cloud_custom_data = variant == 1 ? "{\"k\":\"v\\\\\"}" : NULL,
          .recalled = variant == 2,
          .revoker = variant == 2 ? "alice" : NULL,
        };
        g_autofree char *body = written_body (bodies[i]);

        msg.body = body;
        assert_same_push (server, &msg);
      }

  g_clear_object (&server);
  /* The data directory: timchat.db and its WAL, config, files/. */
  {
    g_autofree char *command = g_strdup_printf ("rm -rf '%s'", dir);
    g_assert_cmpint (system (command), ==, 0);
  }
}

/* The hub frames a push written as text with tim_frame_bytes_from_json (): the same bytes as a
 * TimFrame around the body's tree. */
static void
test_frame_from_json (void)
{
  const char *bodies[] = {
    "{}",
    "{\"EventArray\":[{\"Event\":1,\"C2cMsgArray\":[{\"From_Account\":\"a\\\"b\",\"MsgSeq\":-1}]}]"
    "}",
  };
  const char *servcmds[] = { "msg_push", "odd \"servcmd\"\n" };
  const gint64 seqs[] = { 1, G_MAXINT64, G_MININT64 };

  for (gsize b = 0; b < G_N_ELEMENTS (bodies); b++)
    for (gsize c = 0; c < G_N_ELEMENTS (servcmds); c++)
      for (gsize q = 0; q < G_N_ELEMENTS (seqs); q++)
        {
          g_autoptr (JsonObject) body = tim_json_parse_object (bodies[b], -1, NULL);
          g_autoptr (TimFrame) frame = tim_frame_new (servcmds[c], seqs[q], body);
          g_autoptr (GBytes) expected = tim_frame_to_bytes (frame);
          g_autoptr (GBytes) got = tim_frame_bytes_from_json (servcmds[c], seqs[q], bodies[b]);
          gsize expected_length, got_length;
          const char *expected_data = g_bytes_get_data (expected, &expected_length);
          const char *got_data = g_bytes_get_data (got, &got_length);

          g_assert_cmpmem (got_data, got_length, expected_data, expected_length);
        }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/wire/c2c-push-as-tree", test_c2c_push);
  g_test_add_func ("/wire/frame-from-json", test_frame_from_json);
  return g_test_run ();
}
