/* test-tim-presence.c: whether the peers of the one-to-one conversations are online
 * (TimConversation:peer-status) through libtim and the real server: known for the list's peers
 * after login and for a conversation that joins the list, followed as the peer logs out (logged
 * out), logs in again (online) and goes without logging out (offline); a custom status, seen by
 * the followers and by the user's other device, set again after a restart; subscriptions to
 * users who are no peers (subscribeUserStatus), counted, kept across a server restart. */
#define G_LOG_DOMAIN "test-tim-presence"

#include "config.h"

#include "tim-error.h"
#include "tim-test-util.h"
#include "timchat-test-util.h"

static TimchatFixture *fixture;
static char *base_dir;

/* What a client's conversation shows of its peer: the status, or (custom_status not NULL) the
 * custom status. */
typedef struct
{
  TimClient *client;
  const char *conversation_id;
  TimUserStatus status;
  const char *custom_status;
} Expected;

static gboolean
shows (gpointer data)
{
  Expected *expected = data;
  TimConversation *conversation = tim_conversation_list_lookup (
      tim_client_get_conversations (expected->client), expected->conversation_id);

  if (conversation == NULL)
    return FALSE;
  if (expected->custom_status != NULL)
    return g_str_equal (tim_conversation_get_peer_custom_status (conversation),
                        expected->custom_status);
  return tim_conversation_get_peer_status (conversation) == expected->status;
}

#define ASSERT_STATUS(client, conversation_id, wanted)                                             \
  g_assert_true (                                                                                  \
      tim_test_wait_until (shows, &(Expected){ client, conversation_id, wanted, NULL }, 5000))

#define ASSERT_CUSTOM(client, conversation_id, wanted)                                             \
  g_assert_true (tim_test_wait_until (                                                             \
      shows, &(Expected){ client, conversation_id, TIM_USER_STATUS_UNKNOWN, wanted }, 5000))

static void
test_peer_status (void)
{
  g_autofree char *bea_dir = g_build_filename (base_dir, "bea", NULL);
  g_autoptr (TimClient) ann = tim_test_client_new (fixture, base_dir, "ann");
  g_autoptr (TimClient) bea = tim_test_client_new (fixture, bea_dir, "bea");
  g_autoptr (TimClient) cam = NULL;
  g_autoptr (GPtrArray) received = g_ptr_array_new_with_free_func (g_object_unref);

  /* A conversation joining the list while logged in: its peer is asked about at once. */
  tim_test_collect (ann, "message-received", received);
  tim_test_send_text (bea, "ann", "hi");
  g_assert_true (tim_test_wait_count (received, 1, 5000));
  ASSERT_STATUS (ann, "C2Cbea", TIM_USER_STATUS_ONLINE);

  /* Followed: logged out, back, gone without logging out. */
  tim_client_logout (bea);
  ASSERT_STATUS (ann, "C2Cbea", TIM_USER_STATUS_UNLOGINED);
  tim_test_client_login (fixture, bea, "bea");
  ASSERT_STATUS (ann, "C2Cbea", TIM_USER_STATUS_ONLINE);
  g_clear_object (&bea);
  ASSERT_STATUS (ann, "C2Cbea", TIM_USER_STATUS_OFFLINE);

  /* After a restart: the list's peers, asked about after login. */
  g_clear_object (&ann);
  ann = tim_test_client_new (fixture, base_dir, "ann");
  ASSERT_STATUS (ann, "C2Cbea", TIM_USER_STATUS_OFFLINE);
  cam = tim_test_client_new (fixture, base_dir, "cam");
  tim_test_send_text (cam, "ann", "me too");
  ASSERT_STATUS (ann, "C2Ccam", TIM_USER_STATUS_ONLINE);
  bea = tim_test_client_new (fixture, bea_dir, "bea");
  ASSERT_STATUS (ann, "C2Cbea", TIM_USER_STATUS_ONLINE);

  /* Asked (getUserStatus): in the order asked, an ID with no account unknown. */
  {
    const char *const asked[] = { "bea", "nobody-at-all", "ann", NULL };
    const char *const bad[] = { "bea", "bad id", NULL };
    g_autoptr (GAsyncResult) result = NULL;
    g_autoptr (GPtrArray) infos = NULL;
    g_autoptr (GError) error = NULL;
    TimUserStatusInfo *info;

    tim_client_get_user_status_async (ann, asked, NULL, tim_test_keep_result, &result);
    infos = tim_client_get_user_status_finish (ann, tim_test_wait_result (&result), &error);
    g_assert_no_error (error);
    g_assert_cmpuint (infos->len, ==, 3);
    info = infos->pdata[0];
    g_assert_cmpstr (info->user_id, ==, "bea");
    g_assert_cmpint (info->status, ==, TIM_USER_STATUS_ONLINE);
    g_assert_cmpstr (info->custom_status, ==, "");
    info = infos->pdata[1];
    g_assert_cmpstr (info->user_id, ==, "nobody-at-all");
    g_assert_cmpint (info->status, ==, TIM_USER_STATUS_UNKNOWN);
    g_assert_cmpint (((TimUserStatusInfo *) infos->pdata[2])->status, ==, TIM_USER_STATUS_ONLINE);
    g_clear_object (&result);
    tim_client_get_user_status_async (ann, bad, NULL, tim_test_keep_result, &result);
    g_assert_null (tim_client_get_user_status_finish (ann, tim_test_wait_result (&result), &error));
    g_assert_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER);
  }

  /* Logged out, nothing is known; logged in again, it is asked anew. */
  tim_client_logout (ann);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (tim_client_get_conversations (ann))),
                    ==, 0);
  tim_test_client_login (fixture, ann, "ann");
  ASSERT_STATUS (ann, "C2Cbea", TIM_USER_STATUS_ONLINE);
}

