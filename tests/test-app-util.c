/* test-app-util.c: helpers of the GTK widget tests (see test-app-util.h). */
#define G_LOG_DOMAIN "test-app-util"

#include "config.h"

#include <time.h>

#include <dlfcn.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <gdk/x11/gdkx.h>

#include "test-app-util.h"
#include "tim-test-util.h"
#include "timchat-composer.h"
#include "timchat-conversation-row.h"
#include "timchat-forward-dialog.h"
#include "timchat-conversation-view.h"
#include "timchat-resources.h"
#include "timchat-window.h"

void
test_app_init (int *argc, char ***argv, gboolean with_css)
{
  /* The local time zone is one where it is now about noon: the tests' messages of the last hour
   * are "Today" whatever hour the tests run at (a run at 00:01 saw "Yesterday" over a message
   * of 23:59). The clock is not moved; only how it reads. POSIX TZ counts west of UTC. */
  {
    g_autoptr (GDateTime) utc = g_date_time_new_now_utc ();
    g_autofree char *zone = g_strdup_printf ("NOON%+d", g_date_time_get_hour (utc) - 12);

    g_setenv ("TZ", zone, TRUE);
    tzset ();
  }
  gtk_test_init (argc, argv, NULL);
  adw_init ();
  /* The main thread owns the default main context for the whole test, as the app's
   * g_application_run () does for its whole run. The tests iterate it one iteration at a time,
   * which releases it in between; then GTK 4.8's GStreamer sink, whose streaming thread hands
   * frames over with g_main_context_invoke_full (), could take the free context and emit GTK
   * signals on its own thread while the main thread was in GTK too (XSync): a crash now and then
   * in test-app-playback. Owned here, its calls wait for the main thread, as they do in the app. */
  g_main_context_acquire (g_main_context_default ());
  /* Xvfb has no window manager to move the input focus to a dialog over a window: text typed into
   * the dialog would blink a cursor GTK knows is not focused, and say so (a warning, fatal in
   * tests). A desktop's window manager gives the dialog the focus. */
  g_object_set (gtk_settings_get_default (), "gtk-cursor-blink", FALSE, NULL);
  if (with_css)
    {
      g_autoptr (GtkCssProvider) css = gtk_css_provider_new ();

      timchat_ensure_resources ();
      gtk_css_provider_load_from_resource (css, "/org/example/TimChat/style.css");
      gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                  GTK_STYLE_PROVIDER (css),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
    }
}

int
test_app_run (TimchatFixture *fixture, char *base_dir)
{
  int status = g_test_run ();

  if (base_dir != NULL)
    tim_test_remove_dir (base_dir);
  g_clear_pointer (&fixture, timchat_fixture_free);
  return status;
}

void
test_app_iterate (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
}

GtkWidget *
test_app_show (GtkWidget *content)
{
  GtkWidget *window = gtk_window_new ();

  gtk_window_set_child (GTK_WINDOW (window), content);
  gtk_window_present (GTK_WINDOW (window));
  return content;
}

static void
count_paint (GdkFrameClock *clock, guint *paints)
{
  (*paints)++;
}

void
test_app_wait_frame (GtkWidget *widget)
{
  gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  GdkFrameClock *clock;
  guint paints = 0;
  gulong handler;

  while (gtk_widget_get_frame_clock (widget) == NULL && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
  clock = gtk_widget_get_frame_clock (widget);
  g_assert_nonnull (clock);
  /* A frame lays out what changed before it paints: after its paint, sizes and positions are
   * those of the change, however long the machine took to get there. */
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (count_paint), &paints);
  gtk_widget_queue_draw (widget);
  while (paints == 0 && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, paints == 0);
  g_signal_handler_disconnect (clock, handler);
  g_assert_cmpuint (paints, >, 0);
}

/* The access key of label (lower case), or 0 when it has none ("__" is an underscore). */
static gunichar
access_key (const char *label)
{
  for (const char *p = label; *p != '\0'; p++)
    {
      if (*p != '_')
        continue;
      if (p[1] == '_')
        {
          p++;
          continue;
        }
      return p[1] != '\0' ? g_unichar_tolower (g_utf8_get_char (p + 1)) : 0;
    }
  return 0;
}

