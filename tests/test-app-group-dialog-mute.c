/* test-app-group-dialog-mute.c: the window's Group Members button and muting, against the real
 * server. The window shows the button for groups only and opens the dialog from it; its composer
 * says when only the owner and admins may post, and closes the conversation of a group the user
 * was removed from. The owner mutes a member from the dialog (for a while, for a day), and the
 * dialog follows what the owner's other device does. Split from test-app-group-dialog.c (the
 * group dialog, by theme) to keep each program short; one server per program. */
#define G_LOG_DOMAIN "test-app-group-dialog-mute"

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "test-app-group-dialog-common.h"
#include "test-app-util.h"
#include "tim-test-util.h"
#include "timchat-composer.h"
#include "timchat-conversation-view.h"
#include "timchat-format.h"
#include "timchat-group-dialog.h"
#include "timchat-test-util.h"
#include "timchat-window.h"

static gboolean
view_closed (gpointer data)
{
  GtkWidget *view = test_app_conversation_view (data);

  return view == NULL || !gtk_widget_get_mapped (view);
}

static gboolean
is_insensitive (gpointer widget)
{
  return !gtk_widget_get_sensitive (widget);
}

static void
set_mute_all (TimClient *owner, const char *group_id, gboolean mute_all)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (tim_test_set_group_mute_all (owner, group_id, mute_all, &error));
  g_assert_no_error (error);
}

static gboolean
has_css_class (GtkWidget *widget, gconstpointer name)
{
  return gtk_widget_has_css_class (widget, name);
}

typedef struct
{
  TimchatWindow *window;
  const char *text; /* NULL: no notice */
} Notice;

/* The bar over the open conversation's composer says notice->text (and offers nothing: there is
 * nothing to do about a mute), and the composer's text is read-only; or, for NULL, the bar is
 * down and the text editable. */
static gboolean
notice_says (gpointer data)
{
  Notice *notice = data;
  GtkWidget *view = test_app_conversation_view (notice->window);
  GtkWidget *bar = test_app_find_widget (view, has_css_class, "composer-notice");
  GtkWidget *label =
      test_app_find_widget (bar, test_app_has_type, GSIZE_TO_POINTER (GTK_TYPE_LABEL));
  GtkWidget *button =
      test_app_find_widget (bar, test_app_has_type, GSIZE_TO_POINTER (GTK_TYPE_BUTTON));
  GtkWidget *text =
      test_app_find_widget (view, test_app_has_type, GSIZE_TO_POINTER (GTK_TYPE_TEXT_VIEW));
  gboolean shown = gtk_revealer_get_reveal_child (GTK_REVEALER (bar));

  if (notice->text == NULL)
    return !shown && gtk_text_view_get_editable (GTK_TEXT_VIEW (text));
  return shown && g_strcmp0 (gtk_label_get_text (GTK_LABEL (label)), notice->text) == 0 &&
         !gtk_widget_get_visible (button) && !gtk_text_view_get_editable (GTK_TEXT_VIEW (text));
}

/* The window: the button for groups only; it opens the dialog over the window; the composer says
 * when only the owner and admins may post. Removed from the group, the window closes the
 * conversation. */
