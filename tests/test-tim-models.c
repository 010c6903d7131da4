/* test-tim-models.c: TimConversationList order and items-changed emissions; TimMessageList
 * batching, deduplication, older pages and load_older with a fake loader, and holding only the
 * messages used last (the others reloaded by ID). */
#define G_LOG_DOMAIN "test-tim-models"

#include "config.h"

#include <string.h>

#include "tim-conversation-list.h"
#include "tim-message-list.h"
#include "tim-message-private.h"

/* ---- items-changed recorder ---- */

typedef struct
{
  GString *log; /* "pos,removed,added;" per emission */
  guint emissions;
} Changes;

static void
on_items_changed (GListModel *model, guint position, guint removed, guint added, Changes *changes)
{
  g_string_append_printf (changes->log, "%u,%u,%u;", position, removed, added);
  changes->emissions++;
}

static void
changes_watch (Changes *changes, gpointer model)
{
  changes->log = g_string_new (NULL);
  changes->emissions = 0;
  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed), changes);
}

/* Asserts the emissions since the last call, then forgets them. */
static void
changes_assert (Changes *changes, const char *expected)
{
  g_assert_cmpstr (changes->log->str, ==, expected);
  g_string_truncate (changes->log, 0);
  changes->emissions = 0;
}

static void
changes_unwatch (Changes *changes, gpointer model)
{
  g_signal_handlers_disconnect_by_func (model, on_items_changed, changes);
  g_string_free (changes->log, TRUE);
}

/* ---- conversation list ---- */

static TimConversation *
conversation (const char *id, gint64 last_time, gboolean pinned)
{
  TimConversation *c = _tim_conversation_new (id);

  _tim_conversation_set_last_time (c, last_time);
  _tim_conversation_set_is_pinned (c, pinned);
  return c;
}

static char *
order (TimConversationList *list)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (list)); i++)
    {
      g_autoptr (TimConversation) c = g_list_model_get_item (G_LIST_MODEL (list), i);

      g_string_append_printf (out, "%s%s", i ? " " : "", tim_conversation_get_peer (c));
    }
  return g_string_free (out, FALSE);
}

#define ASSERT_ORDER(list, expected)                                                               \
  G_STMT_START                                                                                     \
  {                                                                                                \
    g_autofree char *got_ = order (list);                                                          \
    g_assert_cmpstr (got_, ==, expected);                                                          \
  }                                                                                                \
  G_STMT_END

static void
count_notify (GObject *object, GParamSpec *pspec, guint *count)
{
  (*count)++;
}

