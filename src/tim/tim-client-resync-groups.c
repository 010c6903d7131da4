/* tim-client-resync-groups.c: the group messages a client missed while it was away. The server's
 * sync (openim.getmsg) replays C2C messages only, and a group's pushes are not kept for a member
 * who is not connected: the Web SDK fetches a group's newest messages when the conversation list
 * names a sequence beyond the one it has. So does libtim, after every login and reconnect: for
 * each group whose list item's MsgSeq is beyond the newest the local store holds, the missing
 * sequences come from group_open_http_svc.group_msg_get (newest first, a page at most
 * TIM_GROUP_CATCH_UP_COUNT, at most TIM_GROUP_CATCH_UP_PAGES pages: older ones are left to the
 * history's paging), and each is taken as a push is: stored, its conversation's last message,
 * its open TimMessageList, announced with the sync's other messages. */
#define G_LOG_DOMAIN "tim-client"

#include "config.h"

#include "tim-client-private.h"
#include "tim-error.h"
#include "tim-json.h"
#include "tim-message-list.h"

#define TIM_GROUP_CATCH_UP_COUNT 20 /* the server gives at most 21 */
#define TIM_GROUP_CATCH_UP_PAGES 5

typedef struct
{
  TimClient *client;
  /* The session's (the client's cancellable when the catch-up began), as the sync's: its pages
   * are asked for in it, and what comes is taken only while it lasts. */
  GCancellable *session;
  GPtrArray *gaps; /* TimGroupGap, done from the first */
  guint next_gap;
  GPtrArray *announce;
  TimGroupCatchUpDone done;
  gpointer done_data;
  /* The gap being fetched: its items, newest first, and where the next page starts. */
  GPtrArray *items; /* JsonObject */
  guint pages;
  gboolean reached_held;
} CatchUp;

void
_tim_group_gap_free (gpointer data)
{
  TimGroupGap *gap = data;

  g_free (gap->conversation_id);
  g_free (gap->group_id);
  g_free (gap);
}

void
_tim_client_note_group_gap (TimClient *self, GPtrArray *gaps, TimConversation *conversation,
                            gint64 known_seq, gint64 server_seq)
{
  const char *conversation_id = tim_conversation_get_id (conversation);
  gint64 held_seq;
  TimGroupGap *gap;

  if (tim_conversation_get_conversation_type (conversation) != TIM_CONV_GROUP)
    return;
  /* The server neither pushes nor syncs a discarded group's messages: not fetched either. */
  if (tim_conversation_get_is_discarded (conversation) || server_seq <= 0)
    {
      _tim_conversation_note_seq (conversation, server_seq);
      return;
    }
  /* What it holds, or what it had heard of (the list before this one, a push): a group in the
   * list whose messages were never stored here (only its creation's tip came, say) still has its
   * missed ones fetched. A group new to it (a fresh store, a group it was added to) starts from
   * its history's newest page when opened, as the first sync of C2C announces nothing either. */
  held_seq = MAX (_tim_client_newest_stored_seq (self, conversation_id), known_seq);
  if (held_seq <= 0 || held_seq >= server_seq)
    {
      _tim_conversation_note_seq (conversation, server_seq);
      return;
    }
  /* A gap: the list's sequence counts as heard of once the gap is fetched (on_page), not now. A
   * sync that ends before (its request timed out, the server stalled) leaves it unheard of, so
   * the next sync finds the gap again; noted here, the next one took the list's sequence for
   * what this device held, and never fetched what it missed. */
  gap = g_new0 (TimGroupGap, 1);
  gap->conversation_id = g_strdup (conversation_id);
  gap->group_id = g_strdup (tim_conversation_get_peer (conversation));
  gap->held_seq = held_seq;
  gap->server_seq = server_seq;
  g_ptr_array_add (gaps, gap);
}

static void
catch_up_free (CatchUp *job)
{
  g_clear_object (&job->client);
  g_clear_object (&job->session);
  g_clear_pointer (&job->gaps, g_ptr_array_unref);
  g_clear_pointer (&job->announce, g_ptr_array_unref);
  g_clear_pointer (&job->items, g_ptr_array_unref);
  g_free (job);
}

