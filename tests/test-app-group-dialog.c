/* test-app-group-dialog.c: the group dialog against the real server. The window shows its Group
 * Members button for groups only and opens the dialog from it; the dialog lists the members
 * owner first and offers what the user's role allows: the owner adds members (and hears who
 * could not be added), makes one an admin, removes one and dismisses the group; a member
 * manages nobody and leaves. Each is checked on the server through another client. */
#define G_LOG_DOMAIN "test-app-group-dialog"

#include "config.h"

#include <adwaita.h>

#include "test-app-util.h"
#include "tim-error.h"
#include "tim-test-util.h"
#include "timchat-conversation-view.h"
#include "timchat-group-dialog.h"
#include "timchat-test-util.h"
#include "timchat-window.h"

static TimchatFixture *fixture;
static char *base_dir;

typedef struct
{
  TimchatGroupDialog *dialog;
  const char *want; /* the member lines joined by "; " */
} Lines;

static gboolean
lists (gpointer data)
{
  Lines *lines = data;
  g_auto (GStrv) got = timchat_group_dialog_dup_member_lines (lines->dialog);
  g_autofree char *joined = got != NULL ? g_strjoinv ("; ", got) : NULL;

  return g_strcmp0 (joined, lines->want) == 0;
}

static void
wait_lines (GtkWidget *dialog, const char *want)
{
  Lines lines = { TIMCHAT_GROUP_DIALOG (dialog), want };

  if (!tim_test_wait_until (lists, &lines, 10000))
    {
      g_auto (GStrv) got = timchat_group_dialog_dup_member_lines (lines.dialog);
      g_autofree char *joined = got != NULL ? g_strjoinv ("; ", got) : NULL;

      g_error ("the dialog lists “%s”, not “%s”", joined, want);
    }
}

static gboolean
shows_button (GtkWidget *dialog, const char *label)
{
  GtkWidget *button = test_app_find_widget (dialog, test_app_has_button_label, label);

  return button != NULL && gtk_widget_get_visible (button);
}

static gboolean
is_group_dialog (GtkWidget *widget)
{
  return gtk_widget_get_mapped (widget);
}

static gboolean
group_dialog_gone (gpointer data)
{
  return test_app_find_toplevel (TIMCHAT_TYPE_GROUP_DIALOG, is_group_dialog) == NULL;
}

static gboolean
client_ready (gpointer data)
{
  TimClient *client = timchat_window_get_client (data);

  return client != NULL && tim_client_get_is_ready (client);
}

static gboolean
has_conversation (gpointer data)
{
  TimchatWindow *window = data;

  return tim_conversation_list_lookup (
             tim_client_get_conversations (timchat_window_get_client (window)),
             g_object_get_data (G_OBJECT (window), "want")) != NULL;
}

static gboolean
view_closed (gpointer data)
{
  GtkWidget *view = test_app_find_widget (GTK_WIDGET (data), test_app_has_type,
                                          GSIZE_TO_POINTER (TIMCHAT_TYPE_CONVERSATION_VIEW));

  return view == NULL || !gtk_widget_get_mapped (view);
}

