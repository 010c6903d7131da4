/* timchat-store-sqlite-groups.c: the SQLite engine's groups. */
#define G_LOG_DOMAIN "timchat-store"

#include "config.h"

#include <string.h>

#include "tim-error.h"
#include "timchat-store-sqlite-private.h"

/* ---------------------------------------------------------------- groups */

static gboolean
insert_member (TimchatStoreSqlite *self, const char *group_id, TimchatMember *member,
               GError **error)
{
  /* joined_seq (migration 30): what is kept from before the join is not the newcomer's to read,
   * but in a Meeting (an old ChatRoom), whose members see the history from before they came
   * (tim-rest-facts.md §5.0). Read here, in the statement that makes them a member, so a message
   * stored meanwhile is either before their join or theirs to read, never lost in between. */
  sqlite3_stmt *s = timchat_sql_stmt (
      self, "INSERT INTO group_members (group_id, user_id, role, join_time, name_card, joined_seq) "
            "VALUES (?1, ?2, ?3, ?4, ?5, coalesce ((SELECT CASE WHEN g.type IN ('Meeting', "
            "'ChatRoom') THEN 0 ELSE coalesce (k.last_seq, 0) END FROM groups g LEFT JOIN "
            "counters k ON k.conv_key = g.group_id WHERE g.group_id = ?1), 0))");

  timchat_sql_bind_text (s, 1, group_id);
  timchat_sql_bind_text (s, 2, member->user_id);
  timchat_sql_bind_text (s, 3, member->role);
  sqlite3_bind_int64 (s, 4, member->join_time);
  timchat_sql_bind_text (s, 5, member->name_card != NULL ? member->name_card : "");
  if (sqlite3_step (s) != SQLITE_DONE)
    {
      int rc = sqlite3_extended_errcode (self->db);
      sqlite3_reset (s);
      if (rc == SQLITE_CONSTRAINT_PRIMARYKEY)
        g_set_error (error, TIM_ERROR, TIM_ERROR_GROUP_ALREADY_MEMBER,
                     "%s is already a member of %s", member->user_id, group_id);
      else
        timchat_sql_error (self, error);
      return FALSE;
    }
  sqlite3_reset (s);
  /* Joining answers the newcomer's application, however they came in (invited, a free join):
   * left waiting, it came back to the managers once they quit, and agreeing to it pulled the one
   * who had left back in. */
  s = timchat_sql_stmt (self,
                        "DELETE FROM group_applications WHERE group_id = ?1 AND applicant = ?2");
  timchat_sql_bind_text (s, 1, group_id);
  timchat_sql_bind_text (s, 2, member->user_id);
  if (!timchat_sql_step_done (self, s, error))
    return FALSE;
  /* History before joining is not unread for the newcomer. */
  s = timchat_sql_stmt (
      self, "INSERT INTO conversations (owner, conv_type, peer, read_seq) VALUES (?1, 2, ?2, "
            "coalesce((SELECT last_seq FROM counters WHERE conv_key = ?2), 0)) "
            "ON CONFLICT DO UPDATE SET hidden_seq = -1, read_seq = excluded.read_seq");
  timchat_sql_bind_text (s, 1, member->user_id);
  timchat_sql_bind_text (s, 2, group_id);
  return timchat_sql_step_done (self, s, error);
}

static gboolean
sqlite_create_group (TimchatStore *store, TimchatGroup *group, GPtrArray *members, GError **error)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  sqlite3_stmt *s;

  if (!timchat_sql_begin (self, error))
    return FALSE;
  s = timchat_sql_stmt (
      self,
      "INSERT INTO groups (group_id, type, name, owner, introduction, notification, "
      "face_url, created, max_members, apply_join_option) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  timchat_sql_bind_text (s, 1, group->group_id);
  timchat_sql_bind_text (s, 2, group->type);
  timchat_sql_bind_text (s, 3, group->name);
  timchat_sql_bind_text (s, 4, group->owner);
  timchat_sql_bind_text (s, 5, group->introduction != NULL ? group->introduction : "");
  timchat_sql_bind_text (s, 6, group->notification != NULL ? group->notification : "");
  timchat_sql_bind_text (s, 7, group->face_url != NULL ? group->face_url : "");
  sqlite3_bind_int64 (s, 8, group->created);
  sqlite3_bind_int (s, 9, (int) group->max_members);
  timchat_sql_bind_text (
      s, 10, group->apply_join_option != NULL ? group->apply_join_option : "NeedPermission");
  if (sqlite3_step (s) != SQLITE_DONE)
    {
      int rc = sqlite3_extended_errcode (self->db);
      sqlite3_reset (s);
      if (rc == SQLITE_CONSTRAINT_PRIMARYKEY)
        g_set_error (error, TIM_ERROR, TIM_ERROR_GROUP_ID_IN_USE, "Group ID %s is in use",
                     group->group_id);
      else
        timchat_sql_error (self, error);
      goto fail;
    }
  sqlite3_reset (s);
  for (guint i = 0; i < members->len; i++)
    if (!insert_member (self, group->group_id, members->pdata[i], error))
      goto fail;
  if (!timchat_sql_commit (self, error))
    goto fail;
  return TRUE;

fail:
  timchat_sql_rollback (self);
  return FALSE;
}

