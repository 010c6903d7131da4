/* test-tim-store.c: TimLocalStore: records in and out, newest-first paging over 100,000
 * messages through the index, persistence across reopen, the outbox order, and an outbox that
 * survives the process aborting right after the entries were added. */
#define G_LOG_DOMAIN "test-tim-store"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "tim-local-store.h"

#define CRASH_DIR_ENV "TEST_TIM_STORE_CRASH_DIR"

static char *
make_dir (void)
{
  g_autoptr (GError) error = NULL;
  char *dir = g_dir_make_tmp ("test-tim-store-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
remove_dir (const char *dir)
{
  const char *names[] = { "local.db", "local.db-wal", "local.db-shm" };

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (dir, names[i], NULL);
      g_remove (path);
    }
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static JsonObject *
record (const char *id, gint64 n)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "ID", id);
  json_object_set_int_member (object, "n", n);
  return object;
}

static TimLocalStore *
open_store (const char *dir)
{
  g_autoptr (GError) error = NULL;
  TimLocalStore *store = tim_local_store_open (dir, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

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

/* A local.db that is not a database (or is corrupt) is moved to local.db.broken and the store
 * starts empty: it is a cache, and the next login refills it. A database from a newer TimChat is
 * left alone: that one is good, just not ours to read. */
static void
broken_file_scenario (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "local.db", NULL);
  g_autofree char *broken = g_strconcat (path, ".broken", NULL);
  g_autofree char *garbage = g_strnfill (8192, 'x');
  g_autofree char *kept = NULL;
  g_autoptr (TimLocalStore) store = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) m = record ("m1", 1);
  g_autoptr (JsonObject) loaded = NULL;
  sqlite3 *db = NULL;

  g_assert_true (g_file_set_contents (path, garbage, -1, NULL));
  store = open_store (dir);
  g_assert_true (g_file_get_contents (broken, &kept, NULL, NULL));
  g_assert_cmpstr (kept, ==, garbage);
  g_assert_true (tim_local_store_save_message (store, "C2Cbob", "m1", 1, m, &error));
  g_assert_no_error (error);
  loaded = tim_local_store_load_message (store, "m1");
  g_assert_nonnull (loaded);
  g_assert_finalize_object (g_steal_pointer (&store));

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 999", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  store = tim_local_store_open (dir, &error);
  g_assert_null (store);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  g_clear_pointer (&kept, g_free);
  g_assert_true (g_file_get_contents (broken, &kept, NULL, NULL));
  g_assert_cmpstr (kept, ==, garbage); /* not replaced by the good one */
}

static JsonObject *
parse (const char *json)
{
  g_autoptr (JsonNode) node = json_from_string (json, NULL);

  g_assert_nonnull (node);
  return json_node_dup_object (node);
}

/* A store from before recalls forgot what the message said (schema version 1): opening it
 * empties its recalled messages, and a conversation whose last message was recalled, and leaves
 * the others as they were. */
