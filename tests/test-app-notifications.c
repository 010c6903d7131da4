/* test-app-notifications.c: desktop notifications, end to end through a real notification
 * daemon (dunst, on the test's own D-Bus session and Xvfb). A message that arrives while the
 * window is not active shows one notification per conversation, replaced by the next message;
 * "typing…"-style online-only messages show none; a new group's notification waits briefly for
 * the group's name; a recalled or deleted message's notification is withdrawn, and so is one
 * whose conversation was read or deleted on another device; a muted conversation shows
 * none, except for a message that mentions the user; a notification's "Mark as Read" reads its
 * conversation; clicking a notification opens its conversation in the window; a login as
 * someone else takes down the previous account's notifications, and their actions, should a
 * daemon still offer them, do nothing in the account logged in now. */
#define G_LOG_DOMAIN "test-app-notifications"

#include "config.h"

#include <adwaita.h>

#include "test-app-notifications-common.h"
#include "test-app-util.h"
#include "tim-json.h"
#include "tim-message-private.h"
#include "tim-test-util.h"
#include "timchat-test-util.h"
#include "timchat-application.h"
#include "timchat-conversation-view.h"
#include "timchat-window.h"

static TimchatFixture *fixture;
static char *base_dir;

/* ---- the daemon -------------------------------------------------------------------------- */

static GSubprocess *
start_daemon (GDBusConnection *bus)
{
  /* Notifications stay until closed, so the test sees every one of them. The one saying "Mark
   * me read" has its "Mark as Read" button for the action dunst invokes (GLib names a button's
   * action by its detailed name, g_action_print_detailed_name (): its target names alice's
   * account and the conversation). */
  return test_app_start_notification_daemon (
      bus, base_dir,
      "[global]\nidle_threshold = 0\n[urgency_normal]\n"
      "timeout = 0\n[mark_read_button]\nbody = \"Mark me read\"\n"
      "action_name = \"app.mark-read(('n-alice', 'C2Cn-bob'))\"\n");
}

