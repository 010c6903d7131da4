/* bench-rest.c: REST openim/sendmsg calls per second through the real timchat-server, against
 * the WebSocket openim.sendmsg path measured in the same run.
 *
 * Both runs send from one sender to one logged-in receiver with WINDOW requests in flight:
 * the REST run over one keep-alive SoupSession (WINDOW connections; a server on libsoup < 3.3
 * answers "Connection: close", docs/protocol.md, so there each call connects anew; each POST
 * verifying the admin's UserSig as the vendor's gateway does), the WebSocket run over one logged-in
 * socket. Every message is stored (SQLite WAL, fdatasync()ed) and pushed before the reply.
 */
#define G_LOG_DOMAIN "bench-rest"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "bench-common.h"

#define WINDOW 4
#define SECONDS 3
#define SENDER "bench_snd"
#define RECEIVER "bench_rcv"
#define TEXT "a benchmark message of about sixty bytes, like a short chat line"

typedef struct
{
  TimchatFixture *fixture;
  SoupSession *session;
  char *rest_url;
  SoupWebsocketConnection *sender;
  SoupWebsocketConnection *receiver;
  char *a2, *tinyid;
  guint logins;
  guint64 seq;
  gint64 until_us;
  guint64 ok, errors, in_flight;
} Bench;

static char *
ws_frame (Bench *b, const char *servcmd, const char *body)
{
  return g_strdup_printf (
      "{\"head\":{\"ver\":\"v4\",\"platform\":7,\"a2\":\"%s\",\"tinyid\":\"%s\","
      "\"sdkappid\":%" G_GUINT64_FORMAT ",\"contenttype\":\"json\","
      "\"servcmd\":\"%s\",\"seq\":%" G_GUINT64_FORMAT "},\"body\":%s}",
      b->a2, b->tinyid, timchat_fixture_get_sdkappid (b->fixture), servcmd, ++b->seq, body);
}

static char *
send_body (Bench *b, gboolean rest)
{
  return g_strdup_printf ("{\"From_Account\":\"" SENDER "\",\"To_Account\":\"" RECEIVER
                          "\",\"MsgSeq\":%" G_GUINT64_FORMAT
                          ",\"MsgRandom\":%u,\"MsgClientTime\":%" G_GINT64_FORMAT
                          ",%s\"MsgBody\":[{\"MsgType\":"
                          "\"TIMTextElem\",\"MsgContent\":{\"Text\":\"" TEXT "\"}}]}",
                          ++b->seq, g_random_int (), g_get_real_time () / G_USEC_PER_SEC,
                          rest ? "\"SyncOtherMachine\":1," : "");
}

static void
count_reply (Bench *b, const char *data, gsize length)
{
  if (g_strstr_len (data, (gssize) length, "\"ErrorCode\":0") != NULL)
    b->ok++;
  else if (b->errors++ == 0)
    g_printerr ("bench-rest: sendmsg failed: %.*s\n", (int) MIN (length, 300), data);
}

/* ---------------------------------------------------------------- WebSocket */

static void ws_send (Bench *b);

static void
on_ws_message (SoupWebsocketConnection *conn, int type, GBytes *message, gpointer user_data)
{
  Bench *b = user_data;
  gsize length = 0;
  const char *data = g_bytes_get_data (message, &length);

  if (conn == b->receiver || g_strstr_len (data, (gssize) length, "im_open_push") != NULL)
    return;
  if (b->a2 == NULL || g_strstr_len (data, (gssize) length, "wslogin") != NULL)
    {
      g_free (b->tinyid);
      bench_take_login_reply ("bench-rest", (const guint8 *) data, length, &b->a2, &b->tinyid);
      b->logins++;
      return;
    }
  count_reply (b, data, length);
  b->in_flight--;
  if (g_get_monotonic_time () < b->until_us)
    ws_send (b);
}

static void
ws_send (Bench *b)
{
  g_autofree char *body = send_body (b, FALSE);
  g_autofree char *frame = ws_frame (b, "openim.sendmsg", body);

  b->in_flight++;
  soup_websocket_connection_send_text (b->sender, frame);
}

static void
on_ws_connected (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SoupWebsocketConnection **out = user_data;
  g_autoptr (GError) error = NULL;

  *out = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  if (*out == NULL)
    g_error ("connect failed: %s", error->message);
}