#define GROUP_SELECT                                                                               \
  "SELECT g.group_id, g.type, g.name, g.owner, g.introduction, g.notification, g.face_url, "       \
  "g.created, g.max_members, coalesce(k.last_seq, 0), "                                            \
  "(SELECT count(*) FROM group_members m WHERE m.group_id = g.group_id), g.apply_join_option, "    \
  "g.info_seq, g.info_time, g.mute_all "                                                           \
  "FROM groups g LEFT JOIN counters k ON k.conv_key = g.group_id WHERE g.dismissed = 0 "

static TimchatGroup *
read_group_row (sqlite3_stmt *s)
{
  TimchatGroup *group = g_new0 (TimchatGroup, 1);

  group->group_id = timchat_sql_column_text (s, 0);
  group->type = timchat_sql_column_text (s, 1);
  group->name = timchat_sql_column_text (s, 2);
  group->owner = timchat_sql_column_text (s, 3);
  group->introduction = timchat_sql_column_text (s, 4);
  group->notification = timchat_sql_column_text (s, 5);
  group->face_url = timchat_sql_column_text (s, 6);
  group->created = sqlite3_column_int64 (s, 7);
  group->max_members = sqlite3_column_int (s, 8);
  group->last_seq = sqlite3_column_int64 (s, 9);
  group->member_count = sqlite3_column_int (s, 10);
  group->apply_join_option = timchat_sql_column_text (s, 11);
  group->info_seq = sqlite3_column_int64 (s, 12);
  group->info_time = sqlite3_column_int64 (s, 13);
  if (group->info_time == 0)
    group->info_time = group->created;
  group->mute_all = sqlite3_column_int (s, 14) != 0;
  return group;
}

static TimchatGroup *
sqlite_get_group (TimchatStore *store, const char *group_id)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  sqlite3_stmt *s = timchat_sql_stmt (self, GROUP_SELECT "AND g.group_id = ?");
  TimchatGroup *group = NULL;

  timchat_sql_bind_text (s, 1, group_id);
  if (sqlite3_step (s) == SQLITE_ROW)
    group = read_group_row (s);
  sqlite3_reset (s);
  return group;
}

static GPtrArray *
sqlite_joined_groups (TimchatStore *store, const char *user_id)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify) timchat_group_free);
  sqlite3_stmt *s = timchat_sql_stmt (
      self,
      GROUP_SELECT "AND g.group_id IN "
                   "(SELECT group_id FROM group_members WHERE user_id = ?) ORDER BY g.created");

  timchat_sql_bind_text (s, 1, user_id);
  while (sqlite3_step (s) == SQLITE_ROW)
    g_ptr_array_add (list, read_group_row (s));
  sqlite3_reset (s);
  return list;
}

static TimchatMember *
read_member_row (sqlite3_stmt *s)
{
  TimchatMember *member = g_new0 (TimchatMember, 1);

  member->user_id = timchat_sql_column_text (s, 0);
  member->role = timchat_sql_column_text (s, 1);
  member->join_time = sqlite3_column_int64 (s, 2);
  member->read_seq = sqlite3_column_int64 (s, 3);
  member->name_card = timchat_sql_column_text (s, 4);
  member->remind = sqlite3_column_int (s, 5);
  member->mute_until = sqlite3_column_int64 (s, 6);
  member->joined_seq = sqlite3_column_int64 (s, 7);
  return member;
}

#define MEMBER_SELECT                                                                              \
  "SELECT m.user_id, m.role, m.join_time, coalesce(c.read_seq, 0), m.name_card, "                  \
  "  coalesce(c.remind, 0), m.mute_until, m.joined_seq FROM "                                      \
  "group_members m "                                                                               \
  "LEFT JOIN conversations c ON c.owner = m.user_id AND c.conv_type = 2 AND c.peer = m.group_id "  \
  "WHERE m.group_id = ?1 "

static GPtrArray *
sqlite_list_members (TimchatStore *store, const char *group_id)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify) timchat_member_free);
  sqlite3_stmt *s = timchat_sql_stmt (self, MEMBER_SELECT "ORDER BY m.join_time, m.rowid");

  timchat_sql_bind_text (s, 1, group_id);
  while (sqlite3_step (s) == SQLITE_ROW)
    g_ptr_array_add (list, read_member_row (s));
  sqlite3_reset (s);
  return list;
}

