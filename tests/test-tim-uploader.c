/* test-tim-uploader.c: TimUploader against the real timchat-server: honest progress that ends at
 * the file size, cancellation that stops the transfer, limits refused locally without a request,
 * server refusals and network failures mapped to TIM error codes, and an image upload's answer. */
#define G_LOG_DOMAIN "test-tim-uploader"

#include "config.h"

#include <glib/gstdio.h>
#include <gdk-pixbuf/gdk-pixbuf.h>

#include "tim-error.h"
#include "tim-uploader.h"
#include "timchat-test-util.h"

static TimchatFixture *fixture;
static char *tmp_dir;

typedef struct
{
  GArray *progress; /* goffset, every report */
  goffset total;
  goffset cancel_at; /* cancel once this much was sent; 0 = never */
  GCancellable *cancellable;
  JsonObject *answer;
  GError *error;
  gboolean done;
} Run;

static void
progress_cb (goffset sent, goffset total, gpointer user_data)
{
  Run *run = user_data;

  g_array_append_val (run->progress, sent);
  run->total = total;
  if (run->cancel_at > 0 && sent >= run->cancel_at)
    g_cancellable_cancel (run->cancellable);
}

static void
upload_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Run *run = user_data;

  run->answer = tim_uploader_upload_finish (TIM_UPLOADER (source), result, &run->error);
  run->done = TRUE;
}

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->progress, g_array_unref);
  g_clear_object (&run->cancellable);
  g_clear_pointer (&run->answer, json_object_unref);
  g_clear_error (&run->error);
}

static void
run_upload (TimUploader *uploader, TimElemType kind, const char *path, goffset cancel_at, Run *run)
{
  g_autoptr (GFile) file = g_file_new_for_path (path);

  *run = (Run){ 0 };
  run->progress = g_array_new (FALSE, FALSE, sizeof (goffset));
  run->cancellable = g_cancellable_new ();
  run->cancel_at = cancel_at;
  tim_uploader_upload_async (uploader, kind, file, NULL, progress_cb, run, run->cancellable,
                             upload_cb, run);
  while (!run->done)
    g_main_context_iteration (NULL, TRUE);
}

static char *
http_base (void)
{
  return g_strdup_printf ("http://127.0.0.1:%u", timchat_fixture_get_port (fixture));
}

static TimUploader *
logged_in_uploader (TimchatTestClient **client_out)
{
  g_autofree char *base = http_base ();
  TimchatTestClient *client = timchat_test_connect (fixture, "alice");
  TimUploader *uploader = tim_uploader_new (base);

  tim_uploader_set_ticket (uploader, timchat_test_client_get_a2 (client));
  *client_out = client;
  return uploader;
}

/* A file of size bytes; sparse (fast) unless the content matters. */
static char *
make_file (const char *name, goffset size)
{
  char *path = g_build_filename (tmp_dir, name, NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GFileOutputStream) out = NULL;
  g_autoptr (GError) error = NULL;

  out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_seekable_truncate (G_SEEKABLE (out), size, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (G_OUTPUT_STREAM (out), NULL, &error));
  return path;
}

static void
test_progress (void)
{
  g_autoptr (TimchatTestClient) alice = NULL;
  g_autoptr (TimUploader) uploader = logged_in_uploader (&alice);
  g_autofree char *path = make_file ("five.bin", 5 * 1000 * 1000);
  Run run;

  run_upload (uploader, TIM_ELEM_FILE, path, 0, &run);
  g_assert_no_error (run.error);
  g_assert_nonnull (run.answer);
  g_assert_cmpint (json_object_get_int_member (run.answer, "Size"), ==, 5 * 1000 * 1000);
  g_assert_cmpstr (json_object_get_string_member (run.answer, "FileName"), ==, "five.bin");
  g_assert_nonnull (json_object_get_string_member (run.answer, "UUID"));

  /* Many reports, strictly increasing, the last one the whole file. */
  g_test_message ("%u progress reports", run.progress->len);
  g_assert_cmpuint (run.progress->len, >, 10);
  for (guint i = 1; i < run.progress->len; i++)
    g_assert_cmpint (g_array_index (run.progress, goffset, i), >,
                     g_array_index (run.progress, goffset, i - 1));
  g_assert_cmpint (g_array_index (run.progress, goffset, run.progress->len - 1), ==,
                   5 * 1000 * 1000);
  g_assert_cmpint (run.total, ==, 5 * 1000 * 1000);
  run_clear (&run);
  g_assert_finalize_object (g_steal_pointer (&uploader));
}

