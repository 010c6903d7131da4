/* test-app-group-join.c: joining groups in the app, against the real server with a real window
 * and real libtim peers. "Join a Group…": an ID that is none, a Work group only its members see,
 * a Meeting joined at once (the dialog closes on its conversation), a Public group asked to join
 * with a message (the dialog says the answer comes among the notices, and the group is listed
 * once the owner agrees). The owner's side: an application's notice has Accept and Decline…; the
 * row says the answer; declining asks the reason, which the applicant reads. The Members dialog
 * shows its owner the requests that wait, to answer there. New Group makes a Public group when
 * others may ask to join it. */
#define G_LOG_DOMAIN "test-app-group-join"

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "test-app-util.h"
#include "tim-json.h"
#include "tim-test-util.h"
#include "timchat-conversation-view-private.h"
#include "timchat-group-dialog.h"
#include "timchat-join-dialog.h"
#include "timchat-test-util.h"
#include "timchat-window-private.h"
#include "timchat-window.h"

static TimchatFixture *fixture;
static char *base_dir;

static char *
create_group (TimClient *owner, const char *name, const char *type)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  char *group_id;

  tim_client_create_group_async (owner, name, type, NULL, NULL, tim_test_keep_result, &result);
  group_id = tim_client_create_group_finish (owner, tim_test_wait_result (&result), &error);
  g_assert_no_error (error);
  return group_id;
}

static TimchatJoinDialog *
join_dialog (void)
{
  return (TimchatJoinDialog *) test_app_find_toplevel (TIMCHAT_TYPE_JOIN_DIALOG,
                                                       test_app_is_mapped);
}

static gboolean
join_dialog_shown (gpointer unused)
{
  return join_dialog () != NULL;
}

static gboolean
join_dialog_gone (gpointer unused)
{
  return join_dialog () == NULL;
}

typedef struct
{
  TimchatJoinDialog *dialog;
  const char *status;
} Status;

static gboolean
says (gpointer data)
{
  Status *wanted = data;

  return g_str_equal (timchat_join_dialog_get_status (wanted->dialog), wanted->status);
}

#define ASSERT_SAYS(dialog, text)                                                                  \
  g_assert_true (tim_test_wait_until (says, &(Status){ dialog, text }, 10000))

/* Types id into the dialog's Group ID row and applies it. */
static void
look_for (TimchatJoinDialog *dialog, const char *id)
{
  GtkWidget *row = test_app_find_widget (GTK_WIDGET (dialog), test_app_has_type,
                                         GSIZE_TO_POINTER (ADW_TYPE_ENTRY_ROW));

  gtk_editable_set_text (GTK_EDITABLE (row), id);
  g_signal_emit_by_name (row, "apply");
}

static gboolean
has_row_title (GtkWidget *widget, gconstpointer title)
{
  return ADW_IS_PREFERENCES_ROW (widget) &&
         g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0;
}

static gboolean
offers (gpointer data)
{
  return test_app_find_widget (GTK_WIDGET (((Status *) data)->dialog), test_app_has_button_label,
                               ((Status *) data)->status) != NULL;
}

typedef struct
{
  TimchatWindow *window;
  const char *conversation_id;
} Open;

static gboolean
is_open (gpointer data)
{
  Open *wanted = data;

  return g_strcmp0 (_timchat_window_get_open_id (wanted->window), wanted->conversation_id) == 0;
}

static gboolean
lists (gpointer data)
{
  Open *wanted = data;
  TimClient *client = timchat_window_get_client (wanted->window);

  return tim_conversation_list_lookup (tim_client_get_conversations (client),
                                       wanted->conversation_id) != NULL;
}

