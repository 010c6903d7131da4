/* bench-app.c: the GTK app, each figure beside a baseline measured in the same run, against the
 * real timchat-server of the test fixture on 127.0.0.1. Run it under tests/run-headless.sh.
 *
 * first frame: bob's data dir holds 100 conversations and 100,000 cached messages in one of them
 *   (plus the two 10,000-message conversations of the scroll part), written with libtim's record
 *   code (bench-client-store.c). The real `timchat` logs in as bob with
 *   TIMCHAT_REPORT_FIRST_FRAME and TIMCHAT_QUIT_AFTER_FIRST_FRAME set and prints the time from its
 *   process start to its first painted frame (src/app/timchat-first-frame.c); median of 5.
 *   Baseline: bench-bare-window (gtk_init, a GtkWindow with a label, the same hook; it links GTK
 *   only), interleaved with the app's runs; one unmeasured warm-up run of each first. The same
 *   window in this program (--bare-window: all the app's libraries loaded) is printed too.
 * open: a TimchatConversationView on a fresh, logged-in TimClient of bob in a window that has
 *   painted nothing for 100 ms (a new window paints for ~250 ms after it is shown); the time
 *   from timchat_conversation_view_set_conversation_id to the first painted frame that shows the
 *   newest row, for the 100,000-message conversation and (baseline) one of 15 messages; median
 *   of 5, a new client each run so the message list starts empty.
 * scroll: a child process (--scroll-child) opens a 10,000-message conversation in the view, reads
 *   VmRSS, scrolls the vadjustment from the bottom to the top 1.9 pages at a time (at most 240 s
 *   for the images, 100 s for the texts)
 * with frames in between (the view loads older pages itself), waits at each step until the pictures
 * on screen are loaded (at most 250 ms), and reads VmRSS again (BENCH_APP_DEBUG=1: progress on
 * stderr). Images: 20 PNGs (640×480) really uploaded once by another user, their imageInfoArray
 * reused by the 10,000 messages. Baseline: the same over 10,000 text messages. paste: alice's and
 * bob's views, each on its own TimClient, in this process; a noise PNG texture goes to
 * timchat_conversation_view_preview_texture on alice's view; once the preview sheet has painted,
 * Send (timchat_preview_sheet_respond); the time runs until bob's view has painted the image row
 * with its thumbnail loaded. ~5 MB against (baseline) ~10 KB; median of 3.
 *
 * --only first-frame,open,scroll,scroll-images,scroll-texts,paste measures some parts only;
 * BENCH_APP_SCROLL_SECONDS changes the scroll limit, BENCH_APP_SCROLL_WRAPPER runs the scroll
 * child under a profiler, BENCH_APP_DEBUG=1 prints progress and the frames of each open.
 */
#define G_LOG_DOMAIN "bench-app"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <adwaita.h>
#include <gdk-pixbuf/gdk-pixbuf.h>

#include "bench-bare-window.h"
#include "bench-client-store.h"
#include "bench-common.h"
#include "tim-elem.h"
#include "tim-message-list.h"
#include "tim-test-util.h"
#include "timchat-conversation-view-private.h"
#include "timchat-first-frame.h"
#include "timchat-media-picture.h"
#include "timchat-preview-sheet.h"
#include "timchat-resources.h"

#define N_CONVERSATIONS 100
#define N_BIG 100000
#define N_SCROLL 10000
#define N_SMALL 15
#define N_IMAGES 20
#define N_RUNS 5
#define N_PASTE_RUNS 3
#define BIG "C2Calice"
#define SMALL "C2Ceve"
#define IMAGES "C2Ccarol"
#define TEXTS "C2Cdave"
#define GOAL_FIRST_FRAME_RATIO 2.0
#define GOAL_OPEN_MS 50.0
#define GOAL_SCROLL_MB 50.0
#define GOAL_PASTE_MS 1000.0
#define WINDOW_WIDTH 960
#define WINDOW_HEIGHT 640
/* A step scrolls 1.9 pages: about half the rows are on screen at a step (GtkListView binds rows
 * beyond the edges too). Steps of 4 pages did not move the view (it stayed at the bottom). Each
 * scroll is cut at its time limit: the figure says how far it got. The images have room to go
 * through all 10,000 (~170 s); the text baseline, much slower per message, gets 100 s. */
#define SCROLL_STEP_PAGES 1.9
#define SCROLL_SECONDS 100
#define SCROLL_IMAGES_SECONDS 240

/* ---------------------------------------------------------------- helpers */

static double
ms (gint64 us)
{
  return us / 1000.0;
}

static double
median_ms (GArray *us)
{
  return ms (bench_median (us));
}

static void
load_app_style (void)
{
  g_autoptr (GtkCssProvider) css = gtk_css_provider_new ();

  timchat_ensure_resources ();
  gtk_css_provider_load_from_resource (css, "/org/example/TimChat/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

static char *
next_to_me (const char *relative)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *dir = g_path_get_dirname (exe);
  g_autofree char *path = g_build_filename (dir, relative, NULL);

  return g_canonicalize_filename (path, NULL);
}

/* run-headless.sh points GSETTINGS_SCHEMA_DIR at $TIMCHAT_BUILD_DIR/data (default ./data):
 * use the build tree this program is in when that does not hold the compiled schemas. */
static void
ensure_schema_dir (void)
{
  const char *dir = g_getenv ("GSETTINGS_SCHEMA_DIR");
  g_autofree char *compiled =
      dir != NULL ? g_build_filename (dir, "gschemas.compiled", NULL) : NULL;

  if (compiled == NULL || !g_file_test (compiled, G_FILE_TEST_EXISTS))
    {
      g_autofree char *mine = next_to_me ("../data");

      g_setenv ("GSETTINGS_SCHEMA_DIR", mine, TRUE);
    }
}

static guint after_paints;

static void
count_paint (GdkFrameClock *clock, gpointer user_data)
{
  after_paints++;
}

/* Iterates until the window has painted `frames` more frames (a redraw is queued first), or
 * timeout_ms passed. */
static void
wait_frames (GtkWidget *window, guint frames, guint timeout_ms)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);
  gint64 deadline = g_get_monotonic_time () + timeout_ms * 1000;
  guint start = after_paints;
  gulong handler;

  if (clock == NULL)
    return;
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (count_paint), NULL);
  gtk_widget_queue_draw (window);
  while (after_paints - start < frames && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (200), TRUE);
  g_signal_handler_disconnect (clock, handler);
}

