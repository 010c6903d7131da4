/* test-server-upload.c: uploads through the real timchat-server with a login ticket, the limits
 * decided from the headers, and an image message built from the answer reaching a peer. */
#define G_LOG_DOMAIN "test-server-upload"

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>

#include "timchat-test-extra.h"
#include "timchat-test-util.h"

static TimchatFixture *fixture;

typedef struct
{
  guint status;
  JsonObject *reply;
  goffset body_bytes_sent;
} UploadResult;

static void
count_sent (SoupMessage *msg, guint chunk, gpointer user_data)
{
  *(goffset *) user_data += chunk;
}

/* declared_length > actual length lies about the size, as an attacker would. */
static UploadResult
upload (TimchatTestClient *c, const char *kind, GBytes *content, goffset declared_length)
{
  g_autofree char *a2 = g_uri_escape_string (timchat_test_client_get_a2 (c), NULL, FALSE);
  g_autofree char *path =
      g_strdup_printf ("/upload?kind=%s&name=holiday%%20photo.png&a2=%s", kind, a2);
  g_autofree char *url = timchat_fixture_url (fixture, path);
  g_autoptr (SoupSession) session = soup_session_new ();
  g_autoptr (SoupMessage) msg = soup_message_new ("PUT", url);
  g_autoptr (GInputStream) stream = g_memory_input_stream_new_from_bytes (content);
  g_autoptr (GBytes) body = NULL;
  g_autoptr (GError) error = NULL;
  UploadResult result = { 0 };

  soup_message_headers_append (soup_message_get_request_headers (msg), "Expect", "100-continue");
  soup_message_set_request_body (msg, "application/octet-stream", stream, declared_length);
  g_signal_connect (msg, "wrote-body-data", G_CALLBACK (count_sent), &result.body_bytes_sent);
  body = soup_session_send_and_read (session, msg, NULL, &error);
  result.status = soup_message_get_status (msg);
  if (body != NULL && g_bytes_get_size (body) > 0)
    {
      g_autofree char *text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
      result.reply = timchat_test_json_parse (text, NULL);
    }
  return result;
}

static GBytes *
make_png (int width, int height)
{
  g_autoptr (GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  g_autoptr (GError) error = NULL;
  gchar *buffer = NULL;
  gsize size = 0;

  gdk_pixbuf_fill (pixbuf, 0x3584e4ff);
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "png", &error, NULL));
  return g_bytes_new_take (buffer, size);
}

static void
test_image_to_message (void)
{
  g_autoptr (TimchatTestClient) alice = timchat_test_connect (fixture, "alice");
  g_autoptr (TimchatTestClient) bob = timchat_test_connect (fixture, "bob");
  g_autoptr (GBytes) png = make_png (1600, 900);
  UploadResult result = upload (alice, "image", png, g_bytes_get_size (png));
  g_autoptr (JsonObject) reply = result.reply;
  g_autoptr (JsonObject) sent = NULL;
  g_autoptr (JsonObject) push = NULL;
  g_autoptr (SoupSession) session = soup_session_new ();
  g_autoptr (SoupMessage) download = NULL;
  g_autoptr (GBytes) downloaded = NULL;
  g_autofree char *image_array = NULL;
  JsonObject *item;

  g_assert_cmpuint (result.status, ==, 200);
  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 0);
  g_assert_cmpint (timchat_test_json_get_int (reply, "ImageFormat"), ==, 3);
  g_assert_cmpint (timchat_test_json_get_int (reply, "ImageInfoArray.0.Width"), ==, 1600);
  g_assert_cmpint (timchat_test_json_get_int (reply, "ImageInfoArray.1.Height"), ==, 198);
  g_assert_cmpint (timchat_test_json_get_int (reply, "ImageInfoArray.2.Height"), ==, 720);
  g_assert_cmpstr (timchat_test_json_get_string (reply, "FileName"), ==, "holiday photo.png");

  /* The answer is what a TIMImageElem needs: send it and let bob fetch the original. */
  {
    g_autoptr (JsonNode) node = json_node_new (JSON_NODE_ARRAY);
    json_node_set_array (node, timchat_test_json_get_array (reply, "ImageInfoArray"));
    image_array = json_to_string (node, FALSE);
  }
  sent = timchat_test_client_request_printf (
      alice, "openim.sendmsg",
      "{\"To_Account\":\"bob\",\"MsgSeq\":1,\"MsgRandom\":2,\"MsgBody\":[{\"MsgType\":"
      "\"TIMImageElem\","
      "\"MsgContent\":{\"UUID\":\"%s\",\"ImageFormat\":3,\"ImageInfoArray\":%s}}]}",
      timchat_test_json_get_string (reply, "UUID"), image_array);
  g_assert_cmpint (timchat_test_json_get_int (sent, "ErrorCode"), ==, 0);
  push = timchat_test_wait_event (bob, "C2cMsgArray", 3000);
  g_assert_nonnull (push);
  item = timchat_test_push_item (push, "C2cMsgArray");
  download = soup_message_new (
      "GET", timchat_test_json_get_string (item, "MsgBody.0.MsgContent.ImageInfoArray.0.URL"));
  downloaded = soup_session_send_and_read (session, download, NULL, NULL);
  g_assert_cmpuint (soup_message_get_status (download), ==, 200);
  g_assert_true (g_bytes_equal (downloaded, png));
}

