/* timchat-store-sqlite-accounts.c: the SQLite engine's accounts and login tickets. Accounts
 * are read three times per C2C message (sender, recipient, the push's nick and avatar), so rows
 * are kept in memory once read; every write of the table drops the row, a rollback drops all. */
#define G_LOG_DOMAIN "timchat-store"

#include "config.h"

#include "tim-error.h"
#include "timchat-store-sqlite-private.h"

/* ---------------------------------------------------------------- accounts */

static TimchatAccount *
read_account (sqlite3_stmt *statement)
{
  TimchatAccount *account = NULL;

  if (sqlite3_step (statement) == SQLITE_ROW)
    {
      account = g_new0 (TimchatAccount, 1);
      account->user_id = timchat_sql_column_text (statement, 0);
      account->tinyid = (guint64) sqlite3_column_int64 (statement, 1);
      account->nick = timchat_sql_column_text (statement, 2);
      account->avatar = timchat_sql_column_text (statement, 3);
      account->created = sqlite3_column_int64 (statement, 4);
      account->kicked_before = sqlite3_column_int64 (statement, 5);
    }
  sqlite3_reset (statement);
  return account;
}

/* Bounds the cache's memory (~100 bytes a row); past it, start over. */
#define MAX_CACHED_ACCOUNTS 100000

static TimchatAccount *
copy_account (const TimchatAccount *account)
{
  TimchatAccount *copy = g_memdup2 (account, sizeof *account);

  copy->user_id = g_strdup (account->user_id);
  copy->nick = g_strdup (account->nick);
  copy->avatar = g_strdup (account->avatar);
  return copy;
}

static void
forget_account (TimchatStoreSqlite *self, const char *user_id)
{
  g_hash_table_remove (self->accounts, user_id);
}

static TimchatAccount *
sqlite_get_account (TimchatStore *store, const char *user_id)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  TimchatAccount *cached = user_id != NULL ? g_hash_table_lookup (self->accounts, user_id) : NULL;
  TimchatAccount *account;
  sqlite3_stmt *s;

  if (cached != NULL)
    return copy_account (cached);
  s = timchat_sql_stmt (self, "SELECT user_id, tinyid, nick, avatar, created, kicked_before "
                              "FROM accounts WHERE user_id = ?");
  timchat_sql_bind_text (s, 1, user_id);
  account = read_account (s);
  /* Keyed by the stored user_id: the column compares as BINARY, so it is user_id's bytes. */
  if (account != NULL)
    {
      if (g_hash_table_size (self->accounts) >= MAX_CACHED_ACCOUNTS)
        g_hash_table_remove_all (self->accounts);
      cached = copy_account (account);
      g_hash_table_replace (self->accounts, cached->user_id, cached);
    }
  return account;
}

static TimchatAccount *
sqlite_get_account_by_tinyid (TimchatStore *store, guint64 tinyid)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  sqlite3_stmt *s =
      timchat_sql_stmt (self, "SELECT user_id, tinyid, nick, avatar, created, kicked_before "
                              "FROM accounts WHERE tinyid = ?");

  sqlite3_bind_int64 (s, 1, (gint64) tinyid);
  return read_account (s);
}

static TimchatAccount *
sqlite_ensure_account (TimchatStore *store, const char *user_id, GError **error)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  TimchatAccount *account = sqlite_get_account (store, user_id);
  sqlite3_stmt *s;

  if (account != NULL)
    return account;
  s = timchat_sql_stmt (self, "SELECT count(*) FROM deleted_accounts WHERE user_id = ?");
  timchat_sql_bind_text (s, 1, user_id);
  if (timchat_sql_query_int (self, s, 0) > 0)
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_ACCOUNT_NOT_FOUND,
                   "The account \"%s\" was deleted; an admin must import it again", user_id);
      return NULL;
    }
  /* TinyIDs look like the vendor's: 144115xxxxxxxxxxxx, unique and stable per account. */
  s = timchat_sql_stmt (
      self, "INSERT INTO accounts (user_id, tinyid, created) VALUES (?, "
            "144115000000000000 + 1 + coalesce((SELECT max(tinyid) - 144115000000000000 "
            "FROM accounts), 0), ?)");
  timchat_sql_bind_text (s, 1, user_id);
  sqlite3_bind_int64 (s, 2, g_get_real_time () / G_USEC_PER_SEC);
  if (!timchat_sql_step_done (self, s, error))
    return NULL;
  return sqlite_get_account (store, user_id);
}

