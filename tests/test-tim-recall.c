/* test-tim-recall.c: a recall through libtim and the real server leaves nothing of what the
 * message said, anywhere: not in either side's TimMessage, not in their local stores on disk
 * (rows, free space, WAL), not in the receiver's download cache, not on the server (history, the
 * uploaded file); a recall or an edit of a message older than the newest 500 reaches it too. */
#define G_LOG_DOMAIN "test-tim-recall"

#include "config.h"

#include <signal.h>
#include <sqlite3.h>
#include <string.h>

#include "tim-client-private.h"
#include "tim-downloader.h"
#include "tim-test-util.h"
#include "timchat-test-extra.h"
#include "timchat-test-util.h"

#define SECRET "the-surprise-party-plan"

static TimchatFixture *fixture;
static char *base_dir;

typedef struct
{
  GFile *file;
  GError *error;
  gboolean done;
} Fetch;

static void
on_fetched (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Fetch *fetch = user_data;

  fetch->file = tim_downloader_fetch_finish (TIM_DOWNLOADER (source), result, &fetch->error);
  fetch->done = TRUE;
}

/* Fetches url through the default downloader (the app's cache). */
static void
fetch (const char *url, Fetch *out)
{
  tim_downloader_fetch_async (tim_downloader_get_default (), url, NULL, NULL, NULL, NULL,
                              on_fetched, out);
  g_assert_true (tim_test_wait_flag (&out->done, 10000));
}

static char *
store_path (const char *user, const char *suffix)
{
  g_autofree char *app =
      g_strdup_printf ("%" G_GUINT64_FORMAT, (guint64) timchat_fixture_get_sdkappid (fixture));
  g_autofree char *name = g_strconcat ("local.db", suffix, NULL);

  return g_build_filename (base_dir, user, app, user, name, NULL);
}

/* Whether the bytes of user's local store files (the database and its WAL) hold SECRET
 * anywhere: in a row, in free space, in an older WAL frame. */
static gboolean
on_disk (const char *user)
{
  static const char *const suffixes[] = { "", "-wal" };

  for (gsize i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = store_path (user, suffixes[i]);

      if (timchat_test_file_holds (path, SECRET))
        return TRUE;
    }
  return FALSE;
}

static gboolean
gone_from_disk (gpointer user)
{
  return !on_disk (user);
}

/* Local store rows of user that still hold `needle` anywhere in their record. */
static gint64
stored_mentions (const char *user, const char *needle)
{
  g_autofree char *app =
      g_strdup_printf ("%" G_GUINT64_FORMAT, (guint64) timchat_fixture_get_sdkappid (fixture));
  g_autofree char *path = g_build_filename (base_dir, user, app, user, "local.db", NULL);
  g_autofree char *pattern = g_strdup_printf ("%%%s%%", needle);
  sqlite3 *db = NULL;
  sqlite3_stmt *s = NULL;
  gint64 count = -1;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (
      sqlite3_prepare_v2 (db, "SELECT count(*) FROM messages WHERE record LIKE ?", -1, &s, NULL),
      ==, SQLITE_OK);
  sqlite3_bind_text (s, 1, pattern, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (s) == SQLITE_ROW)
    count = sqlite3_column_int64 (s, 0);
  sqlite3_finalize (s);
  sqlite3_close (db);
  return count;
}