static void
test_recalled_forgotten_on_upgrade (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "local.db", NULL);
  g_autoptr (JsonObject) recalled =
      parse ("{\"ID\":\"r1\",\"type\":\"TIMTextElem\",\"elemType\":1,\"payload\":{\"text\":"
             "\"the secret\"},\"msgBody\":[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":"
             "\"the secret\"}}],\"isRevoked\":true,\"cloudCustomData\":\"quote\","
             "\"localFile\":\"file:///tmp/secret.png\"}");
  g_autoptr (JsonObject) kept =
      parse ("{\"ID\":\"k1\",\"type\":\"TIMTextElem\",\"elemType\":1,"
             "\"payload\":{\"text\":\"still here\"},\"isRevoked\":false}");
  g_autoptr (JsonObject) conversation = json_object_new ();
  g_autoptr (TimLocalStore) store = open_store (dir);
  g_autoptr (GPtrArray) conversations = NULL;
  g_autoptr (JsonObject) loaded = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = NULL;
  g_autofree char *body = NULL;
  JsonObject *last;
  sqlite3 *db = NULL;

  json_object_set_string_member (conversation, "id", "C2Cbob");
  json_object_set_string_member (conversation, "messageForShow", "the secret");
  json_object_set_object_member (conversation, "lastMessage", json_object_ref (recalled));
  g_assert_true (tim_local_store_save_message (store, "C2Cbob", "r1", 1, recalled, &error));
  g_assert_true (tim_local_store_save_message (store, "C2Cbob", "k1", 2, kept, &error));
  g_assert_true (tim_local_store_save_conversation (store, "C2Cbob", conversation, &error));
  g_assert_no_error (error);
  g_assert_finalize_object (g_steal_pointer (&store));
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 1", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  store = open_store (dir);
  loaded = tim_local_store_load_message (store, "r1");
  node = json_node_init_object (json_node_alloc (), loaded);
  body = json_to_string (node, FALSE);
  g_assert_null (strstr (body, "secret"));
  g_assert_cmpint (json_object_get_int_member (loaded, "elemType"), ==, 0);
  g_assert_cmpuint (json_object_get_size (json_object_get_object_member (loaded, "payload")), ==,
                    0);
  g_assert_true (json_object_get_boolean_member (loaded, "isRevoked"));
  g_clear_pointer (&loaded, json_object_unref);
  loaded = tim_local_store_load_message (store, "k1");
  g_assert_cmpstr (
      json_object_get_string_member (json_object_get_object_member (loaded, "payload"), "text"), ==,
      "still here");
  conversations = tim_local_store_load_conversations (store);
  g_assert_cmpuint (conversations->len, ==, 1);
  g_assert_cmpstr (json_object_get_string_member (conversations->pdata[0], "messageForShow"), ==,
                   "");
  last = json_object_get_object_member (conversations->pdata[0], "lastMessage");
  g_assert_cmpuint (json_object_get_size (json_object_get_object_member (last, "payload")), ==, 0);
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

/* Group messages kept before their sequence counted as their server sequence sorted as if
 * still being sent (after the user's own, which had one): on upgrade they take their place; one
 * really still being sent stays last. */
static void
test_group_order_on_upgrade (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "local.db", NULL);
  g_autoptr (JsonObject) received =
      parse ("{\"ID\":\"g5\",\"status\":\"success\",\"sequence\":5,\"serverSeq\":0}");
  g_autoptr (JsonObject) own =
      parse ("{\"ID\":\"g4\",\"status\":\"success\",\"sequence\":4,\"serverSeq\":4}");
  g_autoptr (JsonObject) older =
      parse ("{\"ID\":\"g3\",\"status\":\"success\",\"sequence\":3,\"serverSeq\":0}");
  g_autoptr (JsonObject) pending =
      parse ("{\"ID\":\"gx\",\"status\":\"unSend\",\"sequence\":2,\"serverSeq\":0}");
  g_autoptr (TimLocalStore) store = open_store (dir);
  g_autoptr (GPtrArray) page = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) order = g_string_new (NULL);
  sqlite3 *db = NULL;
  const gint64 pending_base = G_GINT64_CONSTANT (1) << 50;

  /* As libtim kept them. */
  g_assert_true (
      tim_local_store_save_message (store, "GROUPg", "g5", pending_base + 5, received, &error));
  g_assert_true (tim_local_store_save_message (store, "GROUPg", "g4", 4, own, &error));
  g_assert_true (
      tim_local_store_save_message (store, "GROUPg", "g3", pending_base + 3, older, &error));
  g_assert_true (
      tim_local_store_save_message (store, "GROUPg", "gx", pending_base + 2, pending, &error));
  g_assert_no_error (error);
  g_assert_finalize_object (g_steal_pointer (&store));
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 4", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  store = open_store (dir);
  page = tim_local_store_load_messages (store, "GROUPg", 0, 10); /* newest first */
  for (guint i = 0; i < page->len; i++)
    g_string_append_printf (order, "%s%s", i > 0 ? " " : "",
                            json_object_get_string_member (page->pdata[i], "ID"));
  g_assert_cmpstr (order->str, ==, "gx g5 g4 g3");
  g_assert_finalize_object (g_steal_pointer (&store));
  remove_dir (dir);
}

/* Group notices kept before they came with a ServerSeq sorted after everything, in the order of
 * their random MsgSeq: on upgrade they are ordered by time and can be paged past. */