static void
test_conversation_order (void)
{
  g_autoptr (TimConversationList) list = _tim_conversation_list_new ();
  g_autoptr (TimConversation) a = conversation ("C2Ca", 100, FALSE);
  g_autoptr (TimConversation) b = conversation ("C2Cb", 200, FALSE);
  g_autoptr (TimConversation) c = conversation ("GROUPc", 50, FALSE);
  g_autoptr (TimConversation) d = conversation ("C2Cd", 0, FALSE);
  g_autoptr (TimConversation) sys = conversation ("@TIM#SYSTEM", 10, FALSE);
  g_autoptr (GPtrArray) fresh = g_ptr_array_new_with_free_func (g_object_unref);
  Changes changes;
  guint unread_notes = 0;

  changes_watch (&changes, list);
  g_signal_connect (list, "notify::total-unread", G_CALLBACK (count_notify), &unread_notes);

  /* Insert into empty, then at the top, in the middle and at the end. */
  _tim_conversation_list_upsert (list, a);
  changes_assert (&changes, "0,0,1;");
  _tim_conversation_list_upsert (list, b);
  changes_assert (&changes, "0,0,1;");
  _tim_conversation_list_upsert (list, c);
  changes_assert (&changes, "2,0,1;");
  _tim_conversation_list_upsert (list, d);
  changes_assert (&changes, "3,0,1;");
  ASSERT_ORDER (list, "b a c d");
  g_assert_true (tim_conversation_list_lookup (list, "GROUPc") == c);
  g_assert_null (tim_conversation_list_lookup (list, "C2Cnobody"));

  /* An update that keeps the position: no emission. */
  _tim_conversation_list_upsert (list, a);
  _tim_conversation_set_last_time (a, 150);
  _tim_conversation_list_upsert (list, a);
  changes_assert (&changes, "");

  /* A far move to the top: a removal, then an insertion. */
  _tim_conversation_set_last_time (c, 300);
  _tim_conversation_list_upsert (list, c);
  changes_assert (&changes, "2,1,0;0,0,1;");
  ASSERT_ORDER (list, "c b a d");
  /* Swapping neighbours is one exact emission. */
  _tim_conversation_set_last_time (b, 400);
  _tim_conversation_list_upsert (list, b);
  changes_assert (&changes, "0,2,2;");
  ASSERT_ORDER (list, "b c a d");

  /* Pinned first: pinned with a time, then pinned without, then the rest. */
  _tim_conversation_set_is_pinned (d, TRUE);
  _tim_conversation_list_upsert (list, d);
  changes_assert (&changes, "3,1,0;0,0,1;");
  _tim_conversation_set_is_pinned (a, TRUE);
  _tim_conversation_list_upsert (list, a);
  changes_assert (&changes, "3,1,0;0,0,1;");
  ASSERT_ORDER (list, "a d b c");

  /* A new object for a known ID replaces it in place. */
  {
    g_autoptr (TimConversation) c2 = conversation ("GROUPc", 300, FALSE);

    _tim_conversation_list_upsert (list, c2);
    changes_assert (&changes, "3,1,1;");
    g_assert_true (tim_conversation_list_lookup (list, "GROUPc") == c2);
    _tim_conversation_list_upsert (list, c);
    changes_assert (&changes, "3,1,1;");
  }

  /* Total unread leaves out the system conversation. */
  _tim_conversation_list_upsert (list, sys);
  changes_assert (&changes, "4,0,1;");
  _tim_conversation_set_unread_count (a, 3);
  _tim_conversation_set_unread_count (b, 2);
  _tim_conversation_set_unread_count (sys, 5);
  g_assert_cmpuint (tim_conversation_list_get_total_unread (list), ==, 5);
  g_assert_cmpuint (unread_notes, ==, 2);

  _tim_conversation_list_remove (list, "C2Cb");
  changes_assert (&changes, "2,1,0;");
  _tim_conversation_list_remove (list, "C2Cb");
  changes_assert (&changes, "");
  g_assert_cmpuint (tim_conversation_list_get_total_unread (list), ==, 3);
  /* A removed conversation no longer counts. */
  _tim_conversation_set_unread_count (b, 7);
  g_assert_cmpuint (tim_conversation_list_get_total_unread (list), ==, 3);
  /* Nor does a muted one, as the SDK's total; unmuted, it counts again. */
  _tim_conversation_set_message_remind_type (a, TIM_REMIND_ACCEPT_NOT_NOTIFY);
  g_assert_cmpuint (tim_conversation_list_get_total_unread (list), ==, 0);
  _tim_conversation_set_message_remind_type (a, TIM_REMIND_ACCEPT_AND_NOTIFY);
  g_assert_cmpuint (tim_conversation_list_get_total_unread (list), ==, 3);

  /* Last messages in the same second: the one that came later goes first, whatever the IDs. */
  {
    g_autoptr (TimConversation) e = conversation ("C2Ce", 300, FALSE);

    _tim_conversation_list_upsert (list, e);
    changes_assert (&changes, "2,0,1;");
    ASSERT_ORDER (list, "a d e c @TIM#SYSTEM"); /* none came yet: "C2Ce" < "GROUPc" */
    _tim_conversation_list_upsert_arrived (list, c);
    changes_assert (&changes, "2,2,2;");
    ASSERT_ORDER (list, "a d c e @TIM#SYSTEM");
    _tim_conversation_list_upsert_arrived (list, e);
    changes_assert (&changes, "2,2,2;");
    ASSERT_ORDER (list, "a d e c @TIM#SYSTEM");
    _tim_conversation_list_upsert (list, c); /* no new message: it stays */
    changes_assert (&changes, "");
    _tim_conversation_list_remove (list, "C2Ce");
    changes_assert (&changes, "2,1,0;");
  }

  /* Replace everything: one emission, sorted. */
  g_ptr_array_add (fresh, conversation ("C2Cx", 5, FALSE));
  g_ptr_array_add (fresh, conversation ("C2Cy", 0, TRUE));
  g_ptr_array_add (fresh, conversation ("C2Cz", 9, FALSE));
  _tim_conversation_list_replace_all (list, fresh);
  changes_assert (&changes, "0,4,3;");
  ASSERT_ORDER (list, "y z x");
  g_assert_cmpuint (tim_conversation_list_get_total_unread (list), ==, 0);
  g_assert_null (tim_conversation_list_lookup (list, "C2Ca"));

  changes_unwatch (&changes, list);
  g_signal_handlers_disconnect_by_func (list, count_notify, &unread_notes);
  g_clear_pointer (&fresh, g_ptr_array_unref);
  g_assert_finalize_object (g_steal_pointer (&list));
  g_assert_finalize_object (g_steal_pointer (&a));
  g_assert_finalize_object (g_steal_pointer (&sys));
}

