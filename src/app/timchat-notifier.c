/* timchat-notifier.c: one GNotification per conversation, replaced as new messages come in.
 * A conversation that appears with its first message (a group someone just made) has no name
 * until libtim has fetched its profile; its notification waits for the name, briefly, rather
 * than show the group's ID. A notification whose message is recalled is withdrawn: it would
 * still show what the sender took back. So is one whose message the user deleted (on another
 * device, say: an official SDK deletes without reading first), and one whose conversation has
 * been read, here or on another device: there is nothing new in it any more (and none comes for
 * a message read on another device while this one was away), and one whose conversation was
 * deleted or left. All of them go when their account logs out (or another logs in). A message
 * that mentions the user by name gets through a muted group, as in other chat apps: muting
 * quiets the chatter, not a call to the user. A notification names its account, in its actions and
 * its id: the daemon may offer it after that account logged out (a withdrawal can fail, a history
 * keeps it), and its conversation ID would then name another person's conversation. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <glib/gi18n.h>

#include "timchat-notifier.h"

/* How long a notification waits for its conversation's name (a round trip to the server). */
#define NAME_WAIT_MS 2000
/* The least time a notification stays before it is withdrawn. GLib's freedesktop backend drops a
 * withdrawal made before the daemon has answered the notification's Notify, and it then stays on
 * screen for good: read on the phone a moment after it came, say. */
#define MIN_SHOWN_MS 1000

struct _TimchatNotifier
{
  GObject parent_instance;

  GtkWindow *window; /* weak */
  TimClient *client;
  GHashTable *waiting; /* conversation ID -> Waiting */
  GHashTable *shown;   /* conversation ID -> Shown */
};

/* A notification on screen: its id, the message it shows, and its conversation, watched until
 * read. */
typedef struct
{
  char *id; /* timchat_notifier_dup_id (): the account it was sent to may have gone since */
  char *message_id;
  TimConversation *conversation; /* NULL when not listed (yet) */
  gulong unread_handler;
  gint64 sent_us;       /* monotonic */
  guint withdraw_later; /* a withdrawal waiting for MIN_SHOWN_MS */
} Shown;

static void
shown_free (Shown *shown)
{
  g_clear_handle_id (&shown->withdraw_later, g_source_remove);
  if (shown->conversation != NULL)
    g_clear_signal_handler (&shown->unread_handler, shown->conversation);
  g_clear_object (&shown->conversation);
  g_free (shown->id);
  g_free (shown->message_id);
  g_free (shown);
}

G_DEFINE_FINAL_TYPE (TimchatNotifier, timchat_notifier, G_TYPE_OBJECT)

typedef struct
{
  TimchatNotifier *self;
  TimConversation *conversation;
  char *message_id; /* the newest message's, and its body */
  char *body;
  gulong name_handler;
  gulong unread_handler;
  guint timeout;
} Waiting;

static void
waiting_free (Waiting *waiting)
{
  g_clear_signal_handler (&waiting->name_handler, waiting->conversation);
  g_clear_signal_handler (&waiting->unread_handler, waiting->conversation);
  g_clear_handle_id (&waiting->timeout, g_source_remove);
  g_object_unref (waiting->conversation);
  g_free (waiting->message_id);
  g_free (waiting->body);
  g_free (waiting);
}

/* The window's application: a window that belongs to none (a widget test's) notifies nobody,
 * whatever other application the process has. */
static GApplication *
application_of (TimchatNotifier *self)
{
  GtkApplication *application =
      self->window != NULL ? gtk_window_get_application (self->window) : NULL;

  return application != NULL ? G_APPLICATION (application) : NULL;
}

static void
withdraw_now (TimchatNotifier *self, const char *conversation_id)
{
  GApplication *application = application_of (self);
  Shown *shown = g_hash_table_lookup (self->shown, conversation_id);

  if (application != NULL && shown != NULL)
    g_application_withdraw_notification (application, shown->id);
  g_hash_table_remove (self->shown, conversation_id);
}

typedef struct
{
  TimchatNotifier *self;
  char *conversation_id;
} Later;

static void
later_free (Later *later)
{
  g_free (later->conversation_id);
  g_free (later);
}

static gboolean
withdraw_later (gpointer data)
{
  Later *later = data;
  Shown *shown = g_hash_table_lookup (later->self->shown, later->conversation_id);

  if (shown != NULL)
    shown->withdraw_later = 0; /* this source ends by returning */
  withdraw_now (later->self, later->conversation_id);
  return G_SOURCE_REMOVE;
}

