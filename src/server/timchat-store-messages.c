/* timchat-store-messages.c: the storage interface's message calls, history and sync events; each
 * goes to the engine's vfunc, and a message keeps the uploads and merged messages' lists its body
 * mentions. Apart from timchat-store.c, which releases the files (it emits ::files-unused). */
#define G_LOG_DOMAIN "timchat-store"

#include "config.h"

#include "timchat-store-private.h"
#include "timchat-upload.h"

GPtrArray *
timchat_store_c2c_range (TimchatStore *self, const char *a, const char *b, gint64 min_time,
                         gint64 max_time, gint64 before_seq, guint limit)
{
  g_return_val_if_fail (TIMCHAT_IS_STORE (self), 0);
  return TIMCHAT_STORE_GET_CLASS (self)->c2c_range (self, a, b, min_time, max_time, before_seq,
                                                    limit);
}

/* Takes one mention off each merged messages' list; one left with none goes, and so does a
 * mention of each upload and each list it named (a list kept its inner lists as a message keeps
 * its own). Should that fail, the lists only stay until retention. Level by level, not
 * recursively: lists may nest as deep as their senders made them. */
static void
release_relay_lists (TimchatStore *self, const char *const *keys, gboolean remove_unused)
{
  g_auto (GStrv) inner = NULL;

  while (keys != NULL)
    {
      g_autoptr (GPtrArray) removed =
          remove_unused ? g_ptr_array_new_with_free_func (g_free) : NULL;
      g_autoptr (GStrvBuilder) named = g_strv_builder_new ();
      g_autoptr (GError) error = NULL;
      guint n_named = 0;

      if (!TIMCHAT_STORE_GET_CLASS (self)->release_relay_lists (self, keys, removed, &error))
        {
          g_warning ("Cannot update the merged messages' lists (%s and others stay until "
                     "retention): %s",
                     keys[0], error->message);
          return;
        }
      for (guint i = 0; removed != NULL && i < removed->len; i++)
        {
          g_auto (GStrv) files = timchat_uploads_names_in_text (removed->pdata[i]);
          g_auto (GStrv) lists = _timchat_relay_keys_in_text (removed->pdata[i]);

          if (files != NULL)
            _timchat_store_release_files (self, (const char *const *) files);
          if (lists != NULL)
            {
              g_strv_builder_addv (named, (const char **) lists);
              n_named += g_strv_length (lists);
            }
        }
      g_clear_pointer (&inner, g_strfreev);
      inner = n_named > 0 ? g_strv_builder_end (named) : NULL;
      keys = (const char *const *) inner;
    }
}

gboolean
timchat_store_insert_message (TimchatStore *self, TimchatMsg *msg, gboolean *duplicate,
                              GError **error)
{
  g_auto (GStrv) files = NULL;
  g_auto (GStrv) keys = NULL;
  gboolean resent = FALSE;

  g_return_val_if_fail (TIMCHAT_IS_STORE (self), 0);
  /* The files and lists it points at first: should the message then fail, they are only kept
   * longer. */
  files = timchat_uploads_names_in_text (msg->body);
  if (files != NULL && !TIMCHAT_STORE_GET_CLASS (self)->keep_files (
                           self, (const char *const *) files, msg->time, TRUE, error))
    return FALSE;
  keys = _timchat_relay_keys_in_text (msg->body);
  if (keys != NULL && !TIMCHAT_STORE_GET_CLASS (self)->keep_relay_lists (
                          self, (const char *const *) keys, msg->time, error))
    return FALSE;
  if (!TIMCHAT_STORE_GET_CLASS (self)->insert_message (self, msg, &resent, error))
    return FALSE;
  /* A resend stored nothing: its mentions were one too many. */
  if (files != NULL && resent)
    _timchat_store_release_files (self, (const char *const *) files);
  if (keys != NULL && resent)
    release_relay_lists (self, (const char *const *) keys, FALSE);
  if (duplicate != NULL)
    *duplicate = resent;
  return TRUE;
}

TimchatMsg *
timchat_store_find_c2c_message (TimchatStore *self, const char *from_user, const char *to_user,
                                gint64 client_seq, gint64 random)
{
  g_return_val_if_fail (TIMCHAT_IS_STORE (self), 0);
  return TIMCHAT_STORE_GET_CLASS (self)->find_c2c_message (self, from_user, to_user, client_seq,
                                                           random);
}

TimchatMsg *
timchat_store_find_group_message (TimchatStore *self, const char *group_id, gint64 seq)
{
  g_return_val_if_fail (TIMCHAT_IS_STORE (self), 0);
  return TIMCHAT_STORE_GET_CLASS (self)->find_group_message (self, group_id, seq);
}

TimchatMsg *
timchat_store_find_group_message_by_sender (TimchatStore *self, const char *group_id,
                                            const char *from_user, gint64 client_seq, gint64 random)
{
  g_return_val_if_fail (TIMCHAT_IS_STORE (self), NULL);
  return TIMCHAT_STORE_GET_CLASS (self)->find_group_message_by_sender (self, group_id, from_user,
                                                                       client_seq, random);
}

TimchatMsg *
timchat_store_get_message (TimchatStore *self, gint64 id)
{
  g_return_val_if_fail (TIMCHAT_IS_STORE (self), 0);
  return TIMCHAT_STORE_GET_CLASS (self)->get_message (self, id);
}

