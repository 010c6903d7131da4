/* test-tim-client-session.c: TimClient's session against the real server: a logout or a kick
 * while the first sync waits, a logout by a handler of what a sync tells as it replays messages,
 * a logout before a pushed message is announced, a UserSig that runs
 * out, a request that is not UTF-8 refused without ending the session, entries of the server's
 * arrays that are not objects skipped, and a message sent before a new account's first login is
 * answered. Split from
 * test-tim-client.c (the client's seed calls and signals, by theme) to keep each program short;
 * one server per program. */
#define G_LOG_DOMAIN "test-tim-client-session"

#include "config.h"

#include <signal.h>

#include "test-tim-client-common.h"
#include "tim-error.h"
#include "tim-test-util.h"
#include "timchat-test-extra.h"
#include "timchat-test-proxy.h"
#include "timchat-test-util.h"

static TimchatFixture *fixture;
static char *base_dir;

typedef struct
{
  const char *user;
  GPid server;
  guint readies;
  gboolean kicked;
  gint64 usersig_seconds; /* how long its UserSig lasts; 0: an hour */
} SyncCut;

/* Connected, before the sync's first request goes out: that request will get no answer. */
static void
pause_server_when_connected (TimClient *client, TimNetState state, SyncCut *cut)
{
  if (state == TIM_NET_STATE_CONNECTED)
    g_assert_cmpint (kill (cut->server, SIGSTOP), ==, 0);
}

/* Connected, before the sync's first request goes out: the server kicks this session out, and
 * the kick reaches the client before anything could answer that request. */
static void
kick_when_connected (TimClient *client, TimNetState state, SyncCut *cut)
{
  g_autofree char *body = g_strdup_printf ("{\"UserID\":\"%s\"}", cut->user);

  if (state == TIM_NET_STATE_CONNECTED)
    json_object_unref (timchat_test_rest (fixture, "im_open_login_svc/kick", body, NULL));
}

static void
count_ready (TimClient *client, SyncCut *cut)
{
  cut->readies++;
}

static void
note_kicked (TimClient *client, const char *reason, SyncCut *cut)
{
  cut->kicked = TRUE;
}

/* A new client of cut->user, logged in (the login answered) with when_connected run as it
 * connects, before its first sync starts; cut counts its "ready"s and notes a kick. */
static TimClient *
log_in_cutting_sync (SyncCut *cut, GCallback when_connected)
{
  g_autofree char *ws = timchat_fixture_ws_url (fixture);
  g_autofree char *dir = g_build_filename (base_dir, cut->user, NULL);
  g_autofree char *usersig = timchat_fixture_usersig (
      fixture, cut->user, cut->usersig_seconds > 0 ? cut->usersig_seconds : 3600);
  TimClient *client = tim_client_new (ws, timchat_fixture_get_sdkappid (fixture), dir);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  gulong cutting = g_signal_connect (client, "net-state-changed", when_connected, cut);

  g_signal_connect (client, "ready", G_CALLBACK (count_ready), cut);
  g_signal_connect (client, "kicked-out", G_CALLBACK (note_kicked), cut);
  tim_client_login_async (client, cut->user, usersig, NULL, tim_test_keep_result, &result);
  g_assert_true (tim_client_login_finish (client, tim_test_wait_result (&result), &error));
  g_assert_no_error (error);
  g_signal_handler_disconnect (client, cutting);
  return client;
}

/* Logged out while the first sync waits for the server: no "ready" comes from that sync, and
 * the next login syncs and is ready. */
static void
test_logout_during_sync (void)
{
  SyncCut cut = { "pam", timchat_test_find_server_pid () };
  g_autoptr (TimClient) pam = NULL;

  g_assert_cmpint (cut.server, >, 0);
  pam = log_in_cutting_sync (&cut, G_CALLBACK (pause_server_when_connected));
  timchat_test_spin (100);
  tim_client_logout (pam);
  timchat_test_spin (100);
  g_assert_cmpint (kill (cut.server, SIGCONT), ==, 0);
  timchat_test_spin (200);
  g_assert_cmpuint (cut.readies, ==, 0);
  g_assert_false (tim_client_get_is_ready (pam));

  tim_test_client_login (fixture, pam, "pam");
  g_assert_cmpuint (cut.readies, ==, 1);
}

