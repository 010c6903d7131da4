/* test-tim-store-records.c: TimLocalStore: records in and out, newest-first paging over 100,000
 * messages through the index, persistence across reopen, values by key, and search. Split from
 * test-tim-store.c (by theme: what is kept and found here, what a store recovers from, an
 * older version's file, a broken one and the outbox across a crash, in
 * test-tim-store-recovery.c) to keep each program short; opening a store in a directory of its
 * own and its records are in test-tim-store-common.c. */
#define G_LOG_DOMAIN "test-tim-store-records"

#include "config.h"

#include <string.h>

#include <sqlite3.h>

#include "test-tim-store-common.h"
#include "tim-local-store.h"

static void
test_messages_crud (void)
{
  g_autofree char *dir = make_dir ();
  g_autoptr (TimLocalStore) store = open_store (dir);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) r1 = record ("m1", 1);
  g_autoptr (JsonObject) r2 = record ("m2", 2);
  g_autoptr (JsonObject) r1b = record ("m1", 100);
  g_autoptr (JsonObject) loaded = NULL;
  g_autoptr (GPtrArray) page = NULL;

  g_assert_null (tim_local_store_load_message (store, "m1"));
  g_assert_true (tim_local_store_save_message (store, "C2Cbob", "m1", 10, r1, &error));
  g_assert_no_error (error);
  g_assert_true (tim_local_store_save_message (store, "C2Cbob", "m2", 20, r2, &error));
  g_assert_cmpuint (tim_local_store_count_messages (store, "C2Cbob"), ==, 2);
  g_assert_cmpuint (tim_local_store_count_messages (store, "C2Ccarol"), ==, 0);

  /* Same ID again: the record and the sort key are replaced, no second row. */
  g_assert_true (tim_local_store_save_message (store, "C2Cbob", "m1", 30, r1b, &error));
  g_assert_cmpuint (tim_local_store_count_messages (store, "C2Cbob"), ==, 2);
  loaded = tim_local_store_load_message (store, "m1");
  g_assert_cmpint (json_object_get_int_member (loaded, "n"), ==, 100);
  page = tim_local_store_load_messages (store, "C2Cbob", 0, 10);
  g_assert_cmpuint (page->len, ==, 2);
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (page, 0), "ID"), ==, "m1");
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (page, 1), "ID"), ==, "m2");

  g_assert_true (tim_local_store_delete_message (store, "m1", &error));
  g_assert_null (tim_local_store_load_message (store, "m1"));
  g_assert_cmpuint (tim_local_store_count_messages (store, "C2Cbob"), ==, 1);

  g_assert_finalize_object (g_steal_pointer (&store));
  remove_dir (dir);
}

typedef struct
{
  guint count;
} FillData;

static gboolean
fill_conversation (TimLocalStore *store, gpointer user_data, GError **error)
{
  FillData *data = user_data;

  for (guint i = 1; i <= data->count; i++)
    {
      g_autofree char *id = g_strdup_printf ("msg-%06u", i);
      g_autoptr (JsonObject) r = record (id, i);

      if (!tim_local_store_save_message (store, "GROUPbig", id, (gint64) i * 10, r, error))
        return FALSE;
      /* Another conversation interleaved, so the index has to pick the right range. */
      if (i % 10 == 0)
        {
          g_autofree char *other = g_strdup_printf ("other-%06u", i);
          if (!tim_local_store_save_message (store, "C2Cother", other, (gint64) i * 10 + 5, r,
                                             error))
            return FALSE;
        }
    }
  return TRUE;
}

static void
assert_uses_index (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "local.db", NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  g_autoptr (GString) plan = g_string_new (NULL);

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "EXPLAIN QUERY PLAN SELECT record FROM messages WHERE "
                                       "conversation_id = ?1 AND sort_key < ?2 ORDER BY sort_key "
                                       "DESC LIMIT ?3",
                                       -1, &stmt, NULL),
                   ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (plan, "%s\n", sqlite3_column_text (stmt, 3));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  g_test_message ("query plan: %s", plan->str);
  g_assert_nonnull (strstr (plan->str, "USING INDEX messages_by_conversation"));
  g_assert_null (strstr (plan->str, "TEMP B-TREE"));
}