static void
iterate_until (gboolean *flag, guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + timeout_ms * 1000;

  while (!*flag && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (200), TRUE);
}

static GtkWidget *
find_picture (GtkWidget *root)
{
  if (TIMCHAT_IS_MEDIA_PICTURE (root))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_picture (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Whether the row widget of a bound list item is (partly) inside the scroller's viewport. */
static gboolean
row_on_screen (TimchatConversationView *view, GtkWidget *row)
{
  graphene_rect_t bounds;
  int height = gtk_widget_get_height (GTK_WIDGET (view->scroller));

  if (!gtk_widget_get_mapped (row) ||
      !gtk_widget_compute_bounds (row, GTK_WIDGET (view->scroller), &bounds))
    return FALSE;
  return bounds.size.height > 0 && bounds.origin.y < height &&
         bounds.origin.y + bounds.size.height > 0;
}

/* The row of the view's newest message when it is on screen, else NULL. */
static GtkWidget *
newest_row_on_screen (TimchatConversationView *view)
{
  guint n = view->messages != NULL ? g_list_model_get_n_items (G_LIST_MODEL (view->messages)) : 0;
  GHashTableIter iter;
  gpointer item;

  if (n == 0)
    return NULL;
  g_hash_table_iter_init (&iter, view->list_items);
  while (g_hash_table_iter_next (&iter, &item, NULL))
    if (gtk_list_item_get_position (item) == n - 1)
      {
        GtkWidget *row = gtk_list_item_get_child (item);

        return row_on_screen (view, row) ? row : NULL;
      }
  return NULL;
}

static guint
count_children (GtkWidget *widget)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n++;
  return n;
}

/* Pictures in the rows on screen: how many, and how many have their image. */
static void
count_pictures (TimchatConversationView *view, guint *shown, guint *loaded)
{
  GHashTableIter iter;
  gpointer item;

  *shown = *loaded = 0;
  g_hash_table_iter_init (&iter, view->list_items);
  while (g_hash_table_iter_next (&iter, &item, NULL))
    {
      GtkWidget *row = gtk_list_item_get_child (item);
      GtkWidget *picture;

      if (gtk_list_item_get_item (item) == NULL || !row_on_screen (view, row) ||
          (picture = find_picture (row)) == NULL)
        continue;
      (*shown)++;
      if (timchat_media_picture_get_paintable (TIMCHAT_MEDIA_PICTURE (picture)) != NULL)
        (*loaded)++;
    }
}

typedef struct
{
  gboolean done;
  gboolean ok;
  gboolean ready;
  GError *error;
} Login;

static void
on_login (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Login *login = user_data;

  login->ok = tim_client_login_finish (TIM_CLIENT (source), result, &login->error);
  login->done = TRUE;
}

static void
on_ready (TimClient *client, gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
}

/* A client of user on data_dir, logged in and ready (its sync done). */
static TimClient *
client_login (const char *url, guint64 sdkappid, const char *data_dir, const char *user,
              const char *usersig)
{
  TimClient *client = tim_client_new (url, sdkappid, data_dir);
  Login login = { 0 };
  gulong handler = g_signal_connect (client, "ready", G_CALLBACK (on_ready), &login.ready);

  tim_client_login_async (client, user, usersig, NULL, on_login, &login);
  iterate_until (&login.done, 10000);
  if (!login.ok)
    g_error ("app: login of %s: %s", user, login.error != NULL ? login.error->message : "timeout");
  if (!tim_client_get_is_ready (client))
    iterate_until (&login.ready, 10000);
  if (!tim_client_get_is_ready (client))
    g_error ("app: %s never became ready", user);
  g_signal_handler_disconnect (client, handler);
  return client;
}

static void
client_close (TimClient *client)
{
  tim_client_logout (client);
  g_object_unref (client);
}

static GtkWidget *
view_window (TimClient *client, TimchatConversationView **view_out, int width, int height)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *view = timchat_conversation_view_new (client);

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_set_child (GTK_WINDOW (window), view);
  gtk_window_present (GTK_WINDOW (window));
  wait_frames (window, 2, 3000);
  *view_out = TIMCHAT_CONVERSATION_VIEW (view);
  return window;
}

typedef struct
{
  GSubprocess *process;
  char *out;
  gboolean done;
  GError *error;
} Child;

static void
on_communicated (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Child *child = user_data;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &child->out, NULL,
                                        &child->error);
  child->done = TRUE;
}

/* Runs argv with the extra environment, its stdout read, its stderr ours; aborts after
 * timeout_s. Returns stdout; *wall_us from spawn to exit. */
static char *
run_child (const char *const *argv, const char *const *env, guint timeout_s, gint64 *wall_us)
{
  g_autoptr (GSubprocessLauncher) launcher =
      g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr (GError) error = NULL;
  Child child = { 0 };
  gint64 t0 = g_get_monotonic_time ();

  for (guint i = 0; env != NULL && env[i] != NULL; i += 2)
    g_subprocess_launcher_setenv (launcher, env[i], env[i + 1], TRUE);
  child.process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  if (child.process == NULL)
    g_error ("app: cannot run %s: %s", argv[0], error->message);
  g_subprocess_communicate_utf8_async (child.process, NULL, NULL, on_communicated, &child);
  iterate_until (&child.done, timeout_s * 1000);
  if (!child.done)
    {
      g_subprocess_force_exit (child.process);
      g_error ("app: %s %s did not finish within %u s", argv[0], argv[1] ? argv[1] : "", timeout_s);
    }
  if (child.error != NULL)
    g_error ("app: %s: %s", argv[0], child.error->message);
  g_subprocess_wait (child.process, NULL, NULL);
  if (wall_us != NULL)
    *wall_us = g_get_monotonic_time () - t0;
  if (!g_subprocess_get_if_exited (child.process) || g_subprocess_get_exit_status (child.process))
    g_error ("app: %s %s failed; its output: %s", argv[0], argv[1] ? argv[1] : "", child.out);
  g_object_unref (child.process);
  return child.out;
}