static void
note_kick_reason (TimClient *client, const char *reason, char **out)
{
  g_free (*out);
  *out = g_strdup (reason);
}

static gboolean
has_string (gpointer data)
{
  return *(char **) data != NULL;
}

static void
count_error (TimClient *client, GError *error, guint *count)
{
  (*count)++;
}

/* A client left logged in past its UserSig's end hears it as the Web SDK does: the server closes
 * the socket, the ticket no longer logs it in, and "kicked-out" says userSigExpired, once: not
 * "error" as well, which told the app the same news a second time (two toasts in a row). */
static void
test_usersig_runs_out (void)
{
  g_autofree char *ws = timchat_fixture_ws_url (fixture);
  g_autofree char *dir = g_build_filename (base_dir, "uma", NULL);
  g_autofree char *usersig = timchat_fixture_usersig (fixture, "uma", 2);
  g_autoptr (TimClient) uma = tim_client_new (ws, timchat_fixture_get_sdkappid (fixture), dir);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *reason = NULL;
  guint errors = 0;

  g_signal_connect (uma, "kicked-out", G_CALLBACK (note_kick_reason), &reason);
  g_signal_connect (uma, "error", G_CALLBACK (count_error), &errors);
  tim_client_login_async (uma, "uma", usersig, NULL, tim_test_keep_result, &result);
  g_assert_true (tim_client_login_finish (uma, tim_test_wait_result (&result), &error));
  g_assert_no_error (error);
  g_assert_null (reason);
  g_assert_true (tim_test_wait_until (has_string, &reason, 15000));
  g_assert_cmpstr (reason, ==, "userSigExpired");
  g_assert_false (tim_client_get_is_ready (uma));
  timchat_test_spin (200);
  g_assert_cmpuint (errors, ==, 0);
}

/* The UserSig runs out while the first sync waits (the server paused over its end): the server
 * answers the sync 70001, and the ticket no longer logs the client in ("kicked-out"
 * userSigExpired). That sync ends as a kick's does: no "ready", nothing sent. It went on as if
 * the server had failed for a moment ("Conversation sync failed" warned, "ready" emitted, the
 * outbox pumped into a dead ticket) just before the kick. */
static void
test_usersig_runs_out_during_sync (void)
{
  SyncCut cut = { "ula", timchat_test_find_server_pid (), .usersig_seconds = 3 };
  g_autoptr (TimClient) ula = NULL;

  g_assert_cmpint (cut.server, >, 0);
  ula = log_in_cutting_sync (&cut, G_CALLBACK (pause_server_when_connected));
  timchat_test_spin (3500);
  g_assert_cmpint (kill (cut.server, SIGCONT), ==, 0);
  g_assert_true (tim_test_wait_flag (&cut.kicked, 15000));
  timchat_test_spin (200);
  g_assert_cmpuint (cut.readies, ==, 0);
  g_assert_false (tim_client_get_is_ready (ula));
}

/* Kicked out while the first sync waits: no "ready" comes from that sync either. */
static void
test_kicked_during_sync (void)
{
  SyncCut cut = { "quin" };
  g_autoptr (TimClient) quin = log_in_cutting_sync (&cut, G_CALLBACK (kick_when_connected));

  g_assert_true (tim_test_wait_flag (&cut.kicked, 10000));
  timchat_test_spin (200);
  g_assert_cmpuint (cut.readies, ==, 0);
  g_assert_false (tim_client_get_is_ready (quin));
}

/* A request with text that is not UTF-8 is not JSON: the server would close the socket (1007)
 * and everything on it would wait for its timeout. The transport refuses that one request at
 * once (10004); the session goes on. */