/* ---- message list ---- */

static TimMessage *
message (gint64 n)
{
  g_autoptr (JsonObject) payload = json_object_new ();

  json_object_set_string_member (payload, "text", "m");
  return _tim_message_new_outgoing ("alice", "1", "bob", TIM_CONV_C2C, TIM_ELEM_TEXT, payload, n, n,
                                    n, TIM_PRIORITY_NORMAL);
}

static GPtrArray *
messages (gint64 first, gint64 last)
{
  GPtrArray *array = g_ptr_array_new_with_free_func (g_object_unref);

  for (gint64 n = first; n <= last; n++)
    g_ptr_array_add (array, message (n));
  return array;
}

static void
test_message_list_batches (void)
{
  g_autoptr (TimMessageList) list = _tim_message_list_new ("C2Cbob", NULL, NULL, NULL);
  g_autoptr (GPtrArray) many = messages (1000, 10999);
  g_autoptr (GPtrArray) again = messages (10999, 11000);
  g_autoptr (GPtrArray) older = messages (998, 1000);
  g_autoptr (TimMessage) dup = message (1000);
  g_autoptr (TimMessage) first = NULL;
  Changes changes;
  guint completed_notes = 0;

  changes_watch (&changes, list);
  g_signal_connect (list, "notify::is-completed", G_CALLBACK (count_notify), &completed_notes);

  g_assert_cmpuint (_tim_message_list_append_many (list, many), ==, 10000);
  changes_assert (&changes, "0,0,10000;");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 10000);

  /* Known IDs are skipped; the batch still emits once. */
  g_assert_cmpuint (_tim_message_list_append_many (list, again), ==, 1);
  changes_assert (&changes, "10000,0,1;");
  g_assert_false (_tim_message_list_append (list, dup));
  changes_assert (&changes, "");
  g_assert_cmpuint (_tim_message_list_append_many (list, again), ==, 0);
  changes_assert (&changes, "");

  /* An older page goes on top in one emission, without its duplicate (1000). */
  _tim_message_list_prepend_page (list, older, FALSE);
  changes_assert (&changes, "0,0,2;");
  first = g_list_model_get_item (G_LIST_MODEL (list), 0);
  g_assert_cmpstr (tim_message_get_id (first), ==, "1-998-998");
  g_assert_true (tim_message_list_lookup (list, "1-1000-1000") == many->pdata[0]);
  g_assert_cmpuint (completed_notes, ==, 0);
  _tim_message_list_prepend_page (list, NULL, TRUE);
  changes_assert (&changes, "");
  g_assert_true (tim_message_list_get_is_completed (list));
  g_assert_cmpuint (completed_notes, ==, 1);

  changes_unwatch (&changes, list);
  g_signal_handlers_disconnect_by_func (list, count_notify, &completed_notes);
  g_clear_object (&first);
  g_assert_finalize_object (g_steal_pointer (&list));
}

/* A loader that answers on the next main loop iteration with the page it is given. */
typedef struct
{
  guint calls;
  char *next_req_message_id;
  GPtrArray *page;
  gboolean completed;
  gboolean fail;
} FakeLoader;

