/* tim-client-history.c: getMessageList paging (local store first, the server when the local
 * range has a gap or ends), and the per-conversation calls: read, profile, delete, revoke; the
 * conversations' message lists (TimMessageList), which page through it. */
#define G_LOG_DOMAIN "tim-client"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tim-client-private.h"
#include "tim-error.h"
#include "tim-json.h"

typedef struct
{
  char *conversation_id;
  TimConvType type;
  char *peer;
  gint64 cursor; /* server order of the oldest message already shown; 0 = newest */
  guint count;
  GPtrArray *messages; /* oldest first */
  gboolean is_completed;
} Page;

static void
page_free (Page *page)
{
  g_free (page->conversation_id);
  g_free (page->peer);
  g_clear_pointer (&page->messages, g_ptr_array_unref);
  g_free (page);
}

/* A local page is trusted only when it is a full run of consecutive server sequences right below
 * the cursor (or it reaches sequence 1): otherwise something in between may be missing. Never
 * for a group: what was edited or recalled in it while this device was away comes only with the
 * server's pages (a C2C conversation's comes with the sync). */
/* Messages the user discards are not pushed: while they do, and after until the server's newest
 * page, the last message known here may not be the last. */
static gboolean
knows_last_message (TimClient *self, TimConversation *conversation)
{
  return !tim_conversation_get_is_discarded (conversation) &&
         !g_hash_table_contains (self->unsure_tails, tim_conversation_get_id (conversation));
}

static gboolean
local_page (TimClient *self, Page *page)
{
  g_autoptr (GPtrArray) records = NULL;
  gint64 expected;

  gint64 cursor = page->cursor;

  if (self->store == NULL || page->type == TIM_CONV_GROUP)
    return FALSE;
  if (cursor <= 0)
    {
      /* The newest page is local only if the store reaches the conversation's last message. */
      TimConversation *conversation =
          tim_conversation_list_lookup (self->conversations, page->conversation_id);
      TimMessage *last =
          conversation != NULL ? tim_conversation_get_last_message (conversation) : NULL;

      if (last == NULL || tim_message_get_server_seq (last) <= 0 ||
          !knows_last_message (self, conversation))
        return FALSE;
      cursor = tim_message_get_server_seq (last) + 1;
    }
  records = tim_local_store_load_messages (self->store, page->conversation_id, cursor, page->count);
  expected = cursor - 1;
  for (guint i = 0; i < records->len; i++)
    {
      g_autoptr (TimMessage) message = _tim_message_new_from_record (records->pdata[i]);

      if (message == NULL || tim_message_get_server_seq (message) != expected)
        {
          /* The server's page replaces this one: keeping what was read so far doubled it. */
          g_ptr_array_set_size (page->messages, 0);
          return FALSE;
        }
      expected--;
      g_ptr_array_insert (page->messages, 0,
                          g_object_ref (_tim_client_intern_message (self, message)));
    }
  page->is_completed = expected == 0;
  if (records->len == page->count || page->is_completed)
    return TRUE;
  g_ptr_array_set_size (page->messages, 0);
  return FALSE;
}

/* The server's copy wins for what only the server knows: it was stored, when, where (a group's
 * sequence is the server's), recalled. Not of a message still being sent (in the outbox, its
 * answer lost say): its send ends it, and it goes out again with the ClientSeq the server's
 * duplicate check knows. Taken for sent here, its record was saved sent with that ClientSeq as
 * its sequence; a client stopped before the answer kept it so (the next login found it sent),
 * and a recall or an edit, which name a group's message by the group's sequence, missed it. */
static void
refresh_from_server (TimClient *self, TimMessage *known, TimMessage *fresh)
{
  if (tim_message_get_status (known) != TIM_MESSAGE_STATUS_UNSENT)
    {
      if (tim_message_get_server_seq (fresh) > 0)
        _tim_message_set_server_seq (known, tim_message_get_server_seq (fresh));
      /* Failed for good after the server kept it: no answer gave it the group's sequence. */
      if (tim_message_get_conversation_type (known) == TIM_CONV_GROUP &&
          tim_message_get_sequence (fresh) > 0)
        _tim_message_set_sequence (known, tim_message_get_sequence (fresh));
      _tim_message_set_time (known, tim_message_get_time (fresh));
      _tim_message_set_status (known, TIM_MESSAGE_STATUS_SUCCESS);
    }
  /* Recalled or edited while this device was away (a group's come only this way). */
  _tim_client_take_server_copy (self, known, fresh);
}