static void
test_not_utf8_refused (void)
{
  g_autoptr (TimClient) sue = tim_test_client_new (fixture, base_dir, "sue");
  g_autoptr (TimClient) rex = tim_test_client_new (fixture, base_dir, "rex");
  g_autoptr (JsonObject) body = json_object_new ();
  g_autoptr (JsonObject) reply = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  gint64 started = g_get_monotonic_time ();

  json_object_set_string_member (body, "Owner_Account", "rex");
  json_object_set_string_member (body, "Type", "Private");
  json_object_set_string_member (body, "Name", "g\xff");
  tim_client_group_request_async (rex, "group_open_http_svc.create_group", body, NULL,
                                  tim_test_keep_result, &result);
  reply = tim_client_group_request_finish (rex, tim_test_wait_result (&result), &error);
  g_assert_null (reply);
  g_assert_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER);
  g_assert_cmpint (g_get_monotonic_time () - started, <, 2 * G_USEC_PER_SEC);
  timchat_test_spin (200);
  g_assert_cmpint (tim_client_get_net_state (rex), ==, TIM_NET_STATE_CONNECTED);
  tim_test_send_text (rex, "sue", "still connected");
}

/* Who the client was logged in as when it announced something (the user, or "" when none). */
static void
note_announced_as (TimClient *client, GPtrArray *messages, GPtrArray *users)
{
  const char *user = tim_client_get_user (client);

  g_ptr_array_add (users, g_strdup (user != NULL ? user : ""));
}

static gboolean
on_give_up (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* A message pushed just before a logout is stored and listed as it comes, and announced with the
 * flush at the next idle: a logout in between (or a switch to another account on the same client)
 * must not let that flush announce the previous account's message afterwards, to whoever is
 * logged in by then. The message itself is not lost: the next login of its account has it. */
static void
test_logout_before_announcement (void)
{
  g_autoptr (TimClient) lou = tim_test_client_new (fixture, base_dir, "la-lou");
  g_autoptr (TimClient) mia = tim_test_client_new (fixture, base_dir, "la-mia");
  g_autoptr (TimMessage) hello = tim_client_create_text_message (lou, "la-mia", TIM_CONV_C2C, "hi");
  g_autoptr (GPtrArray) announced_as = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  TimTestLastText arrived = { mia, "C2Cla-lou", "hi" };
  gboolean gave_up = FALSE;
  guint timeout;

  g_signal_connect (mia, "message-received", G_CALLBACK (note_announced_as), announced_as);
  g_assert_true (tim_test_send (lou, hello, &error));
  g_assert_no_error (error);
  /* One iteration at a time: the push is taken (listed) in one, its announcement comes in a
   * later one. The logout goes between the two. */
  timeout = g_timeout_add (10000, on_give_up, &gave_up);
  while (!tim_test_last_text_is (&arrived) && !gave_up)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (gave_up);
  g_source_remove (timeout);
  g_assert_cmpuint (announced_as->len, ==, 0);
  tim_client_logout (mia);

  /* Another account on the same client: nothing of la-mia's is announced to it. */
  tim_test_client_login (fixture, mia, "la-ned");
  timchat_test_spin (200);
  for (guint i = 0; i < announced_as->len; i++)
    g_test_message ("announced while logged in as “%s”", (char *) announced_as->pdata[i]);
  g_assert_cmpuint (announced_as->len, ==, 0);

  /* la-mia's message was kept: her next login lists it. */
  tim_client_logout (mia);
  tim_test_client_login (fixture, mia, "la-mia");
  g_assert_true (tim_test_last_text_is (&arrived));
}

/* What a client of jk-ann's says of its C2C conversation with jk-bob: "<unread> <last text>". */
static char *
describe_bob (gpointer client)
{
  Listed listed = { client, "C2Cjk-bob" };
  TimConversation *conversation = listed_conversation (&listed);
  TimMessage *last = conversation != NULL ? tim_conversation_get_last_message (conversation) : NULL;

  return g_strdup_printf (
      "%u %s", conversation != NULL ? tim_conversation_get_unread_count (conversation) : 0,
      last != NULL ? tim_message_get_text (last) : "(none)");
}

/* An array of entries from the server may hold something that is not an object (another server's
 * or a later version's entry, a bug): the client skips it and takes every entry that is one,
 * with no critical. The proxy appends a number, a string and a null to each array of objects of
 * every frame: the first sync's pages, the pushes of a message, a group's tips and messages and a
 * recall, a history page, the next login's sync. Until 28 Nov a C2C or group message array
 * holding one made libtim pass NULL on as a message item (a critical, fatal in the tests). */
static void
test_junk_entries_skipped (void)
{
  g_autoptr (TimchatTestProxy) proxy = timchat_test_proxy_new (fixture);
  g_autofree char *ws = timchat_test_proxy_ws_url (proxy);
  g_autofree char *dir = g_build_filename (base_dir, "jk-ann", NULL);
  g_autoptr (TimClient) ann = tim_client_new (ws, timchat_fixture_get_sdkappid (fixture), dir);
  g_autoptr (TimClient) bob = tim_test_client_new (fixture, base_dir, "jk-bob");
  g_autoptr (TimMessage) hello =
      tim_client_create_text_message (bob, "jk-ann", TIM_CONV_C2C, "hello");
  g_autoptr (TimMessage) hello_got = NULL;
  g_autoptr (TimMessage) in_group = NULL;
  g_autoptr (TimMessage) in_group_got = NULL;
  g_autoptr (GPtrArray) revoked = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) page = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  const char *members[] = { "jk-ann", NULL };
  g_autofree char *group_id = NULL;
  g_autofree char *group_conversation = NULL;
  gboolean completed = FALSE;

  /* Stored for jk-ann before her first login: her first sync brings it. */
  timchat_test_import_account (fixture, "jk-ann", NULL);
  tim_test_send_text (bob, "jk-ann", "while away");
  timchat_test_proxy_spoil_arrays (proxy, TRUE);
  tim_test_client_login (fixture, ann, "jk-ann");
  tim_test_wait_described (describe_bob, ann, "1 while away");

  hello_got = tim_test_send_and_receive (bob, ann, hello);
  g_assert_cmpstr (tim_message_get_text (hello_got), ==, "hello");
  tim_test_wait_described (describe_bob, ann, "2 hello");

  group_id = tim_test_create_group (bob, "junk", members);
  group_conversation = g_strconcat ("GROUP", group_id, NULL);
  in_group = tim_client_create_text_message (bob, group_id, TIM_CONV_GROUP, "to the group");
  in_group_got = tim_test_send_and_receive (bob, ann, in_group);
  g_assert_cmpstr (tim_message_get_conversation_id (in_group_got), ==, group_conversation);
  g_assert_cmpstr (tim_message_get_text (in_group_got), ==, "to the group");

  tim_test_collect (ann, "message-revoked", revoked);
  tim_client_revoke_message_async (bob, hello, NULL, tim_test_keep_result, &result);
  g_assert_true (tim_client_revoke_message_finish (bob, tim_test_wait_result (&result), &error));
  g_assert_no_error (error);
  g_assert_true (tim_test_wait_count (revoked, 1, 10000));
  g_assert_cmpstr (tim_message_get_id (revoked->pdata[0]), ==, tim_message_get_id (hello));

  page = tim_test_get_messages (ann, "C2Cjk-bob", NULL, NULL, &completed, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->len, ==, 2);
  g_assert_cmpstr (tim_message_get_text (page->pdata[0]), ==, "while away");
  g_assert_true (tim_message_get_is_revoked (page->pdata[1]));

  /* The next login's sync, through the same proxy. */
  tim_client_logout (ann);
  tim_test_client_login (fixture, ann, "jk-ann");
  tim_test_send_text (bob, "jk-ann", "after");
  tim_test_wait_described (describe_bob, ann, "2 after");
}

