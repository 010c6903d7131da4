/* test-tim-client-dispose.c: a TimClient that goes away with its calls in flight, against the
 * real server: disposed (g_object_run_dispose (), or the app's last reference dropped at
 * shutdown), or logged out and dropped at once (the app's Quit while logged in). Every call
 * started before, and every call made after, ends exactly once with an error, with no critical
 * (G_DEBUG=fatal-criticals), and the client is freed once nothing holds it. */
#define G_LOG_DOMAIN "test-tim-client-dispose"

#include "config.h"

#include <string.h>

#include <gdk-pixbuf/gdk-pixbuf.h>

#include "tim-client-groups.h"
#include "tim-error.h"
#include "tim-test-util.h"
#include "timchat-test-proxy.h"
#include "timchat-test-util.h"

static TimchatFixture *fixture;
static char *base_dir;

/* One call: how often its callback came, and the error its finish gave. */
typedef struct
{
  const char *name;
  gboolean (*finish) (TimClient *client, GAsyncResult *result, GError **error);
  gboolean may_succeed; /* wait_outbox: the messages left the outbox, kept for a next login */
  guint calls;
  gboolean succeeded;
  GError *error;
} Call;

static void
on_call_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Call *call = user_data;

  call->calls++;
  g_clear_error (&call->error);
  call->succeeded = call->finish (TIM_CLIENT (source), result, &call->error);
}

static gboolean
finish_profile (TimClient *client, GAsyncResult *result, GError **error)
{
  g_autofree char *nick = NULL;
  g_autofree char *avatar = NULL;

  return tim_client_get_my_profile_finish (client, result, &nick, &avatar, error);
}

static gboolean
finish_blocklist (TimClient *client, GAsyncResult *result, GError **error)
{
  g_auto (GStrv) blocked = tim_client_get_blocklist_finish (client, result, error);

  return blocked != NULL;
}

static gboolean
finish_folders (TimClient *client, GAsyncResult *result, GError **error)
{
  g_auto (GStrv) folders = tim_client_get_folders_finish (client, result, error);

  return folders != NULL;
}

static gboolean
finish_statuses (TimClient *client, GAsyncResult *result, GError **error)
{
  g_autoptr (GPtrArray) statuses = tim_client_get_user_status_finish (client, result, error);

  return statuses != NULL;
}

static gboolean
finish_conversation (TimClient *client, GAsyncResult *result, GError **error)
{
  g_autoptr (TimConversation) conversation =
      tim_client_get_conversation_profile_finish (client, result, error);

  return conversation != NULL;
}

static gboolean
finish_members (TimClient *client, GAsyncResult *result, GError **error)
{
  g_autoptr (GPtrArray) members = tim_client_get_group_members_finish (client, result, error);

  return members != NULL;
}

static gboolean
finish_messages (TimClient *client, GAsyncResult *result, GError **error)
{
  g_autoptr (GPtrArray) messages =
      tim_client_get_message_list_finish (client, result, NULL, NULL, error);

  return messages != NULL;
}

static gboolean
finish_avatar (TimClient *client, GAsyncResult *result, GError **error)
{
  g_autofree char *url = tim_client_set_my_avatar_finish (client, result, error);

  return url != NULL;
}

/* A 400 x 400 PNG in the test's directory. */
static GFile *
make_picture (const char *name)
{
  g_autofree char *path = g_build_filename (base_dir, name, NULL);
  g_autoptr (GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 400, 400);
  g_autoptr (GError) error = NULL;

  gdk_pixbuf_fill (pixbuf, 0x3366ccff);
  g_assert_true (gdk_pixbuf_save (pixbuf, path, "png", &error, NULL));
  return g_file_new_for_path (path);
}

static gboolean
all_called (gpointer data)
{
  Call *calls = data;

  for (guint i = 0; calls[i].name != NULL; i++)
    if (calls[i].calls == 0)
      return FALSE;
  return TRUE;
}