/* The server's newest page ends with the conversation's last message, which is newer than the
 * one known here only when this device did not get it (the user discarded it): the list shows it
 * then too. Nothing moves otherwise, and nothing passes what is still being sent. */
static void
catch_up_last_message (TimClient *self, Page *page)
{
  TimConversation *conversation =
      tim_conversation_list_lookup (self->conversations, page->conversation_id);
  TimMessage *newest, *last;

  if (conversation == NULL || page->messages->len == 0)
    return;
  newest = page->messages->pdata[page->messages->len - 1];
  last = tim_conversation_get_last_message (conversation);
  if (last != NULL && (tim_message_get_server_seq (last) <= 0 ||
                       tim_message_get_server_seq (newest) <= tim_message_get_server_seq (last)))
    return;
  _tim_client_update_conversation_last (self, newest);
}

static void
on_server_page (JsonObject *reply, const GError *error, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  TimClient *self = g_task_get_source_object (task);
  Page *page = g_task_get_task_data (task);
  g_autoptr (GPtrArray) items = g_ptr_array_new ();
  JsonArray *list;
  JsonObject *entry;
  gboolean group = page->type == TIM_CONV_GROUP;

  if (reply == NULL)
    {
      g_task_return_error (task, g_error_copy (error));
      return;
    }
  list = tim_json_get_array (reply, group ? "RspMsgList" : "MsgList");
  /* C2C pages come oldest first, group pages newest first: items is oldest first. */
  for (guint i = 0; (entry = tim_json_array_next_object (list, &i)) != NULL;)
    g_ptr_array_insert (items, group ? 0 : -1, entry);
  for (guint i = 0; i < items->len; i++)
    {
      JsonObject *item = items->pdata[i];
      g_autoptr (TimMessage) parsed = NULL;
      TimMessage *message;

      parsed = group && tim_json_get_int_or (item, "Event", 0) == 4
                   ? _tim_message_new_group_tip (item, self->user)
               : group ? _tim_message_new_from_group_wire (item, self->user)
                       : _tim_message_new_from_c2c_wire (item, self->user);
      if (parsed == NULL)
        continue;
      message = _tim_client_intern_message (self, parsed);
      if (message != parsed)
        refresh_from_server (self, message, parsed);
      _tim_client_store_message (self, message);
      g_ptr_array_add (page->messages, g_object_ref (message));
    }
  if (group)
    page->is_completed =
        tim_json_get_int_or (reply, "IsFinished", 0) != 0 ||
        (page->messages->len > 0 && tim_message_get_server_seq (page->messages->pdata[0]) <= 1);
  else
    page->is_completed = tim_json_get_int_or (reply, "Complete", 0) == 1;
  if (page->cursor <= 0)
    {
      g_hash_table_remove (self->unsure_tails, page->conversation_id);
      catch_up_last_message (self, page);
    }
  g_task_return_boolean (task, TRUE);
}

static void
fetch_page (TimClient *self, GTask *task)
{
  Page *page = g_task_get_task_data (task);
  g_autoptr (JsonObject) body = json_object_new ();

  if (page->type == TIM_CONV_GROUP)
    {
      json_object_set_string_member (body, "GroupId", page->peer);
      json_object_set_int_member (body, "ReqMsgNumber", page->count);
      json_object_set_int_member (body, "ReqMsgSeq", page->cursor > 0 ? page->cursor - 1 : 0);
      json_object_set_int_member (body, "WithRecalledMsg", 1);
      tim_transport_request (self->transport, "group_open_http_svc.group_msg_get", body, 0,
                             g_task_get_cancellable (task), on_server_page, g_object_ref (task));
    }
  else
    {
      g_autofree char *key =
          page->cursor > 0 ? g_strdup_printf ("s%" G_GINT64_FORMAT, page->cursor) : g_strdup ("");

      /* Our server's MsgKey cursor is its per-conversation sequence ("s<seq>"). */
      json_object_set_string_member (body, "Peer_Account", page->peer);
      json_object_set_int_member (body, "MaxCnt", page->count);
      json_object_set_int_member (body, "LastMsgTime", 0);
      json_object_set_string_member (body, "MsgKey", key);
      json_object_set_int_member (body, "WithRecalledMsg", 1);
      tim_transport_request (self->transport, "openim.getroammsg", body, 0,
                             g_task_get_cancellable (task), on_server_page, g_object_ref (task));
    }
}