static void
test_cancel (void)
{
  g_autoptr (TimchatTestClient) alice = NULL;
  g_autoptr (TimUploader) uploader = logged_in_uploader (&alice);
  g_autofree char *path = make_file ("big.bin", 60 * 1024 * 1024);
  goffset last;
  Run run;

  run_upload (uploader, TIM_ELEM_FILE, path, 1024 * 1024, &run);
  g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (run.answer);
  last = g_array_index (run.progress, goffset, run.progress->len - 1);
  g_test_message ("cancelled after %" G_GOFFSET_FORMAT " of %" G_GOFFSET_FORMAT " bytes", last,
                  run.total);
  g_assert_cmpint (last, >=, 1024 * 1024);
  g_assert_cmpint (last, <, 4 * 1024 * 1024);
  run_clear (&run);

  /* The uploader still works after a cancelled transfer. */
  g_clear_pointer (&path, g_free);
  path = make_file ("small.bin", 1000);
  run_upload (uploader, TIM_ELEM_FILE, path, 0, &run);
  g_assert_no_error (run.error);
  g_assert_cmpint (json_object_get_int_member (run.answer, "Size"), ==, 1000);
  run_clear (&run);
}

/* Counts TCP connections, to prove that a refused upload never reached any server. */
static gboolean
incoming_cb (GSocketService *service, GSocketConnection *connection, GObject *source,
             gpointer user_data)
{
  (*(guint *) user_data)++;
  return FALSE;
}

