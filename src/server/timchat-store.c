/* timchat-store.c: the storage interface; each call goes to the engine's vfunc (the message,
 * history and event calls are in timchat-store-messages.c, the group calls in
 * timchat-store-groups.c, the records' free and copy functions in timchat-store-types.c). */
#define G_LOG_DOMAIN "timchat-store"

#include "config.h"

#include "timchat-store-private.h"
#include "timchat-store-sqlite.h"
#include "timchat-upload.h"

G_DEFINE_ABSTRACT_TYPE (TimchatStore, timchat_store, G_TYPE_OBJECT)

enum
{
  SIGNAL_DISK_FAILED,
  SIGNAL_FILES_UNUSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
timchat_store_class_init (TimchatStoreClass *klass)
{
  /**
   * TimchatStore::disk-failed:
   *
   * The disk failed to keep something the store had written (a sync failed). From then on the
   * store acknowledges nothing (every timchat_store_after_commit () gets FALSE); only a restart,
   * which reads back what the disk really holds, can go on safely.
   */
  signals[SIGNAL_DISK_FAILED] =
      g_signal_new ("disk-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                    NULL, G_TYPE_NONE, 0);
  /**
   * TimchatStore::files-unused:
   *
   * A recall left uploaded files that no stored message mentions: they have the time 0 in the
   * list (timchat_store_expired_files (self, 1, …)), to be removed from the disk once what is
   * being written is committed (timchat_store_after_commit ()).
   */
  signals[SIGNAL_FILES_UNUSED] =
      g_signal_new ("files-unused", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                    NULL, G_TYPE_NONE, 0);
}

/* For engines: emits TimchatStore::disk-failed. */
void
timchat_store_disk_failed (TimchatStore *self)
{
  g_return_if_fail (TIMCHAT_IS_STORE (self));
  g_signal_emit (self, signals[SIGNAL_DISK_FAILED], 0);
}

static void
timchat_store_init (TimchatStore *self)
{
}

TimchatAccount *
timchat_store_ensure_account (TimchatStore *self, const char *user_id, GError **error)
{
  g_return_val_if_fail (TIMCHAT_IS_STORE (self), 0);
  return TIMCHAT_STORE_GET_CLASS (self)->ensure_account (self, user_id, error);
}

TimchatAccount *
timchat_store_get_account (TimchatStore *self, const char *user_id)
{
  g_return_val_if_fail (TIMCHAT_IS_STORE (self), 0);
  return TIMCHAT_STORE_GET_CLASS (self)->get_account (self, user_id);
}

TimchatAccount *
timchat_store_get_account_by_tinyid (TimchatStore *self, guint64 tinyid)
{
  g_return_val_if_fail (TIMCHAT_IS_STORE (self), 0);
  return TIMCHAT_STORE_GET_CLASS (self)->get_account_by_tinyid (self, tinyid);
}

/* The uploads a profile's avatar or a group's picture names are kept while it shows them; those
 * of the picture it showed before start their retention now, unless another profile or group
 * still shows them. Should that fail, the upload list is only off by a retention period, so it is
 * a warning. */
void
_timchat_store_follow_picture (TimchatStore *self, const char *old_url, const char *new_url)
{
  g_auto (GStrv) old_names = NULL;
  g_auto (GStrv) new_names = NULL;
  g_autoptr (GError) error = NULL;

  if (g_strcmp0 (old_url, new_url) == 0)
    return;
  old_names = timchat_uploads_names_in_text (old_url);
  new_names = timchat_uploads_names_in_text (new_url);
  if (new_names != NULL &&
      !TIMCHAT_STORE_GET_CLASS (self)->keep_files (self, (const char *const *) new_names,
                                                   TIMCHAT_STORE_PINNED, FALSE, &error))
    g_warning ("Cannot keep the picture %s: %s", new_url, error->message);
  g_clear_error (&error);
  if (old_names != NULL &&
      !TIMCHAT_STORE_GET_CLASS (self)->unpin_files (self, (const char *const *) old_names,
                                                    g_get_real_time () / G_USEC_PER_SEC, &error))
    g_warning ("Cannot let the old picture %s go: %s", old_url, error->message);
}

/* The avatar a profile shows (NULL: no such account). */
static char *
dup_avatar (TimchatStore *self, const char *user_id)
{
  g_autoptr (TimchatAccount) account = timchat_store_get_account (self, user_id);

  return account != NULL ? g_strdup (account->avatar) : NULL;
}

gboolean
timchat_store_update_profile (TimchatStore *self, const char *user_id, const char *nick,
                              const char *avatar, GPtrArray *fields, GError **error)
{
  g_autofree char *old_avatar = NULL;

  g_return_val_if_fail (TIMCHAT_IS_STORE (self), 0);
  /* A change that leaves the avatar (NULL) follows nothing: follow_picture (NULL, NULL). */
  old_avatar = avatar != NULL ? dup_avatar (self, user_id) : NULL;
  if (!TIMCHAT_STORE_GET_CLASS (self)->update_profile (self, user_id, nick, avatar, fields, error))
    return FALSE;
  _timchat_store_follow_picture (self, old_avatar, avatar);
  return TRUE;
}

GPtrArray *
timchat_store_get_profile_fields (TimchatStore *self, const char *user_id)
{
  g_return_val_if_fail (TIMCHAT_IS_STORE (self), NULL);
  return TIMCHAT_STORE_GET_CLASS (self)->get_profile_fields (self, user_id);
}

gboolean
timchat_store_add_ticket (TimchatStore *self, const char *a2, const char *user_id, gint64 expires,
                          GError **error)
{
  g_return_val_if_fail (TIMCHAT_IS_STORE (self), 0);
  return TIMCHAT_STORE_GET_CLASS (self)->add_ticket (self, a2, user_id, expires, error);
}

char *
timchat_store_check_ticket (TimchatStore *self, const char *a2, gint64 now, gint64 *expires_out)
{
  g_return_val_if_fail (TIMCHAT_IS_STORE (self), 0);
  return TIMCHAT_STORE_GET_CLASS (self)->check_ticket (self, a2, now, expires_out);
}

gboolean
timchat_store_revoke_tickets (TimchatStore *self, const char *user_id, const char *a2,
                              GError **error)
{
  g_return_val_if_fail (TIMCHAT_IS_STORE (self), 0);
  return TIMCHAT_STORE_GET_CLASS (self)->revoke_tickets (self, user_id, a2, error);
}

gboolean
timchat_store_import_account (TimchatStore *self, const char *user_id, const char *nick,
                              const char *avatar, GError **error)
{
  g_autofree char *old_avatar = NULL;

  g_return_val_if_fail (TIMCHAT_IS_STORE (self), 0);
  old_avatar = avatar != NULL ? dup_avatar (self, user_id) : NULL;
  if (!TIMCHAT_STORE_GET_CLASS (self)->import_account (self, user_id, nick, avatar, error))
    return FALSE;
  _timchat_store_follow_picture (self, old_avatar, avatar);
  return TRUE;
}

gboolean
timchat_store_delete_account (TimchatStore *self, const char *user_id, GError **error)
{
  g_autofree char *old_avatar = NULL;

  g_return_val_if_fail (TIMCHAT_IS_STORE (self), 0);
  old_avatar = dup_avatar (self, user_id);
  if (!TIMCHAT_STORE_GET_CLASS (self)->delete_account (self, user_id, error))
    return FALSE;
  _timchat_store_follow_picture (self, old_avatar, NULL);
  return TRUE;
}

/* Takes one mention off each file; emits ::files-unused when one is left with none. Should that
 * fail, the files only stay until retention, so it is a warning. */
void
_timchat_store_release_files (TimchatStore *self, const char *const *names)
{
  g_autoptr (GError) error = NULL;
  guint unused = 0;

  if (!TIMCHAT_STORE_GET_CLASS (self)->release_files (self, names, &unused, &error))
    g_warning ("Cannot update the list of uploads (%s and others stay until retention): %s",
               names[0], error->message);
  else if (unused > 0)
    g_signal_emit (self, signals[SIGNAL_FILES_UNUSED], 0);
}

GPtrArray *
timchat_store_list_conversations (TimchatStore *self, const char *user_id, guint limit)
{
  g_return_val_if_fail (TIMCHAT_IS_STORE (self), 0);
  return TIMCHAT_STORE_GET_CLASS (self)->list_conversations (self, user_id, limit);
}

TimchatConversation *
timchat_store_get_conversation (TimchatStore *self, const char *user_id, TimConvType type,
                                const char *peer)
{
  g_return_val_if_fail (TIMCHAT_IS_STORE (self), 0);
  return TIMCHAT_STORE_GET_CLASS (self)->get_conversation (self, user_id, type, peer);
}

gint64
timchat_store_peer_read_time (TimchatStore *self, const char *user_id, const char *peer)
{
  g_return_val_if_fail (TIMCHAT_IS_STORE (self), 0);
  return TIMCHAT_STORE_GET_CLASS (self)->peer_read_time (self, user_id, peer);
}

gboolean
timchat_store_delete_conversation (TimchatStore *self, const char *user_id, TimConvType type,
                                   const char *peer, GError **error)
{
  g_return_val_if_fail (TIMCHAT_IS_STORE (self), 0);
  return TIMCHAT_STORE_GET_CLASS (self)->delete_conversation (self, user_id, type, peer, error);
}

gboolean
timchat_store_clear_history (TimchatStore *self, const char *user_id, TimConvType type,
                             const char *peer, gint64 *cleared_seq, GError **error)
{
  g_return_val_if_fail (TIMCHAT_IS_STORE (self), FALSE);
  return TIMCHAT_STORE_GET_CLASS (self)->clear_history (self, user_id, type, peer, cleared_seq,
                                                        error);
}

gboolean
timchat_store_mark_conversation (TimchatStore *self, const char *user_id, TimConvType type,
                                 const char *peer, guint64 set, guint64 clear, guint64 *before,
                                 guint64 *after, GError **error)
{
  g_return_val_if_fail (TIMCHAT_IS_STORE (self), FALSE);
  return TIMCHAT_STORE_GET_CLASS (self)->mark_conversation (self, user_id, type, peer, set, clear,
                                                            before, after, error);
}

gboolean
timchat_store_set_custom_data (TimchatStore *self, const char *user_id, TimConvType type,
                               const char *peer, const char *custom_data, gboolean *changed,
                               GError **error)
{
  g_return_val_if_fail (TIMCHAT_IS_STORE (self), FALSE);
  return TIMCHAT_STORE_GET_CLASS (self)->set_custom_data (self, user_id, type, peer, custom_data,
                                                          changed, error);
}

gboolean
timchat_store_pin_conversation (TimchatStore *self, const char *user_id, TimConvType type,
                                const char *peer, gboolean pinned, GError **error)
{
  g_return_val_if_fail (TIMCHAT_IS_STORE (self), FALSE);
  return TIMCHAT_STORE_GET_CLASS (self)->pin_conversation (self, user_id, type, peer, pinned,
                                                           error);
}

gboolean
timchat_store_set_remind (TimchatStore *self, const char *user_id, TimConvType type,
                          const char *peer, TimRemindFlag remind, GError **error)
{
  g_return_val_if_fail (TIMCHAT_IS_STORE (self), FALSE);
  return TIMCHAT_STORE_GET_CLASS (self)->set_remind (self, user_id, type, peer, remind, error);
}

GPtrArray *
timchat_store_list_c2c_reminds (TimchatStore *self, const char *user_id)
{
  g_return_val_if_fail (TIMCHAT_IS_STORE (self), NULL);
  return TIMCHAT_STORE_GET_CLASS (self)->list_c2c_reminds (self, user_id);
}

TimRemindFlag
timchat_store_get_remind (TimchatStore *self, const char *user_id, TimConvType type,
                          const char *peer)
{
  g_return_val_if_fail (TIMCHAT_IS_STORE (self), TIM_REMIND_FLAG_NOTIFY);
  return TIMCHAT_STORE_GET_CLASS (self)->get_remind (self, user_id, type, peer);
}

gint64
timchat_store_mark_read (TimchatStore *self, const char *user_id, TimConvType type,
                         const char *peer, gint64 upto_time, gint64 upto_seq, GError **error)
{
  g_return_val_if_fail (TIMCHAT_IS_STORE (self), 0);
  return TIMCHAT_STORE_GET_CLASS (self)->mark_read (self, user_id, type, peer, upto_time, upto_seq,
                                                    error);
}

guint
timchat_store_purge_before (TimchatStore *self, gint64 time, guint limit)
{
  g_return_val_if_fail (TIMCHAT_IS_STORE (self), 0);
  return TIMCHAT_STORE_GET_CLASS (self)->purge_before (self, time, limit);
}

gboolean
timchat_store_keep_files (TimchatStore *self, const char *const *names, gint64 time, GError **error)
{
  g_return_val_if_fail (TIMCHAT_IS_STORE (self), FALSE);
  return TIMCHAT_STORE_GET_CLASS (self)->keep_files (self, names, time, FALSE, error);
}

GPtrArray *
timchat_store_expired_files (TimchatStore *self, gint64 time, guint limit)
{
  g_return_val_if_fail (TIMCHAT_IS_STORE (self), NULL);
  return TIMCHAT_STORE_GET_CLASS (self)->expired_files (self, time, limit);
}

gboolean
timchat_store_forget_files (TimchatStore *self, GPtrArray *names, GError **error)
{
  g_return_val_if_fail (TIMCHAT_IS_STORE (self), FALSE);
  return TIMCHAT_STORE_GET_CLASS (self)->forget_files (self, names, error);
}

void
timchat_store_after_commit (TimchatStore *self, TimchatAfterCommit func, gpointer user_data)
{
  TimchatStoreClass *klass = TIMCHAT_STORE_GET_CLASS (self);

  if (klass->after_commit != NULL)
    klass->after_commit (self, func, user_data);
  else
    func (TRUE, user_data);
}

void
timchat_store_begin_command (TimchatStore *self)
{
  TimchatStoreClass *klass = TIMCHAT_STORE_GET_CLASS (self);

  if (klass->begin_command != NULL)
    klass->begin_command (self);
}

void
timchat_store_end_command (TimchatStore *self, gboolean keep)
{
  TimchatStoreClass *klass = TIMCHAT_STORE_GET_CLASS (self);

  if (klass->end_command != NULL)
    klass->end_command (self, keep);
}

void
timchat_store_set_erase_seconds (TimchatStore *self, guint seconds)
{
  TimchatStoreClass *klass = TIMCHAT_STORE_GET_CLASS (self);

  if (klass->set_erase_seconds != NULL)
    klass->set_erase_seconds (self, seconds);
}

void
timchat_store_flush (TimchatStore *self, guint timeout_ms)
{
  TimchatStoreClass *klass = TIMCHAT_STORE_GET_CLASS (self);

  if (klass->flush != NULL)
    klass->flush (self, timeout_ms);
}

char *
timchat_store_path (const char *data_dir)
{
  return g_build_filename (data_dir, "timchat.db", NULL);
}

/**
 * timchat_store_open:
 * @data_dir: the server's data directory
 * @durable: wait for the disk on every commit (power-loss safe) rather than the OS cache
 *
 * Opens the storage engine. There is one engine today (SQLite in WAL mode).
 */
TimchatStore *
timchat_store_open (const char *data_dir, gboolean durable, GError **error)
{
  g_autofree char *path = timchat_store_path (data_dir);
  TimchatStore *store = timchat_store_sqlite_new (path, durable, error);

  /* Unlike the client's cache, this is the only copy: never put aside, but say which file. */
  if (store == NULL && error != NULL && *error != NULL)
    g_prefix_error (error, "%s: ", path);
  return store;
}

gboolean
timchat_store_block_user (TimchatStore *self, const char *owner, const char *blocked, gint64 now,
                          GError **error)
{
  g_return_val_if_fail (TIMCHAT_IS_STORE (self), FALSE);
  return TIMCHAT_STORE_GET_CLASS (self)->block_user (self, owner, blocked, now, error);
}

gboolean
timchat_store_unblock_user (TimchatStore *self, const char *owner, const char *blocked,
                            GError **error)
{
  g_return_val_if_fail (TIMCHAT_IS_STORE (self), FALSE);
  return TIMCHAT_STORE_GET_CLASS (self)->unblock_user (self, owner, blocked, error);
}

GPtrArray *
timchat_store_list_blocked (TimchatStore *self, const char *owner)
{
  g_return_val_if_fail (TIMCHAT_IS_STORE (self), NULL);
  return TIMCHAT_STORE_GET_CLASS (self)->list_blocked (self, owner);
}

gboolean
timchat_store_is_blocked (TimchatStore *self, const char *owner, const char *user_id)
{
  g_return_val_if_fail (TIMCHAT_IS_STORE (self), FALSE);
  return TIMCHAT_STORE_GET_CLASS (self)->is_blocked (self, owner, user_id);
}