static void
test_limits_from_headers (void)
{
  struct
  {
    const char *kind;
    goffset size;
    int code;
  } over[] = {
    { "image", 20 * 1024 * 1024, 2253 },
    { "audio", 20 * 1024 * 1024 + 1, 2301 },
    { "video", 100 * 1024 * 1024 + 1, 2351 },
    { "file", 100 * 1024 * 1024 + 1, 2402 },
  };
  g_autoptr (TimchatTestClient) carol = timchat_test_connect (fixture, "carol");
  g_autoptr (GBytes) few = g_bytes_new_static ("0123456789abcdef", 16);

  for (gsize i = 0; i < G_N_ELEMENTS (over); i++)
    {
      UploadResult result = upload (carol, over[i].kind, few, over[i].size);

      g_assert_cmpuint (result.status, ==, 413);
      g_assert_cmpint (timchat_test_json_get_int (result.reply, "ErrorCode"), ==, over[i].code);
      /* Refused from the headers: the body was never sent. */
      g_assert_cmpint (result.body_bytes_sent, ==, 0);
      g_clear_pointer (&result.reply, json_object_unref);
    }
}

static void
test_under_limits_and_bad_auth (void)
{
  g_autoptr (TimchatTestClient) dave = timchat_test_connect (fixture, "dave");
  g_autoptr (GBytes) file = g_bytes_new_take (g_malloc0 (3 * 1024 * 1024), 3 * 1024 * 1024);
  UploadResult ok = upload (dave, "file", file, g_bytes_get_size (file));
  UploadResult not_image = upload (dave, "image", file, g_bytes_get_size (file));
  g_autofree char *url = timchat_fixture_url (fixture, "/upload?kind=file&a2=forged");
  g_autoptr (SoupSession) session = soup_session_new ();
  g_autoptr (SoupMessage) forged = soup_message_new ("PUT", url);
  g_autoptr (GBytes) forged_reply = NULL;

  g_assert_cmpuint (ok.status, ==, 200);
  g_assert_cmpint (timchat_test_json_get_int (ok.reply, "Size"), ==, 3 * 1024 * 1024);
  g_assert_cmpuint (not_image.status, ==, 400);
  g_assert_cmpint (timchat_test_json_get_int (not_image.reply, "ErrorCode"), ==, 2252);
  soup_message_set_request_body_from_bytes (forged, "application/octet-stream", file);
  forged_reply = soup_session_send_and_read (session, forged, NULL, NULL);
  g_assert_cmpuint (soup_message_get_status (forged), ==, 401);
  g_clear_pointer (&ok.reply, json_object_unref);
  g_clear_pointer (&not_image.reply, json_object_unref);
}

/* Deleting an account ends its logins (docs/rest-api.md: "A deleted account cannot log in with
 * a UserSig (70107) until it is imported again"): its UserSig, still signed and unexpired, must
 * not let it go on storing files on the server either. */
static void
test_deleted_account_refused (void)
{
  g_autoptr (TimchatTestClient) erin = timchat_test_connect (fixture, "erin");
  g_autofree char *usersig = timchat_fixture_usersig (fixture, "erin", 3600);
  g_autofree char *escaped = g_uri_escape_string (usersig, NULL, FALSE);
  g_autofree char *path =
      g_strdup_printf ("/upload?kind=file&name=a.bin&identifier=erin&usersig=%s", escaped);
  g_autofree char *url = timchat_fixture_url (fixture, path);
  g_autoptr (GBytes) file = g_bytes_new_static ("0123456789abcdef", 16);
  g_autoptr (SoupSession) session = soup_session_new ();
  g_autoptr (JsonObject) deleted = NULL;
  g_autoptr (JsonObject) answer = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autofree char *text = NULL;

  for (int round = 0; round < 2; round++)
    {
      g_autoptr (SoupMessage) msg = soup_message_new ("PUT", url);

      soup_message_set_request_body_from_bytes (msg, "application/octet-stream", file);
      g_clear_pointer (&body, g_bytes_unref);
      body = soup_session_send_and_read (session, msg, NULL, NULL);
      g_assert_nonnull (body);
      g_clear_pointer (&text, g_free);
      text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
      g_test_message ("round %d: HTTP %u %s", round, soup_message_get_status (msg), text);
      if (round == 0)
        {
          /* While the account is there, its UserSig uploads. */
          g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
          deleted = timchat_test_rest_ok (fixture, "im_open_login_svc/account_delete",
                                          "{\"DeleteItem\":[{\"UserID\":\"erin\"}]}");
          g_assert_cmpint (timchat_test_json_get_int (deleted, "ResultItem.0.ResultCode"), ==, 0);
          continue;
        }
      g_assert_cmpuint (soup_message_get_status (msg), ==, 401);
      answer = timchat_test_json_parse (text, NULL);
      g_assert_cmpint (timchat_test_json_get_int (answer, "ErrorCode"), ==, 70107);
    }
}