static void
test_local_refusals (void)
{
  struct
  {
    TimElemType kind;
    const char *name;
    goffset size;
    int code;
  } cases[] = {
    { TIM_ELEM_IMAGE, "huge.png", 20 * 1024 * 1024, TIM_ERROR_IMAGE_SIZE_LIMIT },
    { TIM_ELEM_SOUND, "huge.ogg", 20 * 1024 * 1024 + 1, TIM_ERROR_AUDIO_SIZE_LIMIT },
    { TIM_ELEM_VIDEO, "huge.webm", 100 * 1024 * 1024 + 1, TIM_ERROR_VIDEO_SIZE_LIMIT },
    { TIM_ELEM_FILE, "huge.bin", 100 * 1024 * 1024 + 1, TIM_ERROR_FILE_SIZE_LIMIT },
    { TIM_ELEM_FILE, "empty.bin", 0, TIM_ERROR_FILE_EMPTY },
    { TIM_ELEM_IMAGE, "empty.png", 0, TIM_ERROR_FILE_EMPTY },
    { TIM_ELEM_IMAGE, "zeros.png", 1000, TIM_ERROR_IMAGE_TYPE },
  };
  g_autoptr (GSocketService) service = g_socket_service_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (TimUploader) uploader = NULL;
  g_autofree char *base = NULL;
  guint16 port;
  guint connections = 0;

  port = g_socket_listener_add_any_inet_port (G_SOCKET_LISTENER (service), NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (service, "incoming", G_CALLBACK (incoming_cb), &connections);
  g_socket_service_start (service);
  base = g_strdup_printf ("http://127.0.0.1:%u", port);
  uploader = tim_uploader_new (base);
  tim_uploader_set_ticket (uploader, "ticket");

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = make_file (cases[i].name, cases[i].size);
      Run run;

      run_upload (uploader, cases[i].kind, path, 0, &run);
      g_assert_error (run.error, TIM_ERROR, cases[i].code);
      /* Sizes as people read them, not in bytes (GLib puts a no-break space before the unit). */
      if (cases[i].size > 0)
        g_assert_null (strstr (run.error->message, "bytes"));
      if (cases[i].code == TIM_ERROR_FILE_SIZE_LIMIT)
        g_assert_nonnull (strstr (run.error->message, "the most is 100.0\u00a0MiB"));
      g_assert_cmpuint (run.progress->len, ==, 0);
      run_clear (&run);
    }
  /* A text sent as a video or a voice clip: what its bytes are, whatever its name says. */
  {
    g_autofree char *path = g_build_filename (tmp_dir, "notes.webm", NULL);
    g_autoptr (GString) text = g_string_new (NULL);
    Run run;

    while (text->len < 5000)
      g_string_append (text, "Meeting notes: nothing to see here.\n");
    g_assert_true (g_file_set_contents (path, text->str, (gssize) text->len, &error));
    run_upload (uploader, TIM_ELEM_VIDEO, path, 0, &run);
    g_assert_error (run.error, TIM_ERROR, TIM_ERROR_VIDEO_TYPE);
    g_assert_nonnull (strstr (run.error->message, "notes.webm"));
    run_clear (&run);
    run_upload (uploader, TIM_ELEM_SOUND, path, 0, &run);
    g_assert_error (run.error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER);
    run_clear (&run);
  }
  /* Let a connection that was attempted anyway show up. */
  for (int i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (connections, ==, 0);
  g_socket_service_stop (service);
}

static void
test_server_and_network_errors (void)
{
  g_autofree char *base = http_base ();
  g_autoptr (TimUploader) uploader = tim_uploader_new (base);
  g_autofree char *path = make_file ("data.bin", 4096);
  g_autoptr (GSocket) socket = NULL;
  g_autoptr (GSocketAddress) bound = NULL;
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr (GError) error = NULL;
  g_autofree char *closed_base = NULL;
  g_autoptr (TimUploader) nowhere = NULL;
  struct
  {
    TimElemType kind;
    int code;
  } network[] = {
    { TIM_ELEM_SOUND, TIM_ERROR_AUDIO_UPLOAD_FAIL },
    { TIM_ELEM_VIDEO, TIM_ERROR_VIDEO_UPLOAD_FAIL },
    { TIM_ELEM_FILE, TIM_ERROR_FILE_UPLOAD_FAIL },
  };
  Run run;

  /* A ticket the server does not know: its ErrorCode comes back as the GError code. */
  tim_uploader_set_ticket (uploader, "not-a-ticket");
  run_upload (uploader, TIM_ELEM_FILE, path, 0, &run);
  g_assert_error (run.error, TIM_ERROR, TIM_ERROR_MSG_AUTH);
  run_clear (&run);

  /* No login ticket at all. */
  tim_uploader_set_ticket (uploader, NULL);
  run_upload (uploader, TIM_ELEM_FILE, path, 0, &run);
  g_assert_error (run.error, TIM_ERROR, TIM_ERROR_NOT_LOGGED_IN);
  run_clear (&run);

  /* A port nobody listens on: bind one, then close it. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (socket, any, FALSE, &error));
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  closed_base = g_strdup_printf ("http://127.0.0.1:%u",
                                 g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_socket_close (socket, NULL);
  nowhere = tim_uploader_new (closed_base);
  tim_uploader_set_ticket (nowhere, "ticket");
  for (gsize i = 0; i < G_N_ELEMENTS (network); i++)
    {
      run_upload (nowhere, network[i].kind, path, 0, &run);
      g_assert_error (run.error, TIM_ERROR, network[i].code);
      g_test_message ("%s", run.error->message);
      run_clear (&run);
    }
}

static void
test_image (void)
{
  g_autoptr (TimchatTestClient) alice = NULL;
  g_autoptr (TimUploader) uploader = logged_in_uploader (&alice);
  g_autoptr (GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 1600, 900);
  g_autofree char *path = g_build_filename (tmp_dir, "photo.png", NULL);
  g_autoptr (GError) error = NULL;
  JsonArray *infos;
  Run run;

  gdk_pixbuf_fill (pixbuf, 0x3584e4ff);
  g_assert_true (gdk_pixbuf_save (pixbuf, path, "png", &error, NULL));
  run_upload (uploader, TIM_ELEM_IMAGE, path, 0, &run);
  g_assert_no_error (run.error);
  g_assert_cmpint (json_object_get_int_member (run.answer, "ErrorCode"), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (run.answer, "Format"), ==, "png");
  g_assert_true (json_object_has_member (run.answer, "ImageFormat"));
  infos = json_object_get_array_member (run.answer, "ImageInfoArray");
  g_assert_nonnull (infos);
  g_assert_cmpuint (json_array_get_length (infos), ==, 3);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (infos, 0), "Width"),
                   ==, 1600);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (infos, 0), "Height"),
                   ==, 900);
  g_assert_nonnull (
      json_object_get_string_member (json_array_get_object_element (infos, 0), "URL"));
  run_clear (&run);
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("test-tim-uploader-XXXXXX", &error);
  g_assert_no_error (error);
  fixture = timchat_fixture_new (NULL);
  g_test_add_func ("/tim/uploader/progress", test_progress);
  g_test_add_func ("/tim/uploader/cancel", test_cancel);
  g_test_add_func ("/tim/uploader/local-refusals", test_local_refusals);
  g_test_add_func ("/tim/uploader/server-and-network-errors", test_server_and_network_errors);
  g_test_add_func ("/tim/uploader/image", test_image);
  status = g_test_run ();
  timchat_fixture_free (fixture);
  {
    g_autoptr (GDir) dir = g_dir_open (tmp_dir, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *path = g_build_filename (tmp_dir, name, NULL);
        g_remove (path);
      }
    g_rmdir (tmp_dir);
  }
  g_free (tmp_dir);
  return status;
}