/* ---------------------------------------------------------------- data */

/* 20 distinct 640×480 PNGs, sent by zoe to yann (real uploads, the server makes the
 * thumbnails); the MsgBody of each as a receiver would get it. */
static GPtrArray *
upload_images (TimchatFixture *f, const char *base)
{
  g_autofree char *dir = g_build_filename (base, "images", NULL);
  g_autofree char *ws = timchat_fixture_ws_url (f);
  g_autofree char *usersig = timchat_fixture_usersig (f, "zoe", 86400);
  g_autofree char *zoe_dir = g_build_filename (base, "zoe", NULL);
  g_autofree char *yann_sig = timchat_fixture_usersig (f, "yann", 86400);
  g_autofree char *yann_dir = g_build_filename (base, "yann", NULL);
  TimClient *zoe = client_login (ws, timchat_fixture_get_sdkappid (f), zoe_dir, "zoe", usersig);
  GPtrArray *bodies = g_ptr_array_new_with_free_func ((GDestroyNotify) json_array_unref);
  gint64 t0 = g_get_monotonic_time ();

  /* The receiver's account exists once it has logged in. */
  client_close (client_login (ws, timchat_fixture_get_sdkappid (f), yann_dir, "yann", yann_sig));
  g_mkdir_with_parents (dir, 0700);
  for (guint i = 0; i < N_IMAGES; i++)
    {
      g_autoptr (GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 640, 480);
      g_autofree char *name = g_strdup_printf ("image-%02u.png", i);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autoptr (GFile) file = g_file_new_for_path (path);
      g_autoptr (GError) error = NULL;
      g_autoptr (TimMessage) message = NULL;
      guchar *pixels = gdk_pixbuf_get_pixels (pixbuf);
      int stride = gdk_pixbuf_get_rowstride (pixbuf);
      JsonArray *body;
      JsonObject *elem;

      /* A gradient with its own hue per image: distinct files, distinct URLs. */
      for (int y = 0; y < 480; y++)
        for (int x = 0; x < 640; x++)
          {
            guchar *p = pixels + y * stride + x * 3;

            p[0] = (x * 255 / 640 + i * 37) & 0xff;
            p[1] = (y * 255 / 480 + i * 71) & 0xff;
            p[2] = (i * 13) & 0xff;
          }
      if (!gdk_pixbuf_save (pixbuf, path, "png", &error, NULL))
        g_error ("app: %s", error->message);
      message = tim_client_create_image_message (zoe, "yann", TIM_CONV_C2C, file);
      if (!tim_test_send (zoe, message, &error))
        g_error ("app: image upload %u: %s", i, error->message);
      elem = tim_elem_from_payload (TIM_ELEM_IMAGE, tim_message_get_payload (message), &error);
      if (elem == NULL)
        g_error ("app: image %u: %s", i, error->message);
      body = json_array_new ();
      json_array_add_object_element (body, elem);
      g_ptr_array_add (bodies, body);
    }
  printf ("app setup: %d images of 640x480 uploaded in %.1f s\n", N_IMAGES,
          (g_get_monotonic_time () - t0) / 1e6);
  client_close (zoe);
  return bodies;
}

static void
fill_bob (TimClient *client, gpointer user_data)
{
  GPtrArray *image_bodies = user_data;

  bench_store_c2c (client, "alice", N_BIG, NULL);
  bench_store_c2c (client, "carol", N_SCROLL, image_bodies);
  bench_store_c2c (client, "dave", N_SCROLL, NULL);
  bench_store_c2c (client, "eve", N_SMALL, NULL);
  for (guint i = 1; i <= N_CONVERSATIONS - 4; i++)
    {
      g_autofree char *peer = g_strdup_printf ("user%03u", i);

      bench_store_c2c (client, peer, 1, NULL);
    }
}

/* ---------------------------------------------------------------- first frame */

static gint64
first_frame_run (const char *const *argv, gint64 *wall_us)
{
  static const char *const env[] = { "TIMCHAT_REPORT_FIRST_FRAME", "1",
                                     "TIMCHAT_QUIT_AFTER_FIRST_FRAME", "1", NULL };
  g_autofree char *out = run_child (argv, env, 30, wall_us);
  const char *line = strstr (out, "first-frame-ms ");
  double value;

  if (line == NULL || sscanf (line, "first-frame-ms %lf", &value) != 1)
    g_error ("app: no first-frame-ms from %s: %s", argv[0], out);
  return (gint64) (value * 1000);
}