static void
on_sent (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GBytes **body = user_data;

  *body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);
  if (*body == NULL)
    *body = g_bytes_new (NULL, 0);
}

/* The size of the upload's temp file in dir (-1: none yet). */
static goffset
temp_file_size (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *entry;

  while (d != NULL && (entry = g_dir_read_name (d)) != NULL)
    if (g_str_has_prefix (entry, ".upload-"))
      {
        g_autofree char *path = g_build_filename (dir, entry, NULL);
        GStatBuf st;

        if (g_stat (path, &st) == 0)
          return st.st_size;
      }
  return -1;
}

/* How many of the answer's files the store lists for retention. */
static gint64
listed_files (JsonObject *reply)
{
  g_autofree char *db_path =
      g_build_filename (timchat_fixture_get_data_dir (fixture), "timchat.db", NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 listed = 0;

  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (
      sqlite3_prepare_v2 (db, "SELECT count (*) FROM files WHERE name = ?", -1, &stmt, NULL), ==,
      SQLITE_OK);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *path = g_strdup_printf ("ImageInfoArray.%u.URL", i);
      const char *url = timchat_test_json_get_string (reply, path);

      sqlite3_bind_text (stmt, 1, strrchr (url, '/') + 1, -1, SQLITE_TRANSIENT);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      listed += sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return listed;
}

/* SIGTERM while an image's worker decodes and scales it: the server waits for it (within its
 * drain's deadline), answers the upload while its client is there, lists the files for
 * retention, and exits cleanly; nothing is left on the disk that nobody was told of. The server
 * used to close the connection unanswered and exit, a worker that got as far as its renames
 * leaving files under names nobody knew, unlisted, kept for good. */
static void
test_sigterm_while_stored (void)
{
  g_autoptr (TimchatTestClient) alice = timchat_test_connect (fixture, "alice");
  g_autofree char *a2 = g_uri_escape_string (timchat_test_client_get_a2 (alice), NULL, FALSE);
  g_autofree char *path = g_strdup_printf ("/upload?kind=image&name=big.png&a2=%s", a2);
  g_autofree char *url = timchat_fixture_url (fixture, path);
  g_autofree char *files = g_build_filename (timchat_fixture_get_data_dir (fixture), "files", NULL);
  g_autoptr (GBytes) png = make_png (5000, 5000); /* ~0.5 s of decoding and scaling */
  g_autoptr (SoupSession) session = soup_session_new ();
  g_autoptr (SoupMessage) msg = soup_message_new ("PUT", url);
  g_autoptr (GBytes) body = NULL;
  g_autoptr (JsonObject) reply = NULL;
  g_autofree char *text = NULL;
  guint before = timchat_test_count_entries (files);
  GPid pid = timchat_test_find_server_pid ();
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  soup_message_set_request_body_from_bytes (msg, "image/png", png);
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, on_sent, &body);
  /* The whole body in its temp file: the worker has it. */
  while (temp_file_size (files) != (goffset) g_bytes_get_size (png))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_assert_null (body);
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (500);
    }
  g_usleep (20000);
  g_assert_null (body);
  g_assert_cmpint (kill (pid, SIGTERM), ==, 0);
  while (body == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (timchat_fixture_wait_exit (fixture, 10000), ==, 0);

  text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  g_test_message ("HTTP %u %s", soup_message_get_status (msg), text);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  reply = timchat_test_json_parse (text, NULL);
  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 0);
  g_assert_cmpint (timchat_test_json_get_int (reply, "ImageInfoArray.0.Width"), ==, 5000);
  /* The original and its two variants: on the disk, listed, nothing else beside them. */
  g_assert_cmpuint (timchat_test_count_entries (files), ==, before + 3);
  g_assert_cmpint (listed_files (reply), ==, 3);

  timchat_fixture_restart (fixture);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *member = g_strdup_printf ("ImageInfoArray.%u.URL", i);

      g_assert_cmpuint (timchat_test_http_status (timchat_test_json_get_string (reply, member)), ==,
                        200);
    }
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  fixture = timchat_fixture_new (NULL);
  g_test_add_func ("/server/upload/image-to-message", test_image_to_message);
  g_test_add_func ("/server/upload/limits-from-headers", test_limits_from_headers);
  g_test_add_func ("/server/upload/under-limits-and-auth", test_under_limits_and_bad_auth);
  g_test_add_func ("/server/upload/deleted-account-refused", test_deleted_account_refused);
  g_test_add_func ("/server/upload/sigterm-while-stored", test_sigterm_while_stored);
  status = g_test_run ();
  timchat_fixture_free (fixture);
  return status;
}