static void
test_join_dialog (void)
{
  g_autoptr (TimClient) quin = tim_test_client_new (fixture, base_dir, "quin");
  g_autoptr (GPtrArray) at_quin = g_ptr_array_new_with_free_func (g_object_unref);
  TimchatWindow *window = test_app_logged_in_window (fixture, base_dir, "pat", NULL);
  g_autofree char *work = create_group (quin, "Staff", "Private");
  g_autofree char *meeting = create_group (quin, "Standup", "ChatRoom");
  g_autofree char *club = create_group (quin, "Chess Club", "Public");
  g_autofree char *meeting_conversation = g_strconcat ("GROUP", meeting, NULL);
  g_autofree char *club_conversation = g_strconcat ("GROUP", club, NULL);
  TimchatJoinDialog *dialog;
  TimMessage *application = NULL;
  g_autoptr (GError) error = NULL;

  tim_test_collect (quin, "message-received", at_quin);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.join-group", NULL));
  g_assert_true (tim_test_wait_until (join_dialog_shown, NULL, 5000));
  dialog = join_dialog ();
  look_for (dialog, "not a group");
  ASSERT_SAYS (dialog, "That is not a group ID.");
  look_for (dialog, "@TGS#nothing-here");
  ASSERT_SAYS (dialog, "No group has this ID.");
  look_for (dialog, work);
  ASSERT_SAYS (dialog, "Only its members can see this group. Ask one of them to add you.");

  /* A Meeting: "Join", and the dialog closes on the group's conversation. */
  look_for (dialog, meeting);
  g_assert_true (tim_test_wait_until (offers, &(Status){ dialog, "_Join" }, 10000));
  g_assert_true (test_app_wait_text (GTK_WIDGET (dialog), "Standup", 5000));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "join.join", NULL));
  g_assert_true (tim_test_wait_until (join_dialog_gone, NULL, 10000));
  g_assert_true (tim_test_wait_until (is_open, &(Open){ window, meeting_conversation }, 10000));

  /* A Public group: "Ask to Join", with a message; the owner agrees and it is listed. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.join-group", NULL));
  g_assert_true (tim_test_wait_until (join_dialog_shown, NULL, 5000));
  dialog = join_dialog ();
  look_for (dialog, club);
  g_assert_true (tim_test_wait_until (offers, &(Status){ dialog, "_Ask to Join" }, 10000));
  ASSERT_SAYS (dialog, "Its owner or an admin lets new members in.");
  test_app_screenshot (GTK_WIDGET (dialog), "join-dialog.png");
  gtk_editable_set_text (
      GTK_EDITABLE (test_app_find_widget (GTK_WIDGET (dialog), has_row_title,
                                          "Message to the Group’s Admins (Optional)")),
      "please");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "join.join", NULL));
  ASSERT_SAYS (dialog, "Your request was sent. The answer will come among the group notices.");
  {
    GtkWidget *button =
        test_app_find_widget (GTK_WIDGET (dialog), test_app_has_button_label, "_Ask to Join");

    g_assert_true (button == NULL || !gtk_widget_get_visible (button));
  }
  for (guint tries = 0; application == NULL && tries < 100; tries++)
    {
      for (guint i = 0; i < at_quin->len; i++)
        if (tim_message_get_application_state (at_quin->pdata[i]) == TIM_APPLICATION_PENDING)
          application = at_quin->pdata[i];
      if (application == NULL)
        test_app_iterate (100);
    }
  g_assert_nonnull (application);
  g_assert_cmpstr (tim_json_get_string (tim_message_get_payload (application), "handleMessage"), ==,
                   "please");
  {
    g_autoptr (GAsyncResult) result = NULL;

    tim_client_handle_group_application_async (quin, application, TRUE, NULL, NULL,
                                               tim_test_keep_result, &result);
    g_assert_true (
        tim_client_handle_group_application_finish (quin, tim_test_wait_result (&result), &error));
    g_assert_no_error (error);
  }
  g_assert_true (tim_test_wait_until (lists, &(Open){ window, club_conversation }, 10000));
  test_app_close (GTK_WIDGET (dialog));
  test_app_close (GTK_WIDGET (window));
}

/* The pending application of applicant among the view's notices. */
static TimMessage *
application_of (TimchatConversationView *view, const char *applicant)
{
  GListModel *model = G_LIST_MODEL (view->messages);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr (TimMessage) message = g_list_model_get_item (model, i);

      if (tim_message_get_application_state (message) == TIM_APPLICATION_PENDING &&
          g_strcmp0 (tim_json_get_string (tim_message_get_payload (message), "operatorID"),
                     applicant) == 0)
        return message; /* the list keeps it */
    }
  return NULL;
}

