/* timchat-forwarding.c: what choosing a conversation in the forward dialog leads to. One by one,
 * every copy is made before any is sent, so a message libtim refuses stops them all rather than
 * leaving a part sent; the outbox then sends them in the order given. As a chat history, one
 * merged message titled "Chat History of Me and Peer" (a one-to-one conversation: the user's own
 * nickname as libtim has it, TimClient:nick) or "Chat History of Group". Either way the window
 * gets one toast
 * when all have gone. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <glib/gi18n.h>

#include "timchat-dialogs.h"
#include "timchat-format.h"
#include "timchat-forwarding.h"
#include "timchat-window.h"

typedef struct
{
  GWeakRef window; /* the TimchatWindow that tells how it went */
  TimClient *client;
  char *user;            /* the account it is forwarded in, whose toast it is */
  char *conversation_id; /* where to */
  char *name;
  char *peer;
  TimConvType type;
  GPtrArray *messages; /* for a chat history: what it carries */
  guint pending;       /* sends not finished */
  GError *error;       /* the first that failed */
} Forwarding;

static void
forwarding_free (Forwarding *forwarding)
{
  g_weak_ref_clear (&forwarding->window);
  g_clear_object (&forwarding->client);
  g_free (forwarding->user);
  g_free (forwarding->conversation_id);
  g_free (forwarding->name);
  g_free (forwarding->peer);
  g_clear_pointer (&forwarding->messages, g_ptr_array_unref);
  g_clear_error (&forwarding->error);
  g_free (forwarding);
}

/* The toast with Open, or the error. */
static void
report (Forwarding *forwarding)
{
  g_autoptr (GtkWidget) window = g_weak_ref_get (&forwarding->window);
  g_autofree char *text = NULL;
  AdwToast *toast;

  if (!TIMCHAT_IS_WINDOW (window))
    return;
  if (forwarding->error != NULL)
    {
      timchat_window_show_error (TIMCHAT_WINDOW (window), forwarding->error);
      return;
    }
  /* Translators: a toast after forwarding a message; the name of the conversation. */
  text = g_strdup_printf (_ ("Forwarded to %s"), forwarding->name);
  toast = timchat_toast_new (text);
  /* Open names the account it was forwarded in: the window opens it for that account only. */
  if (forwarding->user != NULL)
    {
      adw_toast_set_button_label (toast, _ ("_Open"));
      adw_toast_set_action_name (toast, "win.open-conversation");
      adw_toast_set_action_target_value (
          toast, g_variant_new ("(ss)", forwarding->user, forwarding->conversation_id));
    }
  timchat_window_add_toast (TIMCHAT_WINDOW (window), toast);
}

static void
on_sent (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Forwarding *forwarding = user_data;
  g_autoptr (GError) error = NULL;

  if (!tim_client_send_message_finish (TIM_CLIENT (source), result, &error) &&
      forwarding->error == NULL)
    forwarding->error = g_steal_pointer (&error);
  if (--forwarding->pending > 0)
    return;
  report (forwarding);
  forwarding_free (forwarding);
}

/* The outbox has them from here (kept across a crash), in this order. */
static void
send_all (Forwarding *forwarding, GPtrArray *copies)
{
  forwarding->pending = copies->len;
  for (guint i = 0; i < copies->len; i++)
    tim_client_send_message_async (forwarding->client, copies->pdata[i], NULL, NULL, NULL, NULL,
                                   on_sent, forwarding);
}

static void
fail (Forwarding *forwarding, GError *error)
{
  forwarding->error = error;
  report (forwarding);
  forwarding_free (forwarding);
}

/* ---------------------------------------------------------------- as a chat history */

static void
send_history (Forwarding *forwarding, const char *title)
{
  g_autoptr (GPtrArray) copies = g_ptr_array_new_with_free_func (g_object_unref);
  GError *error = NULL;
  TimMessage *merged =
      tim_client_create_merger_message (forwarding->client, forwarding->peer, forwarding->type,
                                        forwarding->messages, title, NULL, NULL, &error);

  if (merged == NULL)
    {
      fail (forwarding, error);
      return;
    }
  g_ptr_array_add (copies, merged);
  send_all (forwarding, copies);
}

