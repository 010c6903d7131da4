/* test-app-group-dialog-members.c: the group dialog's members against the real server: listed
 * owner first, with what the user's role allows: the owner adds members (and hears who could not
 * be added), makes one an admin, removes one, hands the group over and dismisses it; a member
 * manages nobody and leaves; and who is online, followed while the dialog is open. Each is
 * checked on the server through another client. Split from test-app-group-dialog.c (the group
 * dialog, by theme) to keep each program short; one server per program. */
#define G_LOG_DOMAIN "test-app-group-dialog-members"

#include "config.h"

#include <adwaita.h>

#include "test-app-group-dialog-common.h"
#include "test-app-util.h"
#include "tim-error.h"
#include "tim-test-util.h"
#include "timchat-group-dialog.h"
#include "timchat-test-util.h"

static gboolean
shows_button (GtkWidget *dialog, const char *label)
{
  GtkWidget *button = test_app_find_widget (dialog, test_app_has_button_label, label);

  return button != NULL && gtk_widget_get_visible (button);
}

static gboolean
group_dialog_gone (gpointer data)
{
  return test_app_find_toplevel (TIMCHAT_TYPE_GROUP_DIALOG, test_app_is_mapped) == NULL;
}

/* Members are named by their nicknames (wes has one), else by their IDs. */
static void
test_owner_adds_and_dismisses (void)
{
  const char *members[] = { "vic", NULL };
  g_autoptr (TimClient) val = tim_test_client_new (fixture, base_dir, "val");
  g_autoptr (TimClient) vic = tim_test_client_new (fixture, base_dir, "vic");
  g_autoptr (TimClient) wes = client_with_nick ("wes", "Wes W.");
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
  wait_lines (dialog, "val (you) (Owner); vic (Member); Wes W. (Member)");
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
  wait_lines (dialog, "val (you) (Owner); vic (Admin); Wes W. (Member)");
  g_assert_nonnull (test_app_find_widget (dialog, test_app_has_tooltip, "Actions for Wes W."));
  g_assert_true (gtk_widget_activate_action (dialog, "group.remove", "s", "wes"));
  g_assert_cmpstr (adw_message_dialog_get_heading (
                       ADW_MESSAGE_DIALOG (test_app_find_toplevel (ADW_TYPE_MESSAGE_DIALOG, NULL))),
                   ==, "Remove Wes W. from “Crew”?");
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

/* The owner's "…" on a member hands the group over (asking first, Cancel keeping it): the owner
 * is a plain member then, who may leave and manages nobody. */
static void
test_hand_over (void)
{
  const char *members[] = { "ivo", NULL };
  g_autoptr (TimClient) han = tim_test_client_new (fixture, base_dir, "han");
  g_autoptr (TimClient) ivo = tim_test_client_new (fixture, base_dir, "ivo");
  g_autofree char *group_id = tim_test_create_group (han, "Crew", members);
  g_autofree char *on_server = NULL;
  g_autoptr (GError) error = NULL;
  GtkWidget *dialog = timchat_group_dialog_new (NULL, han, group_id);

  gtk_window_present (GTK_WINDOW (dialog));
  wait_lines (dialog, "han (you) (Owner); ivo (Member)");
  g_assert_true (offers (dialog, "Actions for ivo", "group.make-owner"));
  g_assert_true (gtk_widget_activate_action (dialog, "group.make-owner", "s", "ivo"));
  g_assert_cmpstr (adw_message_dialog_get_heading (
                       ADW_MESSAGE_DIALOG (test_app_find_toplevel (ADW_TYPE_MESSAGE_DIALOG, NULL))),
                   ==, "Hand “Crew” over to ivo?");
  test_app_answer_dialog ("cancel", NULL);
  test_app_iterate (200);
  g_assert_cmpstr ((on_server = tim_test_group_members (ivo, group_id, &error)), ==,
                   "han:Owner ivo:Member");

  g_assert_true (gtk_widget_activate_action (dialog, "group.make-owner", "s", "ivo"));
  test_app_answer_dialog ("hand-over", NULL);
  wait_lines (dialog, "ivo (Owner); han (you) (Member)");
  g_assert_true (shows_button (dialog, "_Leave Group"));
  g_assert_false (shows_button (dialog, "_Dismiss Group"));
  g_assert_null (test_app_find_widget (dialog, test_app_has_tooltip, "Actions for ivo"));
  g_clear_pointer (&on_server, g_free);
  g_assert_cmpstr ((on_server = tim_test_group_members (ivo, group_id, &error)), ==,
                   "ivo:Owner han:Member");
  test_app_close (dialog);
}

/* A plain member of a Work (Private) group adds members, as the server lets them; manages
 * nobody, and leaves. */
static void
test_member_leaves (void)
{
  const char *members[] = { "xia", "yan", NULL };
  g_autoptr (JsonObject) imported =
      timchat_test_rest (fixture, "im_open_login_svc/account_import", "{\"UserID\":\"yan\"}", NULL);
  g_autoptr (JsonObject) imported_zed =
      timchat_test_rest (fixture, "im_open_login_svc/account_import", "{\"UserID\":\"zed\"}", NULL);
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
  g_assert_true (tim_test_wait_until (add_members_shown, dialog, 10000));
  g_assert_true (gtk_widget_activate_action (dialog, "group.add-members", NULL));
  test_app_answer_dialog ("add", (const char *[]){ "entry", "zed", NULL });
  wait_lines (dialog, "xavier (Owner); xia (you) (Member); yan (Member); zed (Member)");
  g_assert_cmpstr ((on_server = tim_test_group_members (xavier, group_id, &error)), ==,
                   "xavier:Owner xia:Member yan:Member zed:Member");
  g_clear_pointer (&on_server, g_free);
  /* A plain member manages nobody. */
  g_assert_null (test_app_find_widget (dialog, test_app_has_tooltip, "Actions for yan"));

  g_assert_true (gtk_widget_activate_action (dialog, "group.leave", NULL));
  test_app_answer_dialog ("leave", NULL);
  g_assert_true (tim_test_wait_until (group_dialog_gone, NULL, 10000));
  g_assert_cmpstr ((on_server = tim_test_group_members (xavier, group_id, &error)), ==,
                   "xavier:Owner yan:Member zed:Member");
}

/* ---------------------------------------------------------------- who is online */

typedef struct
{
  TimchatGroupDialog *dialog;
  const char *want;
} Online;

static gboolean
shows_online (gpointer data)
{
  Online *online = data;
  g_auto (GStrv) titles = timchat_group_dialog_dup_online_titles (online->dialog);
  g_autofree char *joined = g_strjoinv ("; ", titles);

  return g_str_equal (joined, online->want);
}

/* client has a one-to-one conversation with ona and knows she is online. */
static gboolean
follows_ona (gpointer client)
{
  TimConversation *conversation =
      tim_conversation_list_lookup (tim_client_get_conversations (client), "C2Cona");

  return conversation != NULL &&
         tim_conversation_get_peer_status (conversation) == TIM_USER_STATUS_ONLINE;
}

static gboolean
shows_busy (gpointer dialog)
{
  return test_app_find_widget (dialog, test_app_has_tooltip, "Online · Busy") != NULL;
}

/* Who the client hears of, a word each. */
static void
on_status_told (TimClient *client, const char *user_id, TimUserStatus status,
                const char *custom_status, GString *told)
{
  g_string_append_printf (told, "%s ", user_id);
}

typedef struct
{
  TimClient *client;
  const char *user_id;
} Unlogined;

static gboolean
is_unlogined (gpointer data)
{
  Unlogined *asked = data;

  return tim_test_user_status (asked->client, asked->user_id) == TIM_USER_STATUS_UNLOGINED;
}

/* A green dot on the rows of the members online (the user among them); one who goes, followed
 * as a one-to-one peer, loses it; one never logged in has none until they come, followed while
 * the dialog is open, with their custom status; one who goes after the dialog closed is no
 * longer followed. */
static void
test_online (void)
{
  const char *members[] = { "ona", "ole", NULL };
  g_autoptr (JsonObject) imported =
      timchat_test_rest (fixture, "im_open_login_svc/account_import", "{\"UserID\":\"ole\"}", NULL);
  g_autoptr (TimClient) oz = tim_test_client_new (fixture, base_dir, "oz");
  g_autoptr (TimClient) ona = tim_test_client_new (fixture, base_dir, "ona");
  g_autoptr (TimClient) ole = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GString) told = g_string_new ("");
  g_autofree char *group_id = tim_test_create_group (oz, "Who is here", members);
  GtkWidget *dialog;

  /* ona writes to oz first: oz then follows her. */
  tim_test_send_text (ona, "oz", "hi oz");
  g_assert_true (tim_test_wait_until (follows_ona, oz, 5000));
  dialog = timchat_group_dialog_new (NULL, oz, group_id);
  gtk_window_set_default_size (GTK_WINDOW (dialog), 420, 820);
  gtk_window_present (GTK_WINDOW (dialog));
  wait_lines (dialog, "oz (you) (Owner); ole (Member); ona (Member)");
  g_assert_true (tim_test_wait_until (
      shows_online, &(Online){ TIMCHAT_GROUP_DIALOG (dialog), "oz (you); ona" }, 5000));
  g_assert_nonnull (test_app_find_widget (dialog, test_app_has_tooltip, "Online"));
  test_app_screenshot (dialog, "group-dialog-online.png");

  g_clear_object (&ona);
  g_assert_true (tim_test_wait_until (
      shows_online, &(Online){ TIMCHAT_GROUP_DIALOG (dialog), "oz (you)" }, 5000));

  /* ole, no peer of oz's, comes and sets a status. */
  ole = tim_test_client_new (fixture, base_dir, "ole");
  g_assert_true (tim_test_wait_until (
      shows_online, &(Online){ TIMCHAT_GROUP_DIALOG (dialog), "oz (you); ole" }, 5000));
  tim_client_set_self_status_async (ole, "Busy", NULL, tim_test_keep_result, &result);
  g_assert_true (tim_client_set_self_status_finish (ole, tim_test_wait_result (&result), NULL));
  g_assert_true (tim_test_wait_until (shows_busy, dialog, 5000));
  test_app_close (dialog);

  /* Closed: ole is followed no more. ona, a peer, comes back; once the server has ole logged
   * out, oz has heard all it would of her. */
  tim_test_user_status (oz, "ona");
  g_signal_connect (oz, "user-status-updated", G_CALLBACK (on_status_told), told);
  tim_client_logout (ole);
  ona = tim_test_client_new (fixture, base_dir, "ona");
  g_assert_true (tim_test_wait_until (is_unlogined, &(Unlogined){ ona, "ole" }, 5000));
  g_assert_true (tim_test_wait_until (follows_ona, oz, 5000));
  tim_test_user_status (oz, "ona");
  g_assert_cmpstr (told->str, ==, "ona ");
}

int
main (int argc, char **argv)
{
  test_app_init (&argc, &argv, TRUE);
  fixture = timchat_fixture_new (NULL);
  base_dir = tim_test_make_dir ();
  g_test_add_func ("/app/group-dialog/owner-adds-and-dismisses", test_owner_adds_and_dismisses);
  g_test_add_func ("/app/group-dialog/member-leaves", test_member_leaves);
  g_test_add_func ("/app/group-dialog/hand-over", test_hand_over);
  g_test_add_func ("/app/group-dialog/online", test_online);
  return test_app_run (fixture, base_dir);
}
