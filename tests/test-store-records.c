/* test-store-records.c: what the SQLite store records, on a real file: accounts (one process per
 * database, reopened with everything kept) and their cache, exactly-once inserts in order,
 * conversation bookkeeping, retention, the uploads kept while a message mentions them, merged
 * messages' lists and profile fields. Split from test-store.c (by theme: what is recorded here,
 * the file on the disk, its migrations and its durability in test-store-durability.c) to keep
 * each program short; the fixture and the message helpers are in test-store-common.c. */
#define G_LOG_DOMAIN "test-store-records"

#include "config.h"

#include <gio/gio.h>
#include <string.h>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include "test-store-common.h"
#include "tim-error.h"
#include "timchat-store-sqlite-private.h"
#include "timchat-store.h"

static gpointer
release_lock_later (gpointer data)
{
  g_usleep (500 * 1000);
  close (GPOINTER_TO_INT (data));
  return NULL;
}

static void
test_accounts_and_reopen (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TimchatAccount) alice = timchat_store_ensure_account (f->store, "alice", &error);
  g_autoptr (TimchatAccount) bob = timchat_store_ensure_account (f->store, "bob", &error);
  g_autoptr (TimchatAccount) alice_again = timchat_store_ensure_account (f->store, "alice", &error);
  g_autoptr (TimchatAccount) by_tinyid = NULL;
  g_autoptr (TimchatAccount) after_reopen = NULL;
  g_autofree char *user = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (alice->tinyid, >, G_GUINT64_CONSTANT (144115000000000000));
  g_assert_cmpuint (bob->tinyid, !=, alice->tinyid);
  g_assert_cmpuint (alice_again->tinyid, ==, alice->tinyid);
  by_tinyid = timchat_store_get_account_by_tinyid (f->store, bob->tinyid);
  g_assert_cmpstr (by_tinyid->user_id, ==, "bob");

  g_assert_true (timchat_store_add_ticket (f->store, "a2-alice", "alice", G_MAXINT32, &error));
  user = timchat_store_check_ticket (f->store, "a2-alice", 1000, NULL);
  g_assert_cmpstr (user, ==, "alice");
  g_assert_null (timchat_store_check_ticket (f->store, "a2-nobody", 1000, NULL));
  g_assert_null (timchat_store_check_ticket (f->store, "a2-alice", G_MAXINT32, NULL));

  /* One process per database: a second store on it is refused while the first is open. */
  g_assert_null (timchat_store_open (f->dir, TRUE, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_BUSY);
  g_assert_nonnull (strstr (error->message, "another timchat-server"));
  g_clear_error (&error);

  /* Migrations run once: reopening an existing file keeps everything; a process still letting
   * go of it (its lock held for another 500 ms here) is waited for. */
  g_assert_finalize_object (f->store);
  {
    g_autofree char *lock_path = g_build_filename (f->dir, "timchat.db.lock", NULL);
    int lock_fd = open (lock_path, O_RDWR);
    g_autoptr (GThread) releaser = NULL;
    gint64 start = g_get_monotonic_time ();

    g_assert_cmpint (lock_fd, >=, 0);
    g_assert_cmpint (flock (lock_fd, LOCK_EX | LOCK_NB), ==, 0);
    releaser = g_thread_new ("release-lock", release_lock_later, GINT_TO_POINTER (lock_fd));
    f->store = timchat_store_open (f->dir, TRUE, &error);
    g_assert_no_error (error);
    g_assert_cmpint (g_get_monotonic_time () - start, >=, 400 * 1000);
    g_thread_join (g_steal_pointer (&releaser));
  }
  after_reopen = timchat_store_get_account (f->store, "alice");
  g_assert_cmpuint (after_reopen->tinyid, ==, alice->tinyid);
}

