/* test-tim-store-recovery.c: what a TimLocalStore recovers from: a local.db that is not a
 * database (put aside), a store from an older version (upgraded: recalled messages forgotten,
 * group messages and notices put in order), and sends cut short: the outbox order, an outbox that
 * survives the process aborting right after the entries were added, the end of a send in one
 * transaction, and the records an older version's crash left "unSend". Split from
 * test-tim-store.c (by theme: recovery here, records in and out, paging and search in
 * test-tim-store-records.c) to keep each program short; opening a store in a directory of its own
 * and its records are in test-tim-store-common.c. */
#define G_LOG_DOMAIN "test-tim-store-recovery"

#include "config.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "test-tim-store-common.h"
#include "tim-local-store.h"

#define CRASH_DIR_ENV "TEST_TIM_STORE_CRASH_DIR"

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
  g_remove (broken);
  remove_dir (dir);
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
  g_assert_finalize_object (g_steal_pointer (&store));
  remove_dir (dir);
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
  g_test_add_func ("/tim/store/broken-file-put-aside", test_broken_file_put_aside);
  g_test_add_func ("/tim/store/recalled-forgotten-on-upgrade", test_recalled_forgotten_on_upgrade);
  g_test_add_func ("/tim/store/notices-ordered-on-upgrade", test_notices_ordered_on_upgrade);
  g_test_add_func ("/tim/store/group-order-on-upgrade", test_group_order_on_upgrade);
  g_test_add_func ("/tim/store/outbox-order", test_outbox_order);
  g_test_add_func ("/tim/store/outbox-survives-crash", test_outbox_survives_crash);
  g_test_add_func ("/tim/store/outbox-complete", test_outbox_complete);
  g_test_add_func ("/tim/store/fail-unsent-orphans", test_fail_unsent_orphans);
  return g_test_run ();
}