static gboolean
sqlite_set_profile (TimchatStore *store, const char *user_id, const char *nick, const char *avatar,
                    GError **error)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  sqlite3_stmt *s = timchat_sql_stmt (self, "UPDATE accounts SET nick = coalesce(?, nick), "
                                            "avatar = coalesce(?, avatar) WHERE user_id = ?");

  forget_account (self, user_id);
  timchat_sql_bind_text (s, 1, nick);
  timchat_sql_bind_text (s, 2, avatar);
  timchat_sql_bind_text (s, 3, user_id);
  return timchat_sql_step_done (self, s, error);
}

/* ---------------------------------------------------------------- profile fields */

static gboolean
write_profile_field (TimchatStoreSqlite *self, const char *user_id,
                     const TimchatProfileField *field, GError **error)
{
  sqlite3_stmt *s;

  if (field->text != NULL && field->text[0] == '\0')
    {
      s = timchat_sql_stmt (self, "DELETE FROM profile_fields WHERE user_id = ? AND tag = ?");
      timchat_sql_bind_text (s, 1, user_id);
      timchat_sql_bind_text (s, 2, field->tag);
      return timchat_sql_step_done (self, s, error);
    }
  s = timchat_sql_stmt (self, "INSERT OR REPLACE INTO profile_fields (user_id, tag, value) "
                              "VALUES (?, ?, ?)");
  timchat_sql_bind_text (s, 1, user_id);
  timchat_sql_bind_text (s, 2, field->tag);
  if (field->text != NULL)
    timchat_sql_bind_text (s, 3, field->text);
  else
    sqlite3_bind_int64 (s, 3, field->number);
  return timchat_sql_step_done (self, s, error);
}

static gboolean
sqlite_update_profile (TimchatStore *store, const char *user_id, const char *nick,
                       const char *avatar, GPtrArray *fields, GError **error)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;

  if (!timchat_sql_begin (self, error))
    return FALSE;
  if ((nick != NULL || avatar != NULL) && !sqlite_set_profile (store, user_id, nick, avatar, error))
    goto fail;
  for (guint i = 0; fields != NULL && i < fields->len; i++)
    if (!write_profile_field (self, user_id, fields->pdata[i], error))
      goto fail;
  if (!timchat_sql_commit (self, error))
    goto fail;
  return TRUE;

fail:
  timchat_sql_rollback (self);
  return FALSE;
}

static GPtrArray *
sqlite_get_profile_fields (TimchatStore *store, const char *user_id)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  GPtrArray *fields = g_ptr_array_new_with_free_func ((GDestroyNotify) timchat_profile_field_free);
  sqlite3_stmt *s = timchat_sql_stmt (
      self, "SELECT tag, value FROM profile_fields WHERE user_id = ? ORDER BY tag");

  timchat_sql_bind_text (s, 1, user_id);
  while (sqlite3_step (s) == SQLITE_ROW)
    {
      g_autofree char *tag = timchat_sql_column_text (s, 0);
      g_autofree char *text =
          sqlite3_column_type (s, 1) == SQLITE_INTEGER ? NULL : timchat_sql_column_text (s, 1);

      g_ptr_array_add (fields, timchat_profile_field_new (tag, text, sqlite3_column_int64 (s, 1)));
    }
  sqlite3_reset (s);
  return fields;
}

/* ---------------------------------------------------------------- tickets */

static gboolean
sqlite_add_ticket (TimchatStore *store, const char *a2, const char *user_id, gint64 expires,
                   GError **error)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  sqlite3_stmt *s =
      timchat_sql_stmt (self, "INSERT OR REPLACE INTO tickets (a2, user_id, created, expires) "
                              "VALUES (?, ?, ?, ?)");

  timchat_sql_bind_text (s, 1, a2);
  timchat_sql_bind_text (s, 2, user_id);
  sqlite3_bind_int64 (s, 3, g_get_real_time () / G_USEC_PER_SEC);
  sqlite3_bind_int64 (s, 4, expires);
  return timchat_sql_step_done (self, s, error);
}