/* Offline: whatever the store has, without promising completeness. The store holding no more is
 * the history's end only for the group notices, which live nowhere else, or when its oldest
 * message is the conversation's first (server sequence 1): otherwise the older pages are the
 * server's, and a list told "completed" here would never ask for them once connected. */
static void
offline_page (TimClient *self, Page *page)
{
  g_autoptr (GPtrArray) records =
      self->store != NULL ? tim_local_store_load_messages (self->store, page->conversation_id,
                                                           page->cursor, page->count)
                          : g_ptr_array_new ();

  for (guint i = 0; i < records->len; i++)
    {
      g_autoptr (TimMessage) message = _tim_message_new_from_record (records->pdata[i]);

      if (message != NULL)
        g_ptr_array_insert (page->messages, 0,
                            g_object_ref (_tim_client_intern_message (self, message)));
    }
  page->is_completed =
      records->len < page->count &&
      (page->type == TIM_CONV_SYSTEM ||
       (page->messages->len > 0 && tim_message_get_server_seq (page->messages->pdata[0]) == 1));
}

/* The page from the store, or from the server when the store cannot stand for it. */
static gboolean
read_page (gpointer user_data)
{
  GTask *task = user_data;
  TimClient *self = g_task_get_source_object (task);
  Page *page = g_task_get_task_data (task);

  /* Cancelled meanwhile (a message list its client let go of), or no account any more (logged
   * out, or the client disposed at shutdown, the task holding it): 2024 as any call then, not an
   * empty page, which said the account's history holds nothing there. */
  if (g_task_return_error_if_cancelled (task) || !_tim_client_check_logged_in (self, task))
    return G_SOURCE_REMOVE;
  if (page->type == TIM_CONV_SYSTEM ||
      tim_transport_get_state (self->transport) != TIM_NET_STATE_CONNECTED)
    {
      offline_page (self, page);
      g_task_return_boolean (task, TRUE);
    }
  else if (local_page (self, page))
    g_task_return_boolean (task, TRUE);
  else
    fetch_page (self, task);
  return G_SOURCE_REMOVE;
}

void
tim_client_get_message_list_async (TimClient *self, const char *conversation_id,
                                   const char *next_req_message_id, guint count,
                                   GCancellable *cancellable, GAsyncReadyCallback callback,
                                   gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr (GSource) source = NULL;
  Page *page = g_new0 (Page, 1);
  const char *peer = NULL;

  g_task_set_source_tag (task, tim_client_get_message_list_async);
  g_task_set_task_data (task, page, (GDestroyNotify) page_free);
  page->conversation_id = g_strdup (conversation_id);
  page->type = tim_conv_parse_id (conversation_id, &peer);
  page->peer = g_strdup (peer);
  page->count = count == 0 ? TIM_MESSAGE_LIST_MAX_COUNT : MIN (count, TIM_MESSAGE_LIST_MAX_COUNT);
  page->messages = g_ptr_array_new_with_free_func (g_object_unref);
  if (page->type != TIM_CONV_C2C && page->type != TIM_CONV_GROUP && page->type != TIM_CONV_SYSTEM)
    {
      g_task_return_new_error (task, TIM_ERROR, TIM_ERROR_INVALID_CONVERSATION_ID,
                               _ ("“%s” is not a conversation ID"), conversation_id);
      return;
    }
  if (next_req_message_id != NULL && *next_req_message_id != '\0')
    {
      /* The live message first: one the disk had no room for is still the cursor. */
      TimMessage *live = _tim_client_lookup_message (self, next_req_message_id);
      g_autoptr (JsonObject) record =
          live == NULL && self->store
              ? tim_local_store_load_message (self->store, next_req_message_id)
              : NULL;
      g_autoptr (TimMessage) anchor = live != NULL ? g_object_ref (live)
                                      : record     ? _tim_message_new_from_record (record)
                                                   : NULL;

      if (anchor == NULL)
        {
          g_task_return_new_error (task, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                                   _ ("Unknown nextReqMessageID “%s”"), next_req_message_id);
          return;
        }
      /* One still being sent (the oldest of an offline page that had nothing else) sorts after
       * every acknowledged message: the page before it is the newest. */
      page->cursor = MAX (tim_message_get_server_seq (anchor), 0);
    }
  /* The page is read from the store when it is handed over, not now: a task returned in the
   * iteration it was made in completes from an idle, and what the socket brings before that idle
   * (a delete or a clear on another device) would miss a page read now, which would then show
   * what is gone. */
  source = g_idle_source_new ();
  g_task_attach_source (task, source, read_page);
}

