/* bench-client-store.c: a client's cached history in its TimLocalStore (see bench-client-store.h).
 */
#define G_LOG_DOMAIN "bench-store"

#include "config.h"

#include "bench-client-store.h"
#include "tim-client-private.h"
#include "tim-conversation-list.h"

JsonObject *
bench_c2c_wire_item (const char *from, const char *to, gint64 seq, gint64 random, gint64 time,
                     JsonArray *body)
{
  JsonObject *item = json_object_new ();
  /* The message ID is TinyId-time-random: a TinyId of each user's own keeps them apart. */
  g_autofree char *tinyid = g_strdup_printf (
      "%" G_GUINT64_FORMAT, G_GUINT64_CONSTANT (144115198000000000) + g_str_hash (from));

  json_object_set_string_member (item, "From_Account", from);
  json_object_set_string_member (item, "To_Account", to);
  json_object_set_int_member (item, "MsgSeq", seq);
  json_object_set_int_member (item, "MsgRandom", random);
  json_object_set_int_member (item, "MsgTimeStamp", time);
  json_object_set_int_member (item, "MsgClientTime", time);
  json_object_set_int_member (item, "ServerSeq", seq);
  json_object_set_string_member (item, "TinyId", tinyid);
  /* Shared, not copied: the message is built with a deep copy of it. */
  json_object_set_array_member (item, "MsgBody", json_array_ref (body));
  return item;
}

JsonArray *
bench_text_body (const char *text)
{
  JsonArray *body = json_array_new ();
  JsonObject *elem = json_object_new ();
  JsonObject *content = json_object_new ();

  json_object_set_string_member (content, "Text", text);
  json_object_set_string_member (elem, "MsgType", "TIMTextElem");
  json_object_set_object_member (elem, "MsgContent", content);
  json_array_add_object_element (body, elem);
  return body;
}

void
bench_store_c2c (TimClient *client, const char *peer, guint n, GPtrArray *bodies)
{
  /* Each conversation its own range of MsgRandom, so that no two messages share an ID. */
  static guint conversations;
  gint64 random_base = (gint64) ++conversations * 1000000;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autoptr (TimMessage) last = NULL;

  g_return_if_fail (n < 1000000);

  for (gint64 seq = 1; seq <= n; seq++)
    {
      gboolean from_peer = seq % 2 == 1;
      g_autoptr (JsonArray) text = NULL;
      JsonArray *body;
      g_autoptr (JsonObject) item = NULL;
      g_autoptr (TimMessage) message = NULL;

      if (bodies != NULL)
        body = bodies->pdata[(seq - 1) % bodies->len];
      else
        {
          g_autofree char *words = g_strdup_printf (
              "history message %" G_GINT64_FORMAT " with some ordinary chat text", seq);
          body = text = bench_text_body (words);
        }
      item = bench_c2c_wire_item (from_peer ? peer : client->user, from_peer ? client->user : peer,
                                  seq, random_base + seq, now - (n - seq) / 4, body);
      message = _tim_message_new_from_c2c_wire (item, client->user);
      _tim_client_store_message (client, message);
      if (seq == n)
        last = g_steal_pointer (&message);
    }
  /* Makes the conversation, sets its last message and saves its record, as a push does. */
  if (last != NULL)
    _tim_client_update_conversation_last (client, last);
}

typedef struct
{
  TimClient *client;
  BenchStoreFill fill;
  gpointer user_data;
} Run;

static gboolean
run_fill (TimLocalStore *store, gpointer user_data, GError **error)
{
  Run *run = user_data;

  run->fill (run->client, run->user_data);
  return TRUE;
}

double
bench_store_prepare (const char *data_dir, guint64 sdkappid, const char *user, BenchStoreFill fill,
                     gpointer user_data)
{
  g_autofree char *app = g_strdup_printf ("%" G_GUINT64_FORMAT, sdkappid);
  g_autofree char *dir = g_build_filename (data_dir, app, user, NULL);
  g_autoptr (GError) error = NULL;
  /* Never logged in: only its store, user and conversation list are used to write records. */
  g_autoptr (TimClient) client = tim_client_new ("ws://127.0.0.1:9", sdkappid, data_dir);
  gint64 t0 = g_get_monotonic_time ();
  Run run = { client, fill, user_data };

  if (g_mkdir_with_parents (dir, 0700) != 0)
    g_error ("store: cannot create %s", dir);
  client->store = tim_local_store_open (dir, &error);
  if (client->store == NULL)
    g_error ("store: %s", error->message);
  client->user = g_strdup (user);
  if (!tim_local_store_run_in_transaction (client->store, run_fill, &run, &error))
    g_error ("store: fill: %s", error->message);
  return (g_get_monotonic_time () - t0) / 1e6;
}