/* Account rows are cached after the first read: every write must show through at once. */
static void
test_account_cache (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TimchatAccount) created = timchat_store_ensure_account (f->store, "carol", &error);
  TimchatAccount *read;

  g_assert_no_error (error);
  for (int i = 0; i < 2; i++) /* the second read comes from the cache */
    {
      read = timchat_store_get_account (f->store, "carol");
      g_assert_cmpuint (read->tinyid, ==, created->tinyid);
      g_assert_cmpstr (read->nick, ==, "");
      timchat_account_free (read);
    }

  g_assert_true (
      timchat_store_update_profile (f->store, "carol", "Carol", "http://a/c.png", NULL, &error));
  read = timchat_store_get_account (f->store, "carol");
  g_assert_cmpstr (read->nick, ==, "Carol");
  g_assert_cmpstr (read->avatar, ==, "http://a/c.png");
  /* What the caller gets is its own copy. */
  g_free (read->nick);
  read->nick = g_strdup ("changed by the caller");
  timchat_account_free (read);
  read = timchat_store_get_account (f->store, "carol");
  g_assert_cmpstr (read->nick, ==, "Carol");
  timchat_account_free (read);

  /* A failed operation rolls back; the cache must not keep anything it read inside. */
  g_assert_false (timchat_store_delete_account (f->store, "nobody", &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_ACCOUNT_NOT_FOUND);
  g_clear_error (&error);
  read = timchat_store_get_account (f->store, "carol");
  g_assert_cmpstr (read->nick, ==, "Carol");
  timchat_account_free (read);
  /* The failed delete above cached nothing, so it cannot tell: here a row is read (and cached)
   * inside a savepoint that is then rolled back, and must not be found afterwards. */
  g_assert_true (timchat_sql_begin (TIMCHAT_STORE_SQLITE (f->store), &error));
  read = timchat_store_ensure_account (f->store, "dave", &error);
  g_assert_no_error (error);
  g_assert_nonnull (read);
  timchat_account_free (read);
  timchat_sql_rollback (TIMCHAT_STORE_SQLITE (f->store));
  g_assert_null (timchat_store_get_account (f->store, "dave"));

  /* Deleted: gone for lookups, and a login (ensure) does not bring it back. */
  g_assert_true (timchat_store_delete_account (f->store, "carol", &error));
  g_assert_no_error (error);
  g_assert_null (timchat_store_get_account (f->store, "carol"));
  g_assert_null (timchat_store_ensure_account (f->store, "carol", &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_ACCOUNT_NOT_FOUND);
  g_clear_error (&error);

  /* Imported again: a new row with the imported nick. */
  g_assert_true (timchat_store_import_account (f->store, "carol", "Carol 2", NULL, &error));
  g_assert_no_error (error);
  read = timchat_store_get_account (f->store, "carol");
  g_assert_nonnull (read);
  g_assert_cmpstr (read->nick, ==, "Carol 2");
  timchat_account_free (read);
}

static void
test_exactly_once_and_order (Fixture *f, gconstpointer data)
{
  g_autoptr (TimchatMsg) first = c2c_msg ("alice", "bob", 1, 10, 1000);
  g_autoptr (TimchatMsg) second =
      c2c_msg ("bob", "alice", 1, 10, 1001); /* other sender: distinct */
  g_autoptr (TimchatMsg) resend = c2c_msg ("alice", "bob", 1, 10, 2000);
  g_autoptr (GPtrArray) history = NULL;

  insert (f->store, first, FALSE);
  insert (f->store, second, FALSE);
  insert (f->store, resend, TRUE);
  g_assert_cmpint (first->seq, ==, 1);
  g_assert_cmpint (second->seq, ==, 2);
  /* The resend reports the original's identity and time. */
  g_assert_cmpint (resend->id, ==, first->id);
  g_assert_cmpint (resend->seq, ==, 1);
  g_assert_cmpint (resend->time, ==, 1000);

  history = timchat_store_history (f->store, NULL, TIM_CONV_C2C, "bob", "alice", 0, 10);
  g_assert_cmpuint (history->len, ==, 2);
  g_assert_cmpint (((TimchatMsg *) history->pdata[0])->seq, ==, 2); /* newest first */
}

static void
test_conversations_unread_and_delete (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) list = NULL;
  g_autoptr (TimchatConversation) conv = NULL;
  g_autoptr (TimchatConversation) alice_view = NULL;

  for (int i = 1; i <= 3; i++)
    {
      g_autoptr (TimchatMsg) msg = c2c_msg ("alice", "bob", i, i, 1000 + i);
      insert (f->store, msg, FALSE);
    }
  conv = timchat_store_get_conversation (f->store, "bob", TIM_CONV_C2C, "alice");
  g_assert_cmpint (conv->unread, ==, 3);
  g_assert_cmpstr (conv->last->from_user, ==, "alice");
  alice_view = timchat_store_get_conversation (f->store, "alice", TIM_CONV_C2C, "bob");
  g_assert_cmpint (alice_view->unread, ==, 0); /* own messages are read */

  g_assert_cmpint (
      timchat_store_mark_read (f->store, "bob", TIM_CONV_C2C, "alice", 1002, 0, &error), ==, 2);
  g_clear_pointer (&conv, timchat_conversation_free);
  conv = timchat_store_get_conversation (f->store, "bob", TIM_CONV_C2C, "alice");
  g_assert_cmpint (conv->unread, ==, 1);

  g_assert_true (
      timchat_store_delete_conversation (f->store, "bob", TIM_CONV_C2C, "alice", &error));
  list = timchat_store_list_conversations (f->store, "bob", 0);
  g_assert_cmpuint (list->len, ==, 0);
  g_assert_false (
      timchat_store_delete_conversation (f->store, "bob", TIM_CONV_C2C, "nobody", &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_CONVERSATION_NOT_FOUND);
  {
    g_autoptr (TimchatMsg) msg = c2c_msg ("alice", "bob", 9, 9, 2000);
    insert (f->store, msg, FALSE);
  }
  g_clear_pointer (&list, g_ptr_array_unref);
  list = timchat_store_list_conversations (f->store, "bob", 0);
  g_assert_cmpuint (list->len, ==, 1);
}

/* Retention goes a bounded step at a time: the five old messages and their ten sync events go
 * in steps of at most four, the fresh ones stay. */
static void
test_retention (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) history = NULL;
  g_autoptr (GPtrArray) alices = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autofree char *backdate =
      g_strdup_printf ("UPDATE events SET created = %" G_GINT64_FORMAT
                       " WHERE id IN (SELECT id FROM events ORDER BY id LIMIT 10)",
                       now - 10 * 86400);

  for (int i = 0; i < 7; i++)
    {
      g_autoptr (TimchatMsg) msg = c2c_msg ("alice", "bob", i, i, i < 5 ? now - 10 * 86400 : now);
      insert (f->store, msg, FALSE);
    }
  exec_sql (f->store, backdate); /* the events of the old ones, two a message */
  g_assert_cmpuint (timchat_store_purge_before (f->store, now - 7 * 86400, 4), ==, 4);
  g_assert_cmpuint (timchat_store_purge_before (f->store, now - 7 * 86400, 4), ==, 4);
  g_assert_cmpuint (timchat_store_purge_before (f->store, now - 7 * 86400, 4), ==, 2);
  g_assert_cmpuint (timchat_store_purge_before (f->store, now - 7 * 86400, 4), ==, 0);
  history = timchat_store_history (f->store, NULL, TIM_CONV_C2C, "alice", "bob", 0, 10);
  g_assert_cmpuint (history->len, ==, 2);
  alices = timchat_store_read_events (f->store, "alice", 0, 100);
  g_assert_cmpuint (alices->len, ==, 2);
}