static void
test_notices_ordered_on_upgrade (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "local.db", NULL);
  g_autoptr (JsonObject) older =
      parse ("{\"ID\":\"n1\",\"time\":1000,\"sequence\":900000,\"serverSeq\":0}");
  g_autoptr (JsonObject) newer =
      parse ("{\"ID\":\"n2\",\"time\":2000,\"sequence\":7,\"serverSeq\":0}");
  g_autoptr (JsonObject) other = parse ("{\"ID\":\"c1\",\"time\":1500,\"serverSeq\":3}");
  g_autoptr (TimLocalStore) store = open_store (dir);
  g_autoptr (GPtrArray) notices = NULL;
  g_autoptr (GPtrArray) page = NULL;
  g_autoptr (JsonObject) loaded = NULL;
  g_autoptr (GError) error = NULL;
  sqlite3 *db = NULL;

  /* As libtim kept them: PENDING_SORT_BASE (2^50) + MsgSeq. */
  g_assert_true (tim_local_store_save_message (
      store, "@TIM#SYSTEM", "n1", (G_GINT64_CONSTANT (1) << 50) + 900000, older, &error));
  g_assert_true (tim_local_store_save_message (store, "@TIM#SYSTEM", "n2",
                                               (G_GINT64_CONSTANT (1) << 50) + 7, newer, &error));
  g_assert_true (tim_local_store_save_message (store, "C2Cbob", "c1", 3, other, &error));
  g_assert_no_error (error);
  g_assert_finalize_object (g_steal_pointer (&store));
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 2", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  store = open_store (dir);
  notices = tim_local_store_load_messages (store, "@TIM#SYSTEM", 0, 10); /* newest first */
  g_assert_cmpuint (notices->len, ==, 2);
  g_assert_cmpstr (json_object_get_string_member (notices->pdata[0], "ID"), ==, "n2");
  g_assert_cmpint (json_object_get_int_member (notices->pdata[0], "serverSeq"), ==,
                   (G_GINT64_CONSTANT (2000) << 31) | 7);
  g_assert_cmpint (json_object_get_int_member (notices->pdata[1], "serverSeq"), ==,
                   (G_GINT64_CONSTANT (1000) << 31) | 900000);
  /* The order is the sort key: what is older than the newer one is the older one. */
  page = tim_local_store_load_messages (
      store, "@TIM#SYSTEM", json_object_get_int_member (notices->pdata[0], "serverSeq"), 10);
  g_assert_cmpuint (page->len, ==, 1);
  g_assert_cmpstr (json_object_get_string_member (page->pdata[0], "ID"), ==, "n1");
  loaded = tim_local_store_load_message (store, "c1");
  g_assert_cmpint (json_object_get_int_member (loaded, "serverSeq"), ==, 3);
}

