/* test-app-accessibility.c: every window and dialog the app opens, logged in against the real
 * server, walked widget by widget: a button that shows no words (an icon, a picture) has a
 * tooltip for whom sees it and an accessible name for a screen reader, whether the app made it or
 * libadwaita made it for the app (a toast's close button). Only what is on screen is judged: a
 * hidden button may get its words when it shows. */
#define G_LOG_DOMAIN "test-app-accessibility"

#include "config.h"

#include <adwaita.h>

#include "test-app-util.h"
#include "tim-test-util.h"
#include "timchat-conversation-view.h"
#include "timchat-group-dialog.h"
#include "timchat-window.h"

static TimchatFixture *fixture;
static char *base_dir;

/* ---- the walker ------------------------------------------------------------------------- */

/* Words on screen inside widget: a label with text, not the initials of an avatar (a picture). */
static gboolean
shows_words (GtkWidget *widget)
{
  if (!gtk_widget_get_mapped (widget) || ADW_IS_AVATAR (widget))
    return FALSE;
  if (GTK_IS_LABEL (widget))
    {
      g_autofree char *text = g_strstrip (g_strdup (gtk_label_get_text (GTK_LABEL (widget))));

      return *text != '\0';
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (shows_words (child))
      return TRUE;
  return FALSE;
}

static gboolean
has_tooltip (GtkWidget *widget)
{
  const char *tooltip = gtk_widget_get_tooltip_text (widget);

  return tooltip != NULL && *tooltip != '\0';
}

/* A name for a screen reader: its own label, or another widget's. */
static gboolean
has_accessible_name (GtkWidget *widget)
{
  return gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL);
}

/* A GtkMenuButton is judged as a whole, not the toggle button inside it. */
static gboolean
is_button (GtkWidget *widget)
{
  GtkWidget *parent = gtk_widget_get_parent (widget);

  if (GTK_IS_MENU_BUTTON (widget))
    return TRUE;
  return GTK_IS_BUTTON (widget) && !(parent != NULL && GTK_IS_MENU_BUTTON (parent));
}

/* The buttons GTK and libadwaita make, named for screen readers, that go without a tooltip in
 * every GNOME app: a window's Minimize, Maximize and Close, a toast's close button. */
static gboolean
made_by_toolkit (GtkWidget *widget)
{
  GtkWidget *parent = gtk_widget_get_parent (widget);

  return GTK_IS_WINDOW_CONTROLS (parent) ||
         g_str_equal (G_OBJECT_TYPE_NAME (parent), "AdwToastWidget");
}

static void
describe (GString *problems, const char *where, GtkWidget *widget, const char *what)
{
  const char *icon = GTK_IS_BUTTON (widget) ? gtk_button_get_icon_name (GTK_BUTTON (widget))
                     : GTK_IS_MENU_BUTTON (widget)
                         ? gtk_menu_button_get_icon_name (GTK_MENU_BUTTON (widget))
                         : NULL;
  const char *action =
      GTK_IS_ACTIONABLE (widget) ? gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)) : NULL;

  g_string_append_printf (problems, "\n  %s: %s (icon %s, action %s, in %s) has no %s", where,
                          G_OBJECT_TYPE_NAME (widget), icon != NULL ? icon : "none",
                          action != NULL ? action : "none",
                          G_OBJECT_TYPE_NAME (gtk_widget_get_parent (widget)), what);
  for (GtkWidget *up = gtk_widget_get_parent (gtk_widget_get_parent (widget)); up != NULL;
       up = gtk_widget_get_parent (up))
    g_string_append_printf (problems, " < %s", G_OBJECT_TYPE_NAME (up));
}

/* How many buttons without words a walk judged: it must have seen some. */
static guint judged;

