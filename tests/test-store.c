/* test-store.c: the SQLite store on a real file: migrations, exactly-once inserts, conversation
 * bookkeeping, retention. */
#define G_LOG_DOMAIN "test-store"

#include "config.h"

#include <glib/gstdio.h>

#include "tim-error.h"
#include "timchat-store.h"

typedef struct
{
  char *dir;
  TimchatStore *store;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->dir = g_dir_make_tmp ("timchat-store-XXXXXX", &error);
  g_assert_no_error (error);
  f->store = timchat_store_open (f->dir, TRUE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->store);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_autofree char *db = g_build_filename (f->dir, "timchat.db", NULL);
  g_autofree char *wal = g_strconcat (db, "-wal", NULL);
  g_autofree char *shm = g_strconcat (db, "-shm", NULL);

  g_assert_finalize_object (f->store);
  g_unlink (db);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (f->dir);
  g_free (f->dir);
}

static TimchatMsg *
c2c_msg (const char *from, const char *to, gint64 client_seq, gint64 random, gint64 time)
{
  TimchatMsg *msg = g_new0 (TimchatMsg, 1);

  msg->conv_type = TIM_CONV_C2C;
  msg->from_user = g_strdup (from);
  msg->to_id = g_strdup (to);
  msg->client_seq = client_seq;
  msg->random = random;
  msg->time = time;
  msg->client_time = time;
  msg->priority = 2;
  msg->body = g_strdup ("[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"x\"}}]");
  return msg;
}

static void
insert (TimchatStore *store, TimchatMsg *msg, gboolean expect_duplicate)
{
  g_autoptr (GError) error = NULL;
  gboolean duplicate = !expect_duplicate;

  g_assert_true (timchat_store_insert_message (store, msg, &duplicate, &error));
  g_assert_no_error (error);
  g_assert_cmpint (duplicate, ==, expect_duplicate);
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
  user = timchat_store_check_ticket (f->store, "a2-alice", 1000);
  g_assert_cmpstr (user, ==, "alice");
  g_assert_null (timchat_store_check_ticket (f->store, "a2-nobody", 1000));
  g_assert_null (timchat_store_check_ticket (f->store, "a2-alice", G_MAXINT32));

  /* Migrations run once: reopening an existing file keeps everything. */
  g_assert_finalize_object (f->store);
  f->store = timchat_store_open (f->dir, TRUE, &error);
  g_assert_no_error (error);
  after_reopen = timchat_store_get_account (f->store, "alice");
  g_assert_cmpuint (after_reopen->tinyid, ==, alice->tinyid);
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

  history = timchat_store_history (f->store, TIM_CONV_C2C, "bob", "alice", 0, 10);
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

static void
test_retention (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) history = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  for (int i = 0; i < 4; i++)
    {
      /* Two 10 days old, two fresh. */
      g_autoptr (TimchatMsg) msg = c2c_msg ("alice", "bob", i, i, i < 2 ? now - 10 * 86400 : now);
      insert (f->store, msg, FALSE);
    }
  g_assert_cmpuint (timchat_store_purge_before (f->store, now - 7 * 86400), ==, 2);
  history = timchat_store_history (f->store, TIM_CONV_C2C, "alice", "bob", 0, 10);
  g_assert_cmpuint (history->len, ==, 2);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/store/accounts-and-reopen", Fixture, NULL, fixture_setup, test_accounts_and_reopen,
              fixture_teardown);
  g_test_add ("/store/exactly-once-and-order", Fixture, NULL, fixture_setup,
              test_exactly_once_and_order, fixture_teardown);
  g_test_add ("/store/conversations", Fixture, NULL, fixture_setup,
              test_conversations_unread_and_delete, fixture_teardown);
  g_test_add ("/store/retention", Fixture, NULL, fixture_setup, test_retention, fixture_teardown);
  return g_test_run ();
}