/* The window: the button for groups only; it opens the dialog over the window. Removed from the
 * group, the window closes the conversation. */
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
  TimchatWindow *window = timchat_window_new (NULL, "group-dialog-test", base_dir);
  GtkWidget *button;
  GtkWindow *dialog;

  gtk_window_present (GTK_WINDOW (window));
  timchat_window_login (window, ws, timchat_fixture_get_sdkappid (fixture), "uma", usersig, FALSE);
  g_assert_true (tim_test_wait_until (client_ready, window, 10000));
  g_object_set_data (G_OBJECT (window), "want", conversation_id);
  g_assert_true (tim_test_wait_until (has_conversation, window, 10000));
  button = test_app_find_widget (GTK_WIDGET (window), test_app_has_action, "win.group-info");
  g_assert_nonnull (button);

  timchat_window_open_conversation (window, "C2Ctom");
  g_assert_false (gtk_widget_get_visible (button));
  timchat_window_open_conversation (window, conversation_id);
  g_assert_true (gtk_widget_get_visible (button));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.group-info", NULL));
  dialog = test_app_find_toplevel (TIMCHAT_TYPE_GROUP_DIALOG, is_group_dialog);
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_transient_for (dialog) == GTK_WINDOW (window));
  g_assert_cmpstr (gtk_window_get_title (dialog), ==, "Crew");
  wait_lines (GTK_WIDGET (dialog), "tom (Owner); uma (you) (Member)");
  gtk_window_destroy (dialog);

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
  g_assert_false (has_conversation (window));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_owner_adds_and_dismisses (void)
{
  const char *members[] = { "vic", NULL };
  g_autoptr (TimClient) val = tim_test_client_new (fixture, base_dir, "val");
  g_autoptr (TimClient) vic = tim_test_client_new (fixture, base_dir, "vic");
  g_autoptr (TimClient) wes = tim_test_client_new (fixture, base_dir, "wes");
  g_autofree char *group_id = tim_test_create_group (val, "Crew", members);
  g_autofree char *on_server = NULL;
  g_autoptr (GError) error = NULL;
  GtkWidget *dialog = timchat_group_dialog_new (NULL, val, group_id);

  gtk_window_present (GTK_WINDOW (dialog));
  wait_lines (dialog, "val (you) (Owner); vic (Member)");
  g_assert_true (shows_button (dialog, "_Dismiss Group"));
  g_assert_false (shows_button (dialog, "_Leave Group"));
  g_assert_true (gtk_widget_get_visible (
      test_app_find_widget (dialog, test_app_has_action, "group.add-members")));

  /* Any comma separates; who could not be added is named. */
  g_assert_true (gtk_widget_activate_action (dialog, "group.add-members", NULL));
  test_app_answer_dialog ("add", (const char *[]){ "entry", "wes， nobody-at-all", NULL });
  wait_lines (dialog, "val (you) (Owner); vic (Member); wes (Member)");
  g_assert_true (test_app_wait_text (dialog, "Not added: nobody-at-all", 10000));
  /* A group nobody wrote in yet: its name is fetched for the title. */
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==, "Crew");
  g_assert_cmpstr ((on_server = tim_test_group_members (vic, group_id, &error)), ==,
                   "val:Owner vic:Member wes:Member");
  test_app_screenshot (dialog, "group-dialog.png");

  /* The owner's "…" on a member: make admin, remove (asks first). */
  g_assert_nonnull (test_app_find_widget (dialog, test_app_has_tooltip, "Actions for vic"));
  g_assert_null (test_app_find_widget (dialog, test_app_has_tooltip, "Actions for val (you)"));
  g_assert_true (gtk_widget_activate_action (dialog, "group.make-admin", "s", "vic"));
  wait_lines (dialog, "val (you) (Owner); vic (Admin); wes (Member)");
  g_assert_true (gtk_widget_activate_action (dialog, "group.remove", "s", "wes"));
  test_app_answer_dialog ("remove", NULL);
  wait_lines (dialog, "val (you) (Owner); vic (Admin)");
  g_clear_pointer (&on_server, g_free);
  g_assert_cmpstr ((on_server = tim_test_group_members (vic, group_id, &error)), ==,
                   "val:Owner vic:Admin");

  /* Dismissing asks first: Cancel keeps the group. */
  g_assert_true (gtk_widget_activate_action (dialog, "group.dismiss", NULL));
  test_app_answer_dialog ("cancel", NULL);
  test_app_iterate (200);
  g_assert_true (gtk_widget_get_mapped (dialog));
  g_assert_true (gtk_widget_activate_action (dialog, "group.dismiss", NULL));
  test_app_answer_dialog ("dismiss", NULL);
  g_assert_true (tim_test_wait_until (group_dialog_gone, NULL, 10000));
  g_assert_null (tim_test_group_members (vic, group_id, &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_GROUP_NOT_FOUND);
}

static void
test_member_leaves (void)
{
  const char *members[] = { "xia", "yan", NULL };
  g_autoptr (JsonObject) imported =
      timchat_test_rest (fixture, "im_open_login_svc/account_import", "{\"UserID\":\"yan\"}", NULL);
  g_autoptr (TimClient) xavier = tim_test_client_new (fixture, base_dir, "xavier");
  g_autoptr (TimClient) xia = tim_test_client_new (fixture, base_dir, "xia");
  g_autofree char *group_id = tim_test_create_group (xavier, "Crew", members);
  g_autofree char *on_server = NULL;
  g_autoptr (GError) error = NULL;
  GtkWidget *dialog = timchat_group_dialog_new (NULL, xia, group_id);

  gtk_window_present (GTK_WINDOW (dialog));
  wait_lines (dialog, "xavier (Owner); xia (you) (Member); yan (Member)");
  g_assert_true (shows_button (dialog, "_Leave Group"));
  g_assert_false (shows_button (dialog, "_Dismiss Group"));
  g_assert_false (gtk_widget_get_visible (
      test_app_find_widget (dialog, test_app_has_action, "group.add-members")));
  /* A plain member manages nobody. */
  g_assert_null (test_app_find_widget (dialog, test_app_has_tooltip, "Actions for yan"));

  g_assert_true (gtk_widget_activate_action (dialog, "group.leave", NULL));
  test_app_answer_dialog ("leave", NULL);
  g_assert_true (tim_test_wait_until (group_dialog_gone, NULL, 10000));
  g_assert_cmpstr ((on_server = tim_test_group_members (xavier, group_id, &error)), ==,
                   "xavier:Owner yan:Member");
}

int
main (int argc, char **argv)
{
  test_app_init (&argc, &argv, FALSE);
  fixture = timchat_fixture_new (NULL);
  base_dir = tim_test_make_dir ();
  g_test_add_func ("/app/group-dialog/window-button", test_window_button);
  g_test_add_func ("/app/group-dialog/owner-adds-and-dismisses", test_owner_adds_and_dismisses);
  g_test_add_func ("/app/group-dialog/member-leaves", test_member_leaves);
  return test_app_run (fixture, base_dir);
}