#define FILE_A "0123456789abcdef0123456789abcdef.png"
#define FILE_A_THUMB "0123456789abcdef0123456789abcdef_198.png"
#define FILE_B "fedcba9876543210fedcba9876543210.pdf"

static gboolean
names_equal (GPtrArray *names, const char *const *want)
{
  if (names->len != g_strv_length ((char **) want))
    return FALSE;
  for (guint i = 0; i < names->len; i++)
    if (!g_strv_contains (want, names->pdata[i]))
      return FALSE;
  return TRUE;
}

/* An upload is kept while the newest message that mentions it is: a message moves its time on
 * (never back), and a name that is not one of ours (a path outside /files/, capitals, "..") is
 * not listed at all. */
static void
test_files_kept_while_mentioned (Fixture *f, gconstpointer data)
{
  const char *uploaded[] = { FILE_A, FILE_A_THUMB, FILE_B, NULL };
  const char *only_b[] = { FILE_B, NULL };
  const char *a_and_thumb[] = { FILE_A, FILE_A_THUMB, NULL };
  g_autoptr (TimchatMsg) image = c2c_msg ("alice", "bob", 1, 1, 500);
  g_autoptr (TimchatMsg) older = c2c_msg ("alice", "bob", 2, 2, 50);
  g_autoptr (TimchatMsg) strange = c2c_msg ("alice", "bob", 3, 3, 900);
  g_autoptr (GPtrArray) expired = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_true (timchat_store_keep_files (f->store, uploaded, 100, &error));
  g_assert_no_error (error);
  g_free (image->body);
  image->body =
      g_strdup ("[{\"MsgType\":\"TIMImageElem\",\"MsgContent\":{\"ImageInfoArray\":["
                "{\"Type\":1,\"URL\":\"http://127.0.0.1:1/files/" FILE_A "\"},"
                "{\"Type\":3,\"URL\":\"https://chat.example/files/" FILE_A_THUMB "?x=1\"}]}}]");
  insert (f->store, image, FALSE);
  /* A message imported with an old time does not take A's time back. */
  g_free (older->body);
  older->body = g_strdup ("[{\"MsgType\":\"TIMCustomElem\",\"MsgContent\":{\"Data\":"
                          "\"see /files/" FILE_A "\"}}]");
  insert (f->store, older, FALSE);
  g_free (strange->body);
  strange->body = g_strdup ("[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":"
                            "\"/files/../timchat.db /files/0123456789ABCDEF0123456789ABCDEF.png "
                            "/static/" FILE_B "\"}}]");
  insert (f->store, strange, FALSE);

  expired = timchat_store_expired_files (f->store, 200, 10);
  g_assert_true (names_equal (expired, only_b));
  g_assert_true (timchat_store_forget_files (f->store, expired, &error));
  g_assert_no_error (error);
  g_clear_pointer (&expired, g_ptr_array_unref);
  expired = timchat_store_expired_files (f->store, 500, 10);
  g_assert_cmpuint (expired->len, ==, 0);
  g_clear_pointer (&expired, g_ptr_array_unref);
  expired = timchat_store_expired_files (f->store, 501, 10);
  g_assert_true (names_equal (expired, a_and_thumb));
  g_clear_pointer (&expired, g_ptr_array_unref);
  /* At most `limit` a step, oldest first. */
  expired = timchat_store_expired_files (f->store, 10000, 1);
  g_assert_cmpuint (expired->len, ==, 1);
}

