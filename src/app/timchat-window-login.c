/* timchat-window-login.c: the window's account: the stored login read from the keyring at start
 * (or the welcome page when there is none), logging in to a server or starting the embedded local
 * one, and the client once logged in: the list it shows, its connection, its errors and being
 * signed out elsewhere. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <glib/gi18n.h>

#include "timchat-conversation-view.h"
#include "timchat-credentials.h"
#include "timchat-local-server.h"
#include "timchat-notifier.h"
#include "timchat-welcome.h"
#include "timchat-window-private.h"

static void set_welcome_busy (TimchatWindow *self, gboolean busy);

/* Leaving the empty start page is not animated: the window's content should just be there. */
static void
show_main_page (TimchatWindow *self, const char *name)
{
  const char *shown = gtk_stack_get_visible_child_name (self->main_stack);

  gtk_stack_set_visible_child_full (self->main_stack, name,
                                    g_strcmp0 (shown, "starting") == 0
                                        ? GTK_STACK_TRANSITION_TYPE_NONE
                                        : gtk_stack_get_transition_type (self->main_stack));
}

/* The open conversation left the list (deleted on another device, a group left, removed from or
 * dismissed): back to "No Conversation Open". One opened before its first message is not in the
 * list yet, and stays open; when it joins the list, the header follows it from then on. */
static void
on_conversations_updated (TimClient *client, TimchatWindow *self)
{
  const char *open_id = _timchat_window_get_open_id (self);
  TimConversation *conversation;

  if (open_id == NULL)
    return;
  conversation = tim_conversation_list_lookup (tim_client_get_conversations (client), open_id);
  if (self->open_is_listed && conversation == NULL)
    timchat_window_close_conversation (self);
  else if (!self->open_is_listed && conversation != NULL)
    {
      self->open_is_listed = TRUE;
      _timchat_window_follow_in_header (self, conversation);
    }
}

static void
on_net_state (TimClient *client, TimNetState state, TimchatWindow *self)
{
  /* Honest, not spinning: while we wait we say so. */
  gtk_revealer_set_reveal_child (self->network_revealer, tim_client_get_user (client) != NULL &&
                                                             state != TIM_NET_STATE_CONNECTED);
}

/* One end for every way a session ends, so that what goes with the account goes whatever ended
 * it. A kick or a refused relogin only showed the welcome page: the dialogs and viewers opened
 * for the account stayed over it, acting on a client no longer logged in (every action "not
 * logged in") or showing the account's people and history to whoever came to the screen. */
void
_timchat_window_end_session (TimchatWindow *self)
{
  /* Closed while still logged in: its composer keeps what was typed as the draft, and its preview
   * sheet and attach chooser go with it. */
  timchat_window_close_conversation (self);
  _timchat_window_close_windows_over (self);
  /* After a kick or a refused login the client still names its user, and keeps its store and
   * queued sends: the logout lets go of them as Log Out does (the sends stay queued for the next
   * login), and what follows the client's user (the notifications) goes. Nothing is on the wire
   * any more to say it to. */
  if (self->client != NULL)
    tim_client_logout (self->client);
  gtk_stack_set_visible_child_name (self->content_stack, "none");
  _timchat_window_show_welcome (self);
}

/* The client's "error" is the server refusing the login that follows a reconnect (the server
 * came back serving another app, say): the session is over and nothing reconnects, so the chat
 * page's banner would wait for the network for ever and what was sent there would never go. It
 * ends, then, as at a kick (an expired UserSig is a kick only, "kicked-out", which says so in a
 * toast of its own). */
static void
on_client_error (TimClient *client, GError *error, TimchatWindow *self)
{
  timchat_window_show_error (self, error);
  if (tim_client_get_net_state (client) == TIM_NET_STATE_DISCONNECTED)
    _timchat_window_end_session (self);
}

static void
on_kicked_out (TimClient *client, const char *type, TimchatWindow *self)
{
  timchat_window_show_toast (self, g_str_equal (type, "userSigExpired")
                                       ? _ ("Your login expired; please log in again")
                                       : _ ("You were logged out by the server"));
  _timchat_window_end_session (self);
}