typedef struct
{
  const char *conversation_id;
  gboolean logged_out;
} LogOutOnUnread;

/* As the first message the sync replays is counted unread (its conversation saved, the list
 * announced updated), while the rest of the reply waits to be taken. */
static void
log_out_on_unread (TimClient *client, LogOutOnUnread *cut)
{
  TimConversation *conversation =
      tim_conversation_list_lookup (tim_client_get_conversations (client), cut->conversation_id);

  if (cut->logged_out || conversation == NULL ||
      tim_conversation_get_unread_count (conversation) == 0)
    return;
  cut->logged_out = TRUE;
  tim_client_logout (client);
}

/* A handler of what the sync tells as it replays openim.getmsg's messages (the conversation list
 * updated) logs the client out: the rest of the reply is not taken for no one (nor its
 * conversation listed again on the logged-out client), no Cookie goes to a store that is gone
 * (a critical), no next page is asked for and no "ready" comes. Nothing is lost either: the Cookie
 * stayed where it was, so the next login replays the same messages, each once. */
static void
test_logout_during_replay (void)
{
  g_autoptr (TimClient) ann = tim_test_client_new (fixture, base_dir, "lr-ann");
  g_autoptr (TimClient) bob = tim_test_client_new (fixture, base_dir, "lr-bob");
  g_autofree char *usersig = timchat_fixture_usersig (fixture, "lr-ann", 3600);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GPtrArray) page = NULL;
  g_autoptr (GError) error = NULL;
  LogOutOnUnread cut = { "C2Clr-bob", FALSE };
  SyncCut counted = { "lr-ann" };
  gboolean completed = FALSE;
  gulong cutting, counting;

  tim_client_logout (ann);
  tim_test_send_texts (bob, "lr-ann", 3, "away");
  cutting =
      g_signal_connect (ann, "conversation-list-updated", G_CALLBACK (log_out_on_unread), &cut);
  counting = g_signal_connect (ann, "ready", G_CALLBACK (count_ready), &counted);
  tim_client_login_async (ann, "lr-ann", usersig, NULL, tim_test_keep_result, &result);
  g_assert_true (tim_client_login_finish (ann, tim_test_wait_result (&result), &error));
  g_assert_no_error (error);
  g_assert_true (tim_test_wait_flag (&cut.logged_out, 10000));
  timchat_test_spin (300);
  g_assert_null (tim_client_get_user (ann));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (tim_client_get_conversations (ann))),
                    ==, 0);
  g_assert_cmpuint (counted.readies, ==, 0);
  g_assert_false (tim_client_get_is_ready (ann));
  g_signal_handler_disconnect (ann, cutting);
  g_signal_handler_disconnect (ann, counting);

  tim_test_client_login (fixture, ann, "lr-ann");
  g_assert_cmpuint (tim_test_unread_of (ann, "C2Clr-bob"), ==, 3);
  page = tim_test_get_messages (ann, "C2Clr-bob", NULL, NULL, &completed, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->len, ==, 3);
  g_assert_cmpstr (tim_message_get_text (page->pdata[0]), ==, "away 001");
  g_assert_cmpstr (tim_message_get_text (page->pdata[2]), ==, "away 003");
}