static void
measure_first_frame (TimchatFixture *f, const char *data_dir)
{
  g_autofree char *timchat = g_strdup (g_getenv ("TIMCHAT_APP") ? g_getenv ("TIMCHAT_APP") : NULL);
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *ws = timchat_fixture_ws_url (f);
  g_autofree char *sdkappid =
      g_strdup_printf ("%" G_GUINT64_FORMAT, timchat_fixture_get_sdkappid (f));
  g_autofree char *usersig = timchat_fixture_usersig (f, "bob", 86400);
  g_autoptr (GArray) app = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GArray) bare = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GArray) app_wall = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GArray) bare_wall = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GArray) linked = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *bare_program = next_to_me ("bench-bare-window");
  double app_med, bare_med, ratio;

  if (timchat == NULL)
    timchat = next_to_me ("../src/app/timchat");
  {
    const char *app_argv[] = { timchat,  "--data-dir", data_dir, "--server",  ws,      "--sdkappid",
                               sdkappid, "--user",     "bob",    "--usersig", usersig, NULL };
    /* The baseline links GTK only. The same window in this program (which links all the app's
     * libraries) is printed beside it, so the cost of loading them shows. */
    const char *bare_argv[] = { bare_program, NULL };
    const char *linked_argv[] = { self, "--bare-window", NULL };

    /* Warm-up (fontconfig, icon theme and library caches), not counted. */
    first_frame_run (app_argv, NULL);
    first_frame_run (bare_argv, NULL);
    first_frame_run (linked_argv, NULL);
    for (guint i = 0; i < N_RUNS; i++)
      {
        gint64 wall, value;

        value = first_frame_run (app_argv, &wall);
        g_array_append_val (app, value);
        g_array_append_val (app_wall, wall);
        value = first_frame_run (bare_argv, &wall);
        g_array_append_val (bare, value);
        g_array_append_val (bare_wall, wall);
        value = first_frame_run (linked_argv, NULL);
        g_array_append_val (linked, value);
      }
  }
  app_med = median_ms (app);
  bare_med = median_ms (bare);
  ratio = app_med / bare_med;
  printf ("app first frame: timchat %.0f ms median, bare window %.0f ms, ratio %.2f (goal <= %.1f) "
          "%s\n",
          app_med, bare_med, ratio, GOAL_FIRST_FRAME_RATIO,
          ratio <= GOAL_FIRST_FRAME_RATIO ? "MET" : "MISSED");
  printf ("app first frame (%d runs each): timchat %.0f - %.0f ms, bare window %.0f - %.0f ms; "
          "spawn to exit (median) timchat %.0f ms, bare window %.0f ms\n",
          N_RUNS, ms (g_array_index (app, gint64, 0)), ms (bench_maximum (app)),
          ms (g_array_index (bare, gint64, 0)), ms (bench_maximum (bare)), median_ms (app_wall),
          median_ms (bare_wall));
  printf ("app first frame: the bare window in a process linking the app's libraries %.0f ms "
          "median\n",
          median_ms (linked));
  fflush (stdout);
}

/* ---------------------------------------------------------------- open */

typedef struct
{
  TimchatConversationView *view;
  gint64 t0;
  gint64 began;   /* the first frame after the request started (frame clock's before-paint) */
  gint64 shown;   /* first painted frame with the newest row on screen */
  gint64 settled; /* first painted frame after the view stopped pinning the bottom */
  guint frames;
  /* BENCH_APP_DEBUG: the request returned, the first frame's layout and paint ended (our
   * handlers run after GTK's own, connected first) */
  gint64 returned, laid_out, painted;
  gint64 changed; /* the first items-changed of the messages was handled (rows made and bound) */
} Open;

static void
open_items_changed (GListModel *model, guint position, guint removed, guint added, Open *open)
{
  if (open->changed == 0)
    open->changed = g_get_monotonic_time () - open->t0;
}

static void
open_layout (GdkFrameClock *clock, Open *open)
{
  if (open->laid_out == 0)
    open->laid_out = g_get_monotonic_time () - open->t0;
}

static void
open_paint (GdkFrameClock *clock, Open *open)
{
  if (open->painted == 0)
    open->painted = g_get_monotonic_time () - open->t0;
}

static void
open_before_paint (GdkFrameClock *clock, Open *open)
{
  if (open->began == 0)
    open->began = g_get_monotonic_time () - open->t0;
}

static void
open_after_paint (GdkFrameClock *clock, Open *open)
{
  gint64 now = g_get_monotonic_time ();

  open->frames++;
  if (open->shown == 0 && newest_row_on_screen (open->view) != NULL)
    open->shown = now - open->t0;
  if (g_getenv ("BENCH_APP_DEBUG") != NULL)
    g_printerr ("bench-app: open frame %u at %.1f ms: %u items, value %.0f upper %.0f, newest %s\n",
                open->frames, ms (now - open->t0),
                open->view->messages != NULL
                    ? g_list_model_get_n_items (G_LIST_MODEL (open->view->messages))
                    : 0,
                gtk_adjustment_get_value (open->view->vadjustment),
                gtk_adjustment_get_upper (open->view->vadjustment),
                newest_row_on_screen (open->view) != NULL ? "shown" : "not shown");
  if (open->shown != 0 && open->settled == 0 && open->view->opened && open->view->pin_tick == 0)
    open->settled = now - open->t0;
}

/* Runs the main loop for ms milliseconds without asking for a frame. */
static void
idle_for (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (200), TRUE);
}

/* Runs the main loop until the window has painted no frame for quiet_ms (at most 5 s). A new
 * window keeps painting for ~250 ms after it is shown (BENCH_APP_DEBUG counted 5 - 6 frames in
 * each of its first two 100 ms, none after), and a frame asked for while it paints waits for the
 * next refresh slot: up to 16.7 ms of the figure were that. */
static void
idle_until_quiet (GdkFrameClock *clock, guint quiet_ms)
{
  gulong counter = g_signal_connect (clock, "after-paint", G_CALLBACK (count_paint), NULL);
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  guint seen;

  do
    {
      seen = after_paints;
      idle_for (quiet_ms);
    }
  while (after_paints != seen && g_get_monotonic_time () < deadline);
  g_signal_handler_disconnect (clock, counter);
}

