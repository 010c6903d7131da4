/* test-server-rest.c: the REST transport and the admin endpoints, each observed by a logged-in
 * WebSocket client where it has an effect. */
#define G_LOG_DOMAIN "test-server-rest"

#include "config.h"

#include <string.h>

#include "timchat-test-extra.h"
#include "timchat-test-util.h"

static TimchatFixture *fixture;
static GPid server_pid;

static void
test_admin_sendmsg_reaches_client (void)
{
  g_autoptr (TimchatTestClient) bob = timchat_test_connect (fixture, "bob");
  g_autoptr (TimchatTestClient) shop = timchat_test_connect (fixture, "shop_bot");
  g_autoptr (JsonObject) reply =
      timchat_test_rest (fixture, "openim/sendmsg",
                         "{\"SyncOtherMachine\":2,\"From_Account\":\"shop_bot\",\"To_Account\":"
                         "\"bob\",\"MsgRandom\":1287657,"
                         "\"MsgBody\":[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":"
                         "\"Your order shipped\"}}]}",
                         NULL);
  g_autoptr (JsonObject) push = timchat_test_wait_event (bob, "C2cMsgArray", 3000);
  g_autoptr (JsonObject) not_synced = timchat_test_wait_event (shop, "C2cMsgArray", 300);

  g_assert_cmpstr (timchat_test_json_get_string (reply, "ActionStatus"), ==, "OK");
  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 0);
  g_assert_nonnull (timchat_test_json_get_string (reply, "MsgKey"));
  g_assert_nonnull (push);
  g_assert_cmpstr (
      timchat_test_json_get_string (timchat_test_push_item (push, "C2cMsgArray"), "From_Account"),
      ==, "shop_bot");
  g_assert_null (not_synced); /* SyncOtherMachine 2: not to the sender's devices */
}

static void
test_kick (void)
{
  g_autoptr (TimchatTestClient) carol = timchat_test_connect (fixture, "carol");
  g_autoptr (TimchatTestClient) carol_phone = timchat_test_connect (fixture, "carol");
  g_autofree char *old_a2 = g_strdup (timchat_test_client_get_a2 (carol));
  g_autoptr (JsonObject) reply =
      timchat_test_rest (fixture, "im_open_login_svc/kick", "{\"UserID\":\"carol\"}", NULL);
  g_autoptr (JsonObject) kicked =
      timchat_test_client_wait_push (carol, "im_open_status.stat_forceoffline", 3000);
  g_autoptr (JsonObject) unknown =
      timchat_test_rest (fixture, "im_open_login_svc/kick", "{\"UserID\":\"nobody\"}", NULL);
  g_autoptr (TimchatTestClient) fresh = NULL;
  g_autoptr (JsonObject) relogin = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 0);
  g_assert_nonnull (kicked);
  /* In an EventArray entry, the only place the Web SDK looks (else it reports userSigExpired). */
  g_assert_cmpint (timchat_test_json_get_int (kicked, "EventArray.0.Event"), ==, 9);
  g_assert_cmpint (timchat_test_json_get_int (
                       kicked, "EventArray.0.C2cNotifyMsgArray.0.KickoutMsgNotify.KickType"),
                   ==, 3);
  g_assert_true (timchat_test_client_wait_closed (carol, 3000, NULL, NULL));
  g_assert_true (timchat_test_client_wait_closed (carol_phone, 3000, NULL, NULL));
  g_assert_cmpint (timchat_test_json_get_int (unknown, "ErrorCode"), ==, 70107);

  /* The old ticket is void: a reconnect must log in with a UserSig again. */
  fresh = timchat_test_client_new (fixture, NULL, &error);
  g_assert_no_error (error);
  timchat_test_client_set_auth (fresh, old_a2, "0");
  relogin = timchat_test_client_request_json (
      fresh, "im_open_status.wslogin", "{\"State\":\"Online\",\"is_web_uniapp\":0,\"InstType\":0}",
      &error);
  g_assert_no_error (error);
  g_assert_cmpint (timchat_test_json_get_int (relogin, "ErrorCode"), ==, 70001);
}