static TimchatMember *
sqlite_get_member (TimchatStore *store, const char *group_id, const char *user_id)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  sqlite3_stmt *s = timchat_sql_stmt (self, MEMBER_SELECT "AND m.user_id = ?2");
  TimchatMember *member = NULL;

  timchat_sql_bind_text (s, 1, group_id);
  timchat_sql_bind_text (s, 2, user_id);
  if (sqlite3_step (s) == SQLITE_ROW)
    member = read_member_row (s);
  sqlite3_reset (s);
  return member;
}

static gboolean
sqlite_add_member (TimchatStore *store, const char *group_id, TimchatMember *member, GError **error)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;

  if (!timchat_sql_begin (self, error))
    return FALSE;
  if (!insert_member (self, group_id, member, error) || !timchat_sql_commit (self, error))
    {
      timchat_sql_rollback (self);
      return FALSE;
    }
  return TRUE;
}

/* One savepoint for all of them: a statement that fails part-way (an I/O error SQLite does not
 * roll the whole transaction back for) leaves none removed, where one savepoint each left the
 * first ones removed, committed with the batch, under a request answered with an error. */
static gboolean
sqlite_remove_members (TimchatStore *store, const char *group_id, GPtrArray *user_ids,
                       GError **error)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  sqlite3_stmt *s;

  if (!timchat_sql_begin (self, error))
    return FALSE;
  for (guint i = 0; i < user_ids->len; i++)
    {
      const char *user_id = user_ids->pdata[i];

      s = timchat_sql_stmt (self, "DELETE FROM group_members WHERE group_id = ? AND user_id = ?");
      timchat_sql_bind_text (s, 1, group_id);
      timchat_sql_bind_text (s, 2, user_id);
      if (!timchat_sql_step_done (self, s, error))
        goto fail;
      s = timchat_sql_stmt (
          self, "DELETE FROM conversations WHERE owner = ? AND conv_type = 2 AND peer = ?");
      timchat_sql_bind_text (s, 1, user_id);
      timchat_sql_bind_text (s, 2, group_id);
      if (!timchat_sql_step_done (self, s, error))
        goto fail;
    }
  if (!timchat_sql_commit (self, error))
    goto fail;
  return TRUE;

fail:
  timchat_sql_rollback (self);
  return FALSE;
}

/* One text column of one member's row; the column is spelled in the statement, never spliced. */
static gboolean
update_member_text (TimchatStoreSqlite *self, const char *sql, const char *value,
                    const char *group_id, const char *user_id, GError **error)
{
  sqlite3_stmt *s = timchat_sql_stmt (self, sql);

  timchat_sql_bind_text (s, 1, value);
  timchat_sql_bind_text (s, 2, group_id);
  timchat_sql_bind_text (s, 3, user_id);
  return timchat_sql_step_done (self, s, error);
}

static gboolean
sqlite_set_member_role (TimchatStore *store, const char *group_id, const char *user_id,
                        const char *role, GError **error)
{
  return update_member_text ((TimchatStoreSqlite *) store,
                             "UPDATE group_members SET role = ? WHERE group_id = ? AND user_id = ?",
                             role, group_id, user_id, error);
}

static gboolean
sqlite_set_member_mute_until (TimchatStore *store, const char *group_id, const char *user_id,
                              gint64 mute_until, GError **error)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  sqlite3_stmt *s = timchat_sql_stmt (
      self, "UPDATE group_members SET mute_until = ?3 WHERE group_id = ?1 AND user_id = ?2");

  timchat_sql_bind_text (s, 1, group_id);
  timchat_sql_bind_text (s, 2, user_id);
  sqlite3_bind_int64 (s, 3, mute_until);
  return timchat_sql_step_done (self, s, error);
}

static gboolean
sqlite_set_member_name_card (TimchatStore *store, const char *group_id, const char *user_id,
                             const char *name_card, GError **error)
{
  return update_member_text (
      (TimchatStoreSqlite *) store,
      "UPDATE group_members SET name_card = ? WHERE group_id = ? AND user_id = ?", name_card,
      group_id, user_id, error);
}