/* Whether the session the catch-up began in ended. Taking a page tells as it goes (a conversation
 * saved announces the list updated, an open list its items), and a handler may log out there, or
 * log in as someone else at once: the rest of the page was taken into the next account's local
 * store and list, and the next group's page was asked for in the next session, whose own sync,
 * put off until this one ended, was then dropped with it (never "ready"). */
static gboolean
session_ended (CatchUp *job)
{
  return g_cancellable_is_cancelled (job->session);
}

/* The sequences of conversation_id the local store holds from above held_seq: those already came
 * (a push read meanwhile, a history page), and must not come twice. */
static GHashTable *
held_sequences (TimClient *self, TimGroupGap *gap)
{
  GHashTable *held = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr (GPtrArray) records = NULL;

  if (self->store == NULL)
    return held;
  records = tim_local_store_load_messages (
      self->store, gap->conversation_id, gap->server_seq + 1,
      (guint) MIN (gap->server_seq - gap->held_seq,
                   TIM_GROUP_CATCH_UP_COUNT * TIM_GROUP_CATCH_UP_PAGES));
  for (guint i = 0; i < records->len; i++)
    {
      gint64 *seq = g_new (gint64, 1);

      *seq = tim_json_get_int_or (records->pdata[i], "serverSeq", 0);
      if (*seq <= gap->held_seq)
        g_free (seq);
      else
        g_hash_table_add (held, seq);
    }
  return held;
}

/* The newest sequence of the conversation's open list that the server acknowledged; 0 if none. */
static gint64
list_newest_seq (TimMessageList *list)
{
  for (guint i = g_list_model_get_n_items (G_LIST_MODEL (list)); i > 0; i--)
    {
      g_autoptr (TimMessage) message = g_list_model_get_item (G_LIST_MODEL (list), i - 1);

      if (tim_message_get_server_seq (message) > 0)
        return tim_message_get_server_seq (message);
    }
  return 0;
}

/* The gap's items, oldest first, taken as pushes are. */
static void
take_gap (CatchUp *job, TimGroupGap *gap)
{
  TimClient *self = job->client;
  g_autoptr (GHashTable) held = NULL;
  TimMessageList *list;
  gint64 list_newest = 0;
  gboolean reload = FALSE;

  /* Gone from the list meanwhile (left, dismissed) or discarded since: nothing to bring. */
  if (tim_conversation_list_lookup (self->conversations, gap->conversation_id) == NULL ||
      tim_conversation_get_is_discarded (
          tim_conversation_list_lookup (self->conversations, gap->conversation_id)))
    return;
  held = held_sequences (self, gap);
  /* What is queued for the lists goes in first, so that the open list says what it holds. */
  _tim_client_flush_appends (self);
  list = g_hash_table_lookup (self->message_lists, gap->conversation_id);
  if (list != NULL)
    list_newest = list_newest_seq (list);
  for (guint n = job->items->len; n > 0 && !session_ended (job); n--)
    {
      JsonObject *item = job->items->pdata[n - 1];
      gint64 seq = tim_json_get_int_or (item, "MsgSeq", 0);
      TimMessage *message;

      if (seq <= gap->held_seq || seq > gap->server_seq || g_hash_table_contains (held, &seq))
        continue;
      message = tim_json_get_int_or (item, "Event", 0) == 4
                    ? _tim_message_new_group_tip (item, self->user)
                    : _tim_message_new_from_group_wire (item, self->user);
      if (message == NULL)
        continue;
      /* An open list appends what comes; one that already shows something newer (a push read
       * while this was fetched) or that would be left with a hole (more was missed than is
       * fetched) reads its newest page again instead. */
      if (list_newest > seq)
        reload = TRUE;
      _tim_client_take_missed (self, message, job->announce);
    }
  /* The open list looked up above is let go of by a logout. */
  if (session_ended (job))
    return;
  if (!job->reached_held && list != NULL && g_list_model_get_n_items (G_LIST_MODEL (list)) > 0)
    reload = TRUE;
  if (reload)
    {
      _tim_client_flush_appends (self);
      if (!session_ended (job))
        _tim_message_list_reload (list);
    }
}