/* Adds the access keys of menu's items (key -> label) to keys, its sections' too; checks each
 * submenu as a menu of its own. */
static void
collect_access_keys (GMenuModel *menu, GHashTable *keys)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autoptr (GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);
      g_autoptr (GMenuModel) submenu = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SUBMENU);
      g_autofree char *label = NULL;
      gunichar key;

      if (section != NULL)
        collect_access_keys (section, keys);
      if (submenu != NULL)
        test_app_assert_access_keys_unique (submenu);
      if (!g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_LABEL, "s", &label) ||
          (key = access_key (label)) == 0)
        continue;
      if (g_hash_table_contains (keys, GUINT_TO_POINTER (key)))
        g_error ("“%s” and “%s” have the same access key",
                 (const char *) g_hash_table_lookup (keys, GUINT_TO_POINTER (key)), label);
      g_hash_table_insert (keys, GUINT_TO_POINTER (key), g_steal_pointer (&label));
    }
}

void
test_app_assert_access_keys_unique (GMenuModel *menu)
{
  g_autoptr (GHashTable) keys = g_hash_table_new_full (NULL, NULL, NULL, g_free);

  collect_access_keys (menu, keys);
}

void
test_app_close (GtkWidget *widget)
{
  gtk_window_destroy (GTK_WINDOW (gtk_widget_get_root (widget)));
  test_app_iterate (50);
}

GtkWidget *
test_app_find_widget (GtkWidget *root, gboolean (*match) (GtkWidget *, gconstpointer),
                      gconstpointer data)
{
  if (match (root, data))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = test_app_find_widget (child, match, data);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The toplevels of type that pass also (any when NULL): how many, and the first. */
static guint
matching_toplevels (GType type, gboolean (*also) (GtkWidget *), GtkWindow **first)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint count = 0;

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (!G_TYPE_CHECK_INSTANCE_TYPE (toplevel, type) ||
          (also != NULL && !also (GTK_WIDGET (toplevel))))
        continue;
      if (count++ == 0 && first != NULL)
        *first = toplevel; /* the list of toplevels keeps it */
    }
  return count;
}

GtkWindow *
test_app_find_toplevel (GType type, gboolean (*also) (GtkWidget *))
{
  GtkWindow *first = NULL;

  matching_toplevels (type, also, &first);
  return first;
}

guint
test_app_count_toplevels (GType type, gboolean (*also) (GtkWidget *))
{
  return matching_toplevels (type, also, NULL);
}

gboolean
test_app_has_type (GtkWidget *widget, gconstpointer type)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, GPOINTER_TO_SIZE (type));
}

gboolean
test_app_has_tooltip (GtkWidget *widget, gconstpointer tooltip)
{
  return g_strcmp0 (gtk_widget_get_tooltip_text (widget), tooltip) == 0;
}

gboolean
test_app_has_action (GtkWidget *widget, gconstpointer action)
{
  return GTK_IS_BUTTON (widget) &&
         g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0;
}

gboolean
test_app_has_button_label (GtkWidget *widget, gconstpointer label)
{
  return GTK_IS_BUTTON (widget) &&
         g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0;
}

gboolean
test_app_has_text (GtkWidget *widget, gconstpointer text)
{
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0;
}

GdkTexture *
test_app_render (GtkWidget *widget)
{
  g_autoptr (GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  g_autoptr (GskRenderNode) node = NULL;
  int width, height;

  /* Until the widget has been allocated and drawn once, its paintable draws nothing: on a loaded
   * machine that can take more frames than a test waited for. */
  for (;;)
    {
      GtkSnapshot *snapshot = gtk_snapshot_new ();

      width = gtk_widget_get_width (widget);
      height = gtk_widget_get_height (widget);
      gdk_paintable_snapshot (paintable, snapshot, width, height);
      node = gtk_snapshot_free_to_node (snapshot);
      if ((node != NULL && width > 0 && height > 0) || g_get_monotonic_time () > deadline)
        break;
      g_clear_pointer (&node, gsk_render_node_unref);
      g_main_context_iteration (NULL, FALSE) || (g_usleep (1000), TRUE);
    }
  g_assert_nonnull (node);
  return gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)),
                                      node, &GRAPHENE_RECT_INIT (0, 0, width, height));
}