static void
open_run (const char *url, guint64 sdkappid, const char *data_dir, const char *usersig,
          const char *conversation_id, GArray *shown, GArray *settled, GArray *began, guint *frames)
{
  TimClient *client = client_login (url, sdkappid, data_dir, "bob", usersig);
  TimchatConversationView *view;
  GtkWidget *window = view_window (client, &view, WINDOW_WIDTH, WINDOW_HEIGHT);
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);
  Open open = { view };
  gint64 deadline;
  gulong handler, before_handler, layout_handler, paint_handler;
  gboolean debug = g_getenv ("BENCH_APP_DEBUG") != NULL;
  g_autoptr (GListModel) messages = NULL;

  /* A reader clicks a conversation in a window that has been idle: GDK starts that frame at
   * once. Opening right after the window's last frame would add up to a whole refresh interval
   * of frame pacing (16.7 ms: the first frame then begins ~15 ms after the request), and a new
   * window paints for ~250 ms (idle_until_quiet). */
  idle_until_quiet (clock, 100);
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (open_after_paint), &open);
  before_handler = g_signal_connect (clock, "before-paint", G_CALLBACK (open_before_paint), &open);
  layout_handler = g_signal_connect (clock, "layout", G_CALLBACK (open_layout), &open);
  paint_handler = g_signal_connect (clock, "paint", G_CALLBACK (open_paint), &open);
  open.t0 = g_get_monotonic_time ();
  timchat_conversation_view_set_conversation_id (view, conversation_id);
  open.returned = g_get_monotonic_time () - open.t0;
  if (debug && view->messages != NULL)
    {
      messages = g_object_ref (G_LIST_MODEL (view->messages));
      g_signal_connect_after (messages, "items-changed", G_CALLBACK (open_items_changed), &open);
    }
  deadline = open.t0 + 10 * G_USEC_PER_SEC;
  while (open.settled == 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (200), TRUE);
  g_signal_handler_disconnect (clock, handler);
  g_signal_handler_disconnect (clock, before_handler);
  g_signal_handler_disconnect (clock, layout_handler);
  g_signal_handler_disconnect (clock, paint_handler);
  if (messages != NULL)
    g_signal_handlers_disconnect_by_func (messages, open_items_changed, &open);
  /* The request's start on CLOCK_MONOTONIC, for `perf record -k mono` samples (--time). */
  if (debug)
    g_printerr ("bench-app: open %s at monotonic %.6f s: returned %.1f ms, frame began %.1f, "
                "laid out %.1f, painted %.1f, newest shown %.1f; rows made %.1f\n",
                conversation_id, open.t0 / 1e6, ms (open.returned), ms (open.began),
                ms (open.laid_out), ms (open.painted), ms (open.shown), ms (open.changed));
  if (open.shown == 0 || open.settled == 0)
    g_error ("app: %s did not show its newest message within 10 s", conversation_id);
  g_array_append_val (shown, open.shown);
  g_array_append_val (settled, open.settled);
  g_array_append_val (began, open.began);
  *frames += open.frames;
  gtk_window_destroy (GTK_WINDOW (window));
  client_close (client);
}

static void
measure_open (TimchatFixture *f, const char *data_dir)
{
  g_autofree char *ws = timchat_fixture_ws_url (f);
  g_autofree char *usersig = timchat_fixture_usersig (f, "bob", 86400);
  guint64 sdkappid = timchat_fixture_get_sdkappid (f);
  g_autoptr (GArray) big = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GArray) big_settled = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GArray) small = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GArray) small_settled = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GArray) began = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint big_frames = 0, small_frames = 0;
  double big_med, small_med;

  for (guint i = 0; i < N_RUNS; i++)
    {
      open_run (ws, sdkappid, data_dir, usersig, BIG, big, big_settled, began, &big_frames);
      open_run (ws, sdkappid, data_dir, usersig, SMALL, small, small_settled, began, &small_frames);
    }
  big_med = median_ms (big);
  small_med = median_ms (small);
  printf ("app open conversation: %d messages %.1f ms median (max %.1f), %d messages %.1f ms, "
          "ratio %.2f (goal <= %.0f ms) %s\n",
          N_BIG, big_med, ms (bench_maximum (big)), N_SMALL, small_med, big_med / small_med,
          GOAL_OPEN_MS, big_med <= GOAL_OPEN_MS ? "MET" : "MISSED");
  printf ("app open conversation: settled at the bottom (3 frames without the end moving) after "
          "%.1f ms (%d messages) and %.1f ms (%d messages), medians; %.1f and %.1f frames painted "
          "per open; the first frame began %.1f ms after the request (median, both sizes)\n",
          median_ms (big_settled), N_BIG, median_ms (small_settled), N_SMALL,
          (double) big_frames / N_RUNS, (double) small_frames / N_RUNS, median_ms (began));
  fflush (stdout);
}

/* ---------------------------------------------------------------- scroll (child) */

/* BENCH_APP_SCROLL_SECONDS shortens (or lengthens) the scroll, e.g. for a profiler run. */
static guint
scroll_seconds (void)
{
  const char *value = g_getenv ("BENCH_APP_SCROLL_SECONDS");

  return value != NULL && g_ascii_strtoull (value, NULL, 10) > 0
             ? (guint) g_ascii_strtoull (value, NULL, 10)
             : SCROLL_SECONDS;
}