static void
log_out_on_received (TimClient *client, GPtrArray *messages, gboolean *logged_out)
{
  if (*logged_out)
    return;
  *logged_out = TRUE;
  tim_client_logout (client);
}

static gboolean
is_connected (gpointer client)
{
  return tim_client_get_net_state (client) == TIM_NET_STATE_CONNECTED;
}

/* The same when the sync's end announces what it replayed (a reconnect's sync, which announces):
 * a handler of "message-received" that logs out ends the sync there, and the logged-out client is
 * not made "ready" (nor its outbox pumped) by what came after. */
static void
test_logout_on_sync_announcement (void)
{
  g_autoptr (TimClient) ann = tim_test_client_new (fixture, base_dir, "la2-ann");
  g_autoptr (TimClient) bob = tim_test_client_new (fixture, base_dir, "la2-bob");
  SyncCut counted = { "la2-ann" };
  gboolean logged_out = FALSE;

  g_signal_connect (ann, "ready", G_CALLBACK (count_ready), &counted);
  g_signal_connect (ann, "message-received", G_CALLBACK (log_out_on_received), &logged_out);
  timchat_fixture_kill (fixture);
  timchat_test_spin (300);
  g_assert_false (is_connected (ann));
  timchat_fixture_restart (fixture);
  tim_client_reconnect_now (bob);
  g_assert_true (tim_test_wait_until (is_connected, bob, 20000));
  tim_test_send_texts (bob, "la2-ann", 2, "away");
  g_assert_false (is_connected (ann));
  tim_client_reconnect_now (ann);
  g_assert_true (tim_test_wait_flag (&logged_out, 20000));
  timchat_test_spin (300);
  g_assert_null (tim_client_get_user (ann));
  g_assert_false (tim_client_get_is_ready (ann));
  g_assert_cmpuint (counted.readies, ==, 0);
}

/* A message sent on a new account's store before the first login is answered (the server paused
 * over it) is made without the user's TinyId, the first part of a message ID. It goes out once
 * the login is answered, and then has the ID every other copy has (the peer's, the server's):
 * logged out and in again, the server's copy is the same message, shown once. Kept under its
 * first ID, the next history showed it twice. */