static void
test_window_button (void)
{
  const char *members[] = { "uma", NULL };
  g_autoptr (JsonObject) imported =
      timchat_test_rest (fixture, "im_open_login_svc/account_import", "{\"UserID\":\"uma\"}", NULL);
  g_autoptr (TimClient) tom = tim_test_client_new (fixture, base_dir, "tom");
  g_autofree char *group_id = tim_test_create_group (tom, "Crew", members);
  g_autofree char *conversation_id = g_strconcat ("GROUP", group_id, NULL);
  g_autofree char *ws = timchat_fixture_ws_url (fixture);
  g_autofree char *usersig = timchat_fixture_usersig (fixture, "uma", 3600);
  TimchatWindow *window = NULL;
  GtkWidget *button, *send_button;
  TimchatComposer *composer;
  GtkWindow *dialog;

  set_mute_all (tom, group_id, TRUE);
  window = timchat_window_new (NULL, "group-dialog-test", base_dir);
  gtk_window_present (GTK_WINDOW (window));
  timchat_window_login (window, ws, timchat_fixture_get_sdkappid (fixture), "uma", usersig, FALSE);
  g_assert_true (tim_test_wait_until (test_app_window_ready, window, 10000));
  test_app_wait_conversation (window, conversation_id);
  button = test_app_find_widget (GTK_WIDGET (window), test_app_has_action, "win.group-info");
  g_assert_nonnull (button);

  timchat_window_open_conversation (window, "C2Ctom");
  g_assert_false (gtk_widget_get_visible (button));
  timchat_window_open_conversation (window, conversation_id);
  g_assert_true (gtk_widget_get_visible (button));
  /* The group was muted before uma came: her composer says who may post and sends nothing, even
   * with text in it; the owner unmutes it, and she may. */
  g_assert_true (
      test_app_wait_text (GTK_WIDGET (window), "Only the owner and admins can post", 10000));
  /* The bar over the composer says so too, and the text cannot be typed into meanwhile. */
  g_assert_true (tim_test_wait_until (
      notice_says, &(Notice){ window, "Only the owner and admins can send messages here" }, 10000));
  test_app_screenshot (GTK_WIDGET (window), "muted-for-all-composer");
  composer = TIMCHAT_COMPOSER (test_app_composer (GTK_WIDGET (window)));
  timchat_composer_set_text (composer, "may I?");
  send_button = test_app_find_widget (GTK_WIDGET (window), test_app_has_action, "composer.send");
  g_assert_true (tim_test_wait_until (is_insensitive, send_button, 10000));
  /* Enter neither: the text stays for later. */
  timchat_composer_send (composer);
  g_assert_false (timchat_composer_can_send (composer));
  {
    g_autofree char *kept = timchat_composer_dup_text (composer);

    g_assert_cmpstr (kept, ==, "may I?");
  }
  set_mute_all (tom, group_id, FALSE);
  g_assert_true (test_app_wait_text (GTK_WIDGET (window), "Message", 10000));
  g_assert_true (tim_test_wait_until (notice_says, &(Notice){ window, NULL }, 10000));
  g_assert_true (gtk_widget_get_sensitive (send_button));
  g_assert_true (timchat_composer_can_send (composer));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.group-info", NULL));
  dialog = test_app_find_toplevel (TIMCHAT_TYPE_GROUP_DIALOG, test_app_is_mapped);
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_transient_for (dialog) == GTK_WINDOW (window));
  g_assert_cmpstr (gtk_window_get_title (dialog), ==, "Crew");
  wait_lines (GTK_WIDGET (dialog), "tom (Owner); uma (you) (Member)");
  gtk_window_destroy (dialog);

  /* A tip about uma alone speaks to her in her view (the list's row too, but that is not it). */
  {
    g_autoptr (GAsyncResult) result = NULL;
    g_autoptr (GError) error = NULL;

    tim_client_set_group_admin_async (tom, group_id, "uma", TRUE, NULL, tim_test_keep_result,
                                      &result);
    g_assert_true (tim_client_set_group_admin_finish (tom, tim_test_wait_result (&result), &error));
    g_assert_no_error (error);
  }
  g_assert_true (
      test_app_wait_text (test_app_conversation_view (window), "You are now an admin", 10000));

  /* Removed by the owner while looking at it: the group leaves the list and the view closes. */
  {
    g_autoptr (GAsyncResult) result = NULL;
    g_autoptr (GError) error = NULL;

    tim_client_remove_group_member_async (tom, group_id, "uma", NULL, tim_test_keep_result,
                                          &result);
    g_assert_true (
        tim_client_remove_group_member_finish (tom, tim_test_wait_result (&result), &error));
    g_assert_no_error (error);
  }
  g_assert_true (tim_test_wait_until (view_closed, window, 10000));
  g_assert_false (test_app_has_conversation (window, conversation_id));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* ---------------------------------------------------------------- muting a member */

typedef struct
{
  GtkWidget *dialog;
  const char *part;
} LinePart;

static gboolean
lists_part (gpointer data)
{
  LinePart *wanted = data;
  g_auto (GStrv) lines =
      timchat_group_dialog_dup_member_lines (TIMCHAT_GROUP_DIALOG (wanted->dialog));
  g_autofree char *joined = lines != NULL ? g_strjoinv ("; ", lines) : g_strdup ("");

  return strstr (joined, wanted->part) != NULL;
}