/* A logged-in text-frame socket (/info). */
static SoupWebsocketConnection *
ws_login (Bench *b, const char *user)
{
  g_autofree char *http = timchat_fixture_url (b->fixture, "/info?platform=7");
  g_autofree char *url = g_strconcat ("ws", http + strlen ("http"), NULL);
  g_autoptr (SoupMessage) msg = soup_message_new ("GET", url);
  g_autofree char *sig = timchat_fixture_usersig (b->fixture, user, 86400);
  g_autofree char *frame = NULL;
  SoupWebsocketConnection *conn = NULL;
  guint logins = b->logins;

  soup_session_websocket_connect_async (b->session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                        on_ws_connected, &conn);
  while (conn == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_signal_connect (conn, "message", G_CALLBACK (on_ws_message), b);
  g_clear_pointer (&b->a2, g_free);
  frame = g_strdup_printf ("{\"head\":{\"ver\":\"v4\",\"platform\":7,\"identifier\":\"%s\","
                           "\"usersig\":\"%s\",\"sdkappid\":%" G_GUINT64_FORMAT ",\"servcmd\":"
                           "\"im_open_status.wslogin\",\"seq\":1},\"body\":{\"State\":\"Online\"}}",
                           user, sig, timchat_fixture_get_sdkappid (b->fixture));
  soup_websocket_connection_send_text (conn, frame);
  while (b->logins == logins)
    g_main_context_iteration (NULL, TRUE);
  return conn;
}

/* ---------------------------------------------------------------- REST */

static void rest_send (Bench *b);

static void
on_rest_reply (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Bench *b = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) reply =
      soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);

  if (reply == NULL)
    g_error ("REST call failed: %s", error->message);
  count_reply (b, g_bytes_get_data (reply, NULL), g_bytes_get_size (reply));
  b->in_flight--;
  if (g_get_monotonic_time () < b->until_us)
    rest_send (b);
}

static void
rest_send (Bench *b)
{
  g_autofree char *body = send_body (b, TRUE);
  g_autoptr (SoupMessage) msg = soup_message_new ("POST", b->rest_url);
  g_autoptr (GBytes) bytes = g_bytes_new (body, strlen (body));

  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  b->in_flight++;
  soup_session_send_and_read_async (b->session, msg, G_PRIORITY_DEFAULT, NULL, on_rest_reply, b);
}

/* ---------------------------------------------------------------- runs */

static double
run (Bench *b, void (*send) (Bench *b))
{
  gint64 start;
  double seconds;
  guint64 ok_before = b->ok;

  /* Warm up for half a second, then measure. */
  b->until_us = g_get_monotonic_time () + G_USEC_PER_SEC / 2;
  for (int i = 0; i < WINDOW; i++)
    send (b);
  while (b->in_flight > 0)
    g_main_context_iteration (NULL, TRUE);
  ok_before = b->ok;
  start = g_get_monotonic_time ();
  b->until_us = start + SECONDS * G_USEC_PER_SEC;
  for (int i = 0; i < WINDOW; i++)
    send (b);
  while (b->in_flight > 0)
    g_main_context_iteration (NULL, TRUE);
  seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  return (b->ok - ok_before) / seconds;
}

int
main (int argc, char **argv)
{
  Bench b = { 0 };
  g_autofree char *sig = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  double ws_rate, rest_rate;

  bench_ensure_server_env ();
  b.fixture = timchat_fixture_new ((const char *const[]){ "limits/rest_rate=0", NULL });
  b.session = g_object_new (SOUP_TYPE_SESSION, "max-conns-per-host", WINDOW, "timeout", 30, NULL);
  sig = timchat_fixture_usersig (b.fixture, TIMCHAT_FIXTURE_ADMIN, 86400);
  escaped = g_uri_escape_string (sig, NULL, FALSE);
  path = g_strdup_printf ("/v4/openim/sendmsg?sdkappid=%" G_GUINT64_FORMAT
                          "&identifier=" TIMCHAT_FIXTURE_ADMIN "&usersig=%s&random=1"
                          "&contenttype=json",
                          timchat_fixture_get_sdkappid (b.fixture), escaped);
  b.rest_url = timchat_fixture_url (b.fixture, path);

  b.receiver = ws_login (&b, RECEIVER);
  b.sender = ws_login (&b, SENDER);

  ws_rate = run (&b, ws_send);
  rest_rate = run (&b, rest_send);

  printf ("bench-rest: %d requests in flight, %d s each, one sender -> one online receiver\n",
          WINDOW, SECONDS);
  printf ("  WebSocket openim.sendmsg   %8.0f msg/s\n", ws_rate);
  printf ("  REST /v4/openim/sendmsg    %8.0f calls/s (HTTP/1.1, %s)\n", rest_rate,
          soup_check_version (3, 3, 0) ? "keep-alive" : "a connection a call");
  printf ("  ratio REST / WebSocket     %8.2f\n", ws_rate > 0 ? rest_rate / ws_rate : 0.0);
  printf ("  failed replies             %8" G_GUINT64_FORMAT "\n", b.errors);

  soup_websocket_connection_close (b.sender, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  soup_websocket_connection_close (b.receiver, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  g_clear_object (&b.sender);
  g_clear_object (&b.receiver);
  g_clear_object (&b.session);
  g_free (b.rest_url);
  g_free (b.a2);
  g_free (b.tinyid);
  timchat_fixture_free (b.fixture);
  return b.errors == 0 ? 0 : 1;
}