static void
walk (GtkWidget *widget, const char *where, GString *problems)
{
  /* Not on screen: hidden, or not laid out yet (a view switcher in a window just shown). */
  if (!gtk_widget_get_mapped (widget) || gtk_widget_get_width (widget) == 0 ||
      gtk_widget_get_height (widget) == 0)
    return;
  if (is_button (widget) && !shows_words (widget))
    {
      judged++;
      if (!has_tooltip (widget) && !made_by_toolkit (widget))
        describe (problems, where, widget, "tooltip");
      if (!has_accessible_name (widget))
        describe (problems, where, widget, "accessible name");
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    walk (child, where, problems);
}

/* Every window on screen, walked; where names them in what it reports. */
static void
walk_windows (const char *where, GString *problems)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  judged = 0;
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GtkWidget) window = g_list_model_get_item (toplevels, i);

      walk (window, where, problems);
    }
  g_test_message ("%s: %u buttons without words", where, judged);
  g_assert_cmpuint (judged, >, 0);
}

static void
assert_no_problems (GString *problems)
{
  if (problems->len > 0)
    g_test_fail_printf ("Buttons without words that are not named:%s", problems->str);
}

/* ---- what the app shows ----------------------------------------------------------------- */

static gboolean
dialog_of_type_shown (gpointer type)
{
  return test_app_find_toplevel (GPOINTER_TO_SIZE (type), test_app_is_mapped) != NULL;
}

/* Sends message (taken) from from and returns its ID, which the receiver's copy has too. */
static char *
send (TimClient *from, TimMessage *message_taken)
{
  g_autoptr (TimMessage) message = message_taken;
  g_autoptr (GError) error = NULL;

  g_assert_true (tim_test_send (from, message, &error));
  g_assert_no_error (error);
  return g_strdup (tim_message_get_id (message));
}

static void
popup_and_walk (GtkWidget *root, const char *tooltip, const char *where, GString *problems)
{
  GtkWidget *button = test_app_find_widget (root, test_app_has_tooltip, tooltip);

  g_assert_nonnull (button);
  gtk_menu_button_popup (GTK_MENU_BUTTON (button));
  test_app_iterate (300);
  walk_windows (where, problems);
  gtk_menu_button_popdown (GTK_MENU_BUTTON (button));
  test_app_iterate (100);
}

static gboolean
only_window_left (gpointer window)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GtkWidget) other = g_list_model_get_item (toplevels, i);

      if (other != window && gtk_widget_get_mapped (other))
        return FALSE;
    }
  return TRUE;
}

static gboolean
another_window_shown (gpointer window)
{
  return !only_window_left (window);
}

/* Every window on screen but window, closed. */
static void
close_others (GtkWidget *window)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  g_autoptr (GPtrArray) others = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      GtkWidget *other = g_list_model_get_item (toplevels, i);

      if (other != window && gtk_widget_get_mapped (other))
        g_ptr_array_add (others, other);
      else
        g_object_unref (other);
    }
  for (guint i = 0; i < others->len; i++)
    gtk_window_close (GTK_WINDOW (others->pdata[i]));
  g_assert_true (tim_test_wait_until (only_window_left, window, 5000));
}

/* window's action (with a string target, or none), then every window on screen walked, then
 * what it opened closed. */
static void
open_and_walk (GtkWidget *widget, const char *action, const char *target, const char *where,
               GString *problems)
{
  GtkWidget *window = GTK_WIDGET (gtk_widget_get_root (widget));

  g_test_message ("Opening %s", where);
  if (target != NULL)
    g_assert_true (gtk_widget_activate_action (widget, action, "s", target));
  else
    g_assert_true (gtk_widget_activate_action (widget, action, NULL));
  g_assert_true (tim_test_wait_until (another_window_shown, window, 5000));
  test_app_iterate (500);
  walk_windows (where, problems);
  close_others (window);
}

/* The main window with a conversation of every kind of message open, its menus and popovers, and
 * each dialog it opens. */
