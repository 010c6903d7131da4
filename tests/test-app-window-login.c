/* test-app-window-login.c: the window's session: the first run, a login remembered in the real
 * keyring and Log Out forgetting it, a kick and an expired login taking it back to the welcome
 * page, "Try it on this computer" (also one that cannot start, and a server login after it), the
 * network banner, a first login and a relogin the server refuses, and logging in again in the same
 * window (the old models let go, the draft kept, the new account's client used). Separate from the
 * window's other programs (test-app-window-*.c) as the one that stops, restarts and reconfigures
 * the server. */
#define G_LOG_DOMAIN "test-app-window-login"

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "test-app-util.h"
#include "test-app-window-common.h"
#include "tim-client-private.h"
#include "tim-test-util.h"
#include "timchat-blocked-dialog.h"
#include "timchat-composer.h"
#include "timchat-conversation-view.h"
#include "timchat-credentials.h"
#include "timchat-join-dialog.h"
#include "timchat-test-util.h"

static TimchatFixture *fixture;
static char *base_dir;

static void
test_first_run_remember_and_log_out (void)
{
  g_autofree char *ws = timchat_fixture_ws_url (fixture);
  g_autofree char *usersig = timchat_fixture_usersig (fixture, "wendy", 3600);
  TimchatWindow *window = timchat_window_new (NULL, "test-account", base_dir);
  TimchatWindow *second = NULL;
  g_autoptr (TimchatCredentials) stored = NULL;
  g_autoptr (GError) error = NULL;

  gtk_window_present (GTK_WINDOW (window));
  /* Nothing stored: once the keyring has answered, the welcome page (not before: no flash of it
   * on a start that logs in by itself). */
  wait_page (window, "welcome");
  /* Leaving the empty start page is not animated (a crossfade would take 200 ms). */
  g_assert_false (gtk_stack_get_transition_running (main_stack (window)));

  timchat_window_login (window, ws, timchat_fixture_get_sdkappid (fixture), "wendy", usersig, TRUE);
  wait_page (window, "chat");
  g_assert_true (tim_test_wait_until (test_app_window_ready, window, 10000));
  /* Kept in the keyring (in its queue, away from the main thread): the next start logs in by
   * itself. */
  g_assert_true (timchat_credentials_wait_queue (10000));
  stored = timchat_credentials_load ("test-account", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (stored);
  g_assert_cmpstr (stored->user, ==, "wendy");
  g_assert_cmpstr (stored->usersig, ==, usersig);
  second = timchat_window_new (NULL, "test-account", base_dir);
  gtk_window_present (GTK_WINDOW (second));
  wait_page (second, "chat");
  g_assert_true (tim_test_wait_until (test_app_window_ready, second, 10000));
  gtk_window_destroy (GTK_WINDOW (second));

  /* Log out asks first, saying what goes; Enter (the default) or Cancel keep everything. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.log-out", NULL);
  {
    AdwMessageDialog *dialog = test_app_wait_message_dialog ();

    g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Log Out?");
    g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "keyring"));
    g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "cancel");
    g_assert_cmpstr (adw_message_dialog_get_close_response (dialog), ==, "cancel");
    g_assert_cmpint (adw_message_dialog_get_response_appearance (dialog, "log-out"), ==,
                     ADW_RESPONSE_DESTRUCTIVE);
  }
  test_app_answer_dialog ("cancel", NULL);
  test_app_iterate (100);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (main_stack (window)), ==, "chat");
  g_clear_pointer (&stored, timchat_credentials_free);
  stored = timchat_credentials_load ("test-account", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (stored);
  /* Log Out forgets the secret. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.log-out", NULL);
  test_app_answer_dialog ("log-out", NULL);
  wait_page (window, "welcome");
  g_assert_true (timchat_credentials_wait_queue (10000));
  g_clear_pointer (&stored, timchat_credentials_free);
  stored = timchat_credentials_load ("test-account", NULL, &error);
  g_assert_no_error (error);
  g_assert_null (stored);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The server logs the account out (an administrator's kick): back to the welcome page, with a
 * toast that says why, and the window logs in again from there. */
static void
test_kicked_out (void)
{
  g_autofree char *ws = timchat_fixture_ws_url (fixture);
  g_autofree char *usersig = timchat_fixture_usersig (fixture, "kate", 3600);
  TimchatWindow *window = timchat_window_new (NULL, "kick-test", base_dir);
  g_autoptr (JsonObject) kicked = NULL;

  gtk_window_present (GTK_WINDOW (window));
  timchat_window_login (window, ws, timchat_fixture_get_sdkappid (fixture), "kate", usersig, FALSE);
  wait_page (window, "chat");
  g_assert_true (tim_test_wait_until (test_app_window_ready, window, 10000));

  kicked = timchat_test_rest (fixture, "im_open_login_svc/kick", "{\"UserID\":\"kate\"}", NULL);
  g_assert_nonnull (kicked);
  g_assert_cmpint (json_object_get_int_member (kicked, "ErrorCode"), ==, 0);
  wait_page (window, "welcome");
  g_assert_nonnull (test_app_find_widget (GTK_WIDGET (window), test_app_has_text,
                                          "You were logged out by the server"));
  /* The welcome page's window opens no conversation: Ctrl+N (win.new-conversation) and the
   * other actions of the chat page do nothing there, as Ctrl+F does not search. */
  for (guint i = 0; i < 3; i++)
    {
      const char *actions[] = { "win.new-conversation", "win.new-group", "win.join-group" };

      gtk_widget_activate_action (GTK_WIDGET (window), actions[i], NULL);
    }
  test_app_iterate (200);
  g_assert_null (test_app_find_toplevel (ADW_TYPE_MESSAGE_DIALOG, NULL));
  g_assert_null (test_app_find_toplevel (TIMCHAT_TYPE_JOIN_DIALOG, NULL));

  timchat_window_login (window, ws, timchat_fixture_get_sdkappid (fixture), "kate", usersig, FALSE);
  wait_page (window, "chat");
  g_assert_true (tim_test_wait_until (test_app_window_ready, window, 10000));
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
banner_shown (gpointer data)
{
  TimchatWindow *window = data;
  GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (window));

  /* Find the revealer by walking the tree: the only GtkRevealer in the window. */
  for (GtkWidget *w = child; w != NULL;)
    {
      if (GTK_IS_REVEALER (w))
        return gtk_revealer_get_reveal_child (GTK_REVEALER (w));
      if (gtk_widget_get_first_child (w) != NULL)
        w = gtk_widget_get_first_child (w);
      else
        {
          while (w != NULL && gtk_widget_get_next_sibling (w) == NULL)
            w = gtk_widget_get_parent (w);
          w = w != NULL ? gtk_widget_get_next_sibling (w) : NULL;
        }
    }
  return FALSE;
}

static gboolean
banner_hidden (gpointer data)
{
  return !banner_shown (data);
}

static void
test_local_server (void)
{
  g_autofree char *local_dir = g_build_filename (base_dir, "local-server", NULL);
  TimchatWindow *window = NULL;

  g_setenv ("TIMCHAT_LOCAL_SERVER_DIR", local_dir, TRUE);
  window = timchat_window_new (NULL, "local-test", base_dir);
  gtk_window_present (GTK_WINDOW (window));
  timchat_window_start_local (window, "me");
  wait_page (window, "chat");
  g_assert_true (tim_test_wait_until (test_app_window_ready, window, 20000));
  g_assert_true (g_file_test (local_dir, G_FILE_TEST_IS_DIR));
  g_assert_true (banner_hidden (window));
  gtk_window_destroy (GTK_WINDOW (window));
  g_unsetenv ("TIMCHAT_LOCAL_SERVER_DIR");
}

static gboolean
label_starts_with (GtkWidget *widget, gconstpointer prefix)
{
  return GTK_IS_LABEL (widget) &&
         g_str_has_prefix (gtk_label_get_text (GTK_LABEL (widget)), prefix);
}

/* Its toast says why. */
static gboolean
says_cannot_start (gpointer window)
{
  return test_app_find_widget (window, label_starts_with,
                               "Cannot start /nonexistent/timchat-server") != NULL;
}

/* A local server that cannot start (here: no server program): the error is said, and the
 * welcome page offers to log in another way. Started from a stored login or the command line,
 * the window used to stay on its empty start page for good. */
static void
test_local_server_fails (void)
{
  g_autofree char *local_dir = g_build_filename (base_dir, "local-server-fails", NULL);
  g_autofree char *server = g_strdup (g_getenv ("TIMCHAT_SERVER"));
  TimchatWindow *window = NULL;

  g_setenv ("TIMCHAT_LOCAL_SERVER_DIR", local_dir, TRUE);
  g_setenv ("TIMCHAT_SERVER", "/nonexistent/timchat-server", TRUE);
  window = timchat_window_new (NULL, "local-fails-test", base_dir);
  gtk_window_present (GTK_WINDOW (window));
  timchat_window_start_local (window, "me");
  wait_page (window, "welcome");
  g_assert_true (tim_test_wait_until (says_cannot_start, window, 10000));
  gtk_window_destroy (GTK_WINDOW (window));
  if (server != NULL)
    g_setenv ("TIMCHAT_SERVER", server, TRUE);
  else
    g_unsetenv ("TIMCHAT_SERVER");
  g_unsetenv ("TIMCHAT_LOCAL_SERVER_DIR");
}

/* "Try it on this computer", logged out, then a login to a server, remembered: that server's
 * login is kept, not the local one (the next start went to the local server instead). */
static void
test_local_then_server (void)
{
  g_autofree char *local_dir = g_build_filename (base_dir, "local-then-server", NULL);
  g_autofree char *ws = timchat_fixture_ws_url (fixture);
  g_autofree char *usersig = timchat_fixture_usersig (fixture, "lena", 3600);
  g_autoptr (TimchatCredentials) stored = NULL;
  g_autoptr (GError) error = NULL;
  TimchatWindow *window = NULL;

  g_setenv ("TIMCHAT_LOCAL_SERVER_DIR", local_dir, TRUE);
  window = timchat_window_new (NULL, "local-then-server-test", base_dir);
  gtk_window_present (GTK_WINDOW (window));
  timchat_window_start_local (window, "lena");
  wait_page (window, "chat");
  g_assert_true (tim_test_wait_until (test_app_window_ready, window, 20000));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.log-out", NULL);
  test_app_answer_dialog ("log-out", NULL);
  wait_page (window, "welcome");

  timchat_window_login (window, ws, timchat_fixture_get_sdkappid (fixture), "lena", usersig, TRUE);
  wait_page (window, "chat");
  g_assert_true (tim_test_wait_until (test_app_window_ready, window, 10000));
  g_assert_true (timchat_credentials_wait_queue (10000));
  stored = timchat_credentials_load ("local-then-server-test", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (stored);
  g_assert_cmpstr (stored->server_url, ==, ws);
  g_assert_false (stored->local);
  timchat_credentials_forget ("local-then-server-test", NULL, NULL);
  gtk_window_destroy (GTK_WINDOW (window));
  g_unsetenv ("TIMCHAT_LOCAL_SERVER_DIR");
}

static void
test_network_banner (void)
{
  g_autofree char *ws = timchat_fixture_ws_url (fixture);
  g_autofree char *usersig = timchat_fixture_usersig (fixture, "xena", 3600);
  TimchatWindow *window = timchat_window_new (NULL, "banner-test", base_dir);

  gtk_window_present (GTK_WINDOW (window));
  timchat_window_login (window, ws, timchat_fixture_get_sdkappid (fixture), "xena", usersig, FALSE);
  g_assert_true (tim_test_wait_until (test_app_window_ready, window, 10000));
  g_assert_true (banner_hidden (window));
  timchat_fixture_stop (fixture);
  /* Offline says so instead of spinning. */
  g_assert_true (tim_test_wait_until (banner_shown, window, 10000));
  timchat_fixture_restart (fixture);
  g_assert_true (tim_test_wait_until (banner_hidden, window, 30000));

  /* The next try waits a minute now: Retry Now does not. */
  tim_transport_set_backoff (timchat_window_get_client (window)->transport, 60000, 60000);
  timchat_fixture_stop (fixture);
  g_assert_true (tim_test_wait_until (banner_shown, window, 10000));
  timchat_fixture_restart (fixture);
  test_app_iterate (1000);
  g_assert_true (banner_shown (window));
  g_assert_nonnull (
      test_app_find_widget (GTK_WIDGET (window), test_app_has_button_label, "_Retry Now"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.reconnect", NULL));
  g_assert_true (tim_test_wait_until (banner_hidden, window, 5000));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The server's configuration with sdkappid as its SDKAppID. */
static void
set_server_sdkappid (guint64 sdkappid)
{
  g_autofree char *path =
      g_build_filename (timchat_fixture_get_data_dir (fixture), "timchat.conf", NULL);
  g_autoptr (GKeyFile) config = g_key_file_new ();
  g_autoptr (GError) error = NULL;

  g_assert_true (g_key_file_load_from_file (config, path, G_KEY_FILE_KEEP_COMMENTS, &error));
  g_key_file_set_uint64 (config, "app", "sdkappid", sdkappid);
  g_assert_true (g_key_file_save_to_file (config, path, &error));
  g_assert_no_error (error);
}

/* The server comes back but refuses the login again that follows (here it serves another
 * SDKAppID now): the session is over, nothing reconnects, as after a refused first login or a
 * kick, so the window goes back to the welcome page, which says why, and what was opened over it
 * for the account goes. It stayed on its chat page under a "Waiting for network…" banner that
 * never went, whose Retry Now did nothing, and what was sent there waited for ever. */
static void
test_relogin_refused (void)
{
  g_autofree char *ws = timchat_fixture_ws_url (fixture);
  g_autofree char *usersig = timchat_fixture_usersig (fixture, "rhea", 3600);
  TimchatWindow *window = timchat_window_new (NULL, "relogin-refused-test", base_dir);

  gtk_window_present (GTK_WINDOW (window));
  timchat_window_login (window, ws, timchat_fixture_get_sdkappid (fixture), "rhea", usersig, FALSE);
  wait_page (window, "chat");
  g_assert_true (tim_test_wait_until (test_app_window_ready, window, 10000));
  /* What was opened for the account goes with it, as at a kick or Log Out. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-blocked", NULL));
  g_assert_nonnull (test_app_find_toplevel (TIMCHAT_TYPE_BLOCKED_DIALOG, test_app_is_mapped));

  timchat_fixture_stop (fixture);
  set_server_sdkappid (timchat_fixture_get_sdkappid (fixture) + 1);
  timchat_fixture_restart (fixture);
  wait_page (window, "welcome");
  g_assert_cmpint (tim_client_get_net_state (timchat_window_get_client (window)), ==,
                   TIM_NET_STATE_DISCONNECTED);
  test_app_iterate (300);
  g_assert_null (test_app_find_toplevel (TIMCHAT_TYPE_BLOCKED_DIALOG, test_app_is_mapped));

  timchat_fixture_stop (fixture);
  set_server_sdkappid (timchat_fixture_get_sdkappid (fixture));
  timchat_fixture_restart (fixture);
  timchat_window_login (window, ws, timchat_fixture_get_sdkappid (fixture), "rhea", usersig, FALSE);
  wait_page (window, "chat");
  g_assert_true (tim_test_wait_until (test_app_window_ready, window, 10000));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A first login the server refuses (a remembered UserSig that ran out while TimChat was closed,
 * or one of another user): the chat page shows the cached list while the server is asked, and
 * what was opened there for the account goes with the refusal, as at a kick or a refused relogin:
 * the conversation closes with its draft kept, the dialogs over the window close, the client
 * logs out. Blocked People stayed over the welcome page, and the typed text, kept only by the
 * composer of a conversation still open behind it, was lost at the next login (its client was
 * logged out before the conversation closed, so its draft could not be kept). */
static void
test_first_login_refused (void)
{
  g_autofree char *ws = timchat_fixture_ws_url (fixture);
  g_autofree char *wrong_sig = timchat_fixture_usersig (fixture, "someone-else", 3600);
  g_autofree char *usersig = timchat_fixture_usersig (fixture, "fern", 3600);
  TimchatWindow *window = timchat_window_new (NULL, "first-login-refused-test", base_dir);
  g_autofree char *draft = NULL;
  GtkWidget *view, *composer;
  GtkTextBuffer *buffer;

  timchat_test_import_account (fixture, "fern", NULL);
  timchat_test_import_account (fixture, "gus", NULL);
  gtk_window_present (GTK_WINDOW (window));
  timchat_window_login (window, ws, timchat_fixture_get_sdkappid (fixture), "fern", wrong_sig,
                        FALSE);
  /* While the server is asked: a conversation opened and typed in, a dialog opened. */
  timchat_window_open_conversation (window, "C2Cgus");
  view = test_app_conversation_view (window);
  composer = test_app_composer (view);
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (
      test_app_find_widget (composer, test_app_has_type, GSIZE_TO_POINTER (GTK_TYPE_TEXT_VIEW))));
  gtk_text_buffer_insert_interactive_at_cursor (buffer, "typed while logging in", -1, TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-blocked", NULL));
  g_assert_nonnull (test_app_find_toplevel (TIMCHAT_TYPE_BLOCKED_DIALOG, test_app_is_mapped));

  wait_page (window, "welcome");
  test_app_iterate (300);
  g_assert_null (test_app_find_toplevel (TIMCHAT_TYPE_BLOCKED_DIALOG, test_app_is_mapped));
  g_assert_null (timchat_conversation_view_get_conversation_id (TIMCHAT_CONVERSATION_VIEW (view)));
  g_assert_null (tim_client_get_user (timchat_window_get_client (window)));

  timchat_window_login (window, ws, timchat_fixture_get_sdkappid (fixture), "fern", usersig, FALSE);
  g_assert_true (tim_test_wait_until (test_app_window_ready, window, 10000));
  draft = tim_client_dup_conversation_draft (timchat_window_get_client (window), "C2Cgus");
  g_assert_cmpstr (draft, ==, "typed while logging in");
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
is_null (gpointer data)
{
  return *(gpointer *) data == NULL;
}

/* Logging in again (after a log out, or as someone else) lets go of the first client's
 * conversation models, not only of the client. */
static void
test_second_login_releases_models (void)
{
  g_autofree char *ws = timchat_fixture_ws_url (fixture);
  g_autofree char *usersig = timchat_fixture_usersig (fixture, "zoe", 3600);
  TimchatWindow *window = timchat_window_new (NULL, "relogin-test", base_dir);
  GtkListView *list;
  GListModel *shown;
  gpointer filtered;

  gtk_window_present (GTK_WINDOW (window));
  timchat_window_login (window, ws, timchat_fixture_get_sdkappid (fixture), "zoe", usersig, FALSE);
  g_assert_true (tim_test_wait_until (test_app_window_ready, window, 10000));
  list = conversation_list_of (window);
  g_assert_nonnull (list);
  shown = gtk_single_selection_get_model (GTK_SINGLE_SELECTION (gtk_list_view_get_model (list)));
  filtered = gtk_slice_list_model_get_model (GTK_SLICE_LIST_MODEL (shown));
  g_assert_true (GTK_IS_FILTER_LIST_MODEL (filtered));
  g_object_add_weak_pointer (filtered, &filtered);

  timchat_window_login (window, ws, timchat_fixture_get_sdkappid (fixture), "zoe", usersig, FALSE);
  g_assert_true (tim_test_wait_until (test_app_window_ready, window, 10000));
  g_assert_true (tim_test_wait_until (is_null, &filtered, 5000));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Typed, then logged out at once (before the pause after which a draft is kept): Log Out keeps
 * it as the conversation's draft, as its dialog says, so the next login finds it in another
 * window too (after a restart), not only in this window's composer. */
static void
test_log_out_keeps_draft (void)
{
  g_autofree char *ws = timchat_fixture_ws_url (fixture);
  g_autofree char *usersig = timchat_fixture_usersig (fixture, "xia", 3600);
  TimchatWindow *window = timchat_window_new (NULL, "log-out-draft-test", base_dir);
  TimchatWindow *again = NULL;
  g_autofree char *draft = NULL;
  GtkWidget *composer;
  GtkTextBuffer *buffer;

  timchat_test_import_account (fixture, "xia", NULL);
  timchat_test_import_account (fixture, "yan", NULL);
  gtk_window_present (GTK_WINDOW (window));
  timchat_window_login (window, ws, timchat_fixture_get_sdkappid (fixture), "xia", usersig, FALSE);
  g_assert_true (tim_test_wait_until (test_app_window_ready, window, 10000));
  timchat_window_open_conversation (window, "C2Cyan");
  composer = test_app_composer (test_app_conversation_view (window));
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (
      test_app_find_widget (composer, test_app_has_type, GSIZE_TO_POINTER (GTK_TYPE_TEXT_VIEW))));
  gtk_text_buffer_insert_interactive_at_cursor (buffer, "typed before logging out", -1, TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.log-out", NULL));
  test_app_answer_dialog ("log-out", NULL);
  wait_page (window, "welcome");
  gtk_window_destroy (GTK_WINDOW (window));
  test_app_iterate (100);

  again = timchat_window_new (NULL, "log-out-draft-test", base_dir);
  gtk_window_present (GTK_WINDOW (again));
  timchat_window_login (again, ws, timchat_fixture_get_sdkappid (fixture), "xia", usersig, FALSE);
  g_assert_true (tim_test_wait_until (test_app_window_ready, again, 10000));
  draft = tim_client_dup_conversation_draft (timchat_window_get_client (again), "C2Cyan");
  g_assert_cmpstr (draft, ==, "typed before logging out");
  gtk_window_destroy (GTK_WINDOW (again));
}

/* Logging in again as someone else in the same window (after a log out): a conversation opened
 * then is the new account's, its messages and what its composer sends, not the first account's
 * (whose client is logged out: what it sent would wait for a login that never comes). */
static void
test_second_login_opens_with_new_client (void)
{
  g_autofree char *ws = timchat_fixture_ws_url (fixture);
  g_autofree char *una_sig = timchat_fixture_usersig (fixture, "una", 3600);
  g_autofree char *vik_sig = timchat_fixture_usersig (fixture, "vik", 3600);
  g_autoptr (TimClient) wil = tim_test_client_new (fixture, base_dir, "wil");
  g_autoptr (GPtrArray) wil_got = g_ptr_array_new_with_free_func (g_object_unref);
  TimchatWindow *window = timchat_window_new (NULL, "relogin-other-test", base_dir);
  GtkWidget *view, *composer;

  timchat_test_import_account (fixture, "una", NULL);
  timchat_test_import_account (fixture, "vik", NULL);
  gtk_window_present (GTK_WINDOW (window));
  timchat_window_login (window, ws, timchat_fixture_get_sdkappid (fixture), "una", una_sig, FALSE);
  g_assert_true (tim_test_wait_until (test_app_window_ready, window, 10000));
  tim_test_send_text (wil, "una", "for una only");
  timchat_window_open_conversation (window, "C2Cwil");
  g_assert_true (test_app_wait_text (test_app_conversation_view (window), "for una only", 10000));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.log-out", NULL);
  test_app_answer_dialog ("log-out", NULL);
  wait_page (window, "welcome");
  tim_test_send_text (wil, "vik", "for vik only");
  timchat_window_login (window, ws, timchat_fixture_get_sdkappid (fixture), "vik", vik_sig, FALSE);
  g_assert_true (tim_test_wait_until (test_app_window_ready, window, 10000));

  timchat_window_open_conversation (window, "C2Cwil");
  view = test_app_conversation_view (window);
  g_assert_true (test_app_wait_text (view, "for vik only", 10000));
  g_assert_null (test_app_find_widget (view, test_app_has_text, "for una only"));
  tim_test_collect (wil, "message-received", wil_got);
  composer = test_app_composer (view);
  timchat_composer_set_text (TIMCHAT_COMPOSER (composer), "from vik");
  timchat_composer_send (TIMCHAT_COMPOSER (composer));
  g_assert_true (tim_test_wait_count (wil_got, 1, 10000));
  g_assert_cmpstr (tim_message_get_from (wil_got->pdata[0]), ==, "vik");
  g_assert_cmpstr (tim_message_get_text (wil_got->pdata[0]), ==, "from vik");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The login runs out while the window is open (the relogin after the server closed the socket is
 * refused with 70001): back to the welcome page, told once. Another toast waited behind that
 * one, the error saying the same again: the test's own toast, queued after it, shows next. */
static void
test_login_expired_told_once (void)
{
  g_autofree char *ws = timchat_fixture_ws_url (fixture);
  g_autofree char *usersig = timchat_fixture_usersig (fixture, "etta", 2);
  TimchatWindow *window = timchat_window_new (NULL, "expired-test", base_dir);

  gtk_window_present (GTK_WINDOW (window));
  timchat_window_login (window, ws, timchat_fixture_get_sdkappid (fixture), "etta", usersig, FALSE);
  wait_page (window, "chat");
  /* The UserSig's 2 s, then up to 5 s for the server to close the socket. */
  g_object_set_data_full (G_OBJECT (window), "expect", g_strdup ("welcome"), g_free);
  g_assert_true (tim_test_wait_until (stack_shows, window, 20000));
  test_app_iterate (300);
  timchat_window_show_toast (window, "The next notice");
  g_signal_emit_by_name (named_close_button (window, "Your login expired; please log in again"),
                         "clicked");
  named_close_button (window, "The next notice");
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char **argv)
{
  test_app_init (&argc, &argv, FALSE);
  fixture = timchat_fixture_new (NULL);
  base_dir = tim_test_make_dir ();
  g_test_add_func ("/app/window/first-run-remember-log-out", test_first_run_remember_and_log_out);
  g_test_add_func ("/app/window/kicked-out", test_kicked_out);
  g_test_add_func ("/app/window/login-expired-told-once", test_login_expired_told_once);
  g_test_add_func ("/app/window/local-server", test_local_server);
  g_test_add_func ("/app/window/local-server-fails", test_local_server_fails);
  g_test_add_func ("/app/window/local-then-server", test_local_then_server);
  g_test_add_func ("/app/window/network-banner", test_network_banner);
  g_test_add_func ("/app/window/relogin-refused", test_relogin_refused);
  g_test_add_func ("/app/window/first-login-refused", test_first_login_refused);
  g_test_add_func ("/app/window/second-login-releases-models", test_second_login_releases_models);
  g_test_add_func ("/app/window/log-out-keeps-draft", test_log_out_keeps_draft);
  g_test_add_func ("/app/window/second-login-opens-with-new-client",
                   test_second_login_opens_with_new_client);
  return test_app_run (fixture, base_dir);
}