static void
test_broken_file_put_aside (void)
{
  /* In a child, whose stderr must carry the warning (fatal in a test process). */
  if (g_test_subprocess ())
    {
      g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
      broken_file_scenario ();
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*file is not a database; moved to*local.db.broken*");
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

static void
fill_outbox (TimLocalStore *store)
{
  g_autoptr (GError) error = NULL;

  /* IDs deliberately not in alphabetical order: the queue keeps insertion order. */
  const char *ids[] = { "zz-first", "aa-second", "mm-third", "bb-fourth" };
  for (gsize i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autoptr (JsonObject) options = json_object_new ();
      json_object_set_int_member (options, "attempt", (gint64) i);
      g_assert_true (
          tim_local_store_outbox_add (store, ids[i], i % 2 ? "C2Cbob" : "GROUPg", options, &error));
      g_assert_no_error (error);
    }
}

static void
assert_outbox (TimLocalStore *store, const char *const *expected)
{
  g_autoptr (GPtrArray) list = tim_local_store_outbox_list (store);

  g_assert_cmpuint (list->len, ==, g_strv_length ((char **) expected));
  for (guint i = 0; i < list->len; i++)
    g_assert_cmpstr (g_ptr_array_index (list, i), ==, expected[i]);
}

static void
test_outbox_order (void)
{
  g_autofree char *dir = make_dir ();
  g_autoptr (TimLocalStore) store = open_store (dir);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) options = NULL;
  g_autoptr (JsonObject) again = json_object_new ();
  const char *all[] = { "zz-first", "aa-second", "mm-third", "bb-fourth", NULL };
  const char *after[] = { "zz-first", "mm-third", "bb-fourth", NULL };

  fill_outbox (store);
  assert_outbox (store, all);
  options = tim_local_store_outbox_get_options (store, "mm-third");
  g_assert_cmpint (json_object_get_int_member (options, "attempt"), ==, 2);

  /* Adding again (a retry) keeps the place and takes the new options. */
  json_object_set_int_member (again, "attempt", 9);
  g_assert_true (tim_local_store_outbox_add (store, "zz-first", "GROUPg", again, &error));
  assert_outbox (store, all);
  g_clear_pointer (&options, json_object_unref);
  options = tim_local_store_outbox_get_options (store, "zz-first");
  g_assert_cmpint (json_object_get_int_member (options, "attempt"), ==, 9);

  g_assert_true (tim_local_store_outbox_remove (store, "aa-second", &error));
  g_assert_no_error (error);
  assert_outbox (store, after);
  g_assert_null (tim_local_store_outbox_get_options (store, "aa-second"));

  g_assert_finalize_object (g_steal_pointer (&store));
  store = open_store (dir);
  assert_outbox (store, after);
  g_assert_finalize_object (g_steal_pointer (&store));
  remove_dir (dir);
}

static JsonObject *
message_record (const char *id, const char *status)
{
  JsonObject *object = record (id, 0);

  json_object_set_string_member (object, "status", status);
  return object;
}

static char *
stored_status (TimLocalStore *store, const char *id)
{
  g_autoptr (JsonObject) stored = tim_local_store_load_message (store, id);

  return stored != NULL ? g_strdup (json_object_get_string_member (stored, "status")) : NULL;
}

/* The end of a send is one transaction: the outbox entry goes with the final record. When the
 * record cannot be written (a trigger standing in for a failing disk), the entry stays. */
static void
test_outbox_complete (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "local.db", NULL);
  g_autoptr (TimLocalStore) store = open_store (dir);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) sent = message_record ("m1", "success");
  g_autoptr (JsonObject) refused = message_record ("m2", "success");
  const char *only_m2[] = { "m2", NULL };
  const char *none[] = { NULL };
  g_autofree char *status = NULL;
  sqlite3 *db = NULL;

  for (int i = 1; i <= 2; i++)
    {
      g_autofree char *id = g_strdup_printf ("m%d", i);
      g_autoptr (JsonObject) unsent = message_record (id, "unSend");

      g_assert_true (tim_local_store_outbox_add (store, id, "C2Cbob", NULL, &error));
      g_assert_true (tim_local_store_save_message (store, "C2Cbob", id, 100 + i, unsent, &error));
    }
  g_assert_true (tim_local_store_outbox_complete (store, "m1", "C2Cbob", 7, sent, &error));
  g_assert_no_error (error);
  assert_outbox (store, only_m2);
  status = stored_status (store, "m1");
  g_assert_cmpstr (status, ==, "success");

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
                                 "CREATE TRIGGER refuse BEFORE UPDATE ON messages"
                                 " WHEN new.message_id = 'm2' BEGIN"
                                 " SELECT RAISE (ABORT, 'the disk says no'); END",
                                 NULL, NULL, NULL),
                   ==, SQLITE_OK);
  sqlite3_close (db);
  g_assert_false (tim_local_store_outbox_complete (store, "m2", "C2Cbob", 8, refused, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  assert_outbox (store, only_m2);
  g_free (status);
  status = stored_status (store, "m2");
  g_assert_cmpstr (status, ==, "unSend");

  /* Without the trigger it goes through. */
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "DROP TRIGGER refuse", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  g_assert_true (tim_local_store_outbox_complete (store, "m2", "C2Cbob", 8, refused, &error));
  assert_outbox (store, none);
  g_assert_finalize_object (g_steal_pointer (&store));
  remove_dir (dir);
}

/* A record "unSend" with no outbox entry (a crash between an older version's two commits) is
 * marked failed, its conversation's copy of it too; one still queued, one sent, and the records
 * below the pending sort keys are left alone. */
static void
test_fail_unsent_orphans (void)
{
  const gint64 pending = G_GINT64_CONSTANT (1) << 50;
  g_autofree char *dir = make_dir ();
  g_autoptr (TimLocalStore) store = open_store (dir);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) orphan = message_record ("orphan", "unSend");
  g_autoptr (JsonObject) queued = message_record ("queued", "unSend");
  g_autoptr (JsonObject) sent = message_record ("sent", "success");
  g_autoptr (JsonObject) conversation = json_object_new ();
  g_autoptr (GPtrArray) conversations = NULL;
  g_autoptr (JsonObject) failed = NULL;
  g_autoptr (JsonObject) still_queued = NULL;
  JsonObject *last;

  g_assert_true (
      tim_local_store_save_message (store, "C2Cbob", "orphan", pending + 3, orphan, &error));
  g_assert_true (
      tim_local_store_save_message (store, "GROUPg", "queued", pending + 4, queued, &error));
  g_assert_true (tim_local_store_outbox_add (store, "queued", "GROUPg", NULL, &error));
  g_assert_true (tim_local_store_save_message (store, "C2Cbob", "sent", 12, sent, &error));
  json_object_set_object_member (conversation, "lastMessage", message_record ("orphan", "unSend"));
  g_assert_true (tim_local_store_save_conversation (store, "C2Cbob", conversation, &error));

  g_assert_cmpint (
      tim_local_store_fail_unsent_orphans (store, pending, 2100, "send it again", &error), ==, 1);
  g_assert_no_error (error);
  failed = tim_local_store_load_message (store, "orphan");
  g_assert_cmpstr (json_object_get_string_member (failed, "status"), ==, "fail");
  g_assert_cmpint (json_object_get_int_member (failed, "errorCode"), ==, 2100);
  g_assert_cmpstr (json_object_get_string_member (failed, "errorMessage"), ==, "send it again");
  still_queued = tim_local_store_load_message (store, "queued");
  g_assert_cmpstr (json_object_get_string_member (still_queued, "status"), ==, "unSend");
  conversations = tim_local_store_load_conversations (store);
  g_assert_cmpuint (conversations->len, ==, 1);
  last = json_object_get_object_member (conversations->pdata[0], "lastMessage");
  g_assert_cmpstr (json_object_get_string_member (last, "status"), ==, "fail");
  /* Nothing left to do the next time. */
  g_assert_cmpint (
      tim_local_store_fail_unsent_orphans (store, pending, 2100, "send it again", &error), ==, 0);
  g_assert_finalize_object (g_steal_pointer (&store));
  remove_dir (dir);
}