/* Prints "scroll RSS0 RSS1 HWM1 STEPS MS ITEMS COMPLETED SHOWN LOADED" (KB, ms). */
static int
scroll_child (const char *data_dir, const char *url, const char *sdkappid, const char *usersig,
              const char *conversation_id)
{
  TimClient *client;
  TimchatConversationView *view;
  GtkWidget *window;
  gint64 rss0, rss1, t0, deadline;
  guint steps = 0, shown_total = 0, loaded_total = 0, shown, loaded, still = 0, last_items = 0;
  double last_value = -1;
  gboolean opened = FALSE;

  gtk_init ();
  adw_init ();
  load_app_style ();
  client = client_login (url, g_ascii_strtoull (sdkappid, NULL, 10), data_dir, "bob", usersig);
  window = view_window (client, &view, WINDOW_WIDTH, WINDOW_HEIGHT);
  timchat_conversation_view_set_conversation_id (view, conversation_id);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (!opened && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE) || (g_usleep (200), TRUE);
      opened = view->opened && view->pin_tick == 0;
    }
  if (!opened)
    g_error ("app scroll: %s did not open", conversation_id);
  /* The opened state: the newest page with its pictures loaded. */
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  do
    {
      wait_frames (window, 1, 100);
      count_pictures (view, &shown, &loaded);
    }
  while (loaded < shown && g_get_monotonic_time () < deadline);
  wait_frames (window, 10, 500);
  rss0 = bench_status_kb (0, "VmRSS:");

  t0 = g_get_monotonic_time ();
  deadline = t0 + scroll_seconds () * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < deadline)
    {
      GtkAdjustment *adj = view->vadjustment;
      double value = gtk_adjustment_get_value (adj);
      gint64 step_deadline;

      if (value <= 0 && !view->loading_older && tim_message_list_get_is_completed (view->messages))
        break;
      /* The view did not move for 50 steps: stop (reported as stuck by the parent). */
      if (value == last_value &&
          g_list_model_get_n_items (G_LIST_MODEL (view->messages)) == last_items)
        {
          if (++still >= 50)
            break;
        }
      else
        still = 0;
      last_value = value;
      last_items = g_list_model_get_n_items (G_LIST_MODEL (view->messages));
      /* As a reader's scroll: the view only leaves the bottom for the reader. */
      _timchat_conversation_view_note_reader_scroll (view);
      gtk_adjustment_set_value (
          adj, MAX (0, value - SCROLL_STEP_PAGES * gtk_adjustment_get_page_size (adj)));
      steps++;
      wait_frames (window, 1, 100);
      /* Let the pictures of this page load, as they would for a reader (bounded). */
      step_deadline = g_get_monotonic_time () + 250 * 1000;
      count_pictures (view, &shown, &loaded);
      while (loaded < shown && g_get_monotonic_time () < step_deadline)
        {
          wait_frames (window, 1, 20);
          count_pictures (view, &shown, &loaded);
        }
      shown_total += shown;
      loaded_total += loaded;
      if (g_getenv ("BENCH_APP_DEBUG") != NULL && steps % 20 == 0)
        g_printerr (
            "bench-app: scroll step %u: %.0f ms, %u items, value %.0f upper %.0f page %.0f, "
            "pictures %u/%u, frames %u, %u row widgets (%u bound), VmRSS %.1f MB\n",
            steps, ms (g_get_monotonic_time () - t0),
            g_list_model_get_n_items (G_LIST_MODEL (view->messages)),
            gtk_adjustment_get_value (adj), gtk_adjustment_get_upper (adj),
            gtk_adjustment_get_page_size (adj), loaded_total, shown_total, after_paints,
            count_children (GTK_WIDGET (view->list_view)), g_hash_table_size (view->list_items),
            bench_status_kb (0, "VmRSS:") / 1024.0);
    }
  wait_frames (window, 10, 500);
  rss1 = bench_status_kb (0, "VmRSS:");
  printf ("scroll %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT
          " %u %.0f %u %d %u %u\n",
          rss0, rss1, bench_status_kb (0, "VmHWM:"), steps, ms (g_get_monotonic_time () - t0),
          g_list_model_get_n_items (G_LIST_MODEL (view->messages)),
          tim_message_list_get_is_completed (view->messages), shown_total, loaded_total);
  gtk_window_destroy (GTK_WINDOW (window));
  client_close (client);
  return 0;
}

typedef struct
{
  gint64 rss0, rss1, hwm;
  guint steps, items, shown, loaded;
  double ms;
  int completed;
} Scroll;

static Scroll
scroll_run (TimchatFixture *f, const char *data_dir, const char *conversation_id)
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *ws = timchat_fixture_ws_url (f);
  g_autofree char *sdkappid =
      g_strdup_printf ("%" G_GUINT64_FORMAT, timchat_fixture_get_sdkappid (f));
  g_autofree char *usersig = timchat_fixture_usersig (f, "bob", 86400);
  const char *argv[] = { self,     "--scroll-child", data_dir,        ws,
                         sdkappid, usersig,          conversation_id, NULL };
  /* BENCH_APP_SCROLL_WRAPPER runs the child under a profiler ("heaptrack -o /tmp/scroll"). */
  const char *wrapper = g_getenv ("BENCH_APP_SCROLL_WRAPPER");
  g_auto (GStrv) wrapped = NULL;
  g_autofree char *out = NULL;
  const char *line;
  Scroll s = { 0 };

  if (wrapper != NULL && g_shell_parse_argv (wrapper, NULL, &wrapped, NULL))
    {
      GStrvBuilder *builder = g_strv_builder_new ();

      g_strv_builder_addv (builder, (const char **) wrapped);
      g_strv_builder_addv (builder, argv);
      g_strfreev (wrapped);
      wrapped = g_strv_builder_end (builder);
      g_strv_builder_unref (builder);
    }
  g_autofree char *seconds = g_strdup_printf (
      "%u", g_str_equal (conversation_id, IMAGES) ? SCROLL_IMAGES_SECONDS : SCROLL_SECONDS);
  const char *env[] = { "BENCH_APP_SCROLL_SECONDS", seconds, NULL };

  out = run_child (wrapped != NULL ? (const char *const *) wrapped : argv,
                   g_getenv ("BENCH_APP_SCROLL_SECONDS") == NULL ? env : NULL,
                   wrapped != NULL ? 900 : SCROLL_IMAGES_SECONDS + 80, NULL);
  line = strstr (out, "scroll ");

  if (line == NULL || sscanf (line,
                              "scroll %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT
                              " %u %lf %u %d %u %u",
                              &s.rss0, &s.rss1, &s.hwm, &s.steps, &s.ms, &s.items, &s.completed,
                              &s.shown, &s.loaded) != 9)
    g_error ("app: unexpected scroll child output: %s", out);
  return s;
}

static void
print_scroll_one (const char *what, Scroll s)
{
  printf ("app scroll %s: %u messages%s, VmRSS +%.1f MB (%.1f -> %.1f MB), VmHWM %.1f MB, %u steps "
          "in %.1f s, %u of %u pictures on screen loaded\n",
          what, s.items, s.completed ? " (all)" : " (cut at the time limit)",
          (s.rss1 - s.rss0) / 1024.0, s.rss0 / 1024.0, s.rss1 / 1024.0, s.hwm / 1024.0, s.steps,
          s.ms / 1000, s.loaded, s.shown);
  fflush (stdout);
}