static int
compare_gint64 (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static void
test_paging_100k (void)
{
  g_autofree char *dir = make_dir ();
  g_autoptr (TimLocalStore) store = open_store (dir);
  g_autoptr (GError) error = NULL;
  FillData fill = { 100000 };
  g_autoptr (GArray) times = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 before = 0, expected = 100000, start, elapsed, newest;
  guint pages = 0;

  g_assert_true (tim_local_store_run_in_transaction (store, fill_conversation, &fill, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (tim_local_store_count_messages (store, "GROUPbig"), ==, 100000);
  g_assert_cmpuint (tim_local_store_count_messages (store, "C2Cother"), ==, 10000);

  /* Walk the whole history newest-first, 20 at a time, as a scrolling view would. */
  for (;;)
    {
      g_autoptr (GPtrArray) page = NULL;

      start = g_get_monotonic_time ();
      page = tim_local_store_load_messages (store, "GROUPbig", before, 20);
      elapsed = g_get_monotonic_time () - start;
      g_array_append_val (times, elapsed);
      if (page->len == 0)
        break;
      pages++;
      for (guint i = 0; i < page->len; i++, expected--)
        g_assert_cmpint (json_object_get_int_member (g_ptr_array_index (page, i), "n"), ==,
                         expected);
      before = json_object_get_int_member (g_ptr_array_index (page, page->len - 1), "n") * 10;
    }
  g_assert_cmpint (expected, ==, 0);
  g_assert_cmpuint (pages, ==, 5000);
  newest = g_array_index (times, gint64, 0);
  g_array_sort (times, compare_gint64);
  g_test_message ("pages of 20: newest %" G_GINT64_FORMAT " us, median %" G_GINT64_FORMAT
                  " us, p99 %" G_GINT64_FORMAT " us",
                  newest, g_array_index (times, gint64, times->len / 2),
                  g_array_index (times, gint64, times->len * 99 / 100));
  /* Only a sanity bound on the typical page (the index makes it well under 5 ms); no tighter
   * timing asserts, and no single-sample assert that a busy machine could trip. */
  g_assert_cmpint (newest, <, 50000);
  g_assert_cmpint (g_array_index (times, gint64, times->len / 2), <, 50000);

  /* A page from the middle. */
  {
    g_autoptr (GPtrArray) page = tim_local_store_load_messages (store, "GROUPbig", 500005, 3);
    g_assert_cmpuint (page->len, ==, 3);
    g_assert_cmpint (json_object_get_int_member (g_ptr_array_index (page, 0), "n"), ==, 50000);
    g_assert_cmpint (json_object_get_int_member (g_ptr_array_index (page, 2), "n"), ==, 49998);
  }

  g_assert_finalize_object (g_steal_pointer (&store));
  assert_uses_index (dir);
  remove_dir (dir);
}

static JsonObject *
said (const char *id, gint64 time, const char *field, const char *text)
{
  JsonObject *object = record (id, 0);
  JsonObject *payload = json_object_new ();

  json_object_set_string_member (payload, field, text);
  json_object_set_object_member (object, "payload", payload);
  json_object_set_int_member (object, "time", time);
  return object;
}

/* The IDs found for text in conversation (NULL: all), " "-joined in the order found. */
static char *
found (TimLocalStore *store, const char *conversation, const char *text)
{
  g_autoptr (GPtrArray) rows = tim_local_store_search_messages (store, conversation, text, 10);
  g_autoptr (GString) ids = g_string_new (NULL);

  for (guint i = 0; i < rows->len; i++)
    g_string_append_printf (ids, "%s%s", i > 0 ? " " : "",
                            json_object_get_string_member (rows->pdata[i], "ID"));
  return g_string_free (g_steal_pointer (&ids), FALSE);
}

#define assert_found(store, conversation, text, ids)                                               \
  G_STMT_START                                                                                     \
  {                                                                                                \
    g_autofree char *got_ = found (store, conversation, text);                                     \
    g_assert_cmpstr (got_, ==, ids);                                                               \
  }                                                                                                \
  G_STMT_END

/* Search: any part of what a message says (text, file name, description), case-insensitive for
 * Latin letters, short Chinese words too, newest first, in one conversation or all; what is typed
 * is taken literally; a recalled or deleted message is not found; a store from before the index
 * is indexed when it opens. */
static void
test_search (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "local.db", NULL);
  g_autoptr (TimLocalStore) store = open_store (dir);
  g_autoptr (JsonObject) m1 = said ("m1", 100, "text", "Meet at the Café at noon");
  g_autoptr (JsonObject) m2 = said ("m2", 200, "text", "中文搜索测试");
  g_autoptr (JsonObject) m3 = said ("m3", 300, "fileName", "report-2026.pdf");
  g_autoptr (JsonObject) m4 = said ("m4", 400, "text", "the secret plan, 100% sure");
  g_autoptr (JsonObject) m5 = said ("m5", 500, "text", "noon works for the group");
  g_autoptr (JsonObject) m6 = said ("m6", 600, "description", "poll: lunch at noon?");
  g_autoptr (GError) error = NULL;
  sqlite3 *db = NULL;

  g_assert_true (tim_local_store_save_message (store, "C2Cbob", "m1", 1, m1, &error));
  g_assert_true (tim_local_store_save_message (store, "C2Cbob", "m2", 2, m2, &error));
  g_assert_true (tim_local_store_save_message (store, "C2Cbob", "m3", 3, m3, &error));
  g_assert_true (tim_local_store_save_message (store, "C2Cbob", "m4", 4, m4, &error));
  g_assert_true (tim_local_store_save_message (store, "GROUPg", "m5", 1, m5, &error));
  g_assert_true (tim_local_store_save_message (store, "GROUPg", "m6", 2, m6, &error));
  g_assert_no_error (error);

  assert_found (store, "C2Cbob", "café", "m1");
  assert_found (store, "C2Cbob", "NOON", "m1");
  assert_found (store, NULL, "noon", "m6 m5 m1");
  assert_found (store, "GROUPg", "noon", "m6 m5");
  assert_found (store, NULL, "搜索", "m2");
  assert_found (store, NULL, "report-20", "m3");
  assert_found (store, NULL, "100%", "m4");
  assert_found (store, NULL, "1_0", "");
  assert_found (store, NULL, "%", "m4");
  assert_found (store, NULL, "nothing like it", "");

  /* Recalled (the record forgets what it said, as libtim writes it) and deleted. */
  json_object_set_boolean_member (m4, "isRevoked", TRUE);
  g_assert_true (tim_local_store_save_message (store, "C2Cbob", "m4", 4, m4, &error));
  assert_found (store, NULL, "secret", "");
  g_assert_true (tim_local_store_delete_message (store, "m5", &error));
  assert_found (store, NULL, "noon", "m6 m1");
  g_assert_true (tim_local_store_scrub (store, &error));
  g_assert_no_error (error);

  /* A store from before the index: indexed at open. */
  g_assert_finalize_object (g_steal_pointer (&store));
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (
      sqlite3_exec (db,
                    "DROP TRIGGER message_text_insert; DROP TRIGGER message_text_update;"
                    "DROP TRIGGER message_text_delete; DROP TABLE message_text;"
                    "PRAGMA user_version = 3",
                    NULL, NULL, NULL),
      ==, SQLITE_OK);
  sqlite3_close (db);
  store = open_store (dir);
  /* Indexed afterwards, a slice at a time, newest first: after one slice of 2 the newest two
   * (m6, m4 which says nothing now) are found and not m1 yet. */
  assert_found (store, NULL, "noon", "");
  g_assert_true (tim_local_store_index_for_search (store, 2));
  assert_found (store, NULL, "noon", "m6");
  while (tim_local_store_index_for_search (store, 2))
    ;
  assert_found (store, NULL, "noon", "m6 m1");
  assert_found (store, "C2Cbob", "中文", "m2");
  g_assert_false (tim_local_store_index_for_search (store, 2));
  g_assert_finalize_object (g_steal_pointer (&store));
  remove_dir (dir);
}

typedef struct
{
  const char *dir;
  gint *waiting;
} Opener;

static gpointer
open_at_once (gpointer data)
{
  Opener *opener = data;
  GError *error = NULL;
  TimLocalStore *store;

  /* All start together, to meet in the first migration. */
  g_atomic_int_dec_and_test (opener->waiting);
  while (g_atomic_int_get (opener->waiting) > 0)
    g_thread_yield ();
  store = tim_local_store_open (opener->dir, &error);
  if (store == NULL)
    return error;
  g_object_unref (store);
  return NULL;
}

/* A second process of the user (another CLI, or the app) opening the same new store at the same
 * time: each migration step reads the version inside its write transaction. Read before, both
 * took the first step, and the second failed with "table messages already exists" (a 10002 for
 * its login). Threads here, with a connection each, as processes would have. */
static void
test_opened_at_once (void)
{
  for (guint round = 0; round < 20; round++)
    {
      g_autofree char *dir = make_dir ();
      GThread *threads[4];
      gint waiting = G_N_ELEMENTS (threads);
      Opener opener = { dir, &waiting };

      for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
        threads[i] = g_thread_new ("opener", open_at_once, &opener);
      for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
        {
          g_autoptr (GError) error = g_thread_join (threads[i]);

          g_assert_no_error (error);
        }
      remove_dir (dir);
    }
}

static void
test_reopen_persists (void)
{
  g_autofree char *dir = make_dir ();
  g_autoptr (TimLocalStore) store = open_store (dir);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) m = record ("m1", 7);
  g_autoptr (JsonObject) c1 = record ("C2Cbob", 1);
  g_autoptr (JsonObject) c2 = record ("GROUPfriends", 2);
  g_autoptr (GPtrArray) conversations = NULL;
  g_autoptr (JsonObject) loaded = NULL;
  g_autofree char *cookie = NULL;

  g_assert_true (tim_local_store_save_message (store, "C2Cbob", "m1", 1, m, &error));
  g_assert_true (tim_local_store_save_conversation (store, "C2Cbob", c1, &error));
  g_assert_true (tim_local_store_save_conversation (store, "GROUPfriends", c2, &error));
  g_assert_true (tim_local_store_set_value (store, "cookie", "abc", &error));
  g_assert_no_error (error);
  g_assert_finalize_object (g_steal_pointer (&store));

  store = open_store (dir);
  loaded = tim_local_store_load_message (store, "m1");
  g_assert_nonnull (loaded);
  g_assert_cmpint (json_object_get_int_member (loaded, "n"), ==, 7);
  conversations = tim_local_store_load_conversations (store);
  g_assert_cmpuint (conversations->len, ==, 2);
  cookie = tim_local_store_get_value (store, "cookie");
  g_assert_cmpstr (cookie, ==, "abc");

  g_assert_true (tim_local_store_delete_conversation (store, "C2Cbob", &error));
  g_clear_pointer (&conversations, g_ptr_array_unref);
  conversations = tim_local_store_load_conversations (store);
  g_assert_cmpuint (conversations->len, ==, 1);
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (conversations, 0), "ID"), ==,
                   "GROUPfriends");

  g_assert_finalize_object (g_steal_pointer (&store));
  remove_dir (dir);
}

static void
test_kv (void)
{
  g_autofree char *dir = make_dir ();
  g_autoptr (TimLocalStore) store = open_store (dir);
  g_autoptr (GError) error = NULL;
  char *value;

  g_assert_null (tim_local_store_get_value (store, "missing"));
  g_assert_true (tim_local_store_set_value (store, "k", "one", &error));
  g_assert_true (tim_local_store_set_value (store, "k", "two", &error));
  g_assert_no_error (error);
  value = tim_local_store_get_value (store, "k");
  g_assert_cmpstr (value, ==, "two");
  g_free (value);
  g_assert_true (tim_local_store_set_value (store, "k", NULL, &error));
  g_assert_null (tim_local_store_get_value (store, "k"));

  g_assert_finalize_object (g_steal_pointer (&store));
  remove_dir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/tim/store/messages-crud", test_messages_crud);
  g_test_add_func ("/tim/store/paging-100k", test_paging_100k);
  g_test_add_func ("/tim/store/reopen-persists", test_reopen_persists);
  g_test_add_func ("/tim/store/opened-at-once", test_opened_at_once);
  g_test_add_func ("/tim/store/kv", test_kv);
  g_test_add_func ("/tim/store/search", test_search);
  return g_test_run ();
}