static void
test_transport_errors (void)
{
  g_autoptr (TimchatTestClient) dave = timchat_test_connect (fixture, "dave");
  g_autoptr (JsonObject) not_admin = timchat_test_rest (fixture, "openim/sendmsg", "{}", "dave");
  g_autoptr (JsonObject) bad_json =
      timchat_test_rest (fixture, "openim/sendmsg", "{not json", NULL);
  g_autoptr (JsonObject) unknown = timchat_test_rest (fixture, "openim/no_such_thing", "{}", NULL);
  g_autoptr (JsonObject) ws_only = timchat_test_rest (fixture, "openim/getmsg", "{}", NULL);

  g_assert_cmpint (timchat_test_json_get_int (not_admin, "ErrorCode"), ==, 60010);
  g_assert_cmpstr (timchat_test_json_get_string (not_admin, "ActionStatus"), ==, "FAIL");
  g_assert_cmpint (timchat_test_json_get_int (bad_json, "ErrorCode"), ==, 90001);
  g_assert_cmpint (timchat_test_json_get_int (unknown, "ErrorCode"), ==, 10003);
  g_assert_cmpint (timchat_test_json_get_int (ws_only, "ErrorCode"), ==, 10003);
}

/* POST of `size` bytes of JSON-ish filler to path, with a Content-Length or chunked: the status,
 * and the reply's ErrorCode. */
static guint
post_big (const char *path, gsize size, gboolean chunked, gint64 *code)
{
  g_autofree char *url = timchat_fixture_url (fixture, path);
  g_autoptr (SoupSession) session = soup_session_new ();
  /* REST as the admin (a stranger is answered before the size matters); elsewhere bare. */
  g_autoptr (SoupMessage) msg = g_str_has_prefix (path, "/v4/")
                                    ? timchat_test_rest_message (fixture, path + 4, "{}", NULL)
                                    : soup_message_new ("POST", url);
  g_autoptr (GBytes) content = g_bytes_new_take (g_strnfill (size, ' '), size);
  g_autoptr (GInputStream) stream = g_memory_input_stream_new_from_bytes (content);
  g_autoptr (GBytes) reply = NULL;
  g_autoptr (JsonObject) body = NULL;
  g_autofree char *text = NULL;

  soup_message_set_request_body (msg, "application/json", stream, chunked ? -1 : (gssize) size);
  reply = soup_session_send_and_read (session, msg, NULL, NULL);
  *code = -1;
  if (reply != NULL && g_bytes_get_size (reply) > 0)
    {
      text = g_strndup (g_bytes_get_data (reply, NULL), g_bytes_get_size (reply));
      body = timchat_test_json_parse (text, NULL);
      if (body != NULL)
        *code = timchat_test_json_get_int (body, "ErrorCode");
    }
  return soup_message_get_status (msg);
}

/* A body is read into memory whole before anyone is asked who sent it: past max_frame_bytes
 * (256 KiB) it is refused from its headers (or as it comes, when chunked), and the server does not
 * grow by what was sent; on any path, not only /v4. A REST call hears 93000 with HTTP 200, as
 * every API-level outcome (tim-rest-facts.md §1.2), any other path 413. */
static void
test_request_size (void)
{
  gint64 peak_before = timchat_test_proc_status_kb (server_pid, "VmHWM");
  gint64 code = 0;

  g_assert_cmpuint (server_pid, !=, 0);
  g_assert_cmpuint (post_big ("/v4/openim/sendmsg", 64 << 20, FALSE, &code), ==, 200);
  g_assert_cmpint (code, ==, 93000);
  g_assert_cmpuint (post_big ("/v4/openim/sendmsg", 64 << 20, TRUE, &code), ==, 200);
  g_assert_cmpint (code, ==, 93000);
  g_assert_cmpuint (post_big ("/files/anything", 16 << 20, FALSE, &code), ==, 413);
  g_assert_cmpuint (post_big ("/no/such/path", 16 << 20, TRUE, &code), ==, 413);
  g_assert_cmpint (timchat_test_proc_status_kb (server_pid, "VmHWM") - peak_before, <, 16 * 1024);

  /* At the limit it is read, and answered as any request with a body that is not JSON is. */
  g_assert_cmpuint (post_big ("/v4/openim/sendmsg", 256 * 1024, FALSE, &code), ==, 200);
  g_assert_cmpint (code, ==, 90001);
}