/* --only scroll-images or scroll-texts runs one side (no ratio, no goal), e.g. under a profiler. */
static void
measure_scroll (TimchatFixture *f, const char *data_dir, gboolean with_images, gboolean with_texts)
{
  Scroll images, texts;

  if (!with_images || !with_texts)
    {
      if (with_images)
        print_scroll_one ("images", scroll_run (f, data_dir, IMAGES));
      if (with_texts)
        print_scroll_one ("texts", scroll_run (f, data_dir, TEXTS));
      return;
    }
  images = scroll_run (f, data_dir, IMAGES);
  texts = scroll_run (f, data_dir, TEXTS);
  if (images.items < 100 || texts.items < 100)
    {
      printf ("app scroll: NOT MEASURED: the view did not scroll (it stayed at the bottom with %u "
              "image / %u text messages loaded after %u / %u steps)\n",
              images.items, texts.items, images.steps, texts.steps);
      fflush (stdout);
      return;
    }
  double grow = (images.rss1 - images.rss0) / 1024.0;
  double base = (texts.rss1 - texts.rss0) / 1024.0;

  printf ("app scroll %u%s image / %u%s text messages: with images VmRSS +%.1f MB (%.1f -> %.1f "
          "MB), text +%.1f MB (%.1f -> %.1f MB), ratio %.2f (goal growth <= %.0f MB over %d) %s\n",
          images.items, images.completed ? " (all)" : " (cut at the time limit)", texts.items,
          texts.completed ? " (all)" : " (cut at the time limit)", grow, images.rss0 / 1024.0,
          images.rss1 / 1024.0, base, texts.rss0 / 1024.0, texts.rss1 / 1024.0,
          base > 0 ? grow / base : 0, GOAL_SCROLL_MB, N_SCROLL,
          grow <= GOAL_SCROLL_MB ? (images.completed ? "MET" : "MET so far") : "MISSED");
  printf ("app scroll: images %u steps in %.1f s, %u of %u pictures on screen loaded when the "
          "step moved on, VmHWM %.1f MB; text %u steps in %.1f s, VmHWM %.1f MB\n",
          images.steps, images.ms / 1000, images.loaded, images.shown, images.hwm / 1024.0,
          texts.steps, texts.ms / 1000, texts.hwm / 1024.0);
  fflush (stdout);
}

/* ---------------------------------------------------------------- paste */

/* Opaque RGB noise: PNG cannot compress it, so its PNG is ~3 bytes per pixel. */
static GdkTexture *
noise_texture (int width, int height, guint32 seed)
{
  gsize size = (gsize) width * height * 3;
  guchar *pixels = g_malloc (size);
  guint32 x = seed | 1;
  g_autoptr (GBytes) bytes = NULL;

  for (gsize i = 0; i < size; i++)
    {
      x ^= x << 13;
      x ^= x >> 17;
      x ^= x << 5;
      pixels[i] = x >> 24;
    }
  bytes = g_bytes_new_take (pixels, size);
  return gdk_memory_texture_new (width, height, GDK_MEMORY_R8G8B8, bytes, width * 3);
}

static TimchatPreviewSheet *
find_sheet (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GObject) window = g_list_model_get_item (toplevels, i);

      if (TIMCHAT_IS_PREVIEW_SHEET (window))
        return TIMCHAT_PREVIEW_SHEET (window);
    }
  return NULL;
}

typedef struct
{
  TimchatConversationView *view;
  guint before;
  gint64 visible;
} Arrival;

static void
arrival_after_paint (GdkFrameClock *clock, Arrival *arrival)
{
  TimMessageList *messages = arrival->view->messages;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (messages));
  g_autoptr (TimMessage) newest = NULL;
  GtkWidget *row, *picture;

  if (arrival->visible != 0 || n <= arrival->before)
    return;
  newest = g_list_model_get_item (G_LIST_MODEL (messages), n - 1);
  if (tim_message_get_elem_type (newest) != TIM_ELEM_IMAGE ||
      (row = newest_row_on_screen (arrival->view)) == NULL ||
      (picture = find_picture (row)) == NULL || !gtk_widget_get_mapped (picture) ||
      timchat_media_picture_get_paintable (TIMCHAT_MEDIA_PICTURE (picture)) == NULL)
    return;
  arrival->visible = g_get_monotonic_time ();
}

typedef struct
{
  gint64 sheet; /* paste -> the sheet painted */
  gint64 send;  /* Send -> bob painted the image */
  gint64 total; /* paste -> bob painted the image */
} Paste;

static Paste
paste_run (TimchatConversationView *alice_view, GtkWidget *bob_window,
           TimchatConversationView *bob_view, GdkTexture *texture)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (bob_window);
  Arrival arrival = { bob_view, g_list_model_get_n_items (G_LIST_MODEL (bob_view->messages)) };
  gulong handler =
      g_signal_connect (clock, "after-paint", G_CALLBACK (arrival_after_paint), &arrival);
  TimchatPreviewSheet *sheet;
  gint64 t0, shown, sent, deadline;
  Paste paste;

  t0 = g_get_monotonic_time ();
  timchat_conversation_view_preview_texture (alice_view, texture);
  sheet = find_sheet ();
  if (sheet == NULL)
    g_error ("app paste: no preview sheet");
  g_object_ref (sheet);
  wait_frames (GTK_WIDGET (sheet), 1, 5000);
  shown = g_get_monotonic_time ();
  timchat_preview_sheet_respond (sheet, TRUE);
  sent = g_get_monotonic_time ();
  g_object_unref (sheet);
  deadline = sent + 20 * G_USEC_PER_SEC;
  while (arrival.visible == 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (200), TRUE);
  g_signal_handler_disconnect (clock, handler);
  if (arrival.visible == 0)
    g_error ("app paste: the image did not show at bob's within 20 s");
  paste.sheet = shown - t0;
  paste.send = arrival.visible - sent;
  paste.total = arrival.visible - t0;
  /* Both views back to rest before the next run. */
  wait_frames (bob_window, 5, 500);
  return paste;
}