static void
fake_loader (TimMessageList *list, const char *next_req_message_id, GCancellable *cancellable,
             GAsyncReadyCallback callback, gpointer user_data)
{
  FakeLoader *fake = _tim_message_list_get_loader_data (list);
  g_autoptr (GTask) task = g_task_new (list, cancellable, callback, user_data);

  fake->calls++;
  g_free (fake->next_req_message_id);
  fake->next_req_message_id = g_strdup (next_req_message_id);
  if (fake->fail)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "timeout");
  else
    g_task_return_pointer (task, g_ptr_array_ref (fake->page), (GDestroyNotify) g_ptr_array_unref);
}

static GPtrArray *
fake_loader_finish (GAsyncResult *result, char **next_req_message_id, gboolean *is_completed,
                    GError **error)
{
  FakeLoader *fake = _tim_message_list_get_loader_data (
      TIM_MESSAGE_LIST (g_task_get_source_object (G_TASK (result))));
  GPtrArray *page = g_task_propagate_pointer (G_TASK (result), error);

  if (page == NULL)
    return NULL;
  *next_req_message_id = g_strdup (tim_message_get_id (page->pdata[0]));
  *is_completed = fake->completed;
  return page;
}

typedef struct
{
  guint pending;
  guint succeeded;
  GError *error;
} Waiting;

static void
on_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Waiting *waiting = user_data;
  g_autoptr (GError) error = NULL;

  if (tim_message_list_load_older_finish (TIM_MESSAGE_LIST (source), result, &error))
    waiting->succeeded++;
  else if (waiting->error == NULL)
    waiting->error = g_steal_pointer (&error);
  waiting->pending--;
}

static void
wait_for (Waiting *waiting)
{
  while (waiting->pending > 0)
    g_main_context_iteration (NULL, TRUE);
}

static void
test_message_list_load_older (void)
{
  FakeLoader fake = { 0 };
  g_autoptr (TimMessageList) list =
      _tim_message_list_new ("C2Cbob", fake_loader, fake_loader_finish, &fake);
  Waiting waiting = { 0 };
  Changes changes;
  guint loading_notes = 0;

  changes_watch (&changes, list);
  g_signal_connect (list, "notify::is-loading", G_CALLBACK (count_notify), &loading_notes);

  /* Empty: no cursor. Two calls while in flight make one load. */
  fake.page = messages (20, 29);
  tim_message_list_load_older_async (list, NULL, on_loaded, &waiting);
  g_assert_true (tim_message_list_get_is_loading (list));
  tim_message_list_load_older_async (list, NULL, on_loaded, &waiting);
  waiting.pending = 2;
  wait_for (&waiting);
  g_assert_cmpuint (waiting.succeeded, ==, 2);
  g_assert_cmpuint (fake.calls, ==, 1);
  g_assert_null (fake.next_req_message_id);
  g_assert_cmpuint (loading_notes, ==, 2);
  g_assert_false (tim_message_list_get_is_loading (list));
  changes_assert (&changes, "0,0,10;");
  g_assert_false (tim_message_list_get_is_completed (list));

  /* The next page asks from our oldest message and completes the list. */
  g_ptr_array_unref (fake.page);
  fake.page = messages (15, 19);
  fake.completed = TRUE;
  waiting.pending = 1;
  tim_message_list_load_older_async (list, NULL, on_loaded, &waiting);
  wait_for (&waiting);
  g_assert_cmpstr (fake.next_req_message_id, ==, "1-20-20");
  changes_assert (&changes, "0,0,5;");
  g_assert_true (tim_message_list_get_is_completed (list));
  g_assert_cmpuint (loading_notes, ==, 4);

  /* Completed: answered without the loader. */
  waiting.pending = 1;
  tim_message_list_load_older_async (list, NULL, on_loaded, &waiting);
  wait_for (&waiting);
  g_assert_cmpuint (fake.calls, ==, 2);
  g_assert_cmpuint (waiting.succeeded, ==, 4);
  g_assert_cmpuint (loading_notes, ==, 4);

  changes_unwatch (&changes, list);
  g_signal_handlers_disconnect_by_func (list, count_notify, &loading_notes);
  g_assert_finalize_object (g_steal_pointer (&list));
  g_ptr_array_unref (fake.page);
  g_free (fake.next_req_message_id);
}