typedef struct
{
  TimchatConversationView *view;
  const char *applicant;
} Pending;

/* Under root, Decline… comes before Accept, side by side (GNOME's order: the affirmative answer
 * last, at the right). */
static void
assert_decline_then_accept (GtkWidget *root)
{
  GtkWidget *decline = test_app_find_widget (root, test_app_has_button_label, "_Decline…");
  GtkWidget *accept = test_app_find_widget (root, test_app_has_button_label, "_Accept");

  g_assert_nonnull (decline);
  g_assert_nonnull (accept);
  g_assert_true (gtk_widget_get_parent (decline) == gtk_widget_get_parent (accept));
  g_assert_true (gtk_widget_get_next_sibling (decline) == accept);
}

static gboolean
has_application (gpointer data)
{
  Pending *wanted = data;

  return application_of (wanted->view, wanted->applicant) != NULL;
}

static gboolean
is_open_group (gpointer window)
{
  return g_str_has_prefix (
      _timchat_window_get_open_id (window) ? _timchat_window_get_open_id (window) : "", "GROUP");
}

static gboolean
is_check_button (GtkWidget *widget, gconstpointer unused)
{
  return GTK_IS_CHECK_BUTTON (widget);
}

/* The owner answers from the group notices: Accept lets sol in, Decline… asks the reason tam
 * reads; each notice then says the answer. A group made with "Others may ask to join" is Public. */