typedef struct
{
  TimchatWindow *window;
  const char *conversation_id;
} Placeholder;

/* The composer's placeholder says the user is muted until their mute's time. */
static gboolean
says_muted (gpointer data)
{
  Placeholder *wanted = data;
  TimConversation *conversation = tim_conversation_list_lookup (
      tim_client_get_conversations (timchat_window_get_client (wanted->window)),
      wanted->conversation_id);
  gint64 until =
      conversation != NULL ? tim_conversation_get_group_self_mute_until (conversation) : 0;
  g_autofree char *when = until > 0 ? timchat_format_until (until) : NULL;
  g_autofree char *text = when != NULL ? g_strdup_printf ("You are muted until %s", when) : NULL;

  return text != NULL &&
         test_app_find_widget (GTK_WIDGET (wanted->window), test_app_has_text, text) != NULL;
}

/* The muted member's bar over the composer says until when, as the composer's text does. */
static gboolean
notice_says_muted (gpointer data)
{
  Placeholder *wanted = data;
  TimConversation *conversation = tim_conversation_list_lookup (
      tim_client_get_conversations (timchat_window_get_client (wanted->window)),
      wanted->conversation_id);
  gint64 until =
      conversation != NULL ? tim_conversation_get_group_self_mute_until (conversation) : 0;
  g_autofree char *when = until > 0 ? timchat_format_until (until) : NULL;
  g_autofree char *text =
      when != NULL ? g_strdup_printf ("You are muted in this group until %s", when) : NULL;

  return text != NULL && notice_says (&(Notice){ wanted->window, text });
}

/* The owner mutes a member from their row's menu: the row says until when; the member's composer
 * says they are muted (the bar over it too, and its text is read-only) and sends nothing;
 * unmuted (or when a short mute runs out by itself) it is "Message" again, and editable. */
static void
test_mute (void)
{
  const char *members[] = { "vi", NULL };
  TimchatWindow *window = test_app_logged_in_window (fixture, base_dir, "vi", NULL);
  g_autoptr (TimClient) wu = tim_test_client_new (fixture, base_dir, "wu");
  g_autofree char *group_id = tim_test_create_group (wu, "Hush", members);
  g_autofree char *conversation_id = g_strconcat ("GROUP", group_id, NULL);
  GtkWidget *dialog = timchat_group_dialog_new (NULL, wu, group_id);
  GtkWidget *send_button;
  TimchatComposer *composer;

  gtk_window_present (GTK_WINDOW (dialog));
  wait_lines (dialog, "wu (you) (Owner); vi (Member)");
  g_assert_true (offers (dialog, "Actions for vi", "group.mute"));
  test_app_wait_conversation (window, conversation_id);
  timchat_window_open_conversation (window, conversation_id);

  g_assert_true (gtk_widget_activate_action (dialog, "group.mute", "(su)", "vi", 600));
  g_assert_true (
      tim_test_wait_until (lists_part, &(LinePart){ dialog, "vi (Member · Muted until " }, 10000));
  g_assert_true (
      tim_test_wait_until (says_muted, &(Placeholder){ window, conversation_id }, 10000));
  composer = TIMCHAT_COMPOSER (test_app_composer (GTK_WIDGET (window)));
  timchat_composer_set_text (composer, "let me speak");
  send_button = test_app_find_widget (GTK_WIDGET (window), test_app_has_action, "composer.send");
  g_assert_true (tim_test_wait_until (is_insensitive, send_button, 10000));
  g_assert_true (
      tim_test_wait_until (notice_says_muted, &(Placeholder){ window, conversation_id }, 10000));
  test_app_screenshot (GTK_WIDGET (window), "muted-composer.png");

  g_assert_true (gtk_widget_activate_action (dialog, "group.mute", "(su)", "vi", 0));
  wait_lines (dialog, "wu (you) (Owner); vi (Member)");
  g_assert_true (test_app_wait_text (GTK_WIDGET (window), "Message", 10000));
  g_assert_true (tim_test_wait_until (notice_says, &(Notice){ window, NULL }, 10000));
  g_assert_true (gtk_widget_get_sensitive (send_button));

  /* A mute of a second ends by itself. */
  g_assert_true (gtk_widget_activate_action (dialog, "group.mute", "(su)", "vi", 1));
  g_assert_true (
      tim_test_wait_until (says_muted, &(Placeholder){ window, conversation_id }, 10000));
  g_assert_true (test_app_wait_text (GTK_WIDGET (window), "Message", 10000));
  g_assert_true (tim_test_wait_until (notice_says, &(Notice){ window, NULL }, 10000));
  test_app_close (dialog);
  test_app_close (GTK_WIDGET (window));
}