void
test_app_screenshot (GtkWidget *widget, const char *name)
{
  const char *dir = g_getenv ("TIMCHAT_SCREENSHOT_DIR");
  g_autofree char *path = NULL;
  g_autoptr (GdkTexture) texture = NULL;

  if (dir == NULL)
    return;
  timchat_test_spin (400);
  texture = test_app_render (widget);
  path = g_build_filename (dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

GFile *
test_app_write_png (const char *dir, const char *name, int width, int height)
{
  g_autoptr (GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr (GError) error = NULL;

  gdk_pixbuf_fill (pixbuf, 0x3584e4ff);
  g_assert_true (gdk_pixbuf_save (pixbuf, path, "png", &error, NULL));
  return g_file_new_for_path (path);
}

static GtkWindow *
message_dialog (void)
{
  return test_app_find_toplevel (ADW_TYPE_MESSAGE_DIALOG, gtk_widget_get_mapped);
}

static gboolean
message_dialog_shown (gpointer data)
{
  return message_dialog () != NULL;
}

AdwMessageDialog *
test_app_wait_message_dialog (void)
{
  g_assert_true (tim_test_wait_until (message_dialog_shown, NULL, 5000));
  return ADW_MESSAGE_DIALOG (message_dialog ());
}

void
test_app_answer_dialog (const char *response, const char *const *entries)
{
  GtkWindow *dialog;

  g_assert_true (tim_test_wait_until (message_dialog_shown, NULL, 5000));
  dialog = message_dialog ();
  for (guint i = 0; entries != NULL && entries[i] != NULL; i += 2)
    gtk_editable_set_text (GTK_EDITABLE (g_object_get_data (G_OBJECT (dialog), entries[i])),
                           entries[i + 1]);
  /* Kept alive while it answers, as a click on its button does: what the answer does may close
   * it already (Log Out closes what is open over the window). */
  g_object_ref (dialog);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), response);
  gtk_window_destroy (dialog);
  g_object_unref (dialog);
}

gboolean
test_app_is_mapped (GtkWidget *widget)
{
  return gtk_widget_get_mapped (widget);
}

static gboolean
chooser_shown (gpointer data)
{
  return test_app_find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG, test_app_is_mapped) != NULL;
}

static gboolean
chooser_has_file (gpointer chooser)
{
  g_autoptr (GFile) file = gtk_file_chooser_get_file (chooser);

  return file != NULL;
}

void
test_app_choose_file (GFile *file)
{
  GtkWindow *chooser;
  g_autoptr (GError) error = NULL;

  g_assert_true (tim_test_wait_until (chooser_shown, NULL, 5000));
  chooser = test_app_find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG, test_app_is_mapped);
  g_assert_true (gtk_file_chooser_set_file (GTK_FILE_CHOOSER (chooser), file, &error));
  g_assert_no_error (error);
  /* The chooser selects it once it has read the folder. */
  g_assert_true (tim_test_wait_until (chooser_has_file, chooser, 5000));
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_ACCEPT);
}

typedef struct
{
  GtkWidget *root;
  const char *text;
} TextUnder;

static gboolean
text_shows (gpointer data)
{
  TextUnder *under = data;

  return test_app_find_widget (under->root, test_app_has_text, under->text) != NULL;
}

gboolean
test_app_avatar_has_picture (GtkWidget *widget, gconstpointer unused)
{
  return ADW_IS_AVATAR (widget) && adw_avatar_get_custom_image (ADW_AVATAR (widget)) != NULL;
}