/* A one-to-one conversation's history, titled with the name the user goes by (their nick as
 * libtim last heard it, read at the login and kept up to date, else their user ID) and the
 * peer's. Not asked of the server: offline, or with the server gone quiet, that held the history
 * out of the outbox until the request's timeout. */
static void
send_c2c_history (Forwarding *forwarding)
{
  TimMessage *first = forwarding->messages->pdata[0];
  const char *nick = tim_client_get_nick (forwarding->client);
  const char *peer = NULL;
  g_autofree char *title = NULL;

  tim_conv_parse_id (tim_message_get_conversation_id (first), &peer);
  /* Translators: the title of the chat history made of messages of a one-to-one conversation
   * forwarded together: the user's name, then the other person's. */
  title = g_strdup_printf (_ ("Chat History of %s and %s"),
                           *nick != '\0' ? nick : tim_client_get_user (forwarding->client),
                           timchat_format_person_name (forwarding->client, peer));
  send_history (forwarding, title);
}

static void
forward_as_history (Forwarding *forwarding)
{
  TimMessage *first = forwarding->messages->pdata[0];
  const char *conversation_id = tim_message_get_conversation_id (first);
  const char *target = NULL;
  TimConversation *source;
  g_autofree char *title = NULL;

  if (tim_conv_parse_id (conversation_id, &target) != TIM_CONV_GROUP)
    {
      send_c2c_history (forwarding);
      return;
    }
  source = tim_conversation_list_lookup (tim_client_get_conversations (forwarding->client),
                                         conversation_id);
  /* Translators: the title of the chat history made of a group's messages forwarded together;
   * the group's name. */
  title = g_strdup_printf (_ ("Chat History of %s"),
                           source != NULL ? tim_conversation_get_name (source) : target);
  send_history (forwarding, title);
}

/* ---------------------------------------------------------------- one by one */

static void
forward_one_by_one (Forwarding *forwarding, GPtrArray *messages)
{
  g_autoptr (GPtrArray) copies = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < messages->len; i++)
    {
      GError *error = NULL;
      TimMessage *copy = tim_client_create_forward_message (
          forwarding->client, forwarding->peer, forwarding->type, messages->pdata[i], &error);

      if (copy == NULL)
        {
          fail (forwarding, error);
          return;
        }
      g_ptr_array_add (copies, copy);
    }
  send_all (forwarding, copies);
}

void
timchat_forward_messages (GtkWindow *window, TimClient *client, GPtrArray *messages,
                          TimchatForwardMode mode, TimConversation *to)
{
  Forwarding *forwarding;

  g_return_if_fail (TIM_IS_CLIENT (client));
  g_return_if_fail (messages != NULL && messages->len > 0);
  g_return_if_fail (TIM_IS_CONVERSATION (to));

  forwarding = g_new0 (Forwarding, 1);
  g_weak_ref_init (&forwarding->window, window);
  forwarding->client = g_object_ref (client);
  forwarding->user = g_strdup (tim_client_get_user (client));
  forwarding->conversation_id = g_strdup (tim_conversation_get_id (to));
  forwarding->name = g_strdup (tim_conversation_get_name (to));
  forwarding->peer = g_strdup (tim_conversation_get_peer (to));
  forwarding->type = tim_conversation_get_conversation_type (to);
  if (mode == TIMCHAT_FORWARD_AS_HISTORY)
    {
      forwarding->messages = g_ptr_array_new_full (messages->len, g_object_unref);
      for (guint i = 0; i < messages->len; i++)
        g_ptr_array_add (forwarding->messages, g_object_ref (messages->pdata[i]));
      forward_as_history (forwarding);
    }
  else
    forward_one_by_one (forwarding, messages);
}