static void
measure_paste (TimchatFixture *f, const char *base)
{
  g_autofree char *dir = g_build_filename (base, "paste", NULL);
  g_autofree char *ws = timchat_fixture_ws_url (f);
  g_autofree char *alice_sig = timchat_fixture_usersig (f, "alice", 86400);
  g_autofree char *bob_sig = timchat_fixture_usersig (f, "bob", 86400);
  guint64 sdkappid = timchat_fixture_get_sdkappid (f);
  g_autofree char *alice_dir = g_build_filename (dir, "alice", NULL);
  g_autofree char *bob_dir = g_build_filename (dir, "bob", NULL);
  TimClient *alice = client_login (ws, sdkappid, alice_dir, "alice", alice_sig);
  TimClient *bob = client_login (ws, sdkappid, bob_dir, "bob", bob_sig);
  TimchatConversationView *alice_view, *bob_view;
  GtkWidget *alice_window = view_window (alice, &alice_view, 640, 480);
  GtkWidget *bob_window = view_window (bob, &bob_view, 640, 480);
  struct
  {
    int width, height;
    GArray *total, *sheet, *send;
    gsize png;
  } sizes[2] = { { 1320, 1320 }, { 58, 58 } };

  timchat_conversation_view_set_conversation_id (alice_view, "C2Cbob");
  timchat_conversation_view_set_conversation_id (bob_view, "C2Calice");
  wait_frames (alice_window, 10, 2000);
  wait_frames (bob_window, 10, 2000);
  for (guint s = 0; s < 2; s++)
    {
      g_autoptr (GdkTexture) probe = noise_texture (sizes[s].width, sizes[s].height, 7);
      g_autoptr (GBytes) png = gdk_texture_save_to_png_bytes (probe);

      sizes[s].png = g_bytes_get_size (png);
      sizes[s].total = g_array_new (FALSE, FALSE, sizeof (gint64));
      sizes[s].sheet = g_array_new (FALSE, FALSE, sizeof (gint64));
      sizes[s].send = g_array_new (FALSE, FALSE, sizeof (gint64));
    }
  for (guint i = 0; i < N_PASTE_RUNS; i++)
    for (guint s = 0; s < 2; s++)
      {
        g_autoptr (GdkTexture) texture =
            noise_texture (sizes[s].width, sizes[s].height, 1000 + i * 2 + s);
        Paste paste = paste_run (alice_view, bob_window, bob_view, texture);

        g_array_append_val (sizes[s].total, paste.total);
        g_array_append_val (sizes[s].sheet, paste.sheet);
        g_array_append_val (sizes[s].send, paste.send);
      }
  {
    double big = median_ms (sizes[0].total), small = median_ms (sizes[1].total);

    printf ("app paste to visible: %.1f MB PNG (%dx%d) %.0f ms median (max %.0f), %.0f KB PNG "
            "%.0f ms, ratio %.2f (goal <= %.0f ms) %s\n",
            sizes[0].png / 1e6, sizes[0].width, sizes[0].height, big,
            ms (bench_maximum (sizes[0].total)), sizes[1].png / 1e3, small, big / small,
            GOAL_PASTE_MS, big <= GOAL_PASTE_MS ? "MET" : "MISSED");
    printf ("app paste to visible (%d runs, medians): paste -> sheet painted %.0f / %.0f ms, "
            "Send -> painted at bob's %.0f / %.0f ms (big / small)\n",
            N_PASTE_RUNS, median_ms (sizes[0].sheet), median_ms (sizes[1].sheet),
            median_ms (sizes[0].send), median_ms (sizes[1].send));
  }
  fflush (stdout);
  for (guint s = 0; s < 2; s++)
    {
      g_array_unref (sizes[s].total);
      g_array_unref (sizes[s].sheet);
      g_array_unref (sizes[s].send);
    }
  gtk_window_destroy (GTK_WINDOW (alice_window));
  gtk_window_destroy (GTK_WINDOW (bob_window));
  client_close (alice);
  client_close (bob);
}

/* ---------------------------------------------------------------- main */

/* --only PART[,PART]: the parts to measure (all without it), to iterate on one figure. */
static gboolean
wanted (GStrv only, const char *part)
{
  return only == NULL || g_strv_contains ((const char *const *) only, part);
}

int
main (int argc, char *argv[])
{
  TimchatFixture *f;
  g_autofree char *base = NULL;
  g_autofree char *data_dir = NULL;
  g_autoptr (GPtrArray) image_bodies = NULL;
  g_auto (GStrv) only = NULL;
  gint64 t0 = g_get_monotonic_time ();
  double seconds;

  if (argc == 2 && g_str_equal (argv[1], "--bare-window"))
    return bench_bare_window ();
  ensure_schema_dir ();
  if (argc == 7 && g_str_equal (argv[1], "--scroll-child"))
    return scroll_child (argv[2], argv[3], argv[4], argv[5], argv[6]);
  if (argc == 3 && g_str_equal (argv[1], "--only"))
    only = g_strsplit (argv[2], ",", -1);
  else if (argc != 1)
    {
      g_printerr ("usage: %s [--only first-frame,open,scroll,scroll-images,scroll-texts,paste]\n",
                  argv[0]);
      return 2;
    }
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_printerr ("bench-app needs a display: tests/run-headless.sh %s\n", argv[0]);
      return 2;
    }

  bench_ensure_server_env ();
  f = timchat_fixture_new (NULL);
  base = tim_test_make_dir ();
  data_dir = g_build_filename (base, "bob-data", NULL);

  image_bodies = upload_images (f, base);
  seconds = bench_store_prepare (data_dir, timchat_fixture_get_sdkappid (f), "bob", fill_bob,
                                 image_bodies);
  printf ("app setup: bob's store holds %d conversations: %d messages in %s, %d image messages "
          "in %s, %d text messages in %s, %d in %s; written in %.1f s\n",
          N_CONVERSATIONS, N_BIG, BIG, N_SCROLL, IMAGES, N_SCROLL, TEXTS, N_SMALL, SMALL, seconds);
  fflush (stdout);

  if (wanted (only, "first-frame"))
    measure_first_frame (f, data_dir);

  gtk_init ();
  adw_init ();
  load_app_style ();
  if (wanted (only, "open"))
    measure_open (f, data_dir);
  if (wanted (only, "scroll") || wanted (only, "scroll-images") || wanted (only, "scroll-texts"))
    measure_scroll (f, data_dir, wanted (only, "scroll") || wanted (only, "scroll-images"),
                    wanted (only, "scroll") || wanted (only, "scroll-texts"));
  if (wanted (only, "paste"))
    measure_paste (f, base);

  tim_test_remove_dir (base);
  timchat_fixture_free (f);
  printf ("app: done in %.0f s\n", (g_get_monotonic_time () - t0) / 1e6);
  return 0;
}