gboolean
test_app_shows_avatar_picture (gpointer root)
{
  return test_app_find_widget (root, test_app_avatar_has_picture, NULL) != NULL;
}

gboolean
test_app_wait_text (GtkWidget *root, const char *text, guint timeout_ms)
{
  TextUnder under = { root, text };

  return tim_test_wait_until (text_shows, &under, timeout_ms);
}

GSubprocess *
test_app_start_notification_daemon (GDBusConnection *bus, const char *dir, const char *config)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, "dunstrc", NULL);
  GSubprocess *daemon;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  g_assert_true (g_file_set_contents (path, config, -1, NULL));
  daemon = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                             &error, "dunst", "-config", path, NULL);
  g_assert_no_error (error);
  while (g_get_monotonic_time () < deadline)
    {
      g_autoptr (GVariant) owned = g_dbus_connection_call_sync (
          bus, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
          "NameHasOwner", g_variant_new ("(s)", "org.freedesktop.Notifications"),
          G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
      gboolean has_owner = FALSE;

      g_assert_no_error (error);
      g_variant_get (owned, "(b)", &has_owner);
      if (has_owner)
        return daemon;
      g_usleep (50 * 1000);
    }
  g_error ("dunst did not take org.freedesktop.Notifications");
}

gboolean
test_app_window_ready (gpointer window)
{
  TimClient *client = timchat_window_get_client (window);

  return client != NULL && tim_client_get_is_ready (client);
}

gboolean
test_app_is_conversation_row (GtkWidget *widget, gconstpointer conversation_id)
{
  TimConversation *conversation;

  if (!TIMCHAT_IS_CONVERSATION_ROW (widget))
    return FALSE;
  conversation = timchat_conversation_row_get_conversation (TIMCHAT_CONVERSATION_ROW (widget));
  return conversation != NULL &&
         g_strcmp0 (tim_conversation_get_id (conversation), conversation_id) == 0;
}

typedef struct
{
  GdkTexture *texture;
  gboolean done;
} ClipboardRead;

static void
on_texture_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  ClipboardRead *read = user_data;

  read->texture = gdk_clipboard_read_texture_finish (GDK_CLIPBOARD (source), result, NULL);
  read->done = TRUE;
}

GdkTexture *
test_app_read_clipboard_texture (GtkWidget *widget)
{
  ClipboardRead read = { 0 };

  gdk_clipboard_read_texture_async (gtk_widget_get_clipboard (widget), NULL, on_texture_read,
                                    &read);
  g_assert_true (tim_test_wait_flag (&read.done, 5000));
  return read.texture;
}

TimchatWindow *
test_app_logged_in_window (TimchatFixture *fixture, const char *base_dir, const char *user,
                           const char *nick)
{
  g_autofree char *ws = timchat_fixture_ws_url (fixture);
  g_autofree char *usersig = timchat_fixture_usersig (fixture, user, 3600);
  g_autofree char *account = g_strdup_printf ("%s-test", user);
  TimchatWindow *window;

  timchat_test_import_account (fixture, user, nick);
  window = timchat_window_new (NULL, account, base_dir);
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 640);
  gtk_window_present (GTK_WINDOW (window));
  timchat_window_login (window, ws, timchat_fixture_get_sdkappid (fixture), user, usersig, FALSE);
  g_assert_true (tim_test_wait_until (test_app_window_ready, window, 10000));
  return window;
}

gboolean
test_app_has_conversation (TimchatWindow *window, const char *conversation_id)
{
  return tim_conversation_list_lookup (
             tim_client_get_conversations (timchat_window_get_client (window)), conversation_id) !=
         NULL;
}

static gboolean
has_wanted_conversation (gpointer window)
{
  return test_app_has_conversation (window, g_object_get_data (G_OBJECT (window), "want"));
}

void
test_app_wait_conversation (TimchatWindow *window, const char *conversation_id)
{
  g_object_set_data_full (G_OBJECT (window), "want", g_strdup (conversation_id), g_free);
  g_assert_true (tim_test_wait_until (has_wanted_conversation, window, 10000));
}