/* Withdraws conversation_id's notification, once it has been out MIN_SHOWN_MS. */
static void
withdraw (TimchatNotifier *self, const char *conversation_id)
{
  Shown *shown = g_hash_table_lookup (self->shown, conversation_id);
  gint64 shown_ms = shown != NULL ? (g_get_monotonic_time () - shown->sent_us) / 1000 : G_MAXINT64;
  Later *later;

  if (shown_ms >= MIN_SHOWN_MS)
    {
      withdraw_now (self, conversation_id);
      return;
    }
  if (shown->withdraw_later != 0)
    return;
  later = g_new0 (Later, 1);
  later->self = self;
  later->conversation_id = g_strdup (conversation_id);
  shown->withdraw_later = g_timeout_add_full (G_PRIORITY_DEFAULT, (guint) (MIN_SHOWN_MS - shown_ms),
                                              withdraw_later, later, (GDestroyNotify) later_free);
}

static void
on_unread_count (TimConversation *conversation, GParamSpec *pspec, TimchatNotifier *self)
{
  g_autofree char *conversation_id = NULL;

  if (tim_conversation_get_unread_count (conversation) > 0)
    return;
  /* A copy: removing the entry frees the watch that called us, and the ID it was keyed by. */
  conversation_id = g_strdup (tim_conversation_get_id (conversation));
  withdraw (self, conversation_id);
}

static void
send_notification (TimchatNotifier *self, const char *conversation_id, const char *message_id,
                   const char *title, const char *body)
{
  GApplication *application = application_of (self);
  const char *user = tim_client_get_user (self->client);
  g_autoptr (GNotification) notification = g_notification_new (title);
  g_autoptr (GVariant) target = NULL;

  if (application == NULL || user == NULL)
    return;
  g_notification_set_body (notification, body);
  target = g_variant_ref_sink (timchat_notifier_target_new (user, conversation_id));
  g_notification_set_default_action_and_target_value (notification, "app.open-conversation",
                                                      target);
  g_notification_add_button_with_target_value (notification, _ ("Mark as Read"), "app.mark-read",
                                               target);
  {
    Shown *shown = g_new0 (Shown, 1);
    TimConversation *conversation =
        tim_conversation_list_lookup (tim_client_get_conversations (self->client), conversation_id);

    /* One per conversation and account: a newer message replaces the older notification. */
    shown->id = timchat_notifier_dup_id (user, conversation_id);
    g_application_send_notification (application, shown->id, notification);
    shown->message_id = g_strdup (message_id);
    shown->sent_us = g_get_monotonic_time ();
    if (conversation != NULL)
      {
        shown->conversation = g_object_ref (conversation);
        shown->unread_handler = g_signal_connect (conversation, "notify::unread-count",
                                                  G_CALLBACK (on_unread_count), self);
      }
    g_hash_table_insert (self->shown, g_strdup (conversation_id), shown);
  }
}

/* Sends what waited, with the name the conversation has now. */
static void
send_waiting (Waiting *waiting)
{
  TimchatNotifier *self = waiting->self;
  g_autofree char *conversation_id = g_strdup (tim_conversation_get_id (waiting->conversation));

  send_notification (self, conversation_id, waiting->message_id,
                     tim_conversation_get_name (waiting->conversation), waiting->body);
  g_hash_table_remove (self->waiting, conversation_id);
}

static void
on_name (TimConversation *conversation, GParamSpec *pspec, Waiting *waiting)
{
  send_waiting (waiting);
}

/* Read while waiting for its name (here, or on another device): as a notification on screen
 * would be withdrawn then, this one is not sent at all. */
static void
on_waiting_read (TimConversation *conversation, GParamSpec *pspec, Waiting *waiting)
{
  g_autofree char *conversation_id = NULL;

  if (tim_conversation_get_unread_count (conversation) > 0)
    return;
  /* A copy: removing the entry frees the watch that called us. */
  conversation_id = g_strdup (tim_conversation_get_id (conversation));
  g_hash_table_remove (waiting->self->waiting, conversation_id);
}

static gboolean
on_name_timeout (gpointer user_data)
{
  Waiting *waiting = user_data;

  waiting->timeout = 0;
  send_waiting (waiting);
  return G_SOURCE_REMOVE;
}