static char *
sqlite_check_ticket (TimchatStore *store, const char *a2, gint64 now, gint64 *expires_out)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  sqlite3_stmt *s = timchat_sql_stmt (
      self, "SELECT t.user_id, t.expires FROM tickets t JOIN accounts a USING (user_id) "
            "WHERE t.a2 = ? AND t.expires > ? AND t.created >= a.kicked_before");
  char *user = NULL;

  timchat_sql_bind_text (s, 1, a2);
  sqlite3_bind_int64 (s, 2, now);
  if (sqlite3_step (s) == SQLITE_ROW)
    {
      user = timchat_sql_column_text (s, 0);
      if (expires_out != NULL)
        *expires_out = sqlite3_column_int64 (s, 1);
    }
  sqlite3_reset (s);
  return user;
}

static gboolean
sqlite_revoke_tickets (TimchatStore *store, const char *user_id, const char *a2, GError **error)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  sqlite3_stmt *s =
      timchat_sql_stmt (self, "DELETE FROM tickets WHERE user_id = ?1 AND (?2 IS NULL OR a2 = ?2)");

  timchat_sql_bind_text (s, 1, user_id);
  timchat_sql_bind_text (s, 2, a2);
  return timchat_sql_step_done (self, s, error);
}

static gboolean
import_account_locked (TimchatStoreSqlite *self, const char *user_id, const char *nick,
                       const char *avatar, GError **error)
{
  sqlite3_stmt *s = timchat_sql_stmt (self, "DELETE FROM deleted_accounts WHERE user_id = ?");
  g_autoptr (TimchatAccount) account = NULL;

  timchat_sql_bind_text (s, 1, user_id);
  if (!timchat_sql_step_done (self, s, error))
    return FALSE;
  account = sqlite_ensure_account ((TimchatStore *) self, user_id, error);
  return account != NULL &&
         sqlite_set_profile ((TimchatStore *) self, user_id, nick, avatar, error);
}

static gboolean
sqlite_import_account (TimchatStore *store, const char *user_id, const char *nick,
                       const char *avatar, GError **error)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;

  if (!timchat_sql_begin (self, error))
    return FALSE;
  if (!import_account_locked (self, user_id, nick, avatar, error) ||
      !timchat_sql_commit (self, error))
    {
      timchat_sql_rollback (self);
      return FALSE;
    }
  return TRUE;
}

static gboolean
sqlite_delete_account (TimchatStore *store, const char *user_id, GError **error)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  /* Messages stay in the peers' history; groups are left to the group commands. */
  static const char *const statements[] = {
    "DELETE FROM tickets WHERE user_id = ?1",
    "DELETE FROM conversations WHERE owner = ?1",
    "DELETE FROM events WHERE user_id = ?1",
    "DELETE FROM blocks WHERE owner = ?1 OR blocked = ?1",
    "DELETE FROM folders WHERE user_id = ?1",
    "DELETE FROM profile_fields WHERE user_id = ?1",
    "INSERT OR REPLACE INTO deleted_accounts (user_id, deleted) VALUES (?1, ?2)",
    "DELETE FROM accounts WHERE user_id = ?1",
  };

  if (!timchat_sql_begin (self, error))
    return FALSE;
  forget_account (self, user_id);
  for (gsize i = 0; i < G_N_ELEMENTS (statements); i++)
    {
      sqlite3_stmt *s = timchat_sql_stmt (self, statements[i]);

      timchat_sql_bind_text (s, 1, user_id);
      if (sqlite3_bind_parameter_count (s) > 1)
        sqlite3_bind_int64 (s, 2, g_get_real_time () / G_USEC_PER_SEC);
      if (!timchat_sql_step_done (self, s, error))
        goto fail;
    }
  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_ACCOUNT_NOT_FOUND,
                   "The account \"%s\" does not exist", user_id);
      goto fail;
    }
  if (!timchat_sql_commit (self, error))
    goto fail;
  return TRUE;

fail:
  timchat_sql_rollback (self);
  return FALSE;
}

void
_timchat_store_sqlite_class_init_accounts (TimchatStoreClass *store_class)
{
  store_class->ensure_account = sqlite_ensure_account;
  store_class->get_account = sqlite_get_account;
  store_class->get_account_by_tinyid = sqlite_get_account_by_tinyid;
  store_class->update_profile = sqlite_update_profile;
  store_class->get_profile_fields = sqlite_get_profile_fields;
  store_class->add_ticket = sqlite_add_ticket;
  store_class->check_ticket = sqlite_check_ticket;
  store_class->revoke_tickets = sqlite_revoke_tickets;
  store_class->import_account = sqlite_import_account;
  store_class->delete_account = sqlite_delete_account;
}