static gboolean
set_flag (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Whatever was still to come (a reply, an upload's end, a retry) has its chance. */
static void
wait_ms (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, set_flag, &done);
  g_assert_true (tim_test_wait_flag (&done, ms + 5000));
}

/* Each call ends once, with an error (but those that may succeed), and no second time later. */
static void
wait_each_failed_once (Call *calls)
{
  g_assert_true (tim_test_wait_until (all_called, calls, 10000));
  wait_ms (1000);
  for (guint i = 0; calls[i].name != NULL; i++)
    {
      g_test_message ("%s: %u calls, %s", calls[i].name, calls[i].calls,
                      calls[i].error != NULL ? calls[i].error->message : "no error");
      g_assert_cmpuint (calls[i].calls, ==, 1);
      if (calls[i].may_succeed && calls[i].succeeded)
        continue;
      g_assert_false (calls[i].succeeded);
      g_assert_nonnull (calls[i].error);
    }
}

/* And each error is what a call gets at a logout: cancelled if it was under way, 2024 after. */
static void
assert_each_as_at_logout (Call *calls)
{
  for (guint i = 0; calls[i].name != NULL; i++)
    if (calls[i].error != NULL &&
        !g_error_matches (calls[i].error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      g_assert_error (calls[i].error, TIM_ERROR, TIM_ERROR_NOT_LOGGED_IN);
}

static void
clear_calls (Call *calls)
{
  for (guint i = 0; calls[i].name != NULL; i++)
    g_clear_error (&calls[i].error);
}

/* The calls of call_table on client: requests, a history page, a read report, sends (a text; a
 * sound, probed then uploaded: the file is no sound, which the probe passes over), the wait for
 * them, and an avatar uploaded then set. */
static void
start_calls (TimClient *client, Call *calls, const char *peer, GFile *picture)
{
  g_autofree char *conversation_id = g_strdup_printf ("C2C%s", peer);
  const char *peers[] = { peer, NULL };
  g_autoptr (TimMessage) text =
      tim_client_create_text_message (client, peer, TIM_CONV_C2C, "gone with the client");
  g_autoptr (TimMessage) sound =
      tim_client_create_audio_message (client, peer, TIM_CONV_C2C, picture);
  guint i = 0;

  tim_test_tolerate_decodebin_race (); /* the sound's probe */
  tim_client_get_my_profile_async (client, NULL, on_call_done, &calls[i++]);
  tim_client_get_blocklist_async (client, NULL, on_call_done, &calls[i++]);
  tim_client_get_folders_async (client, NULL, on_call_done, &calls[i++]);
  tim_client_get_user_status_async (client, peers, NULL, on_call_done, &calls[i++]);
  tim_client_get_conversation_profile_async (client, conversation_id, NULL, on_call_done,
                                             &calls[i++]);
  tim_client_get_group_members_async (client, "@TGS#nogroup", NULL, on_call_done, &calls[i++]);
  tim_client_get_message_list_async (client, conversation_id, NULL, 15, NULL, on_call_done,
                                     &calls[i++]);
  tim_client_set_message_read_async (client, conversation_id, NULL, on_call_done, &calls[i++]);
  tim_client_update_my_profile_async (client, "gone", NULL, NULL, on_call_done, &calls[i++]);
  tim_client_send_message_async (client, text, NULL, NULL, NULL, NULL, on_call_done, &calls[i++]);
  tim_client_send_message_async (client, sound, NULL, NULL, NULL, NULL, on_call_done, &calls[i++]);
  tim_client_wait_outbox_async (client, NULL, on_call_done, &calls[i++]);
  tim_client_set_my_avatar_async (client, picture, NULL, on_call_done, &calls[i++]);
  g_assert_null (calls[i].name);
}

/* What start_calls () starts, in its order. */
static const Call call_table[] = {
  { "get_my_profile", finish_profile },
  { "get_blocklist", finish_blocklist },
  { "get_folders", finish_folders },
  { "get_user_status", finish_statuses },
  { "get_conversation_profile", finish_conversation },
  { "get_group_members", finish_members },
  { "get_message_list", finish_messages },
  { "set_message_read", tim_client_set_message_read_finish },
  { "update_my_profile", tim_client_update_my_profile_finish },
  { "send_text", tim_client_send_message_finish },
  { "send_sound", tim_client_send_message_finish },
  { "wait_outbox", tim_client_wait_outbox_finish, TRUE },
  { "set_my_avatar", finish_avatar },
  { NULL },
};

/* A new client of user that has one unread message from peer (so its read report goes to the
 * server). */
static TimClient *
client_with_unread (const char *user, const char *peer)
{
  g_autoptr (TimClient) sender = tim_test_client_new (fixture, base_dir, peer);
  g_autofree char *conversation_id = g_strdup_printf ("C2C%s", peer);
  TimClient *client = tim_test_client_new (fixture, base_dir, user);
  TimTestLastText last = { client, conversation_id, "unread" };

  tim_test_send_text (sender, user, "unread");
  g_assert_true (tim_test_wait_until (tim_test_last_text_is, &last, 10000));
  g_assert_cmpuint (tim_test_unread_of (client, conversation_id), ==, 1);
  return client;
}

/* The app's client disposed (at its shutdown) with calls under way: each ends once, as at a
 * logout, and the client is freed once nothing holds it. The avatar's upload ended after the
 * dispose and its next step asked a NULL transport (a critical); a sound's probe ended alike. */
static void
test_disposed_in_flight (void)
{
  TimClient *client = client_with_unread ("dx-ann", "dx-bob");
  g_autoptr (GFile) picture = make_picture ("ann.png");
  Call calls[G_N_ELEMENTS (call_table)];

  memcpy (calls, call_table, sizeof calls);
  start_calls (client, calls, "dx-bob", picture);
  g_object_run_dispose (G_OBJECT (client));
  wait_each_failed_once (calls);
  assert_each_as_at_logout (calls);
  clear_calls (calls);

  g_object_add_weak_pointer (G_OBJECT (client), (gpointer *) &client);
  g_object_unref (client);
  g_assert_null (client);
}

/* What the app still asks of a disposed client (a callback that tries again, a view that loads)
 * is refused 2024, as after a logout: it reached the NULL transport, store or tables. */
static void
test_called_after_dispose (void)
{
  TimClient *client = client_with_unread ("dx-cid", "dx-dan");
  g_autoptr (GFile) picture = make_picture ("cid.png");
  Call calls[G_N_ELEMENTS (call_table)];

  g_object_run_dispose (G_OBJECT (client));
  memcpy (calls, call_table, sizeof calls);
  start_calls (client, calls, "dx-dan", picture);
  wait_each_failed_once (calls);
  for (guint i = 0; calls[i].name != NULL; i++)
    if (!calls[i].may_succeed)
      g_assert_error (calls[i].error, TIM_ERROR, TIM_ERROR_NOT_LOGGED_IN);
  clear_calls (calls);

  g_object_add_weak_pointer (G_OBJECT (client), (gpointer *) &client);
  g_object_unref (client);
  g_assert_null (client);
}

/* The app's Quit while logged in: a logout, then its last reference dropped, with calls under
 * way. Each ends once with an error (the avatar's upload goes on, and the server refuses the
 * ticket the logout ended), and the client is freed once they have. */
static void
test_logout_then_unref (void)
{
  TimClient *client = client_with_unread ("dx-eve", "dx-fay");
  g_autoptr (GFile) picture = make_picture ("eve.png");
  Call calls[G_N_ELEMENTS (call_table)];

  memcpy (calls, call_table, sizeof calls);
  start_calls (client, calls, "dx-fay", picture);
  tim_client_logout (client);
  g_object_add_weak_pointer (G_OBJECT (client), (gpointer *) &client);
  g_object_unref (client);
  wait_each_failed_once (calls);
  clear_calls (calls);
  g_assert_null (client);
}

/* A new client of user, not logged in. */
static TimClient *
new_client (const char *user)
{
  g_autofree char *ws = timchat_fixture_ws_url (fixture);
  g_autofree char *dir = g_build_filename (base_dir, user, NULL);

  return tim_client_new (ws, timchat_fixture_get_sdkappid (fixture), dir);
}

/* A login in flight when the client is disposed ends once, cancelled, as at a logout; one asked
 * for after it is refused alike, before it opens the account's store again. What the app may
 * still ask of a disposed client at shutdown (its network state, a logout) is answered. */
static void
test_login_then_dispose (void)
{
  TimClient *client = new_client ("dx-gus");
  g_autofree char *usersig = timchat_fixture_usersig (fixture, "dx-gus", 3600);
  Call calls[] = {
    { "login", tim_client_login_finish },
    { "login after", tim_client_login_finish },
    { NULL },
  };

  tim_client_login_async (client, "dx-gus", usersig, NULL, on_call_done, &calls[0]);
  g_object_run_dispose (G_OBJECT (client));
  tim_client_login_async (client, "dx-gus", usersig, NULL, on_call_done, &calls[1]);
  g_assert_cmpint (tim_client_get_net_state (client), ==, TIM_NET_STATE_DISCONNECTED);
  g_assert_null (tim_client_get_user (client));
  tim_client_logout (client);
  wait_each_failed_once (calls);
  g_assert_error (calls[0].error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_error (calls[1].error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  clear_calls (calls);

  g_object_add_weak_pointer (G_OBJECT (client), (gpointer *) &client);
  g_object_unref (client);
  g_assert_null (client);
}

/* The app's Quit while a login is under way: the login ends once, and the client is freed. */
static void
test_logout_during_login_then_unref (void)
{
  TimClient *client = new_client ("dx-hal");
  g_autofree char *usersig = timchat_fixture_usersig (fixture, "dx-hal", 3600);
  Call calls[] = { { "login", tim_client_login_finish }, { NULL } };

  tim_client_login_async (client, "dx-hal", usersig, NULL, on_call_done, &calls[0]);
  tim_client_logout (client);
  g_object_add_weak_pointer (G_OBJECT (client), (gpointer *) &client);
  g_object_unref (client);
  wait_each_failed_once (calls);
  g_assert_error (calls[0].error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  clear_calls (calls);
  g_assert_null (client);
}

static gboolean
finish_group_profile (TimClient *client, GAsyncResult *result, GError **error)
{
  return tim_client_update_group_profile_finish (client, result, error);
}

static gboolean
uploads_held (gpointer proxy)
{
  return timchat_test_proxy_get_held_uploads (proxy) == 2;
}

/* user's avatar as client (logged in as user) reads it from the server; "" for none. */
static char *
avatar_of (TimClient *client)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *nick = NULL;
  char *avatar = NULL;

  tim_client_get_my_profile_async (client, NULL, tim_test_keep_result, &result);
  g_assert_true (tim_client_get_my_profile_finish (client, tim_test_wait_result (&result), &nick,
                                                   &avatar, &error));
  g_assert_no_error (error);
  return avatar;
}

/* The group's picture as client reads it from the server; "" for none. */
static char *
group_picture (TimClient *client, const char *group_id)
{
  g_autofree char *conversation_id = g_strconcat ("GROUP", group_id, NULL);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (TimConversation) conversation = NULL;
  const char *url;

  tim_client_get_conversation_profile_async (client, conversation_id, NULL, tim_test_keep_result,
                                             &result);
  conversation =
      tim_client_get_conversation_profile_finish (client, tim_test_wait_result (&result), &error);
  g_assert_no_error (error);
  url = tim_conversation_get_avatar (conversation);
  return g_strdup (url != NULL ? url : "");
}

/* An own avatar and a group picture still uploading (the server has the files, its answer is
 * slow) when the user logs out, and another user logs in on the same client before the answer
 * comes, or when the client is disposed: each call ends once, cancelled as the other calls in
 * flight at a logout are, and nothing is set through the next session. The uploads went on and
 * their ends set the next user's avatar and the picture of a group of theirs. */
static void
test_logout_during_upload (void)
{
  const char *members[] = { "dx-jon", NULL };
  g_autoptr (TimchatTestProxy) proxy = timchat_test_proxy_new (fixture);
  g_autofree char *ws = timchat_test_proxy_ws_url (proxy);
  g_autofree char *dir = g_build_filename (base_dir, "dx-ida", NULL);
  g_autoptr (TimClient) jon = tim_test_client_new (fixture, base_dir, "dx-jon");
  TimClient *client = tim_client_new (ws, timchat_fixture_get_sdkappid (fixture), dir);
  g_autoptr (GFile) picture = make_picture ("ida.png");
  g_autofree char *group_id = NULL;
  g_autofree char *avatar = NULL;
  g_autofree char *face = NULL;

  tim_test_client_login (fixture, client, "dx-ida");
  group_id = tim_test_create_group (client, "Gallery", members);
  for (guint round = 0; round < 2; round++)
    {
      Call calls[] = {
        { "set_my_avatar", finish_avatar },
        { "update_group_profile", finish_group_profile },
        { NULL },
      };

      timchat_test_proxy_hold_uploads (proxy, TRUE);
      tim_client_set_my_avatar_async (client, picture, NULL, on_call_done, &calls[0]);
      tim_client_update_group_profile_async (client, group_id, NULL, NULL, NULL, picture, NULL,
                                             on_call_done, &calls[1]);
      g_assert_true (tim_test_wait_until (uploads_held, proxy, 10000));
      if (round == 0)
        {
          /* dx-jon may change the picture of this Private group too. */
          tim_client_logout (client);
          tim_test_client_login (fixture, client, "dx-jon");
        }
      else
        g_object_run_dispose (G_OBJECT (client));
      timchat_test_proxy_hold_uploads (proxy, FALSE);
      wait_each_failed_once (calls);
      g_assert_error (calls[0].error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_assert_error (calls[1].error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      clear_calls (calls);
      if (round == 0)
        {
          avatar = avatar_of (client);
          g_assert_cmpstr (avatar, ==, "");
        }
    }
  face = group_picture (jon, group_id);
  g_assert_cmpstr (face, ==, "");

  g_object_add_weak_pointer (G_OBJECT (client), (gpointer *) &client);
  g_object_unref (client);
  g_assert_null (client);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  fixture = timchat_fixture_new (NULL);
  base_dir = tim_test_make_dir ();
  g_test_add_func ("/tim/dispose/in-flight", test_disposed_in_flight);
  g_test_add_func ("/tim/dispose/called-after", test_called_after_dispose);
  g_test_add_func ("/tim/dispose/logout-then-unref", test_logout_then_unref);
  g_test_add_func ("/tim/dispose/login-then-dispose", test_login_then_dispose);
  g_test_add_func ("/tim/dispose/logout-during-upload", test_logout_during_upload);
  g_test_add_func ("/tim/dispose/logout-during-login-then-unref",
                   test_logout_during_login_then_unref);
  status = g_test_run ();
  tim_test_remove_dir (base_dir);
  timchat_fixture_free (fixture);
  return status;
}