gboolean
timchat_store_recall_message (TimchatStore *self, TimchatMsg *msg, const char *revoker, gint64 now,
                              const char *notice_json, GError **error)
{
  /* Read before the recall empties the body. */
  g_auto (GStrv) files = NULL;
  g_auto (GStrv) keys = NULL;

  g_return_val_if_fail (TIMCHAT_IS_STORE (self), 0);
  files = timchat_uploads_names_in_text (msg->body);
  keys = _timchat_relay_keys_in_text (msg->body);
  if (!TIMCHAT_STORE_GET_CLASS (self)->recall_message (self, msg, revoker, now, notice_json, error))
    return FALSE;
  if (files != NULL)
    _timchat_store_release_files (self, (const char *const *) files);
  /* A chat history recalled takes its messages back too, unless a forward still carries them. */
  if (keys != NULL)
    release_relay_lists (self, (const char *const *) keys, TRUE);
  return TRUE;
}

gboolean
timchat_store_modify_message (TimchatStore *self, TimchatMsg *msg, gint64 version, const char *body,
                              const char *cloud_custom_data, GError **error)
{
  g_auto (GStrv) old_files = NULL;
  g_auto (GStrv) new_files = NULL;

  g_return_val_if_fail (TIMCHAT_IS_STORE (self), FALSE);
  /* As a send: the new body's files first; should the edit then fail, they are kept longer. */
  if (body != NULL)
    {
      old_files = timchat_uploads_names_in_text (msg->body);
      new_files = timchat_uploads_names_in_text (body);
    }
  if (new_files != NULL && !TIMCHAT_STORE_GET_CLASS (self)->keep_files (
                               self, (const char *const *) new_files, msg->time, TRUE, error))
    return FALSE;
  if (!TIMCHAT_STORE_GET_CLASS (self)->modify_message (self, msg, version, body, cloud_custom_data,
                                                       error))
    {
      if (new_files != NULL)
        _timchat_store_release_files (self, (const char *const *) new_files);
      return FALSE;
    }
  if (old_files != NULL)
    _timchat_store_release_files (self, (const char *const *) old_files);
  return TRUE;
}

GArray *
timchat_store_hide_messages (TimchatStore *self, const char *owner, GArray *msg_ids, GError **error)
{
  g_return_val_if_fail (TIMCHAT_IS_STORE (self), NULL);
  return TIMCHAT_STORE_GET_CLASS (self)->hide_messages (self, owner, msg_ids, error);
}

gboolean
timchat_store_is_hidden (TimchatStore *self, const char *owner, gint64 msg_id)
{
  g_return_val_if_fail (TIMCHAT_IS_STORE (self), FALSE);
  return TIMCHAT_STORE_GET_CLASS (self)->is_hidden (self, owner, msg_id);
}

GPtrArray *
timchat_store_unread_mentions (TimchatStore *self, const char *user_id, gint64 after_id,
                               guint limit)
{
  g_return_val_if_fail (TIMCHAT_IS_STORE (self), NULL);
  return TIMCHAT_STORE_GET_CLASS (self)->unread_mentions (self, user_id, after_id, limit);
}

gint64
timchat_store_last_message_id (TimchatStore *self)
{
  g_return_val_if_fail (TIMCHAT_IS_STORE (self), 0);
  return TIMCHAT_STORE_GET_CLASS (self)->last_message_id (self);
}

GPtrArray *
timchat_store_history (TimchatStore *self, const char *viewer, TimConvType type, const char *a,
                       const char *b, gint64 before_seq, guint limit)
{
  g_return_val_if_fail (TIMCHAT_IS_STORE (self), 0);
  return TIMCHAT_STORE_GET_CLASS (self)->history (self, viewer, type, a, b, before_seq, limit);
}

GPtrArray *
timchat_store_history_at_time (TimchatStore *self, const char *viewer, TimConvType type,
                               const char *a, const char *b, gint64 at_time, gboolean newer,
                               guint limit)
{
  g_return_val_if_fail (TIMCHAT_IS_STORE (self), NULL);
  return TIMCHAT_STORE_GET_CLASS (self)->history_at_time (self, viewer, type, a, b, at_time, newer,
                                                          limit);
}

gboolean
timchat_store_append_event (TimchatStore *self, const char *user_id, int kind, const char *payload,
                            GError **error)
{
  g_return_val_if_fail (TIMCHAT_IS_STORE (self), 0);
  return TIMCHAT_STORE_GET_CLASS (self)->append_event (self, user_id, kind, payload, error);
}

GPtrArray *
timchat_store_read_events (TimchatStore *self, const char *user_id, gint64 after_id, guint limit)
{
  g_return_val_if_fail (TIMCHAT_IS_STORE (self), 0);
  return TIMCHAT_STORE_GET_CLASS (self)->read_events (self, user_id, after_id, limit);
}

gint64
timchat_store_last_event_id (TimchatStore *self, const char *user_id)
{
  g_return_val_if_fail (TIMCHAT_IS_STORE (self), 0);
  return TIMCHAT_STORE_GET_CLASS (self)->last_event_id (self, user_id);
}

void
timchat_store_highest_ids (TimchatStore *self, gint64 *event_id, gint64 *message_id)
{
  g_return_if_fail (TIMCHAT_IS_STORE (self));
  g_return_if_fail (event_id != NULL && message_id != NULL);
  TIMCHAT_STORE_GET_CLASS (self)->highest_ids (self, event_id, message_id);
}