static void
test_answer (void)
{
  TimchatWindow *window = test_app_logged_in_window (fixture, base_dir, "ria", NULL);
  TimClient *ria = timchat_window_get_client (window);
  g_autoptr (TimClient) sol = tim_test_client_new (fixture, base_dir, "sol");
  g_autoptr (TimClient) tam = tim_test_client_new (fixture, base_dir, "tam");
  g_autoptr (GPtrArray) at_tam = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *club = create_group (ria, "Book Club", "Public");
  g_autofree char *on_server = NULL;
  g_autoptr (GError) error = NULL;
  TimchatConversationView *view;
  TimMessage *notice;
  g_autoptr (GAsyncResult) result = NULL;

  tim_test_collect (tam, "message-received", at_tam);
  tim_client_join_group_async (sol, club, "hi", NULL, tim_test_keep_result, &result);
  g_assert_cmpint (tim_client_join_group_finish (sol, tim_test_wait_result (&result), &error), ==,
                   TIM_JOIN_STATUS_WAIT_APPROVAL);
  g_clear_object (&result);
  tim_client_join_group_async (tam, club, NULL, NULL, tim_test_keep_result, &result);
  g_assert_cmpint (tim_client_join_group_finish (tam, tim_test_wait_result (&result), &error), ==,
                   TIM_JOIN_STATUS_WAIT_APPROVAL);

  timchat_window_open_conversation (window, "@TIM#SYSTEM");
  view = TIMCHAT_CONVERSATION_VIEW (test_app_conversation_view (window));
  g_assert_true (tim_test_wait_until (has_application, &(Pending){ view, "tam" }, 10000));
  g_assert_true (tim_test_wait_until (has_application, &(Pending){ view, "sol" }, 10000));
  g_assert_true (
      test_app_wait_text (GTK_WIDGET (view), "Book Club: sol asked to join the group: “hi”", 5000));
  assert_decline_then_accept (GTK_WIDGET (view));
  test_app_screenshot (GTK_WIDGET (window), "group-applications.png");

  notice = application_of (view, "sol");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "conversation.accept-application",
                                             "s", tim_message_get_id (notice)));
  g_assert_true (test_app_wait_text (GTK_WIDGET (view), "You accepted this request", 10000));
  g_assert_cmpstr ((on_server = tim_test_group_members (sol, club, &error)), ==,
                   "ria:Owner sol:Member");

  notice = application_of (view, "tam");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "conversation.refuse-application",
                                             "s", tim_message_get_id (notice)));
  test_app_answer_dialog ("decline", (const char *[]){ "reason", "we are full", NULL });
  g_assert_true (test_app_wait_text (GTK_WIDGET (view), "You declined this request", 10000));
  g_assert_true (test_app_wait_text (GTK_WIDGET (view), "You accepted this request", 1000));
  {
    g_autofree char *members = tim_test_group_members (ria, club, &error);

    g_assert_cmpstr (members, ==, "ria:Owner sol:Member");
  }
  for (guint tries = 0; tries < 100; tries++)
    {
      gboolean told = FALSE;

      for (guint i = 0; i < at_tam->len && !told; i++)
        told = tim_json_get_int_or (tim_message_get_payload (at_tam->pdata[i]), "operationType",
                                    0) == 3 &&
               g_strcmp0 (tim_json_get_string (tim_message_get_payload (at_tam->pdata[i]),
                                               "handleMessage"),
                          "we are full") == 0;
      if (told)
        break;
      g_assert_cmpuint (tries, <, 99);
      test_app_iterate (100);
    }

  /* New Group, open to requests: a Public group tam can ask to join. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.new-group", NULL));
  {
    GtkWindow *dialog = NULL;

    for (guint tries = 0; dialog == NULL && tries < 50; tries++)
      {
        dialog = test_app_find_toplevel (ADW_TYPE_MESSAGE_DIALOG, test_app_is_mapped);
        if (dialog == NULL)
          test_app_iterate (100);
      }
    g_assert_nonnull (dialog);
    gtk_check_button_set_active (
        GTK_CHECK_BUTTON (test_app_find_widget (GTK_WIDGET (dialog), is_check_button, NULL)), TRUE);
  }
  test_app_answer_dialog ("create", (const char *[]){ "name", "Open Club", NULL });
  g_assert_true (tim_test_wait_until (is_open_group, window, 10000));
  {
    g_autoptr (TimGroupInfo) info = NULL;
    g_autoptr (GAsyncResult) searched = NULL;

    tim_client_search_group_async (tam, _timchat_window_get_open_id (window) + strlen ("GROUP"),
                                   NULL, tim_test_keep_result, &searched);
    info = tim_client_search_group_finish (tam, tim_test_wait_result (&searched), &error);
    g_assert_no_error (error);
    g_assert_cmpstr (info->name, ==, "Open Club");
    g_assert_cmpstr (info->type, ==, "Public");
  }
  test_app_close (GTK_WIDGET (window));
}

static char *
request_lines (TimchatGroupDialog *dialog)
{
  g_auto (GStrv) got = timchat_group_dialog_dup_request_lines (dialog);

  return g_strjoinv ("; ", got);
}

static void
wait_requests (GtkWidget *dialog, const char *want)
{
  tim_test_wait_described ((char *(*) (gpointer)) request_lines, dialog, want);
}

static int
ask_to_join (TimClient *client, const char *group_id, const char *message)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  int status;

  tim_client_join_group_async (client, group_id, message, NULL, tim_test_keep_result, &result);
  status = tim_client_join_group_finish (client, tim_test_wait_result (&result), &error);
  g_assert_no_error (error);
  return status;
}

/* The Members dialog shows its owner the requests to join that wait, as they come, with
 * Decline… (the reason asked) then Accept (the applicant joins the members); their notices
 * follow. A
 * plain member's dialog shows none, until they are made an admin. */