static void
test_recall_leaves_nothing (void)
{
  g_autoptr (TimClient) erin = tim_test_client_new (fixture, base_dir, "erin");
  g_autoptr (TimClient) frank = tim_test_client_new (fixture, base_dir, "frank");
  g_autofree char *path = g_build_filename (base_dir, SECRET ".txt", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (TimMessage) sent = NULL;
  g_autoptr (TimMessage) received = NULL;
  g_autoptr (GPtrArray) revoked = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *url = NULL;
  Fetch before = { 0 };
  Fetch after = { 0 };

  g_assert_true (g_file_set_contents (path, "cake at five\n", -1, NULL));
  sent = tim_client_create_file_message (erin, "frank", TIM_CONV_C2C, file);
  received = tim_test_send_and_receive (erin, frank, sent);
  url = g_strdup (tim_message_get_media_url (received));
  g_assert_nonnull (url);
  fetch (url, &before);
  g_assert_no_error (before.error);
  {
    g_autoptr (GFile) cached = tim_downloader_lookup (tim_downloader_get_default (), url);

    g_assert_nonnull (cached);
  }
  g_assert_cmpint (stored_mentions ("frank", SECRET), ==, 1);
  g_assert_true (on_disk ("frank"));
  g_assert_true (on_disk ("erin"));

  tim_test_collect (frank, "message-revoked", revoked);
  tim_client_revoke_message_async (erin, sent, NULL, tim_test_keep_result, &result);
  g_assert_true (tim_client_revoke_message_finish (erin, tim_test_wait_result (&result), &error));
  g_assert_no_error (error);
  g_assert_true (tim_test_wait_count (revoked, 1, 5000));
  g_assert_true (revoked->pdata[0] == received);

  /* Both sides' messages are placeholders. */
  for (TimMessage *m = sent; m != NULL; m = m == sent ? received : NULL)
    {
      g_assert_true (tim_message_get_is_revoked (m));
      g_assert_cmpint (tim_message_get_elem_type (m), ==, TIM_ELEM_UNKNOWN);
      g_assert_null (tim_message_get_media_url (m));
      g_assert_null (tim_message_get_file_name (m));
      g_assert_null (tim_message_get_local_file (m));
    }
  /* Nothing on either disk, nor in the receiver's cache. */
  g_assert_cmpint (stored_mentions ("frank", SECRET), ==, 0);
  g_assert_cmpint (stored_mentions ("erin", SECRET), ==, 0);
  g_assert_cmpint (stored_mentions ("frank", "/files/"), ==, 0);
  g_assert_null (tim_downloader_lookup (tim_downloader_get_default (), url));
  /* Not even in the files' free space or the WAL's older frames. */
  g_assert_true (tim_test_wait_until (gone_from_disk, "frank", 5000));
  g_assert_true (tim_test_wait_until (gone_from_disk, "erin", 5000));
  /* Nor on the server: the upload is gone, and the history has the placeholder. */
  for (guint tries = 0; tries < 50; tries++)
    {
      g_clear_object (&after.file);
      g_clear_error (&after.error);
      after.done = FALSE;
      fetch (url, &after);
      if (g_error_matches (after.error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        break;
      tim_downloader_forget (tim_downloader_get_default (), url);
      g_usleep (100 * 1000);
    }
  g_assert_error (after.error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_object (&after.file);
  g_clear_error (&after.error);
  {
    g_autoptr (TimClient) frank_laptop = NULL;
    g_autofree char *laptop_dir = g_build_filename (base_dir, "laptop", NULL);
    g_autoptr (GPtrArray) page = NULL;

    frank_laptop = tim_test_client_new (fixture, laptop_dir, "frank");
    page = tim_test_get_messages (frank_laptop, "C2Cerin", NULL, NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (page->len, ==, 1);
    g_assert_true (tim_message_get_is_revoked (page->pdata[0]));
    g_assert_cmpint (tim_message_get_elem_type (page->pdata[0]), ==, TIM_ELEM_UNKNOWN);
    g_assert_cmpstr (tim_message_get_revoker (page->pdata[0]), ==, "erin");
  }
  g_clear_object (&before.file);
}

typedef struct
{
  GPtrArray *got;
  const char *text;
} Said;

/* Whether a message among those received says text. */
static gboolean
has_said (gpointer data)
{
  Said *said = data;

  for (guint i = 0; i < said->got->len; i++)
    if (g_strcmp0 (tim_message_get_text (said->got->pdata[i]), said->text) == 0)
      return TRUE;
  return FALSE;
}

/* A recall or an edit of a message behind more than 500 newer ones of its conversation (the
 * admin recalls with no time limit; an edit has none either) reaches the receiver's copy: it is
 * found in the local store by its conversation and sequence, not among a window of the newest. */
static void
test_recall_old_message (void)
{
  g_autoptr (TimClient) gina = tim_test_client_new (fixture, base_dir, "gina");
  g_autoptr (TimClient) hank = tim_test_client_new (fixture, base_dir, "hank");
  g_autoptr (TimMessage) edited =
      tim_client_create_text_message (gina, "hank", TIM_CONV_C2C, "see you at 7");
  g_autoptr (TimMessage) edited_got = tim_test_send_and_receive (gina, hank, edited);
  g_autoptr (GPtrArray) got = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) revoked = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) modified = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (JsonObject) sent = NULL;
  g_autoptr (JsonObject) payload = json_object_new ();
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *withdraw = NULL;
  TimMessage *old = NULL;
  gulong collecting = tim_test_collect (hank, "message-received", got);

  sent = timchat_test_rest_ok (
      fixture, "openim/sendmsg",
      "{\"From_Account\":\"gina\",\"To_Account\":\"hank\",\"MsgRandom\":4242,"
      "\"MsgBody\":[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"" SECRET "\"}}]}");
  g_assert_true (tim_test_wait_until (has_said, &(Said){ got, SECRET }, 10000));
  old = got->pdata[got->len - 1];
  g_assert_cmpstr (tim_message_get_text (old), ==, SECRET);
  tim_test_send_texts (gina, "hank", 510, "filler");
  g_assert_true (tim_test_wait_until (has_said, &(Said){ got, "filler 510" }, 60000));
  g_signal_handler_disconnect (hank, collecting);

  /* The admin recalls the old one: hank's copy, the one the UI holds, becomes the placeholder. */
  collecting = tim_test_collect (hank, "message-revoked", revoked);
  withdraw =
      g_strdup_printf ("{\"From_Account\":\"gina\",\"To_Account\":\"hank\",\"MsgKey\":\"%s\"}",
                       json_object_get_string_member (sent, "MsgKey"));
  json_object_unref (timchat_test_rest_ok (fixture, "openim/admin_msgwithdraw", withdraw));
  g_assert_true (tim_test_wait_count (revoked, 1, 10000));
  g_assert_true (revoked->pdata[0] == old);
  g_assert_true (tim_message_get_is_revoked (old));
  g_assert_cmpint (stored_mentions ("hank", SECRET), ==, 0);
  g_signal_handler_disconnect (hank, collecting);

  /* gina edits the message she sent before them all: hank's copy takes the new text. */
  collecting = tim_test_collect (hank, "message-modified", modified);
  json_object_set_string_member (payload, "text", "see you at 8");
  tim_client_modify_message_async (gina, edited, payload, NULL, tim_test_keep_result, &result);
  g_assert_true (tim_client_modify_message_finish (gina, tim_test_wait_result (&result), &error));
  g_assert_no_error (error);
  g_assert_true (tim_test_wait_count (modified, 1, 10000));
  g_assert_true (modified->pdata[0] == edited_got);
  g_assert_cmpstr (tim_message_get_text (edited_got), ==, "see you at 8");
  g_signal_handler_disconnect (hank, collecting);
}

static gboolean
is_disconnected (gpointer client)
{
  return tim_client_get_net_state (TIM_CLIENT (client)) != TIM_NET_STATE_CONNECTED;
}

static gboolean
is_connected_and_ready (gpointer client)
{
  return tim_client_get_net_state (TIM_CLIENT (client)) == TIM_NET_STATE_CONNECTED &&
         tim_client_get_is_ready (TIM_CLIENT (client));
}

/* Recalls message from client while the server is stopped (SIGSTOP), so that the request sits
 * unread in the server's socket and the client, hearing nothing, drops that socket (heartbeat)
 * and sends the request again on the next one. The server then reads the first copy, recalls,
 * answers the dead socket, and answers the second copy "already recalled". Returns the result. */
static gboolean
recall_answer_lost (TimClient *client, TimMessage *message, GError **error)
{
  GPid server = timchat_test_find_server_pid ();
  g_autoptr (GAsyncResult) result = NULL;

  g_assert_cmpint (server, >, 0);
  tim_transport_set_heartbeat (client->transport, 200, 300);
  tim_transport_set_backoff (client->transport, 50, 200);
  g_assert_cmpint (kill (server, SIGSTOP), ==, 0);
  tim_client_revoke_message_async (client, message, NULL, tim_test_keep_result, &result);
  g_assert_true (tim_test_wait_until (is_disconnected, client, 10000));
  timchat_test_spin (300);
  g_assert_null (result);
  g_assert_cmpint (kill (server, SIGCONT), ==, 0);
  tim_client_reconnect_now (client);
  return tim_client_revoke_message_finish (client, tim_test_wait_result (&result), error);
}

/* The answer to a recall is lost with its socket, and the request sent again is answered
 * "already recalled" (C2C 20023; a group's 10030): the recall worked, so the caller is told it
 * did and the message is recalled here, once; the peer's copy is recalled once. (The caller was
 * told 20023 or 10030, and the sender's copy stayed as it was until a notice came, if one did.) */
static void
test_recall_answer_lost (void)
{
  const char *members[] = { "lou", NULL };
  g_autoptr (TimClient) kay = tim_test_client_new (fixture, base_dir, "kay");
  g_autoptr (TimClient) lou = tim_test_client_new (fixture, base_dir, "lou");
  g_autofree char *group_id = tim_test_create_group (kay, "Lost answers", members);
  g_autoptr (TimMessage) c2c = tim_client_create_text_message (kay, "lou", TIM_CONV_C2C, "oops");
  g_autoptr (TimMessage) group =
      tim_client_create_text_message (kay, group_id, TIM_CONV_GROUP, "oops too");
  g_autoptr (TimMessage) c2c_got = tim_test_send_and_receive (kay, lou, c2c);
  g_autoptr (TimMessage) group_got = tim_test_send_and_receive (kay, lou, group);
  g_autoptr (GPtrArray) revoked = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GError) error = NULL;

  tim_test_collect (lou, "message-revoked", revoked);
  g_assert_true (recall_answer_lost (kay, c2c, &error));
  g_assert_no_error (error);
  g_assert_true (tim_message_get_is_revoked (c2c));
  g_assert_cmpstr (tim_message_get_revoker (c2c), ==, "kay");
  g_assert_true (tim_test_wait_until (is_connected_and_ready, kay, 20000));

  g_assert_true (recall_answer_lost (kay, group, &error));
  g_assert_no_error (error);
  g_assert_true (tim_message_get_is_revoked (group));
  g_assert_cmpstr (tim_message_get_revoker (group), ==, "kay");

  g_assert_true (tim_test_wait_count (revoked, 2, 10000));
  g_assert_false (tim_test_wait_count (revoked, 3, 300));
  g_assert_true (tim_message_get_is_revoked (c2c_got));
  g_assert_true (tim_message_get_is_revoked (group_got));
}

/* The last message of a group, recalled while a member was away (logged out, their app still
 * showing it): back, the member's list shows it recalled, as the server's list and the sender's
 * do, with none of what it said. The group's recall notice was pushed only to those online, and
 * the list's item, whose last message is flagged recalled, was taken as the copy held here,
 * which still said it (and did until the group's history was opened). */
static void
test_group_recalled_while_away (void)
{
  const char *members[] = { "rw-bea", NULL };
  g_autoptr (TimClient) ann = tim_test_client_new (fixture, base_dir, "rw-ann");
  g_autoptr (TimClient) bea = tim_test_client_new (fixture, base_dir, "rw-bea");
  g_autofree char *group_id = tim_test_create_group (ann, "Plans", members);
  g_autofree char *conversation_id = g_strconcat ("GROUP", group_id, NULL);
  g_autoptr (TimMessage) sent =
      tim_client_create_text_message (ann, group_id, TIM_CONV_GROUP, SECRET);
  g_autoptr (TimMessage) held = tim_test_send_and_receive (ann, bea, sent);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  TimConversation *conversation;
  TimMessage *last;

  tim_client_logout (bea);
  tim_client_revoke_message_async (ann, sent, NULL, tim_test_keep_result, &result);
  g_assert_true (tim_client_revoke_message_finish (ann, tim_test_wait_result (&result), &error));
  g_assert_no_error (error);
  conversation = tim_conversation_list_lookup (tim_client_get_conversations (ann), conversation_id);
  g_assert_true (tim_message_get_is_revoked (tim_conversation_get_last_message (conversation)));

  tim_test_client_login (fixture, bea, "rw-bea");
  conversation = tim_conversation_list_lookup (tim_client_get_conversations (bea), conversation_id);
  g_assert_nonnull (conversation);
  last = tim_conversation_get_last_message (conversation);
  g_assert_nonnull (last);
  g_assert_cmpstr (tim_message_get_id (last), ==, tim_message_get_id (sent));
  g_assert_true (tim_message_get_is_revoked (last));
  g_assert_null (strstr (tim_conversation_get_message_for_show (conversation), SECRET));
  g_assert_true (tim_message_get_is_revoked (held));
  /* And by whom, as a notice says it ("ann recalled a message"). */
  g_assert_cmpstr (tim_message_get_revoker (held), ==, "rw-ann");
  g_assert_cmpint (stored_mentions ("rw-bea", SECRET), ==, 0);

  /* The same with the app closed meanwhile: the copy is the one its store and its conversation's
   * record keep. */
  {
    g_autoptr (TimMessage) again =
        tim_client_create_text_message (ann, group_id, TIM_CONV_GROUP, "again " SECRET);
    g_autoptr (TimMessage) got = tim_test_send_and_receive (ann, bea, again);

    g_clear_object (&got);
    g_clear_object (&held);
    g_clear_object (&bea);
    g_clear_object (&result);
    tim_client_revoke_message_async (ann, again, NULL, tim_test_keep_result, &result);
    g_assert_true (tim_client_revoke_message_finish (ann, tim_test_wait_result (&result), &error));
    g_assert_no_error (error);
    bea = tim_test_client_new (fixture, base_dir, "rw-bea");
    conversation =
        tim_conversation_list_lookup (tim_client_get_conversations (bea), conversation_id);
    last = tim_conversation_get_last_message (conversation);
    g_assert_cmpstr (tim_message_get_id (last), ==, tim_message_get_id (again));
    g_assert_true (tim_message_get_is_revoked (last));
    g_assert_cmpstr (tim_message_get_revoker (last), ==, "rw-ann");
    g_assert_null (strstr (tim_conversation_get_message_for_show (conversation), SECRET));
    g_assert_cmpint (stored_mentions ("rw-bea", SECRET), ==, 0);
  }
}

/* A recall of a message already read takes nothing off the unread count: what came after it is
 * still unread, as the server counts it (a recalled message is left out of its count only when
 * it was unread), and as another device of the same user shows it. Taking one off per recall
 * notice left the newer message unread with no badge here, until the next login. */
static void
test_recall_read_message_keeps_unread (void)
{
  g_autoptr (TimClient) ann = tim_test_client_new (fixture, base_dir, "ru-ann");
  g_autoptr (TimClient) bob = tim_test_client_new (fixture, base_dir, "ru-bob");
  g_autoptr (TimClient) bob_elsewhere = NULL;
  g_autofree char *elsewhere = tim_test_make_dir ();
  g_autoptr (TimMessage) old = tim_client_create_text_message (ann, "ru-bob", TIM_CONV_C2C, "old");
  g_autoptr (TimMessage) new = tim_client_create_text_message (ann, "ru-bob", TIM_CONV_C2C, "new");
  g_autoptr (GPtrArray) revoked = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  TimTestLastText old_came = { bob, "C2Cru-ann", "old" };
  TimTestLastText new_came = { bob, "C2Cru-ann", "new" };

  g_assert_true (tim_test_send (ann, old, &error));
  g_assert_true (tim_test_wait_until (tim_test_last_text_is, &old_came, 10000));
  tim_client_set_message_read_async (bob, "C2Cru-ann", NULL, tim_test_keep_result, &result);
  g_assert_true (tim_client_set_message_read_finish (bob, tim_test_wait_result (&result), &error));
  g_clear_object (&result);
  g_assert_cmpuint (tim_test_unread_of (bob, "C2Cru-ann"), ==, 0);

  g_assert_true (tim_test_send (ann, new, &error));
  g_assert_true (tim_test_wait_until (tim_test_last_text_is, &new_came, 10000));
  g_assert_cmpuint (tim_test_unread_of (bob, "C2Cru-ann"), ==, 1);

  tim_test_collect (bob, "message-revoked", revoked);
  tim_client_revoke_message_async (ann, old, NULL, tim_test_keep_result, &result);
  g_assert_true (tim_client_revoke_message_finish (ann, tim_test_wait_result (&result), &error));
  g_assert_true (tim_test_wait_count (revoked, 1, 10000));
  g_assert_true (tim_message_get_is_revoked (revoked->pdata[0]));
  g_assert_cmpuint (tim_test_unread_of (bob, "C2Cru-ann"), ==, 1);

  /* The server's count, as a fresh device of bob's gets it. */
  bob_elsewhere = tim_test_client_new (fixture, elsewhere, "ru-bob");
  g_assert_cmpuint (tim_test_unread_of (bob_elsewhere, "C2Cru-ann"), ==, 1);
  g_clear_object (&bob_elsewhere);
  tim_test_remove_dir (elsewhere);
}

/* The same for a message this device got from a history page (a fresh device of the user's: its
 * sync lists the conversation, the page brings what came before). A page says nothing of what
 * was read; the unread count does: it counts the newest messages, so one older than those it
 * counts was read. Taken as unread, its recall took one off the count of the newer message. */
static void
test_recall_history_message_keeps_unread (void)
{
  g_autoptr (TimClient) ann = tim_test_client_new (fixture, base_dir, "rh-ann");
  g_autoptr (TimClient) bob = tim_test_client_new (fixture, base_dir, "rh-bob");
  g_autoptr (TimClient) bob_elsewhere = NULL;
  g_autofree char *elsewhere = tim_test_make_dir ();
  g_autoptr (TimMessage) old = tim_client_create_text_message (ann, "rh-bob", TIM_CONV_C2C, "old");
  g_autoptr (GPtrArray) revoked = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) page = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  TimTestLastText old_came = { bob, "C2Crh-ann", "old" };
  gboolean completed = FALSE;

  g_assert_true (tim_test_send (ann, old, &error));
  g_assert_true (tim_test_wait_until (tim_test_last_text_is, &old_came, 10000));
  tim_client_set_message_read_async (bob, "C2Crh-ann", NULL, tim_test_keep_result, &result);
  g_assert_true (tim_client_set_message_read_finish (bob, tim_test_wait_result (&result), &error));
  g_clear_object (&result);
  g_clear_object (&bob);
  tim_test_send_text (ann, "rh-bob", "new");

  bob_elsewhere = tim_test_client_new (fixture, elsewhere, "rh-bob");
  g_assert_cmpuint (tim_test_unread_of (bob_elsewhere, "C2Crh-ann"), ==, 1);
  page = tim_test_get_messages (bob_elsewhere, "C2Crh-ann", NULL, NULL, &completed, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->len, ==, 2);
  g_assert_cmpstr (tim_message_get_id (page->pdata[0]), ==, tim_message_get_id (old));

  tim_test_collect (bob_elsewhere, "message-revoked", revoked);
  tim_client_revoke_message_async (ann, old, NULL, tim_test_keep_result, &result);
  g_assert_true (tim_client_revoke_message_finish (ann, tim_test_wait_result (&result), &error));
  g_assert_true (tim_test_wait_count (revoked, 1, 10000));
  g_assert_cmpuint (tim_test_unread_of (bob_elsewhere, "C2Crh-ann"), ==, 1);
  g_clear_object (&bob_elsewhere);
  tim_test_remove_dir (elsewhere);
}

int
main (int argc, char **argv)
{
  g_autofree char *cache = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  base_dir = tim_test_make_dir ();
  /* The default downloader's cache, under the test's directory (read once, before any use). */
  cache = g_build_filename (base_dir, "cache", NULL);
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  fixture = timchat_fixture_new (NULL);
  g_test_add_func ("/tim/recall/leaves-nothing", test_recall_leaves_nothing);
  g_test_add_func ("/tim/recall/old-message", test_recall_old_message);
  g_test_add_func ("/tim/recall/answer-lost", test_recall_answer_lost);
  g_test_add_func ("/tim/recall/group-recalled-while-away", test_group_recalled_while_away);
  g_test_add_func ("/tim/recall/read-message-keeps-unread", test_recall_read_message_keeps_unread);
  g_test_add_func ("/tim/recall/history-message-keeps-unread",
                   test_recall_history_message_keeps_unread);
  status = g_test_run ();
  tim_test_remove_dir (base_dir);
  timchat_fixture_free (fixture);
  return status;
}