/* One statement: a field left NULL (or -1, or 0) keeps its value. */
static gboolean
sqlite_update_group (TimchatStore *store, const char *group_id, const TimchatGroupChange *change,
                     gint64 time, GError **error)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  sqlite3_stmt *s = timchat_sql_stmt (
      self,
      "UPDATE groups SET name = coalesce(?2, name), introduction = coalesce(?3, introduction), "
      "notification = coalesce(?4, notification), face_url = coalesce(?5, face_url), "
      "apply_join_option = coalesce(?6, apply_join_option), "
      "mute_all = CASE WHEN ?7 < 0 THEN mute_all ELSE ?7 END, "
      "max_members = CASE WHEN ?8 > 0 THEN ?8 ELSE max_members END, "
      "owner = coalesce(?10, owner), "
      "info_seq = info_seq + 1, info_time = ?9 WHERE group_id = ?1 AND dismissed = 0");

  timchat_sql_bind_text (s, 1, group_id);
  timchat_sql_bind_text (s, 2, change->name);
  timchat_sql_bind_text (s, 3, change->introduction);
  timchat_sql_bind_text (s, 4, change->notification);
  timchat_sql_bind_text (s, 5, change->face_url);
  timchat_sql_bind_text (s, 6, change->apply_join_option);
  sqlite3_bind_int (s, 7, change->mute_all);
  sqlite3_bind_int64 (s, 8, change->max_members);
  sqlite3_bind_int64 (s, 9, time);
  timchat_sql_bind_text (s, 10, change->owner);
  return timchat_sql_step_done (self, s, error);
}

static gboolean
sqlite_dismiss_group (TimchatStore *store, const char *group_id, GError **error)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  sqlite3_stmt *s;

  if (!timchat_sql_begin (self, error))
    return FALSE;
  s = timchat_sql_stmt (self, "UPDATE groups SET dismissed = 1 WHERE group_id = ?");
  timchat_sql_bind_text (s, 1, group_id);
  if (!timchat_sql_step_done (self, s, error))
    goto fail;
  s = timchat_sql_stmt (self, "DELETE FROM conversations WHERE conv_type = 2 AND peer = ?");
  timchat_sql_bind_text (s, 1, group_id);
  if (!timchat_sql_step_done (self, s, error))
    goto fail;
  s = timchat_sql_stmt (self, "DELETE FROM group_applications WHERE group_id = ?");
  timchat_sql_bind_text (s, 1, group_id);
  if (!timchat_sql_step_done (self, s, error))
    goto fail;
  s = timchat_sql_stmt (self, "DELETE FROM group_members WHERE group_id = ?");
  timchat_sql_bind_text (s, 1, group_id);
  if (!timchat_sql_step_done (self, s, error) || !timchat_sql_commit (self, error))
    goto fail;
  return TRUE;

fail:
  timchat_sql_rollback (self);
  return FALSE;
}

/* At most `limit` messages (through the time index), `limit` sync events and `limit` merged
 * messages' lists (through theirs). Events are written
 * in time order, so the old ones are the first ids: each batch looks at the first `limit` rows
 * only, where a scan for "created < time" would read the whole table each time. */
static guint
sqlite_purge_before (TimchatStore *store, gint64 time, guint limit)
{
  TimchatStoreSqlite *self = (TimchatStoreSqlite *) store;
  sqlite3_stmt *s =
      timchat_sql_stmt (self, "DELETE FROM messages WHERE id IN "
                              "(SELECT id FROM messages WHERE time < ?1 ORDER BY time LIMIT ?2)");
  guint removed, relay_lists;

  sqlite3_bind_int64 (s, 1, time);
  sqlite3_bind_int (s, 2, (int) limit);
  if (!timchat_sql_step_done (self, s, NULL))
    return 0;
  removed = sqlite3_changes (self->db);
  s = timchat_sql_stmt (self, "DELETE FROM events WHERE id IN "
                              "(SELECT id FROM events ORDER BY id LIMIT ?2) AND created < ?1");
  sqlite3_bind_int64 (s, 1, time);
  sqlite3_bind_int (s, 2, (int) limit);
  if (timchat_sql_step_done (self, s, NULL))
    removed = MAX (removed, (guint) sqlite3_changes (self->db));
  relay_lists = _timchat_sql_purge_relay_lists (self, time, limit);
  removed = MAX (removed, relay_lists);
  s = timchat_sql_stmt (self, "DELETE FROM tickets WHERE expires < ?");
  sqlite3_bind_int64 (s, 1, g_get_real_time () / G_USEC_PER_SEC);
  timchat_sql_step_done (self, s, NULL);
  /* What expired leaves the WAL's bytes too, as a recall does. */
  if (removed > 0)
    timchat_sql_scrub_wal (self);
  return removed;
}

void
_timchat_store_sqlite_class_init_groups (TimchatStoreClass *store_class)
{
  store_class->create_group = sqlite_create_group;
  store_class->get_group = sqlite_get_group;
  store_class->list_members = sqlite_list_members;
  store_class->get_member = sqlite_get_member;
  store_class->add_member = sqlite_add_member;
  store_class->remove_members = sqlite_remove_members;
  store_class->set_member_role = sqlite_set_member_role;
  store_class->set_member_name_card = sqlite_set_member_name_card;
  store_class->set_member_mute_until = sqlite_set_member_mute_until;
  store_class->update_group = sqlite_update_group;
  store_class->dismiss_group = sqlite_dismiss_group;
  store_class->joined_groups = sqlite_joined_groups;
  store_class->purge_before = sqlite_purge_before;
}