static gboolean
set_status (TimClient *client, const char *custom_status, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  tim_client_set_self_status_async (client, custom_status, NULL, tim_test_keep_result, &result);
  return tim_client_set_self_status_finish (client, tim_test_wait_result (&result), error);
}

typedef struct
{
  TimClient *client;
  const char *custom_status;
} SelfStatus;

static gboolean
self_status_is (gpointer data)
{
  SelfStatus *expected = data;

  return g_str_equal (tim_client_get_self_status (expected->client), expected->custom_status);
}

#define ASSERT_SELF_STATUS(c, wanted)                                                              \
  g_assert_true (tim_test_wait_until (self_status_is, &(SelfStatus){ c, wanted }, 5000))

static void
test_custom_status (void)
{
  g_autofree char *phone_dir = g_build_filename (base_dir, "eve-phone", NULL);
  g_autofree char *eve_dir = g_build_filename (base_dir, "eve", NULL);
  g_autoptr (TimClient) dee = tim_test_client_new (fixture, base_dir, "dee");
  g_autoptr (TimClient) eve = tim_test_client_new (fixture, eve_dir, "eve");
  g_autoptr (TimClient) eve_phone = tim_test_client_new (fixture, phone_dir, "eve");
  g_autoptr (GPtrArray) received = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GError) error = NULL;
  g_autofree char *too_long = g_strnfill (TIM_MAX_CUSTOM_STATUS_BYTES + 1, 'x');

  tim_test_collect (dee, "message-received", received);
  tim_test_send_text (eve, "dee", "hi");
  g_assert_true (tim_test_wait_count (received, 1, 5000));
  ASSERT_STATUS (dee, "C2Ceve", TIM_USER_STATUS_ONLINE);
  g_assert_cmpstr (tim_client_get_self_status (eve), ==, "");

  /* Set: the follower sees it, and so does the user's other device. */
  g_assert_true (set_status (eve, "In a meeting ☕", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (tim_client_get_self_status (eve), ==, "In a meeting ☕");
  ASSERT_CUSTOM (dee, "C2Ceve", "In a meeting ☕");
  ASSERT_SELF_STATUS (eve_phone, "In a meeting ☕");

  /* Refused before anything is sent. */
  g_assert_false (set_status (eve, too_long, &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER);
  g_clear_error (&error);
  g_assert_false (set_status (eve, "\xff\xfe", &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER);
  g_clear_error (&error);

  /* Away, the server forgets it; back, this device sets it again. */
  g_clear_object (&eve);
  g_clear_object (&eve_phone);
  ASSERT_STATUS (dee, "C2Ceve", TIM_USER_STATUS_OFFLINE);
  ASSERT_CUSTOM (dee, "C2Ceve", "");
  eve = tim_test_client_new (fixture, eve_dir, "eve");
  ASSERT_STATUS (dee, "C2Ceve", TIM_USER_STATUS_ONLINE);
  ASSERT_CUSTOM (dee, "C2Ceve", "In a meeting ☕");

  /* Cleared. */
  g_assert_true (set_status (eve, "", &error));
  ASSERT_CUSTOM (dee, "C2Ceve", "");
  g_assert_cmpstr (tim_client_get_self_status (eve), ==, "");

  /* Set here, changed on the phone while this device was away: back, this one takes the
   * phone's, newer, rather than set its own again over it. */
  g_assert_true (set_status (eve, "In a meeting ☕", &error));
  g_assert_no_error (error);
  g_clear_object (&eve);
  ASSERT_CUSTOM (dee, "C2Ceve", "");
  eve_phone = tim_test_client_new (fixture, phone_dir, "eve");
  g_assert_true (set_status (eve_phone, "Lunch 🍜", &error));
  g_assert_no_error (error);
  ASSERT_CUSTOM (dee, "C2Ceve", "Lunch 🍜");
  eve = tim_test_client_new (fixture, eve_dir, "eve");
  ASSERT_SELF_STATUS (eve, "Lunch 🍜");
  timchat_test_spin (300);
  ASSERT_CUSTOM (dee, "C2Ceve", "Lunch 🍜");
  g_assert_cmpstr (tim_client_get_self_status (eve_phone), ==, "Lunch 🍜");

  /* Cleared on the phone while this device was away: back, this one takes the clearing rather
   * than set its old one again. */
  g_clear_object (&eve);
  g_assert_true (set_status (eve_phone, "", &error));
  g_assert_no_error (error);
  ASSERT_CUSTOM (dee, "C2Ceve", "");
  eve = tim_test_client_new (fixture, eve_dir, "eve");
  ASSERT_SELF_STATUS (eve, "");
  timchat_test_spin (300);
  ASSERT_CUSTOM (dee, "C2Ceve", "");
}

/* ---------------------------------------------------------------- subscribeUserStatus */

static void
on_status_told (TimClient *client, const char *user, TimUserStatus status,
                const char *custom_status, GPtrArray *told)
{
  g_ptr_array_add (told, g_strdup_printf ("%s %s%s%s", user, tim_user_status_to_string (status),
                                          *custom_status != '\0' ? " " : "", custom_status));
}

typedef struct
{
  GPtrArray *told;
  const char *line;
} Told;

static gboolean
was_told (gpointer data)
{
  Told *expected = data;

  return g_ptr_array_find_with_equal_func (expected->told, expected->line, g_str_equal, NULL);
}

#define ASSERT_TOLD(told, line)                                                                    \
  g_assert_true (tim_test_wait_until (was_told, &(Told){ told, line }, 5000))

static GPtrArray *
subscribe (TimClient *client, const char *const *user_ids, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  tim_client_subscribe_user_status_async (client, user_ids, NULL, tim_test_keep_result, &result);
  return tim_client_subscribe_user_status_finish (client, tim_test_wait_result (&result), error);
}

static gboolean
is_connected (gpointer client)
{
  return tim_client_get_net_state (client) == TIM_NET_STATE_CONNECTED;
}

static void
test_subscribe (void)
{
  const char *const fay_and_nobody[] = { "fay", "nobody-at-all", NULL };
  const char *const fay[] = { "fay", NULL };
  const char *const gus[] = { "gus", NULL };
  const char *const hal[] = { "hal", NULL };
  const char *const nobody[] = { "nobody-at-all", NULL };
  const char *const bad[] = { "fay", "bad id", NULL };
  const char *const none[] = { NULL };
  g_autofree char *fay_dir = g_build_filename (base_dir, "fay", NULL);
  g_autofree char *gus_dir = g_build_filename (base_dir, "gus", NULL);
  g_autofree char *hal_dir = g_build_filename (base_dir, "hal", NULL);
  g_autoptr (TimClient) ivy = tim_test_client_new (fixture, base_dir, "ivy");
  g_autoptr (TimClient) fay_client = tim_test_client_new (fixture, fay_dir, "fay");
  g_autoptr (TimClient) gus_client = tim_test_client_new (fixture, gus_dir, "gus");
  g_autoptr (TimClient) hal_client = tim_test_client_new (fixture, hal_dir, "hal");
  g_autofree char *ws_url = timchat_fixture_ws_url (fixture);
  g_autoptr (TimClient) stranger =
      tim_client_new (ws_url, timchat_fixture_get_sdkappid (fixture), base_dir);
  g_autoptr (GPtrArray) told = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) infos = NULL;
  g_autoptr (GPtrArray) many = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  TimUserStatusInfo *info;

  g_signal_connect (ivy, "user-status-updated", G_CALLBACK (on_status_told), told);
  tim_client_logout (fay_client);

  /* Their statuses now; one with no account is not followed and says why. */
  infos = subscribe (ivy, fay_and_nobody, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (infos->len, ==, 2);
  info = infos->pdata[0];
  g_assert_cmpstr (info->user_id, ==, "fay");
  g_assert_cmpint (info->status, ==, TIM_USER_STATUS_UNLOGINED);
  g_assert_cmpint (info->error_code, ==, 0);
  info = infos->pdata[1];
  g_assert_cmpstr (info->user_id, ==, "nobody-at-all");
  g_assert_cmpint (info->status, ==, TIM_USER_STATUS_UNKNOWN);
  g_assert_cmpint (info->error_code, ==, TIM_ERROR_ACCOUNT_NOT_FOUND);
  g_clear_pointer (&infos, g_ptr_array_unref);

  /* Refused: none that can be followed; before anything is sent, bad input. */
  g_assert_null (subscribe (ivy, nobody, &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_ACCOUNT_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (subscribe (ivy, bad, &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER);
  g_clear_error (&error);
  g_assert_null (subscribe (ivy, none, &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER);
  g_clear_error (&error);
  for (guint i = 0; i < 101; i++)
    g_ptr_array_add (many, g_strdup_printf ("user%u", i));
  g_ptr_array_add (many, NULL);
  g_assert_null (subscribe (ivy, (const char *const *) many->pdata, &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER);
  g_clear_error (&error);
  g_assert_null (subscribe (stranger, fay, &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_NOT_LOGGED_IN);
  g_clear_error (&error);

  /* Told as they come and go, custom status included: no conversation needed. */
  tim_test_client_login (fixture, fay_client, "fay");
  ASSERT_TOLD (told, "fay online");
  g_assert_true (set_status (fay_client, "Busy", &error));
  g_assert_no_error (error);
  ASSERT_TOLD (told, "fay online Busy");

  /* Counted: subscribed twice, one unsubscribe leaves it followed. gus, followed throughout,
   * marks the time: what the server says of fay before gus comes, it says after too. */
  g_clear_pointer (&infos, g_ptr_array_unref);
  infos = subscribe (ivy, gus, &error);
  g_assert_no_error (error);
  g_clear_pointer (&infos, g_ptr_array_unref);
  infos = subscribe (ivy, fay, &error);
  g_assert_no_error (error);
  tim_client_unsubscribe_user_status (ivy, fay);
  tim_test_user_status (ivy, "ann");
  g_ptr_array_set_size (told, 0);
  tim_client_logout (fay_client);
  ASSERT_TOLD (told, "fay unlogined");
  tim_client_unsubscribe_user_status (ivy, fay);
  tim_test_user_status (ivy, "ann");
  g_ptr_array_set_size (told, 0);
  tim_test_client_login (fixture, fay_client, "fay");
  tim_client_logout (gus_client);
  ASSERT_TOLD (told, "gus unlogined");
  g_assert_false (was_told (&(Told){ told, "fay online" }));

  /* Cancelled once sent: whether the server follows fay is not known, so it is told not to. */
  {
    g_autoptr (GCancellable) cancellable = g_cancellable_new ();
    g_autoptr (GAsyncResult) result = NULL;

    tim_test_client_login (fixture, gus_client, "gus");
    ASSERT_TOLD (told, "gus online");
    tim_client_subscribe_user_status_async (ivy, fay, cancellable, tim_test_keep_result, &result);
    g_cancellable_cancel (cancellable);
    g_assert_null (
        tim_client_subscribe_user_status_finish (ivy, tim_test_wait_result (&result), &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_clear_error (&error);
    tim_test_user_status (ivy, "ann");
    g_ptr_array_set_size (told, 0);
    tim_client_logout (fay_client);
    tim_client_logout (gus_client);
    ASSERT_TOLD (told, "gus unlogined");
    g_assert_false (was_told (&(Told){ told, "fay unlogined" }));
  }

  /* After the server restarts (it forgets whom a user follows), followed again: told either by
   * the push as gus logs out or by the asking that comes with the following. */
  g_ptr_array_set_size (told, 0);
  tim_test_client_login (fixture, gus_client, "gus");
  ASSERT_TOLD (told, "gus online");
  timchat_fixture_restart (fixture);
  g_ptr_array_set_size (told, 0);
  tim_client_reconnect_now (ivy);
  tim_client_reconnect_now (gus_client);
  g_assert_true (tim_test_wait_until (is_connected, ivy, 15000));
  g_assert_true (tim_test_wait_until (is_connected, gus_client, 15000));
  tim_client_logout (gus_client);
  ASSERT_TOLD (told, "gus unlogined");

  /* Unsubscribed, by name or from everyone: a peer of the list is still followed for its
   * conversation. */
  tim_test_client_login (fixture, gus_client, "gus");
  tim_test_send_text (hal_client, "ivy", "hello");
  ASSERT_STATUS (ivy, "C2Chal", TIM_USER_STATUS_ONLINE);
  for (guint by_name = 0; by_name < 2; by_name++)
    {
      if (by_name)
        tim_test_client_login (fixture, hal_client, "hal");
      ASSERT_STATUS (ivy, "C2Chal", TIM_USER_STATUS_ONLINE);
      g_clear_pointer (&infos, g_ptr_array_unref);
      infos = subscribe (ivy, hal, &error);
      g_assert_no_error (error);
      tim_client_unsubscribe_user_status (ivy, by_name ? hal : NULL);
      tim_test_user_status (ivy, "ann");
      g_ptr_array_set_size (told, 0);
      if (!by_name)
        tim_client_logout (gus_client);
      tim_client_logout (hal_client);
      ASSERT_STATUS (ivy, "C2Chal", TIM_USER_STATUS_UNLOGINED);
      ASSERT_TOLD (told, "hal unlogined");
      /* gus, followed no more, said nothing before. */
      g_assert_false (was_told (&(Told){ told, "gus unlogined" }));
    }
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  base_dir = tim_test_make_dir ();
  fixture = timchat_fixture_new (NULL);
  g_test_add_func ("/tim/presence/peer-status", test_peer_status);
  g_test_add_func ("/tim/presence/custom-status", test_custom_status);
  g_test_add_func ("/tim/presence/subscribe", test_subscribe);
  status = g_test_run ();
  tim_test_remove_dir (base_dir);
  timchat_fixture_free (fixture);
  return status;
}