/* A REST caller who is not an admin with a valid UserSig is judged from the request's headers:
 * the body it sends is dropped as it comes, not kept (up to max_frame_bytes each) for a handler
 * that will refuse it. 40 strangers holding 200 KB each, one byte short of the end, would make
 * the server hold 8 MB. */
static void
test_stranger_body_not_kept (void)
{
  g_autoptr (GSocketClient) client = g_socket_client_new ();
  g_autoptr (GPtrArray) strangers = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *filler = g_strnfill (200000 - 1, ' ');
  g_autofree char *request = g_strdup_printf (
      "POST /v4/openim/sendmsg?sdkappid=%" G_GUINT64_FORMAT "&identifier=%s&usersig=forged"
      "&contenttype=json HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
      "Content-Length: 200000\r\n\r\n",
      timchat_fixture_get_sdkappid (fixture), TIMCHAT_FIXTURE_ADMIN);
  gint64 rss_before = timchat_test_proc_status_kb (server_pid, "VmRSS");
  gint64 rss_after;

  g_assert_cmpint (rss_before, >, 0);
  for (guint i = 0; i < 40; i++)
    {
      g_autoptr (GError) error = NULL;
      GSocketConnection *connection = g_socket_client_connect_to_host (
          client, "127.0.0.1", timchat_fixture_get_port (fixture), NULL, &error);
      GOutputStream *out;

      g_assert_no_error (error);
      out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
      g_assert_true (g_output_stream_write_all (out, request, strlen (request), NULL, NULL, NULL));
      g_assert_true (g_output_stream_write_all (out, filler, strlen (filler), NULL, NULL, NULL));
      g_ptr_array_add (strangers, connection);
    }
  timchat_test_spin (500);
  rss_after = timchat_test_proc_status_kb (server_pid, "VmRSS");
  g_test_message ("server VmRSS %" G_GINT64_FORMAT " -> %" G_GINT64_FORMAT " kB with 40 strangers "
                  "one byte short of 200 KB each",
                  rss_before, rss_after);
  g_assert_cmpint (rss_after - rss_before, <, 3 * 1024);
}

/* Clients that go away give their connection back: 200 HTTP clients, each closing its
 * kept-alive connection once answered (as a SoupSession does when it is freed), leave the server
 * holding no more descriptors than before (libsoup 3.2 kept every one of them, in CLOSE_WAIT). */
static void
test_closed_connections_let_go (void)
{
  guint before = timchat_test_proc_count_fds (server_pid);
  guint after = 0;
  gint64 deadline;

  for (guint i = 0; i < 200; i++)
    {
      g_autoptr (SoupSession) session = soup_session_new ();
      g_autofree char *download = timchat_fixture_url (fixture, "/files/missing");
      g_autoptr (SoupMessage) msg =
          i % 2 == 0 ? timchat_test_rest_message (fixture, "im_open_login_svc/account_check",
                                                  "{\"CheckItem\":[{\"UserID\":\"nobody\"}]}", NULL)
                     : soup_message_new ("GET", download);
      g_autoptr (GBytes) reply = soup_session_send_and_read (session, msg, NULL, NULL);

      g_assert_nonnull (reply);
    }
  /* The server notices each close on its next main-loop turn. */
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while ((after = timchat_test_proc_count_fds (server_pid)) > before + 5 &&
         g_get_monotonic_time () < deadline)
    g_usleep (20 * 1000);
  g_test_message ("server descriptors: %u before, %u after 200 clients", before, after);
  g_assert_cmpuint (after, <=, before + 5);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  fixture = timchat_fixture_new (NULL);
  server_pid = timchat_test_find_server_pid ();
  g_test_add_func ("/server/rest/admin-sendmsg", test_admin_sendmsg_reaches_client);
  g_test_add_func ("/server/rest/kick", test_kick);
  g_test_add_func ("/server/rest/transport-errors", test_transport_errors);
  g_test_add_func ("/server/rest/request-size", test_request_size);
  g_test_add_func ("/server/rest/stranger-body-not-kept", test_stranger_body_not_kept);
  g_test_add_func ("/server/rest/closed-connections-let-go", test_closed_connections_let_go);
  status = g_test_run ();
  timchat_fixture_free (fixture);
  return status;
}