static void
test_message_list_load_error (void)
{
  FakeLoader fake = { .fail = TRUE };
  g_autoptr (TimMessageList) list =
      _tim_message_list_new ("C2Cbob", fake_loader, fake_loader_finish, &fake);
  Waiting waiting = { .pending = 2 };

  tim_message_list_load_older_async (list, NULL, on_loaded, &waiting);
  tim_message_list_load_older_async (list, NULL, on_loaded, &waiting);
  wait_for (&waiting);
  g_assert_error (waiting.error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_cmpuint (waiting.succeeded, ==, 0);
  g_assert_cmpuint (fake.calls, ==, 1);
  g_assert_false (tim_message_list_get_is_loading (list));
  g_assert_false (tim_message_list_get_is_completed (list));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);

  g_clear_error (&waiting.error);
  g_assert_finalize_object (g_steal_pointer (&list));
}

/* Messages first..last as the server acknowledged them (server sequence n). */
static GPtrArray *
acknowledged (gint64 first, gint64 last)
{
  GPtrArray *array = messages (first, last);

  for (guint i = 0; i < array->len; i++)
    _tim_message_set_server_seq (array->pdata[i], first + i);
  return array;
}

static const char *
item_id (TimMessageList *list, guint position)
{
  g_autoptr (TimMessage) item = g_list_model_get_item (G_LIST_MODEL (list), position);

  return item != NULL ? g_intern_string (tim_message_get_id (item)) : NULL;
}

/* A reload takes out what the server acknowledged, keeps what is still being sent (last), and
 * loads the newest page; a load in flight when it comes is for what was taken out: its page is
 * not shown, and its waiters have the new one. */
static void
test_message_list_reload (void)
{
  FakeLoader fake = { 0 };
  g_autoptr (TimMessageList) list =
      _tim_message_list_new ("C2Cbob", fake_loader, fake_loader_finish, &fake);
  g_autoptr (GPtrArray) sending = messages (40, 40);
  Waiting waiting = { .pending = 1 };

  fake.page = acknowledged (20, 29);
  tim_message_list_load_older_async (list, NULL, on_loaded, &waiting);
  wait_for (&waiting);
  g_assert_cmpuint (_tim_message_list_append_many (list, sending), ==, 1);

  /* The older page is asked for, then the reload comes before it is in. */
  g_ptr_array_unref (fake.page);
  fake.page = acknowledged (10, 19);
  waiting.pending = 1;
  tim_message_list_load_older_async (list, NULL, on_loaded, &waiting);
  g_assert_cmpstr (fake.next_req_message_id, ==, "1-20-20");
  g_ptr_array_unref (fake.page);
  fake.page = acknowledged (25, 35);
  _tim_message_list_reload (list);
  g_assert_false (tim_message_list_get_is_completed (list));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
  wait_for (&waiting);

  g_assert_cmpuint (waiting.succeeded, ==, 2);
  g_assert_cmpuint (fake.calls, ==, 3);
  g_assert_null (fake.next_req_message_id);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 12);
  g_assert_cmpstr (item_id (list, 0), ==, "1-25-25");
  g_assert_cmpstr (item_id (list, 10), ==, "1-35-35");
  g_assert_cmpstr (item_id (list, 11), ==, "1-40-40");
  g_assert_false (tim_message_list_get_is_loading (list));

  g_assert_finalize_object (g_steal_pointer (&list));
  g_ptr_array_unref (fake.page);
  g_free (fake.next_req_message_id);
}

/* ---- holding at most max_held messages ---- */

typedef struct
{
  guint reloads;
  char *keep_id; /* can_reload says no for this one */
} Reloader;

static Reloader reloader;

/* What the client does with its store: a new instance with the same ID ("1-N-N"). */
static TimMessage *
fake_reload (TimMessageList *list, const char *message_id)
{
  gint64 n = g_ascii_strtoll (strrchr (message_id, '-') + 1, NULL, 10);

  reloader.reloads++;
  return n >= 1000 ? message (n) : NULL;
}

static gboolean
fake_can_reload (TimMessageList *list, TimMessage *message)
{
  return g_strcmp0 (tim_message_get_id (message), reloader.keep_id) != 0;
}