static void
test_send_before_first_login_answer (void)
{
  g_autofree char *usersig = timchat_fixture_usersig (fixture, "fla-ned", 3600);
  g_autoptr (TimClient) ora = tim_test_client_new (fixture, base_dir, "fla-ora");
  g_autoptr (TimClient) ned = NULL;
  g_autoptr (GAsyncResult) login = NULL;
  g_autoptr (GAsyncResult) sent = NULL;
  g_autoptr (GPtrArray) got = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) listed = NULL;
  g_autoptr (TimMessage) message = NULL;
  g_autoptr (GError) error = NULL;
  GPid server = timchat_test_find_server_pid ();

  g_assert_cmpint (server, >, 0);
  tim_test_collect (ora, "message-received", got);
  ned = tim_test_client_new_unanswered (fixture, base_dir, "fla-ned", &login);
  message = tim_client_create_text_message (ned, "fla-ora", TIM_CONV_C2C, "early");
  tim_client_send_message_async (ned, message, NULL, NULL, NULL, NULL, tim_test_keep_result, &sent);
  timchat_test_spin (200);
  g_assert_null (login);
  tim_test_resume_server ();
  g_assert_true (tim_client_login_finish (ned, tim_test_wait_result (&login), &error));
  g_assert_no_error (error);
  g_assert_true (tim_client_send_message_finish (ned, tim_test_wait_result (&sent), &error));
  g_assert_no_error (error);
  g_assert_true (tim_test_wait_count (got, 1, 10000));

  tim_client_logout (ned);
  tim_test_client_login (fixture, ned, "fla-ned");
  listed = tim_test_get_messages (ned, "C2Cfla-ora", NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (listed->len, ==, 1);
  g_assert_cmpstr (tim_message_get_id (listed->pdata[0]), ==, tim_message_get_id (got->pdata[0]));
  g_clear_pointer (&listed, g_ptr_array_unref);

  /* What the store keeps, read before the server answers (the next start, offline). */
  tim_client_logout (ned);
  g_clear_object (&login);
  g_assert_cmpint (kill (server, SIGSTOP), ==, 0);
  tim_client_login_async (ned, "fla-ned", usersig, NULL, tim_test_keep_result, &login);
  listed = tim_test_get_messages (ned, "C2Cfla-ora", NULL, NULL, NULL, &error);
  g_assert_cmpint (kill (server, SIGCONT), ==, 0);
  g_assert_no_error (error);
  g_assert_cmpuint (listed->len, ==, 1);
  g_assert_cmpstr (tim_message_get_id (listed->pdata[0]), ==, tim_message_get_id (got->pdata[0]));
  g_assert_cmpstr (tim_message_get_id (message), ==, tim_message_get_id (got->pdata[0]));
  g_assert_true (tim_client_login_finish (ned, tim_test_wait_result (&login), &error));
  g_assert_no_error (error);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  fixture = timchat_fixture_new (NULL);
  base_dir = tim_test_make_dir ();
  g_test_add_func ("/tim/client/logout-during-sync", test_logout_during_sync);
  g_test_add_func ("/tim/client/kicked-during-sync", test_kicked_during_sync);
  g_test_add_func ("/tim/client/logout-before-announcement", test_logout_before_announcement);
  g_test_add_func ("/tim/client/logout-during-replay", test_logout_during_replay);
  g_test_add_func ("/tim/client/logout-on-sync-announcement", test_logout_on_sync_announcement);
  g_test_add_func ("/tim/client/usersig-runs-out", test_usersig_runs_out);
  g_test_add_func ("/tim/client/usersig-runs-out-during-sync", test_usersig_runs_out_during_sync);
  g_test_add_func ("/tim/client/not-utf8-refused", test_not_utf8_refused);
  g_test_add_func ("/tim/client/junk-entries-skipped", test_junk_entries_skipped);
  g_test_add_func ("/tim/client/send-before-first-login-answer",
                   test_send_before_first_login_answer);
  status = g_test_run ();
  tim_test_remove_dir (base_dir);
  timchat_fixture_free (fixture);
  return status;
}