static void
test_outbox_survives_crash (void)
{
  const char *all[] = { "zz-first", "aa-second", "mm-third", "bb-fourth", NULL };

  if (g_test_subprocess ())
    {
      /* The child: queue the messages and die without closing anything. */
      TimLocalStore *store = open_store (g_getenv (CRASH_DIR_ENV));

      fill_outbox (store);
      abort ();
    }
  else
    {
      g_autofree char *dir = make_dir ();
      g_autoptr (TimLocalStore) store = NULL;
      g_autofree char *wal = g_build_filename (dir, "local.db-wal", NULL);

      g_setenv (CRASH_DIR_ENV, dir, TRUE);
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_failed ();
      g_unsetenv (CRASH_DIR_ENV);
      /* The child never checkpointed: the entries are only in the write-ahead log. */
      g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));

      store = open_store (dir);
      assert_outbox (store, all);
      g_assert_finalize_object (g_steal_pointer (&store));
      remove_dir (dir);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/tim/store/messages-crud", test_messages_crud);
  g_test_add_func ("/tim/store/paging-100k", test_paging_100k);
  g_test_add_func ("/tim/store/reopen-persists", test_reopen_persists);
  g_test_add_func ("/tim/store/broken-file-put-aside", test_broken_file_put_aside);
  g_test_add_func ("/tim/store/kv", test_kv);
  g_test_add_func ("/tim/store/search", test_search);
  g_test_add_func ("/tim/store/recalled-forgotten-on-upgrade", test_recalled_forgotten_on_upgrade);
  g_test_add_func ("/tim/store/notices-ordered-on-upgrade", test_notices_ordered_on_upgrade);
  g_test_add_func ("/tim/store/group-order-on-upgrade", test_group_order_on_upgrade);
  g_test_add_func ("/tim/store/outbox-order", test_outbox_order);
  g_test_add_func ("/tim/store/outbox-survives-crash", test_outbox_survives_crash);
  g_test_add_func ("/tim/store/outbox-complete", test_outbox_complete);
  g_test_add_func ("/tim/store/fail-unsent-orphans", test_fail_unsent_orphans);
  return g_test_run ();
}