static void
test_message_list_holds_few (void)
{
  g_autoptr (TimMessageList) list = _tim_message_list_new ("C2Cbob", NULL, NULL, NULL);
  g_autoptr (GPtrArray) newest = messages (9000, 9999);
  g_autoptr (GPtrArray) dups = messages (9000, 9001);
  g_autoptr (TimMessage) kept = NULL, again = NULL, shown = NULL, shown_again = NULL;
  Changes changes;
  guint reloads;

  memset (&reloader, 0, sizeof reloader);
  reloader.keep_id = g_strdup ("1-9001-9001");
  _tim_message_list_set_reload (list, 50, fake_reload, fake_can_reload);
  changes_watch (&changes, list);

  /* 1,000 appended, then 8,000 older ones page by page (as a reader scrolling up): the list
   * holds 50 (+ the one it may not let go of), positions and emissions as before. */
  g_assert_cmpuint (_tim_message_list_append_many (list, newest), ==, 1000);
  changes_assert (&changes, "0,0,1000;");
  g_clear_pointer (&newest, g_ptr_array_unref);
  for (gint64 last = 8999; last >= 1000; last -= 15)
    {
      gint64 first = MAX (1000, last - 14);
      g_autoptr (GPtrArray) page = messages (first, last);

      _tim_message_list_prepend_page (list, page, first == 1000);
    }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 9000);
  g_assert_cmpuint (changes.emissions, ==, 534);
  g_string_truncate (changes.log, 0);
  changes.emissions = 0;
  g_assert_cmpuint (_tim_message_list_get_n_held (list), <=, 51);
  g_assert_cmpuint (reloader.reloads, ==, 0);
  /* The oldest page was held last; the newest were let go of, except 9001. */
  g_assert_true (tim_message_list_get_is_completed (list));

  /* A message let go of comes back by position and by ID, right, from the reloader. */
  shown = g_list_model_get_item (G_LIST_MODEL (list), 8999);
  g_assert_cmpstr (tim_message_get_id (shown), ==, "1-9999-9999");
  g_assert_cmpuint (reloader.reloads, ==, 1);
  g_assert_true (tim_message_list_lookup (list, "1-9999-9999") == shown);
  g_assert_cmpuint (reloader.reloads, ==, 1); /* held again now */
  kept = g_list_model_get_item (G_LIST_MODEL (list), 8001);
  g_assert_cmpstr (tim_message_get_id (kept), ==, "1-9001-9001");
  g_assert_cmpuint (reloader.reloads, ==, 1); /* never let go of */

  /* Walking the whole list back down keeps it bounded. */
  for (guint i = 0; i < 9000; i++)
    {
      g_autoptr (TimMessage) item = g_list_model_get_item (G_LIST_MODEL (list), i);
      g_autofree char *id = g_strdup_printf ("1-%u-%u", 1000 + i, 1000 + i);

      g_assert_cmpstr (tim_message_get_id (item), ==, id);
    }
  g_assert_cmpuint (_tim_message_list_get_n_held (list), <=, 51);
  reloads = reloader.reloads;
  shown_again = g_list_model_get_item (G_LIST_MODEL (list), 8999);
  g_assert_cmpuint (reloader.reloads, ==, reloads); /* still held: used last */

  /* IDs let go of still count as known: no duplicates, no emissions. */
  g_assert_cmpuint (_tim_message_list_append_many (list, dups), ==, 0);
  again = message (9500);
  g_assert_false (_tim_message_list_append (list, again));
  changes_assert (&changes, "");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 9000);

  changes_unwatch (&changes, list);
  g_clear_object (&shown_again);
  g_assert_finalize_object (g_steal_pointer (&list));
  g_free (reloader.keep_id);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tim/models/conversation-order", test_conversation_order);
  g_test_add_func ("/tim/models/message-list-batches", test_message_list_batches);
  g_test_add_func ("/tim/models/message-list-load-older", test_message_list_load_older);
  g_test_add_func ("/tim/models/message-list-load-error", test_message_list_load_error);
  g_test_add_func ("/tim/models/message-list-reload", test_message_list_reload);
  g_test_add_func ("/tim/models/message-list-holds-few", test_message_list_holds_few);

  return g_test_run ();
}