GPtrArray *
tim_client_get_message_list_finish (TimClient *self, GAsyncResult *result,
                                    char **next_req_message_id, gboolean *is_completed,
                                    GError **error)
{
  Page *page = g_task_get_task_data (G_TASK (result));

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;
  if (is_completed != NULL)
    *is_completed = page->is_completed;
  if (next_req_message_id != NULL)
    *next_req_message_id = page->is_completed || page->messages->len == 0
                               ? g_strdup ("")
                               : g_strdup (tim_message_get_id (page->messages->pdata[0]));
  return g_ptr_array_ref (page->messages);
}

/* ---------------------------------------------------------------- the models' loader */

static void
on_model_page (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *next = NULL;
  gboolean completed = FALSE;
  GPtrArray *messages =
      tim_client_get_message_list_finish (TIM_CLIENT (source), result, &next, &completed, &error);

  if (messages == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_object_set_data_full (G_OBJECT (task), "next", g_steal_pointer (&next), g_free);
  g_object_set_data (G_OBJECT (task), "completed", GINT_TO_POINTER (completed));
  g_task_return_pointer (task, messages, (GDestroyNotify) g_ptr_array_unref);
}

static void
message_list_loader (TimMessageList *list, const char *next_req_message_id,
                     GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  TimClient *self = _tim_message_list_get_loader_data (list);
  GTask *task = g_task_new (list, cancellable, callback, user_data);

  tim_client_get_message_list_async (self, tim_message_list_get_conversation_id (list),
                                     next_req_message_id, TIM_MESSAGE_LIST_MAX_COUNT, cancellable,
                                     on_model_page, task);
}

static GPtrArray *
message_list_loader_finish (GAsyncResult *result, char **next_req_message_id,
                            gboolean *is_completed, GError **error)
{
  GPtrArray *messages = g_task_propagate_pointer (G_TASK (result), error);

  if (messages == NULL)
    return NULL;
  if (next_req_message_id != NULL)
    *next_req_message_id = g_strdup (g_object_get_data (G_OBJECT (result), "next"));
  if (is_completed != NULL)
    *is_completed = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (result), "completed"));
  return messages;
}

/* A message list holds this many messages at most (a GtkListView binds ~200 rows, which hold
 * their own); the others are read back from the store when shown again. */
#define MESSAGE_LIST_MAX_HELD 300

/* The live instance while anyone has it (so updates reach what the UI shows), else the store's. */
static TimMessage *
reload_message (TimMessageList *list, const char *message_id)
{
  TimClient *self = _tim_message_list_get_loader_data (list);
  TimMessage *known = _tim_client_lookup_message (self, message_id);
  g_autoptr (JsonObject) record = NULL;
  g_autoptr (TimMessage) loaded = NULL;

  if (known != NULL)
    return g_object_ref (known);
  if (self->store == NULL ||
      (record = tim_local_store_load_message (self->store, message_id)) == NULL ||
      (loaded = _tim_message_new_from_record (record)) == NULL)
    return NULL;
  return g_object_ref (_tim_client_intern_message (self, loaded));
}

/* Every message the client accepts is in the store, except online-only ones and those that came
 * while the store could not keep them (a full disk, _tim_client_accept_message ()): let go of,
 * such a message could not be read back, and came back as an empty item of unknown type. */
static gboolean
can_reload_message (TimMessageList *list, TimMessage *message)
{
  TimClient *self = _tim_message_list_get_loader_data (list);

  return self->store != NULL && !tim_message_get_online_only (message) &&
         !g_hash_table_contains (self->unsaved_messages, tim_message_get_id (message));
}

TimMessageList *
tim_client_get_message_list (TimClient *self, const char *conversation_id)
{
  TimMessageList *list = g_hash_table_lookup (self->message_lists, conversation_id);

  if (list == NULL)
    {
      list = _tim_message_list_new (conversation_id, message_list_loader,
                                    message_list_loader_finish, self);
      _tim_message_list_set_reload (list, MESSAGE_LIST_MAX_HELD, reload_message,
                                    can_reload_message);
      g_hash_table_insert (self->message_lists, g_strdup (conversation_id), list);
    }
  return list;
}