static void
wait_for_name (TimchatNotifier *self, TimConversation *conversation, TimMessage *message,
               char *body)
{
  Waiting *waiting = g_hash_table_lookup (self->waiting, tim_conversation_get_id (conversation));

  if (waiting == NULL)
    {
      waiting = g_new0 (Waiting, 1);
      waiting->self = self;
      waiting->conversation = g_object_ref (conversation);
      waiting->name_handler =
          g_signal_connect (conversation, "notify::name", G_CALLBACK (on_name), waiting);
      waiting->unread_handler = g_signal_connect (conversation, "notify::unread-count",
                                                  G_CALLBACK (on_waiting_read), waiting);
      waiting->timeout = g_timeout_add (NAME_WAIT_MS, on_name_timeout, waiting);
      g_hash_table_insert (self->waiting, g_strdup (tim_conversation_get_id (conversation)),
                           waiting);
    }
  g_free (waiting->message_id);
  waiting->message_id = g_strdup (tim_message_get_id (message));
  g_free (waiting->body);
  waiting->body = body;
}

/* In a group the title names the group, so the body names who wrote. Tips and notices say what
 * happened in words ("bob invited you…") instead of the SDK's "[Group Notification]". */
static char *
body_for (TimchatNotifier *self, TimMessage *message)
{
  g_autofree char *tip = tim_message_dup_tip_text_for (message, tim_client_get_user (self->client));
  g_autofree char *text = NULL;

  if (tip != NULL)
    return g_steal_pointer (&tip);
  text = tim_message_dup_summary (message);
  if (tim_message_get_conversation_type (message) != TIM_CONV_GROUP)
    return g_steal_pointer (&text);
  if (tim_message_get_group_at_type (message, tim_client_get_user (self->client)) & TIM_GROUP_AT_ME)
    /* Translators: a group message that mentions the user, in a notification: %1$s is the
     * sender's name, %2$s the message. */
    return g_strdup_printf (_ ("%1$s mentioned you: %2$s"), tim_message_get_sender_name (message),
                            text);
  /* Translators: a group message in a notification: the sender's name, then the message. */
  return g_strdup_printf (_ ("%s: %s"), tim_message_get_sender_name (message), text);
}

static void
on_received (TimClient *client, GPtrArray *messages, TimchatNotifier *self)
{
  if (self->window == NULL || gtk_window_is_active (self->window))
    return;
  for (guint i = 0; i < messages->len; i++)
    {
      TimMessage *message = messages->pdata[i];
      const char *conversation_id = tim_message_get_conversation_id (message);
      TimConversation *conversation =
          tim_conversation_list_lookup (tim_client_get_conversations (client), conversation_id);
      gboolean calls_me = (tim_message_get_group_at_type (message, tim_client_get_user (client)) &
                           TIM_GROUP_AT_ME) != 0;
      /* A sync after a reconnection announces what came while we were away with the unread
       * counts the server has now: what the user read meanwhile on another device counts no
       * more, and no read to come would take its notification down. */
      gboolean read = conversation != NULL &&
                      tim_conversation_get_unread_count (conversation) == 0 &&
                      !tim_message_get_is_excluded_from_unread_count (message);
      char *body;

      /* Recalled before it reached us (while we were away): there is nothing to show. Muted: the
       * user asked for no notification (it still counts as unread in the list), unless the
       * message mentions them. */
      if (tim_message_get_online_only (message) || tim_message_get_is_revoked (message) ||
          g_strcmp0 (tim_message_get_flow (message), "in") != 0 || read ||
          (conversation != NULL && tim_conversation_get_is_muted (conversation) && !calls_me))
        continue;
      body = body_for (self, message);
      if (conversation == NULL)
        send_notification (self, conversation_id, tim_message_get_id (message),
                           tim_message_get_from (message), body);
      else if (g_strcmp0 (tim_conversation_get_name (conversation),
                          tim_conversation_get_peer (conversation)) == 0 &&
               tim_conversation_get_conversation_type (conversation) == TIM_CONV_GROUP)
        {
          wait_for_name (self, conversation, message, g_steal_pointer (&body));
          continue;
        }
      else
        send_notification (self, conversation_id, tim_message_get_id (message),
                           tim_conversation_get_name (conversation), body);
      g_free (body);
    }
}

/* Recalled or deleted: their notifications (or the ones waiting for a name) go. */
static void
on_gone (TimClient *client, GPtrArray *messages, TimchatNotifier *self)
{
  for (guint i = 0; i < messages->len; i++)
    {
      const char *conversation_id = tim_message_get_conversation_id (messages->pdata[i]);
      const char *message_id = tim_message_get_id (messages->pdata[i]);
      Waiting *waiting = g_hash_table_lookup (self->waiting, conversation_id);
      Shown *shown;

      if (waiting != NULL && g_strcmp0 (waiting->message_id, message_id) == 0)
        g_hash_table_remove (self->waiting, conversation_id);
      shown = g_hash_table_lookup (self->shown, conversation_id);
      if (shown == NULL || g_strcmp0 (shown->message_id, message_id) != 0)
        continue;
      withdraw (self, conversation_id);
    }
}