/* A mute that ends on a later day says which day, not a time that reads as today's ("Muted
 * until 12:00" at noon, for tomorrow's noon). The tests' zone has it about noon now. */
static void
test_mute_for_a_day (void)
{
  const char *members[] = { "rue", NULL };
  g_autoptr (TimClient) sol = tim_test_client_new (fixture, base_dir, "sol");
  g_autofree char *group_id = NULL;
  GtkWidget *dialog = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autoptr (GDateTime) tomorrow = g_date_time_add_days (now, 1);
  g_autofree char *day = g_date_time_format (tomorrow, "%a");
  /* The day, then the clock: the mute ends at a moment of that day. */
  g_autofree char *want = g_strdup_printf ("rue (Member · Muted until %s ", day);

  timchat_test_import_account (fixture, "rue", NULL);
  group_id = tim_test_create_group (sol, "Calm", members);
  dialog = timchat_group_dialog_new (NULL, sol, group_id);
  gtk_window_present (GTK_WINDOW (dialog));
  wait_lines (dialog, "sol (you) (Owner); rue (Member)");
  g_assert_true (gtk_widget_activate_action (dialog, "group.mute", "(su)", "rue", 24 * 60 * 60));
  g_assert_true (tim_test_wait_until (lists_part, &(LinePart){ dialog, want }, 10000));
  test_app_close (dialog);
}

/* Done on the owner's other device: a member added, then muted; the open dialog's list follows
 * without being reopened. */
static void
test_follows_elsewhere (void)
{
  const char *members[] = { "bo", NULL };
  g_autofree char *phone_dir = g_build_filename (base_dir, "al-phone", NULL);
  g_autoptr (JsonObject) imported =
      timchat_test_rest (fixture, "im_open_login_svc/account_import", "{\"UserID\":\"cy\"}", NULL);
  g_autoptr (TimClient) al = tim_test_client_new (fixture, base_dir, "al");
  g_autoptr (TimClient) al_phone = tim_test_client_new (fixture, phone_dir, "al");
  g_autoptr (TimClient) bo = tim_test_client_new (fixture, base_dir, "bo");
  g_autofree char *group_id = tim_test_create_group (al, "Team", members);
  GtkWidget *dialog = timchat_group_dialog_new (NULL, al, group_id);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;

  gtk_window_present (GTK_WINDOW (dialog));
  wait_lines (dialog, "al (you) (Owner); bo (Member)");
  tim_client_add_group_members_async (al_phone, group_id, (const char *const[]){ "cy", NULL }, NULL,
                                      tim_test_keep_result, &result);
  g_assert_true (
      tim_client_add_group_members_finish (al_phone, tim_test_wait_result (&result), NULL, &error));
  g_assert_no_error (error);
  wait_lines (dialog, "al (you) (Owner); bo (Member); cy (Member)");
  g_clear_object (&result);
  tim_client_set_group_member_mute_time_async (al_phone, group_id, "bo", 600, NULL,
                                               tim_test_keep_result, &result);
  g_assert_true (tim_client_set_group_member_mute_time_finish (
      al_phone, tim_test_wait_result (&result), &error));
  g_assert_true (
      tim_test_wait_until (lists_part, &(LinePart){ dialog, "bo (Member · Muted until " }, 10000));
  test_app_close (dialog);
}

int
main (int argc, char **argv)
{
  test_app_init (&argc, &argv, TRUE);
  fixture = timchat_fixture_new (NULL);
  base_dir = tim_test_make_dir ();
  g_test_add_func ("/app/group-dialog/window-button", test_window_button);
  g_test_add_func ("/app/group-dialog/mute", test_mute);
  g_test_add_func ("/app/group-dialog/mute-for-a-day", test_mute_for_a_day);
  g_test_add_func ("/app/group-dialog/follows-elsewhere", test_follows_elsewhere);
  return test_app_run (fixture, base_dir);
}