/* The unread count on the app's icon: one per application, so only a window of one. */
static void
attach_badge (TimchatWindow *self)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));
  GDBusConnection *bus =
      application != NULL ? g_application_get_dbus_connection (G_APPLICATION (application)) : NULL;
  g_autofree char *desktop_id = NULL;

  g_clear_object (&self->badge);
  if (bus == NULL)
    return;
  desktop_id = g_strconcat (g_application_get_application_id (G_APPLICATION (application)),
                            ".desktop", NULL);
  self->badge =
      timchat_launcher_badge_new (bus, desktop_id, tim_client_get_conversations (self->client));
}

static void
attach_client (TimchatWindow *self, const char *server_url, guint64 sdkappid)
{
  if (self->client != NULL)
    {
      tim_client_logout (self->client);
      g_signal_handlers_disconnect_by_data (self->client, self);
      g_clear_object (&self->client);
    }
  self->client = tim_client_new (server_url, sdkappid, self->data_dir);
  /* The open conversation was the previous client's; the view shows the new one's from now on. */
  if (self->conversation_view != NULL)
    {
      timchat_window_close_conversation (self);
      timchat_conversation_view_set_client (TIMCHAT_CONVERSATION_VIEW (self->conversation_view),
                                            self->client);
    }
  if (self->local_server != NULL)
    timchat_local_server_watch (self->local_server, self->client);
  g_clear_object (&self->notifier);
  self->notifier = timchat_notifier_new (GTK_WINDOW (self), self->client);
  attach_badge (self);
  g_signal_connect_object (self->client, "net-state-changed", G_CALLBACK (on_net_state), self, 0);
  g_signal_connect_object (self->client, "error", G_CALLBACK (on_client_error), self, 0);
  g_signal_connect_object (self->client, "kicked-out", G_CALLBACK (on_kicked_out), self, 0);
  g_signal_connect_object (self->client, "conversation-list-updated",
                           G_CALLBACK (on_conversations_updated), self, 0);
  _timchat_window_follow_own_profile (self);

  _timchat_window_show_conversations (self);
}

typedef struct
{
  char *server_url;
  guint64 sdkappid;
  char *user;
  char *usersig;
  gboolean local;
} LoginData;

static void
login_data_free (LoginData *data)
{
  g_free (data->server_url);
  g_free (data->user);
  g_free (data->usersig);
  g_free (data);
}

/* The login "Remember me" kept, or an error that says why not (a window closed meanwhile hears
 * nothing: the weak pointer). */
static void
on_stored (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  GWeakRef *window_ref = user_data;
  g_autoptr (TimchatWindow) self = g_weak_ref_get (window_ref);

  g_weak_ref_clear (window_ref);
  g_free (window_ref);
  if (!timchat_credentials_change_finish (result, &error) && self != NULL)
    timchat_window_show_error (self, error);
}