/* Merged messages' lists: read back by key, one list a key; retention removes one a step at a
 * time by its last use (a message sent with its key keeps an old one); the uploads a list
 * mentions are kept as long as it is. */
static void
test_relay_lists (Fixture *f, gconstpointer data)
{
  const char *uploaded[] = { FILE_A, NULL };
  const char *fresh_list = "[{\"MsgBody\":[{\"MsgType\":\"TIMFileElem\",\"MsgContent\":{\"Url\":"
                           "\"http://127.0.0.1:1/files/" FILE_A "\"}}]}]";
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 old = now - 10 * 86400;
  g_autoptr (GPtrArray) expired = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *fresh = NULL;

  g_assert_true (timchat_store_keep_files (f->store, uploaded, 100, &error));
  g_assert_true (timchat_store_save_relay_list (f->store, "old", "alice", old, "[1]", &error));
  g_assert_true (
      timchat_store_save_relay_list (f->store, "forwarded", "alice", old, "[2]", &error));
  g_assert_true (
      timchat_store_save_relay_list (f->store, "fresh", "alice", now, fresh_list, &error));
  g_assert_no_error (error);
  g_assert_false (timchat_store_save_relay_list (f->store, "old", "bob", now, "[3]", &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_INTERNAL);
  g_clear_error (&error);
  g_assert_cmpstr ((text = timchat_store_get_relay_list (f->store, "old")), ==, "[1]");
  g_assert_null (timchat_store_get_relay_list (f->store, "never"));
  g_assert_true (timchat_store_use_relay_list (f->store, "forwarded", now, &error));
  g_assert_no_error (error);
  g_assert_false (timchat_store_use_relay_list (f->store, "never", now, &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_MESSAGE_MERGER_KEY_INVALID);
  expired = timchat_store_expired_files (f->store, now - 1, 10);
  g_assert_cmpuint (expired->len, ==, 0);

  g_assert_cmpuint (timchat_store_purge_before (f->store, now - 7 * 86400, 4), ==, 1);
  g_assert_cmpuint (timchat_store_purge_before (f->store, now - 7 * 86400, 4), ==, 0);
  g_clear_pointer (&text, g_free);
  g_assert_null ((text = timchat_store_get_relay_list (f->store, "old")));
  g_assert_cmpstr ((text = timchat_store_get_relay_list (f->store, "forwarded")), ==, "[2]");
  g_assert_cmpstr ((fresh = timchat_store_get_relay_list (f->store, "fresh")), ==, fresh_list);
}

/* Profile fields besides the nick and the avatar (migration 25): strings and integers keep their
 * type, "" removes a field, an update is all or nothing with the nick, and they survive a reopen
 * and go with the account. */
static void
test_profile_fields (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TimchatAccount) account = timchat_store_ensure_account (f->store, "erin", &error);
  g_autoptr (GPtrArray) set =
      g_ptr_array_new_with_free_func ((GDestroyNotify) timchat_profile_field_free);
  g_autoptr (GPtrArray) got = NULL;
  g_autoptr (TimchatAccount) read = NULL;
  TimchatProfileField *field;

  g_assert_no_error (error);
  g_ptr_array_add (set, timchat_profile_field_new ("Tag_Profile_IM_Level", NULL, 4294967295));
  g_ptr_array_add (set, timchat_profile_field_new ("Tag_Profile_IM_Location", "123", 0));
  g_ptr_array_add (set, timchat_profile_field_new ("Tag_Profile_Custom_A", "x", 0));
  g_assert_true (timchat_store_update_profile (f->store, "erin", "Erin", NULL, set, &error));
  g_assert_no_error (error);

  g_clear_object (&f->store);
  f->store = timchat_store_open (f->dir, TRUE, &error);
  g_assert_no_error (error);
  read = timchat_store_get_account (f->store, "erin");
  g_assert_cmpstr (read->nick, ==, "Erin");
  got = timchat_store_get_profile_fields (f->store, "erin");
  g_assert_cmpuint (got->len, ==, 3);
  field = got->pdata[0]; /* by tag */
  g_assert_cmpstr (field->tag, ==, "Tag_Profile_Custom_A");
  g_assert_cmpstr (field->text, ==, "x");
  field = got->pdata[1];
  g_assert_cmpstr (field->tag, ==, "Tag_Profile_IM_Level");
  g_assert_null (field->text);
  g_assert_cmpint (field->number, ==, 4294967295);
  field = got->pdata[2];
  g_assert_cmpstr (field->text, ==, "123"); /* text that looks like a number stays text */
  g_clear_pointer (&got, g_ptr_array_unref);

  g_ptr_array_set_size (set, 0);
  g_ptr_array_add (set, timchat_profile_field_new ("Tag_Profile_Custom_A", "", 0));
  g_assert_true (timchat_store_update_profile (f->store, "erin", NULL, NULL, set, &error));
  got = timchat_store_get_profile_fields (f->store, "erin");
  g_assert_cmpuint (got->len, ==, 2);
  g_clear_pointer (&got, g_ptr_array_unref);

  g_assert_true (timchat_store_delete_account (f->store, "erin", &error));
  got = timchat_store_get_profile_fields (f->store, "erin");
  g_assert_cmpuint (got->len, ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/store/account-cache", Fixture, NULL, fixture_setup, test_account_cache,
              fixture_teardown);
  g_test_add ("/store/accounts-and-reopen", Fixture, NULL, fixture_setup, test_accounts_and_reopen,
              fixture_teardown);
  g_test_add ("/store/exactly-once-and-order", Fixture, NULL, fixture_setup,
              test_exactly_once_and_order, fixture_teardown);
  g_test_add ("/store/conversations", Fixture, NULL, fixture_setup,
              test_conversations_unread_and_delete, fixture_teardown);
  g_test_add ("/store/retention", Fixture, NULL, fixture_setup, test_retention, fixture_teardown);
  g_test_add ("/store/files-kept-while-mentioned", Fixture, NULL, fixture_setup,
              test_files_kept_while_mentioned, fixture_teardown);
  g_test_add ("/store/relay-lists", Fixture, NULL, fixture_setup, test_relay_lists,
              fixture_teardown);
  g_test_add ("/store/profile-fields", Fixture, NULL, fixture_setup, test_profile_fields,
              fixture_teardown);
  return g_test_run ();
}