static void
test_requests_in_members (void)
{
  TimchatWindow *window = test_app_logged_in_window (fixture, base_dir, "uma", NULL);
  TimClient *uma = timchat_window_get_client (window);
  g_autoptr (TimClient) aya = tim_test_client_new (fixture, base_dir, "aya");
  g_autoptr (TimClient) vic = tim_test_client_new (fixture, base_dir, "vic");
  g_autoptr (TimClient) wes = tim_test_client_new (fixture, base_dir, "wes");
  g_autoptr (TimClient) xan = tim_test_client_new (fixture, base_dir, "xan");
  g_autoptr (GPtrArray) at_wes = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *chess = create_group (uma, "Chess", "Public");
  g_autofree char *go = create_group (uma, "Go", "Public");
  g_autofree char *members = NULL;
  g_autoptr (GError) error = NULL;
  GtkWidget *dialog = timchat_group_dialog_new (GTK_WINDOW (window), uma, chess);
  GtkWidget *of_vic;

  tim_test_collect (wes, "message-received", at_wes);
  /* aya's waits when the dialog opens; the others come while it is open. */
  g_assert_cmpint (ask_to_join (aya, chess, "first"), ==, TIM_JOIN_STATUS_WAIT_APPROVAL);
  gtk_window_present (GTK_WINDOW (dialog));
  wait_requests (dialog, "aya: first");
  /* Another group's request is not this one's. */
  g_assert_cmpint (ask_to_join (xan, go, "go please"), ==, TIM_JOIN_STATUS_WAIT_APPROVAL);
  g_assert_cmpint (ask_to_join (vic, chess, "hello"), ==, TIM_JOIN_STATUS_WAIT_APPROVAL);
  g_assert_cmpint (ask_to_join (wes, chess, NULL), ==, TIM_JOIN_STATUS_WAIT_APPROVAL);
  wait_requests (dialog, "aya: first; vic: hello; wes: No message");
  assert_decline_then_accept (dialog);
  test_app_screenshot (dialog, "group-requests.png");

  g_assert_true (gtk_widget_activate_action (dialog, "group.accept-request", "s", "vic"));
  wait_requests (dialog, "aya: first; wes: No message");
  g_assert_cmpstr ((members = tim_test_group_members (uma, chess, &error)), ==,
                   "uma:Owner vic:Member");

  g_assert_true (gtk_widget_activate_action (dialog, "group.refuse-request", "s", "wes"));
  test_app_answer_dialog ("decline", (const char *[]){ "reason", "full board", NULL });
  wait_requests (dialog, "aya: first");
  g_assert_true (gtk_widget_activate_action (dialog, "group.accept-request", "s", "aya"));
  wait_requests (dialog, "");
  g_assert_false (
      gtk_widget_is_visible (test_app_find_widget (dialog, test_app_has_text, "Requests to Join")));
  for (guint tries = 0; tries < 100; tries++)
    {
      gboolean told = FALSE;

      for (guint i = 0; i < at_wes->len && !told; i++)
        told = tim_json_get_int_or (tim_message_get_payload (at_wes->pdata[i]), "operationType",
                                    0) == 3 &&
               g_strcmp0 (tim_json_get_string (tim_message_get_payload (at_wes->pdata[i]),
                                               "handleMessage"),
                          "full board") == 0;
      if (told)
        break;
      g_assert_cmpuint (tries, <, 99);
      test_app_iterate (100);
    }
  test_app_close (dialog);

  /* vic, a plain member now, sees no requests, though xan's waits. */
  g_assert_cmpint (ask_to_join (xan, chess, "me"), ==, TIM_JOIN_STATUS_WAIT_APPROVAL);
  of_vic = timchat_group_dialog_new (NULL, vic, chess);
  gtk_window_present (GTK_WINDOW (of_vic));
  dialog = timchat_group_dialog_new (GTK_WINDOW (window), uma, chess);
  gtk_window_present (GTK_WINDOW (dialog));
  wait_requests (dialog, "xan: me");
  {
    g_auto (GStrv) lines = NULL;

    for (guint tries = 0; tries < 50 && lines == NULL; tries++)
      if ((lines = timchat_group_dialog_dup_member_lines (TIMCHAT_GROUP_DIALOG (of_vic))) == NULL)
        test_app_iterate (100);
    g_assert_nonnull (lines);
  }
  test_app_iterate (300);
  wait_requests (of_vic, "");
  /* Made an admin after xan asked, vic answers too: his open dialog follows. */
  g_assert_true (gtk_widget_activate_action (dialog, "group.make-admin", "s", "vic"));
  wait_requests (of_vic, "xan: me");
  test_app_close (of_vic);
  test_app_close (dialog);
  test_app_close (GTK_WIDGET (window));
}

int
main (int argc, char **argv)
{
  test_app_init (&argc, &argv, TRUE);
  base_dir = tim_test_make_dir ();
  fixture = timchat_fixture_new (NULL);
  g_test_add_func ("/app/group-join/join-dialog", test_join_dialog);
  g_test_add_func ("/app/group-join/answer", test_answer);
  g_test_add_func ("/app/group-join/requests-in-members", test_requests_in_members);
  return test_app_run (fixture, base_dir);
}