/* A conversation deleted (here or on another device), or a group left: its notification goes
 * with it. A click on it would open a conversation no longer listed. */
static void
on_list_updated (TimClient *client, TimchatNotifier *self)
{
  g_autoptr (GPtrArray) gone = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer conversation_id, shown;

  g_hash_table_iter_init (&iter, self->shown);
  while (g_hash_table_iter_next (&iter, &conversation_id, &shown))
    if (((Shown *) shown)->conversation != NULL &&
        tim_conversation_list_lookup (tim_client_get_conversations (client), conversation_id) ==
            NULL)
      g_ptr_array_add (gone, g_strdup (conversation_id));
  /* withdraw () removes the entry, and its key: copies, gathered first. */
  for (guint i = 0; i < gone->len; i++)
    withdraw (self, gone->pdata[i]);
}

/* Logged out, or in as someone else: what is on screen was the previous account's, and it goes
 * with it. Left there, a click on one opened its conversation ID in the account logged in now
 * (another person's conversation with the same peer, or a new one as that account), and its
 * "Mark as Read" read that account's conversation. */
static void
on_user (TimClient *client, GParamSpec *pspec, TimchatNotifier *self)
{
  GList *ids = g_hash_table_get_keys (self->shown);

  g_hash_table_remove_all (self->waiting);
  /* withdraw () removes the entry, and its key: copies. */
  for (GList *l = ids; l != NULL; l = l->next)
    l->data = g_strdup (l->data);
  for (GList *l = ids; l != NULL; l = l->next)
    withdraw (self, l->data);
  g_list_free_full (ids, g_free);
}

static void
timchat_notifier_dispose (GObject *object)
{
  TimchatNotifier *self = TIMCHAT_NOTIFIER (object);
  GHashTableIter iter;
  gpointer conversation_id, shown;

  /* A withdrawal still waiting for MIN_SHOWN_MS goes now rather than never: the notifier goes
   * with its client, right after a logout asked for it (a login as someone else). */
  if (self->shown != NULL)
    {
      GApplication *application = application_of (self);

      g_hash_table_iter_init (&iter, self->shown);
      while (g_hash_table_iter_next (&iter, &conversation_id, &shown))
        if (((Shown *) shown)->withdraw_later != 0 && application != NULL)
          g_application_withdraw_notification (application, ((Shown *) shown)->id);
    }
  g_clear_weak_pointer (&self->window);
  g_clear_pointer (&self->waiting, g_hash_table_unref);
  g_clear_pointer (&self->shown, g_hash_table_unref);
  g_clear_object (&self->client);
  G_OBJECT_CLASS (timchat_notifier_parent_class)->dispose (object);
}

static void
timchat_notifier_class_init (TimchatNotifierClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = timchat_notifier_dispose;
}

static void
timchat_notifier_init (TimchatNotifier *self)
{
  self->waiting =
      g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) waiting_free);
  self->shown =
      g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) shown_free);
}

GVariant *
timchat_notifier_target_new (const char *user, const char *conversation_id)
{
  return g_variant_new ("(ss)", user, conversation_id);
}

char *
timchat_notifier_dup_id (const char *user, const char *conversation_id)
{
  /* A user ID has no '/' (tim_user_id_is_valid ()): no two accounts' ids can be the same. */
  return g_strconcat (user, "/", conversation_id, NULL);
}

TimchatNotifier *
timchat_notifier_new (GtkWindow *window, TimClient *client)
{
  TimchatNotifier *self = g_object_new (TIMCHAT_TYPE_NOTIFIER, NULL);

  g_set_weak_pointer (&self->window, window);
  self->client = g_object_ref (client);
  g_signal_connect_object (client, "message-received", G_CALLBACK (on_received), self, 0);
  g_signal_connect_object (client, "message-revoked", G_CALLBACK (on_gone), self, 0);
  g_signal_connect_object (client, "message-deleted", G_CALLBACK (on_gone), self, 0);
  g_signal_connect_object (client, "notify::user", G_CALLBACK (on_user), self, 0);
  g_signal_connect_object (client, "conversation-list-updated", G_CALLBACK (on_list_updated), self,
                           0);
  return self;
}