static void next_gap (CatchUp *job);
static void fetch_page (CatchUp *job, gint64 req_seq);

static void
on_page (JsonObject *reply, const GError *error, gpointer user_data)
{
  CatchUp *job = user_data;
  TimGroupGap *gap = job->gaps->pdata[job->next_gap - 1];
  TimConversation *conversation;
  JsonArray *list;
  gint64 oldest = G_MAXINT64;
  JsonObject *item;

  if (reply == NULL)
    {
      if (_tim_client_sync_cut_short (error))
        {
          job->done (error, job->done_data);
          catch_up_free (job);
          return;
        }
      /* This group's page failed (not a member any more, say): what came is still taken. */
      g_warning ("Group catch-up of %s failed: %s", gap->group_id, error->message);
      take_gap (job, gap);
      next_gap (job);
      return;
    }
  list = tim_json_get_array (reply, "RspMsgList");
  for (guint i = 0; (item = tim_json_array_next_object (list, &i)) != NULL;)
    {
      gint64 seq = tim_json_get_int_or (item, "MsgSeq", 0);

      if (seq <= 0)
        continue;
      g_ptr_array_add (job->items, json_object_ref (item));
      oldest = MIN (oldest, seq);
    }
  job->pages++;
  if (oldest <= gap->held_seq + 1 || tim_json_get_int_or (reply, "IsFinished", 0) != 0)
    job->reached_held = TRUE;
  if (!job->reached_held && oldest != G_MAXINT64 && job->pages < TIM_GROUP_CATCH_UP_PAGES)
    {
      fetch_page (job, oldest - 1);
      return;
    }
  /* Fetched (what is older than the pages fetched is left to the history's paging): the list's
   * sequence is heard of now (see _tim_client_note_group_gap ()). */
  conversation = tim_conversation_list_lookup (job->client->conversations, gap->conversation_id);
  if (conversation != NULL)
    _tim_conversation_note_seq (conversation, gap->server_seq);
  take_gap (job, gap);
  next_gap (job);
}

static void
fetch_page (CatchUp *job, gint64 req_seq)
{
  TimGroupGap *gap = job->gaps->pdata[job->next_gap - 1];
  g_autoptr (JsonObject) body = json_object_new ();

  json_object_set_string_member (body, "GroupId", gap->group_id);
  json_object_set_int_member (body, "ReqMsgSeq", req_seq);
  json_object_set_int_member (
      body, "ReqMsgNumber",
      MIN (TIM_GROUP_CATCH_UP_COUNT, req_seq - gap->held_seq > 0 ? req_seq - gap->held_seq : 1));
  json_object_set_int_member (body, "WithRecalledMsg", 1);
  tim_transport_request (job->client->transport, "group_open_http_svc.group_msg_get", body, 0,
                         job->session, on_page, job);
}

static void
next_gap (CatchUp *job)
{
  TimGroupGap *gap;
  g_autoptr (GError) cancelled = NULL;

  /* Ended while a gap was taken: the sync ends as a cancelled request ends it. */
  if (g_cancellable_set_error_if_cancelled (job->session, &cancelled))
    {
      job->done (cancelled, job->done_data);
      catch_up_free (job);
      return;
    }
  if (job->next_gap >= job->gaps->len)
    {
      job->done (NULL, job->done_data);
      catch_up_free (job);
      return;
    }
  gap = job->gaps->pdata[job->next_gap++];
  g_ptr_array_set_size (job->items, 0);
  job->pages = 0;
  job->reached_held = FALSE;
  fetch_page (job, gap->server_seq);
}

void
_tim_client_catch_up_groups (TimClient *self, GPtrArray *gaps, GPtrArray *announce,
                             TimGroupCatchUpDone done, gpointer user_data)
{
  CatchUp *job = g_new0 (CatchUp, 1);

  job->client = g_object_ref (self);
  job->session = g_object_ref (self->cancellable);
  job->gaps = gaps;
  job->announce = g_ptr_array_ref (announce);
  job->done = done;
  job->done_data = user_data;
  job->items = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  next_gap (job);
}