static void
on_logged_in (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  TimchatWindow *self = g_task_get_source_object (task);
  LoginData *data = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;

  set_welcome_busy (self, FALSE);
  if (!tim_client_login_finish (TIM_CLIENT (source), result, &error))
    {
      timchat_window_show_error (self, error);
      /* Refused (a remembered UserSig that ran out, another user's): the chat page showed the
       * cached list meanwhile, where a conversation may have been opened and typed in and dialogs
       * opened for the account. The session ends as at a kick: only showing the welcome page left
       * them over it, and the next login logged this client out before closing the conversation,
       * whose typed text could then not be kept as its draft. Not for a window going (cancelled)
       * or a client it no longer has. */
      if (TIM_CLIENT (source) == self->client &&
          !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _timchat_window_end_session (self);
      else
        _timchat_window_show_welcome (self);
      return;
    }
  if (self->remember)
    {
      TimchatCredentials credentials = { data->server_url, data->sdkappid, data->user,
                                         data->usersig, data->local };
      GWeakRef *window_ref = g_new0 (GWeakRef, 1);

      g_weak_ref_init (window_ref, self);
      timchat_credentials_store_async (self->account, &credentials, on_stored, window_ref);
    }
}

void
timchat_window_login (TimchatWindow *self, const char *server_url, guint64 sdkappid,
                      const char *user, const char *usersig, gboolean remember)
{
  GTask *task = g_task_new (self, self->cancellable, NULL, NULL);
  LoginData *data = g_new0 (LoginData, 1);

  /* A login to another server (after a log out or a kick from the local one) is that server's:
   * the local server no longer follows the window's connection, and the login is remembered as
   * the server's, not as a local one to start again. */
  if (self->local_server != NULL &&
      g_strcmp0 (server_url, timchat_local_server_get_url (self->local_server)) != 0)
    g_clear_object (&self->local_server);
  data->server_url = g_strdup (server_url);
  data->sdkappid = sdkappid;
  data->user = g_strdup (user);
  data->usersig = g_strdup (usersig);
  data->local = self->local_server != NULL;
  g_task_set_task_data (task, data, (GDestroyNotify) login_data_free);
  self->remember = remember;
  attach_client (self, server_url, sdkappid);
  /* The cached conversation list shows at once; the network catches up. */
  show_main_page (self, "chat");
  set_welcome_busy (self, TRUE);
  tim_client_login_async (self->client, user, usersig, self->cancellable, on_logged_in, task);
}

static void
on_login_requested (TimchatWindow *self, const char *server, const char *sdkappid, const char *user,
                    const char *usersig)
{
  timchat_window_login (self, server, g_ascii_strtoull (sdkappid, NULL, 10), user, usersig, TRUE);
}

static void
on_local_started (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  TimchatWindow *self = g_task_get_source_object (task);
  const char *user = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autofree char *usersig = NULL;

  if (!timchat_local_server_start_finish (TIMCHAT_LOCAL_SERVER (source), result, &error) ||
      (usersig = timchat_local_server_make_usersig (self->local_server, user, &error)) == NULL)
    {
      set_welcome_busy (self, FALSE);
      timchat_window_show_error (self, error);
      /* As after a refused login: a start from the stored login or the command line is still on
       * the empty start page, where nothing else could be done. */
      _timchat_window_show_welcome (self);
      return;
    }
  timchat_window_login (self, timchat_local_server_get_url (self->local_server),
                        timchat_local_server_get_sdkappid (self->local_server), user, usersig,
                        TRUE);
}

void
timchat_window_start_local (TimchatWindow *self, const char *user)
{
  GTask *task = g_task_new (self, self->cancellable, NULL, NULL);

  g_task_set_task_data (task, g_strdup (user), g_free);
  if (self->local_server == NULL)
    self->local_server = timchat_local_server_new (g_getenv ("TIMCHAT_LOCAL_SERVER_DIR"));
  set_welcome_busy (self, TRUE);
  timchat_local_server_start_async (self->local_server, self->cancellable, on_local_started, task);
}

static void
on_local_requested (TimchatWindow *self, const char *user)
{
  timchat_window_start_local (self, user);
}

/* The welcome page is made the first time it is shown: a start with a stored login never shows
 * it, and its template is ~7 ms of the first frame. Until a login or the keyring decides, the
 * window shows the empty "starting" page rather than flashing the welcome form. */
void
_timchat_window_show_welcome (TimchatWindow *self)
{
  if (self->welcome == NULL)
    {
      self->welcome = g_object_new (TIMCHAT_TYPE_WELCOME, NULL);
      g_signal_connect_swapped (self->welcome, "login-requested", G_CALLBACK (on_login_requested),
                                self);
      g_signal_connect_swapped (self->welcome, "local-requested", G_CALLBACK (on_local_requested),
                                self);
      gtk_stack_add_named (self->main_stack, GTK_WIDGET (self->welcome), "welcome");
    }
  show_main_page (self, "welcome");
}

static void
set_welcome_busy (TimchatWindow *self, gboolean busy)
{
  if (self->welcome != NULL)
    timchat_welcome_set_busy (self->welcome, busy);
}

TimClient *
timchat_window_get_client (TimchatWindow *self)
{
  return self->client;
}

static void
on_credentials_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TimchatWindow) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (TimchatCredentials) credentials = timchat_credentials_load_finish (result, &error);

  /* Cancelled: the window closed before the keyring answered. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->cancellable == NULL)
    return;
  if (error != NULL)
    g_message ("No keyring: %s", error->message);
  /* A login given on the command line (or a test) went first: it wins. */
  if (self->client != NULL || self->local_server != NULL)
    return;
  if (credentials == NULL)
    {
      _timchat_window_show_welcome (self);
      return;
    }
  if (credentials->local)
    timchat_window_start_local (self, credentials->user);
  else
    timchat_window_login (self, credentials->server_url, credentials->sdkappid, credentials->user,
                          credentials->usersig, FALSE);
}

/* A stored login logs in by itself; otherwise the welcome page asks. The keyring answers in a
 * worker thread, so the first frame does not wait for it. */
void
_timchat_window_load_login (TimchatWindow *self)
{
  timchat_credentials_load_async (self->account, self->cancellable, on_credentials_loaded,
                                  g_object_ref (self));
}