static void
on_created (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
is_set (gpointer data)
{
  return *(gpointer *) data != NULL;
}

static gboolean
has_text (gpointer data)
{
  GPtrArray *got = data;

  for (guint i = 0; i < got->len; i++)
    if (g_strcmp0 (tim_message_get_text (got->pdata[i]), "Meet at eight") == 0)
      return TRUE;
  return FALSE;
}

/* ---- the app ----------------------------------------------------------------------------- */

static gboolean
shows_conversation (gpointer data)
{
  TimchatWindow *window = data;
  GtkWidget *view = test_app_conversation_view (window);

  return view != NULL && gtk_widget_get_mapped (view) &&
         g_strcmp0 (
             timchat_conversation_view_get_conversation_id (TIMCHAT_CONVERSATION_VIEW (view)),
             g_object_get_data (G_OBJECT (window), "expect")) == 0;
}

static gboolean
unread_zero (gpointer conversation)
{
  return tim_conversation_get_unread_count (conversation) == 0;
}

static void
send_text (TimClient *from, const char *to, const char *text, gboolean online_only)
{
  g_autoptr (TimMessage) message = tim_client_create_text_message (from, to, TIM_CONV_C2C, text);
  g_autoptr (TimSendOptions) options = tim_send_options_new ();
  g_autoptr (GError) error = NULL;

  options->online_user_only = online_only;
  g_assert_true (tim_test_send_with_options (from, message, options, &error));
  g_assert_no_error (error);
}

static gboolean
is_muted (gpointer client)
{
  TimConversation *bob =
      tim_conversation_list_lookup (tim_client_get_conversations (client), "C2Cn-bob");

  return bob != NULL && tim_conversation_get_is_muted (bob);
}

static gboolean
is_not_muted (gpointer client)
{
  return !is_muted (client);
}

typedef struct
{
  TimClient *client;
  const char *conversation_id;
} Conversation;

static gboolean
conversation_is_muted (gpointer data)
{
  Conversation *c = data;
  TimConversation *conversation =
      tim_conversation_list_lookup (tim_client_get_conversations (c->client), c->conversation_id);

  return conversation != NULL && tim_conversation_get_is_muted (conversation);
}

typedef struct
{
  TimClient *client;
  const char *text;
  const char *conversation_id; /* NULL: bob's */
} Said;

/* Whether the conversation (bob's by default) ends with said->text. */
static gboolean
last_says (gpointer data)
{
  Said *said = data;
  TimConversation *bob = tim_conversation_list_lookup (
      tim_client_get_conversations (said->client),
      said->conversation_id != NULL ? said->conversation_id : "C2Cn-bob");
  TimMessage *last = bob != NULL ? tim_conversation_get_last_message (bob) : NULL;

  return last != NULL && g_strcmp0 (tim_message_get_text (last), said->text) == 0;
}

static void
test_notifications (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_autoptr (GSubprocess) daemon = start_daemon (bus);
  g_autoptr (TimchatApplication) application = timchat_application_new ();
  g_autofree char *ws = timchat_fixture_ws_url (fixture);
  g_autofree char *usersig = timchat_fixture_usersig (fixture, "n-alice", 3600);
  g_autoptr (TimClient) bob = tim_test_client_new (fixture, base_dir, "n-bob");
  g_autoptr (TimClient) carol = tim_test_client_new (fixture, base_dir, "n-carol");
  g_autoptr (GPtrArray) lines = NULL;
  g_autofree char *alice_button = NULL;
  TimchatWindow *window;

  g_assert_true (g_application_register (G_APPLICATION (application), NULL, &error));
  g_assert_no_error (error);
  /* Never presented, so never active: what arrives is for the notifications. */
  window = timchat_window_new (ADW_APPLICATION (application), "notifications-test", base_dir);
  timchat_window_login (window, ws, timchat_fixture_get_sdkappid (fixture), "n-alice", usersig,
                        FALSE);
  g_assert_true (tim_test_wait_until (test_app_window_ready, window, 10000));
  g_assert_false (gtk_window_is_active (GTK_WINDOW (window)));

  send_text (bob, "n-alice", "Hello from bob", FALSE);
  wait_displayed (bus, 1);
  /* The next one from bob replaces his notification; carol's is her own. */
  send_text (bob, "n-alice", "Are you there?", FALSE);
  send_text (carol, "n-alice", "Hi, it is carol", FALSE);
  wait_displayed (bus, 2);
  /* Online only ("typing…"): nothing to see. */
  send_text (bob, "n-alice", "bob is typing", TRUE);
  test_app_iterate (1000);
  g_assert_cmpuint (displayed (bus), ==, 2);

  g_variant_unref (daemon_call (bus, "NotificationCloseAll", NULL, "()"));
  wait_displayed (bus, 0);
  lines = history (bus);
  for (guint i = 0; i < lines->len; i++)
    g_test_message ("history: %s", (const char *) lines->pdata[i]);
  g_assert_cmpuint (lines->len, ==, 2);
  g_assert_true (
      g_ptr_array_find_with_equal_func (lines, "n-carol: Hi, it is carol", g_str_equal, NULL));
  g_assert_true (
      g_ptr_array_find_with_equal_func (lines, "n-bob: Are you there?", g_str_equal, NULL));

  /* In a group the title is the group and the body says who wrote. */
  {
    const char *members[] = { "n-alice", NULL };
    g_autoptr (GPtrArray) got = g_ptr_array_new_with_free_func (g_object_unref);
    g_autofree char *group_id = NULL;
    g_autoptr (TimMessage) message = NULL;
    GAsyncResult *result = NULL;

    gulong collecting =
        tim_test_collect (timchat_window_get_client (window), "message-received", got);

    tim_client_create_group_async (bob, "Climbers", "Private", members, NULL, on_created, &result);
    g_assert_true (tim_test_wait_until (is_set, &result, 10000));
    group_id = tim_client_create_group_finish (bob, result, &error);
    g_assert_no_error (error);
    g_object_unref (result);
    message = tim_client_create_text_message (bob, group_id, TIM_CONV_GROUP, "Meet at eight");
    g_assert_true (tim_test_send (bob, message, &error));
    g_assert_no_error (error);
    g_assert_true (tim_test_wait_until (has_text, got, 10000));
    g_signal_handler_disconnect (timchat_window_get_client (window), collecting);
    /* The group's name, which came after its first message, not its ID. */
    g_assert_true (
        tim_test_wait_until (shows_line, &(Line){ bus, "Climbers: n-bob: Meet at eight" }, 10000));
    /* Being added arrives as a group system notice, in the conversation named for them. */
    g_clear_pointer (&lines, g_ptr_array_unref);
    lines = history (bus);
    for (guint i = 0; i < lines->len; i++)
      g_test_message ("history: %s", (const char *) lines->pdata[i]);
    /* ... in words, as the conversation shows it, not the SDK's "[Group System Message]". */
    g_assert_true (g_ptr_array_find_with_equal_func (
        lines, "Group Notices: Climbers: n-bob added you to the group", g_str_equal, NULL));

    /* Muted, the group's chatter shows nothing; a message that mentions alice gets through and
     * says so. */
    {
      g_autofree char *conversation_id = tim_conv_make_id (TIM_CONV_GROUP, group_id);
      const char *const at_alice[] = { "n-alice", NULL };
      g_autoptr (TimMessage) chatter =
          tim_client_create_text_message (bob, group_id, TIM_CONV_GROUP, "Chatter");
      g_autoptr (TimMessage) call = NULL;
      TimClient *client = timchat_window_get_client (window);

      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.mute-conversation", "s",
                                                 conversation_id));
      g_assert_true (tim_test_wait_until (conversation_is_muted,
                                          &(Conversation){ client, conversation_id }, 5000));
      g_variant_unref (daemon_call (bus, "NotificationCloseAll", NULL, "()"));
      wait_displayed (bus, 0);
      g_assert_true (tim_test_send (bob, chatter, &error));
      g_assert_no_error (error);
      g_assert_true (
          tim_test_wait_until (last_says, &(Said){ client, "Chatter", conversation_id }, 5000));
      test_app_iterate (500);
      g_assert_cmpuint (displayed (bus), ==, 0);
      call = tim_client_create_text_at_message (bob, group_id, "@n-alice the rope?", at_alice);
      g_assert_true (tim_test_send (bob, call, &error));
      g_assert_no_error (error);
      g_assert_true (tim_test_wait_until (
          shows_line, &(Line){ bus, "Climbers: n-bob mentioned you: @n-alice the rope?" }, 10000));
    }
  }

  /* A group whose name is its ID: no name ever comes, so after its short wait the notification
   * goes out with what there is, instead of never. */
  {
    g_autoptr (JsonObject) created = timchat_test_rest (
        fixture, "group_open_http_svc/create_group",
        "{\"Owner_Account\":\"n-bob\",\"Type\":\"Private\",\"GroupId\":\"lonely\","
        "\"Name\":\"lonely\",\"MemberList\":[{\"Member_Account\":\"n-alice\"}]}",
        NULL);
    g_autoptr (TimMessage) message = NULL;
    gint64 sent;

    g_assert_cmpint (tim_json_get_int_or (created, "ErrorCode", -1), ==, 0);
    message = tim_client_create_text_message (bob, "lonely", TIM_CONV_GROUP, "Anyone?");
    sent = g_get_monotonic_time ();
    g_assert_true (tim_test_send (bob, message, &error));
    g_assert_no_error (error);
    g_assert_true (
        tim_test_wait_until (shows_line, &(Line){ bus, "lonely: n-bob: Anyone?" }, 10000));
    /* It did wait for a name (2 s), so this was the timeout's notification. */
    g_assert_cmpint (g_get_monotonic_time () - sent, >=, 1500 * G_TIME_SPAN_MILLISECOND);
  }

  /* Read while its notification waits for the group's name (here, from the list's menu): there
   * is nothing new to tell any more, so none comes when the wait ends. */
  {
    g_autoptr (JsonObject) created = timchat_test_rest (
        fixture, "group_open_http_svc/create_group",
        "{\"Owner_Account\":\"n-bob\",\"Type\":\"Private\",\"GroupId\":\"quiet\","
        "\"Name\":\"quiet\",\"MemberList\":[{\"Member_Account\":\"n-alice\"}]}",
        NULL);
    g_autoptr (TimMessage) message = NULL;
    TimClient *client = timchat_window_get_client (window);
    TimConversation *quiet;

    g_assert_cmpint (tim_json_get_int_or (created, "ErrorCode", -1), ==, 0);
    g_variant_unref (daemon_call (bus, "NotificationCloseAll", NULL, "()"));
    wait_displayed (bus, 0);
    message = tim_client_create_text_message (bob, "quiet", TIM_CONV_GROUP, "Read me soon");
    g_assert_true (tim_test_send (bob, message, &error));
    g_assert_no_error (error);
    g_assert_true (
        tim_test_wait_until (last_says, &(Said){ client, "Read me soon", "GROUPquiet" }, 5000));
    quiet = tim_conversation_list_lookup (tim_client_get_conversations (client), "GROUPquiet");
    g_assert_cmpuint (tim_conversation_get_unread_count (quiet), >, 0);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.mark-conversation-read",
                                               "s", "GROUPquiet"));
    g_assert_true (tim_test_wait_until (unread_zero, quiet, 5000));
    /* Past the wait for a name (2 s). Being added to the group has its own notice. */
    test_app_iterate (3000);
    g_variant_unref (daemon_call (bus, "NotificationCloseAll", NULL, "()"));
    wait_displayed (bus, 0);
    g_clear_pointer (&lines, g_ptr_array_unref);
    lines = history (bus);
    g_assert_false (
        g_ptr_array_find_with_equal_func (lines, "quiet: n-bob: Read me soon", g_str_equal, NULL));
  }

  /* A recalled message's notification is withdrawn: it would show what bob took back. */
  {
    g_autoptr (TimMessage) secret =
        tim_client_create_text_message (bob, "n-alice", TIM_CONV_C2C, "Forget this");
    g_autoptr (GAsyncResult) revoked = NULL;

    g_assert_true (tim_test_send (bob, secret, &error));
    g_assert_no_error (error);
    wait_displayed (bus, 1);
    tim_client_revoke_message_async (bob, secret, NULL, tim_test_keep_result, &revoked);
    g_assert_true (tim_client_revoke_message_finish (bob, tim_test_wait_result (&revoked), &error));
    g_assert_no_error (error);
    wait_displayed (bus, 0);
  }
  /* So is a deleted one's (alice deleted it on a device that does not read first). */
  {
    g_autoptr (TimMessage) doomed =
        tim_client_create_text_message (bob, "n-alice", TIM_CONV_C2C, "Delete this");
    g_autoptr (GPtrArray) received = g_ptr_array_new_with_free_func (g_object_unref);
    TimClient *client = timchat_window_get_client (window);
    gulong collecting = tim_test_collect (client, "message-received", received);

    g_assert_true (tim_test_send (bob, doomed, &error));
    g_assert_no_error (error);
    wait_displayed (bus, 1);
    g_assert_true (tim_test_wait_count (received, 1, 5000));
    g_signal_handler_disconnect (client, collecting);
    /* As libtim announces a deletion made elsewhere: alice's copy. */
    g_assert_cmpstr (tim_message_get_conversation_id (received->pdata[0]), ==, "C2Cn-bob");
    g_signal_emit_by_name (client, "message-deleted", received);
    wait_displayed (bus, 0);
  }
  /* A message that comes in already recalled (it was taken back while we were away) shows
   * nothing: what a sync after a reconnection hands over. */
  {
    g_autoptr (JsonObject) item = tim_json_parse_object (
        "{\"From_Account\":\"n-bob\",\"To_Account\":\"n-alice\",\"MsgSeq\":77,"
        "\"MsgRandom\":77,\"MsgTimeStamp\":1795637570,\"MsgFlagBits\":8,"
        "\"MsgBody\":[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"\"}}]}",
        -1, NULL);
    g_autoptr (TimMessage) gone = _tim_message_new_from_c2c_wire (item, "n-alice");
    g_autoptr (GPtrArray) arrived = g_ptr_array_new ();

    g_assert_true (tim_message_get_is_revoked (gone));
    g_assert_cmpstr (tim_message_get_flow (gone), ==, "in");
    g_ptr_array_add (arrived, gone);
    g_signal_emit_by_name (timchat_window_get_client (window), "message-received", arrived);
    test_app_iterate (1000);
    g_assert_cmpuint (displayed (bus), ==, 0);
  }

  /* Muted from the conversation's menu: bob's messages still come, without a notification;
   * unmuted, the next one shows again. */
  {
    TimClient *client = timchat_window_get_client (window);

    g_assert_true (
        gtk_widget_activate_action (GTK_WIDGET (window), "win.mute-conversation", "s", "C2Cn-bob"));
    g_assert_true (tim_test_wait_until (is_muted, client, 5000));
    send_text (bob, "n-alice", "You will not hear this", FALSE);
    g_assert_true (
        tim_test_wait_until (last_says, &(Said){ client, "You will not hear this" }, 5000));
    test_app_iterate (500);
    g_assert_cmpuint (displayed (bus), ==, 0);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.unmute-conversation", "s",
                                               "C2Cn-bob"));
    g_assert_true (tim_test_wait_until (is_not_muted, client, 5000));
    send_text (bob, "n-alice", "Now you will", FALSE);
    wait_displayed (bus, 1);
    g_variant_unref (daemon_call (bus, "NotificationCloseAll", NULL, "()"));
    wait_displayed (bus, 0);
  }

  /* Read on another device of alice's: the notification goes, there is nothing new any more. */
  {
    g_autofree char *phone_dir = g_build_filename (base_dir, "phone", NULL);
    g_autoptr (TimClient) phone = tim_test_client_new (fixture, phone_dir, "n-alice");
    g_autoptr (GAsyncResult) read = NULL;

    send_text (bob, "n-alice", "Read me on your phone", FALSE);
    wait_displayed (bus, 1);
    g_assert_true (
        tim_test_wait_until (last_says, &(Said){ phone, "Read me on your phone" }, 5000));
    tim_client_set_message_read_async (phone, "C2Cn-bob", NULL, tim_test_keep_result, &read);
    g_assert_true (
        tim_client_set_message_read_finish (phone, tim_test_wait_result (&read), &error));
    g_assert_no_error (error);
    wait_displayed (bus, 0);
  }

  /* Deleted on another device of alice's: the notification goes with the conversation. Left, a
   * click on it opened a conversation no longer listed. */
  {
    g_autofree char *phone_dir = g_build_filename (base_dir, "phone", NULL);
    g_autoptr (TimClient) phone = tim_test_client_new (fixture, phone_dir, "n-alice");
    g_autoptr (GAsyncResult) deleted = NULL;

    send_text (carol, "n-alice", "Delete me on your phone", FALSE);
    wait_displayed (bus, 1);
    g_assert_true (tim_test_wait_until (
        last_says, &(Said){ phone, "Delete me on your phone", "C2Cn-carol" }, 5000));
    tim_client_delete_conversation_async (phone, "C2Cn-carol", NULL, tim_test_keep_result,
                                          &deleted);
    g_assert_true (
        tim_client_delete_conversation_finish (phone, tim_test_wait_result (&deleted), &error));
    g_assert_no_error (error);
    wait_displayed (bus, 0);
  }

  /* Its "Mark as Read" reads the conversation, and the notification goes; the window stays
   * hidden. */
  {
    TimConversation *at_bob = tim_conversation_list_lookup (
        tim_client_get_conversations (timchat_window_get_client (window)), "C2Cn-bob");

    send_text (bob, "n-alice", "Mark me read", FALSE);
    wait_displayed (bus, 1);
    g_assert_nonnull (at_bob);
    g_assert_cmpuint (tim_conversation_get_unread_count (at_bob), >, 0);
    g_variant_unref (daemon_call (bus, "NotificationAction", g_variant_new ("(u)", 0), "()"));
    g_assert_true (tim_test_wait_until (unread_zero, at_bob, 10000));
    g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window)));
    /* dunst leaves a notification up after its action (GNOME Shell takes it down), and GLib
     * forgets one whose action was invoked, so nothing withdraws it: closed here. */
    g_variant_unref (daemon_call (bus, "NotificationCloseAll", NULL, "()"));
    wait_displayed (bus, 0);
  }

  /* Logged in as someone else, the window takes down what was notified to alice: clicked, it
   * would open its conversation in dave's account, and its "Mark as Read" would read dave's.
   * The login comes soon after the notification, while its withdrawal would still wait to be
   * sure it is out (a second), and the notifier goes with alice's client. */
  {
    g_autofree char *dave_sig = timchat_fixture_usersig (fixture, "n-dave", 3600);
    guint watching = watch_buttons (bus);

    send_text (bob, "n-alice", "For alice only", FALSE);
    wait_displayed (bus, 1);
    g_dbus_connection_remove_filter (bus, watching);
    alice_button = dup_last_button ();
    g_assert_nonnull (alice_button);
    test_app_iterate (100);
    timchat_window_login (window, ws, timchat_fixture_get_sdkappid (fixture), "n-dave", dave_sig,
                          FALSE);
    g_assert_true (tim_test_wait_until (test_app_window_ready, window, 10000));
    wait_displayed (bus, 0);
  }

  /* A click on a notification opens its conversation in the window (dave's, after that login). */
  send_text (carol, "n-dave", "Look at this", FALSE);
  wait_displayed (bus, 1);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window)));
  g_variant_unref (daemon_call (bus, "NotificationAction", g_variant_new ("(u)", 0), "()"));
  g_object_set_data_full (G_OBJECT (window), "expect", g_strdup ("C2Cn-carol"), g_free);
  g_assert_true (tim_test_wait_until (shows_conversation, window, 10000));

  /* alice's notification, which a daemon may still offer (a withdrawal can fail, a history keeps
   * it), is hers: its actions, activated as GNOME Shell does it (over the bus, with what the
   * notification holds), neither read dave's conversation with bob nor open it. */
  {
    TimClient *client = timchat_window_get_client (window);
    g_autofree char *action = NULL;
    g_autoptr (GVariant) target = NULL;
    TimConversation *at_bob;

    send_text (bob, "n-dave", "Dave, are you there?", FALSE);
    g_assert_true (
        tim_test_wait_until (last_says, &(Said){ client, "Dave, are you there?" }, 5000));
    at_bob = tim_conversation_list_lookup (tim_client_get_conversations (client), "C2Cn-bob");
    g_assert_cmpuint (tim_conversation_get_unread_count (at_bob), >, 0);
    g_test_message ("alice's Mark as Read: %s", alice_button);
    g_assert_true (g_action_parse_detailed_name (alice_button, &action, &target, &error));
    g_assert_no_error (error);
    g_assert_cmpstr (action, ==, "app.mark-read");
    activate_over_bus (bus, G_APPLICATION (application), "mark-read", target);
    activate_over_bus (bus, G_APPLICATION (application), "open-conversation", target);
    test_app_iterate (1000);
    g_assert_cmpuint (tim_conversation_get_unread_count (at_bob), >, 0);
    g_assert_true (shows_conversation (window));
  }

  gtk_window_destroy (GTK_WINDOW (window));
  g_subprocess_force_exit (daemon);
  g_subprocess_wait (daemon, NULL, NULL);
}

int
main (int argc, char **argv)
{
  test_app_init (&argc, &argv, FALSE);
  fixture = timchat_fixture_new (NULL);
  base_dir = tim_test_make_dir ();
  g_test_add_func ("/app/notifications/through-a-daemon", test_notifications);
  return test_app_run (fixture, base_dir);
}