GtkWidget *
test_app_conversation_view (TimchatWindow *window)
{
  return test_app_find_widget (GTK_WIDGET (window), test_app_has_type,
                               GSIZE_TO_POINTER (TIMCHAT_TYPE_CONVERSATION_VIEW));
}

GtkWidget *
test_app_composer (GtkWidget *root)
{
  return test_app_find_widget (root, test_app_has_type, GSIZE_TO_POINTER (TIMCHAT_TYPE_COMPOSER));
}

GtkWindow *
test_app_forward_dialog (void)
{
  return test_app_find_toplevel (TIMCHAT_TYPE_FORWARD_DIALOG, test_app_is_mapped);
}

gboolean
test_app_forward_dialog_shown (gpointer unused)
{
  return test_app_forward_dialog () != NULL;
}

gboolean
test_app_menu_offers (GMenuModel *menu, const char *action)
{
  static const char *const links[] = { G_MENU_LINK_SECTION, G_MENU_LINK_SUBMENU };

  for (int i = 0; menu != NULL && i < g_menu_model_get_n_items (menu); i++)
    {
      g_autofree char *name = NULL;

      if (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_ACTION, "s", &name) &&
          g_str_equal (name, action))
        return TRUE;
      for (guint j = 0; j < G_N_ELEMENTS (links); j++)
        {
          g_autoptr (GMenuModel) linked = g_menu_model_get_item_link (menu, i, links[j]);

          if (test_app_menu_offers (linked, action))
            return TRUE;
        }
    }
  return FALSE;
}

/* ---------------------------------------------------------------- real key presses */

static gboolean
window_is_active (gpointer window)
{
  return gtk_window_is_active (window);
}

static guint
keycode_of (GdkDisplay *display, guint keyval)
{
  g_autofree GdkKeymapKey *keys = NULL;
  int n_keys = 0;

  g_assert_true (gdk_display_map_keyval (display, keyval, &keys, &n_keys));
  g_assert_cmpint (n_keys, >, 0);
  return keys[0].keycode;
}

void
test_app_press_key (GtkWidget *widget, guint keyval, GdkModifierType mods)
{
  /* libXtst without its headers (not a build dependency): the one function used. */
  typedef int (*FakeKeyEvent) (Display *, unsigned int, int, unsigned long);
  static FakeKeyEvent fake_key_event;
  GtkRoot *root = gtk_widget_get_root (widget);
  GdkDisplay *display = gtk_widget_get_display (widget);
  Display *xdisplay;
  guint shift = 0, key;

  g_assert_true (GDK_IS_X11_DISPLAY (display));
  if (fake_key_event == NULL)
    {
      void *xtst = dlopen ("libXtst.so.6", RTLD_NOW | RTLD_GLOBAL);

      g_assert_nonnull (xtst);
      fake_key_event = (FakeKeyEvent) dlsym (xtst, "XTestFakeKeyEvent");
      g_assert_nonnull (fake_key_event);
    }
  /* Without a window manager nothing gives the window the input focus: GDK sets it itself. */
  gdk_toplevel_focus (GDK_TOPLEVEL (gtk_native_get_surface (GTK_NATIVE (root))), GDK_CURRENT_TIME);
  g_assert_true (tim_test_wait_until (window_is_active, root, 5000));
  xdisplay = gdk_x11_display_get_xdisplay (display);
  key = keycode_of (display, keyval);
  if (mods & GDK_SHIFT_MASK)
    shift = keycode_of (display, GDK_KEY_Shift_L);
  g_assert_true ((mods & ~GDK_SHIFT_MASK) == 0);
  if (shift != 0)
    fake_key_event (xdisplay, shift, TRUE, 0);
  fake_key_event (xdisplay, key, TRUE, 0);
  fake_key_event (xdisplay, key, FALSE, 0);
  if (shift != 0)
    fake_key_event (xdisplay, shift, FALSE, 0);
  gdk_display_flush (display);
  /* The X server sends the events back: handled once they are read. */
  test_app_iterate (200);
}