static void
test_window (void)
{
  g_autoptr (GString) problems = g_string_new (NULL);
  g_autoptr (TimClient) bob = tim_test_client_new (fixture, base_dir, "a11y-bob");
  TimchatWindow *window = test_app_logged_in_window (fixture, base_dir, "a11y-ann", "Ann");
  g_autoptr (GFile) png = test_app_write_png (base_dir, "a11y.png", 120, 80);
  g_autofree char *text_path = g_build_filename (base_dir, "a11y-notes.txt", NULL);
  g_autoptr (GFile) text_file = g_file_new_for_path (text_path);
  g_autoptr (TimMessage) hello =
      tim_client_create_text_message (bob, "a11y-ann", TIM_CONV_C2C, "hello there");
  g_autofree char *hello_id = send (bob, g_object_ref (hello));
  g_autofree char *image_id =
      send (bob, tim_client_create_image_message (bob, "a11y-ann", TIM_CONV_C2C, png));
  g_autofree char *history_id = NULL;
  GtkWidget *view;

  g_assert_true (g_file_set_contents (text_path, "some notes", -1, NULL));
  g_free (send (bob, tim_client_create_file_message (bob, "a11y-ann", TIM_CONV_C2C, text_file)));
  g_free (send (bob, tim_client_create_face_message (bob, "a11y-ann", TIM_CONV_C2C, 1, "4")));
  g_free (send (bob, tim_client_create_location_message (bob, "a11y-ann", TIM_CONV_C2C,
                                                         "The harbour", 121.5, 31.2)));
  {
    g_autoptr (TimMessage) reply =
        tim_client_create_text_message (bob, "a11y-ann", TIM_CONV_C2C, "about that");

    g_assert_true (tim_message_set_reply_to (reply, hello));
    g_free (send (bob, g_object_ref (reply)));
  }
  {
    g_autoptr (GPtrArray) messages = g_ptr_array_new ();
    g_autoptr (GError) error = NULL;
    TimMessage *merger;

    g_ptr_array_add (messages, hello);
    merger = tim_client_create_merger_message (bob, "a11y-ann", TIM_CONV_C2C, messages,
                                               "Chat History", NULL, NULL, &error);
    g_assert_no_error (error);
    history_id = send (bob, merger);
  }
  test_app_wait_conversation (window, "C2Ca11y-bob");
  timchat_window_open_conversation (window, "C2Ca11y-bob");
  view = test_app_conversation_view (window);
  g_assert_true (test_app_wait_text (view, "about that", 10000));
  test_app_iterate (500);
  walk_windows ("a conversation", problems);

  popup_and_walk (GTK_WIDGET (window), "Main Menu", "the main menu", problems);
  popup_and_walk (GTK_WIDGET (window), "Conversation Menu", "the conversation menu", problems);
  popup_and_walk (view, "Attach", "the attach menu", problems);
  popup_and_walk (view, "Emoji and Stickers", "the emoji picker", problems);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.search-messages", NULL));
  test_app_iterate (300);
  walk_windows ("searching messages", problems);
  g_assert_true (gtk_widget_activate_action (view, "conversation.select", "s", hello_id));
  test_app_iterate (300);
  walk_windows ("selecting messages", problems);
  g_assert_true (gtk_widget_activate_action (view, "conversation.select-cancel", NULL));

  open_and_walk (GTK_WIDGET (window), "win.new-conversation", NULL, "new conversation", problems);
  open_and_walk (GTK_WIDGET (window), "win.new-group", NULL, "new group", problems);
  open_and_walk (GTK_WIDGET (window), "win.join-group", NULL, "join a group", problems);
  open_and_walk (GTK_WIDGET (window), "win.new-folder", "", "new folder", problems);
  open_and_walk (GTK_WIDGET (window), "win.edit-profile", NULL, "your profile", problems);
  open_and_walk (GTK_WIDGET (window), "win.show-blocked", NULL, "blocked people", problems);
  open_and_walk (GTK_WIDGET (window), "win.show-help-overlay", NULL, "keyboard shortcuts",
                 problems);
  open_and_walk (view, "conversation.view-image", image_id, "the image viewer", problems);
  open_and_walk (view, "conversation.forward", hello_id, "forward", problems);
  open_and_walk (view, "conversation.view-history", history_id, "a chat history", problems);
  /* A toast, with its close button. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.delete-conversation", "s",
                                             "C2Ca11y-bob"));
  g_assert_true (test_app_wait_text (
      GTK_WIDGET (window), "“a11y-bob” removed from the list; its messages are kept", 10000));
  test_app_iterate (300);
  walk_windows ("a toast", problems);

  gtk_window_destroy (GTK_WINDOW (window));
  assert_no_problems (problems);
}

static gboolean
is_editable (gpointer editable)
{
  return gtk_editable_get_editable (editable);
}

/* The group dialog, with a toast on it (as a change made in it says it is done), walked. */
static void
test_group_dialog (void)
{
  const char *members[] = { "a11y-bea", NULL };
  g_autoptr (GString) problems = g_string_new (NULL);
  g_autoptr (TimClient) bea = tim_test_client_new (fixture, base_dir, "a11y-bea");
  TimchatWindow *window = test_app_logged_in_window (fixture, base_dir, "a11y-gil", NULL);
  g_autoptr (TimClient) gil = tim_test_client_new (fixture, base_dir, "a11y-gil");
  g_autofree char *group_id = tim_test_create_group (gil, "Crew", members);
  g_autofree char *conversation_id = g_strconcat ("GROUP", group_id, NULL);
  GtkWindow *dialog;

  g_free (send (bea, tim_client_create_text_message (bea, group_id, TIM_CONV_GROUP, "hello crew")));
  test_app_wait_conversation (window, conversation_id);
  timchat_window_open_conversation (window, conversation_id);
  test_app_iterate (300);
  walk_windows ("group conversation", problems);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.group-info", NULL));
  g_assert_true (tim_test_wait_until (dialog_of_type_shown,
                                      GSIZE_TO_POINTER (TIMCHAT_TYPE_GROUP_DIALOG), 5000));
  dialog = test_app_find_toplevel (TIMCHAT_TYPE_GROUP_DIALOG, test_app_is_mapped);
  g_assert_true (test_app_wait_text (GTK_WIDGET (dialog), "a11y-bea", 10000));
  /* Its header settled first: just shown, it has a view switcher (one unnamed button for the
   * dialog's one untitled page) on screen for a moment before the title replaces it. */
  test_app_iterate (500);
  walk_windows ("group dialog", problems);

  /* A change in the dialog says so in a toast, with a button that closes it. */
  {
    GtkWidget *row = test_app_find_widget (GTK_WIDGET (dialog), test_app_has_type,
                                           GSIZE_TO_POINTER (ADW_TYPE_ENTRY_ROW));

    /* The first entry row is the group's name, which the owner may change once the dialog
     * knows the user is the owner. */
    g_assert_true (tim_test_wait_until (is_editable, row, 10000));
    gtk_editable_set_text (GTK_EDITABLE (row), "Crew Two");
    g_signal_emit_by_name (row, "apply");
  }
  g_assert_true (test_app_wait_text (GTK_WIDGET (dialog), "Group renamed", 10000));
  test_app_iterate (300);
  walk_windows ("group dialog with a toast", problems);
  gtk_window_destroy (dialog);
  gtk_window_destroy (GTK_WINDOW (window));
  assert_no_problems (problems);
}

int
main (int argc, char **argv)
{
  test_app_init (&argc, &argv, TRUE);
  fixture = timchat_fixture_new (NULL);
  base_dir = tim_test_make_dir ();
  g_test_add_func ("/app/accessibility/window", test_window);
  g_test_add_func ("/app/accessibility/group-dialog", test_group_dialog);
  return test_app_run (fixture, base_dir);
}
