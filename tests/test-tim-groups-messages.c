/* test-tim-groups-messages.c: a group's messages through libtim against the real server: tips
 * and notices naming people by their nicks, notices in the order they came and paged, a group's
 * history paged to its first message (on a new device and on one that was there as it came, the
 * user's own messages in their place), messages over the rate limit never passing for sent, and
 * a history that brings the server's copy of a message still being sent.
 * Split from test-tim-groups.c (libtim's group calls, by theme) to keep each program short; one
 * server per program. */
#define G_LOG_DOMAIN "test-tim-groups-messages"

#include "config.h"

#include <string.h>

#include "test-tim-groups-common.h"
#include "tim-error.h"
#include "tim-test-util.h"
#include "timchat-test-proxy.h"
#include "timchat-test-util.h"

static TimchatFixture *fixture;
static char *base_dir;

typedef struct
{
  TimClient *client;
  const char *conversation_id;
  guint count;
  GString *tips; /* out: the tips' sentences, one a line */
} Tips;

static gboolean
has_tips (gpointer data)
{
  Tips *tips = data;
  g_autoptr (GPtrArray) history =
      tim_test_get_messages (tips->client, tips->conversation_id, NULL, NULL, NULL, NULL);

  g_string_truncate (tips->tips, 0);
  for (guint i = 0; history != NULL && i < history->len; i++)
    {
      g_autofree char *text = tim_message_dup_tip_text (history->pdata[i]);

      if (text != NULL)
        g_string_append_printf (tips->tips, "%s\n", text);
    }
  return history != NULL && history->len >= tips->count;
}

/* Tips name people as everything else does, by their nicks: the members from the tip, the
 * operator from the tip's sender (the server gives its nick as it does a message's sender's);
 * someone without a nick by their ID. */
static void
test_tips_name_people (void)
{
  const char *vic_only[] = { "vic", NULL };
  g_autoptr (TimClient) tia = NULL;
  g_autoptr (TimClient) uma = NULL;
  g_autoptr (TimClient) vic = NULL;
  g_autofree char *group_id = NULL;
  g_autofree char *conversation_id = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) texts = g_string_new (NULL);

  timchat_test_import_account (fixture, "tia", "Tia T.");
  timchat_test_import_account (fixture, "uma", "Uma U.");
  tia = tim_test_client_new (fixture, base_dir, "tia");
  uma = tim_test_client_new (fixture, base_dir, "uma");
  vic = tim_test_client_new (fixture, base_dir, "vic");
  group_id = tim_test_create_group (tia, "Names", vic_only);
  conversation_id = g_strconcat ("GROUP", group_id, NULL);
  g_assert_true (add_members (tia, group_id, (const char *[]){ "uma", NULL }, NULL, &error));
  g_assert_true (set_admin (tia, group_id, "uma", TRUE, &error));
  g_assert_true (remove_member (tia, group_id, "uma", &error));
  g_assert_true (update_profile (tia, group_id, "Nicks", NULL, &error));
  g_assert_no_error (error);

  g_assert_true (tim_test_wait_until (has_tips, &(Tips){ vic, conversation_id, 5, texts }, 10000));
  g_assert_cmpstr (texts->str, ==,
                   "Tia T. created the group with vic\n"
                   "Tia T. added Uma U. to the group\n"
                   "Uma U. is now an admin\n"
                   "Uma U. was removed by Tia T.\n"
                   "Tia T. renamed the group to “Nicks”\n");
  /* Notices too: the system sends them, with the operator's nick. */
  g_assert_true (
      tim_test_wait_until (has_tips, &(Tips){ uma, TIM_SYSTEM_CONVERSATION_ID, 3, texts }, 10000));
  g_assert_cmpstr (texts->str, ==,
                   "Names: Tia T. added you to the group\n"
                   "Names: Tia T. made you an admin\n"
                   "Names: You were removed from the group by Tia T.\n");
}

typedef struct
{
  TimClient *client;
  const char *prefix;
} Newest;

/* The client's newest group notice starts with newest->prefix. */
static gboolean
has_newest_notice (gpointer data)
{
  Newest *wanted = data;
  g_autoptr (GPtrArray) page =
      tim_test_get_messages (wanted->client, TIM_SYSTEM_CONVERSATION_ID, NULL, NULL, NULL, NULL);
  g_autofree char *newest =
      page != NULL && page->len > 0 ? tim_message_dup_tip_text (page->pdata[page->len - 1]) : NULL;

  return newest != NULL && g_str_has_prefix (newest, wanted->prefix);
}

/* The group notices as paged: the groups' names, oldest first; the pages' sizes. */
static char *
page_notices (TimClient *client, GString *sizes)
{
  g_autoptr (GString) names = g_string_new (NULL);
  g_autofree char *next = NULL;
  gboolean completed = FALSE;

  while (!completed)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *cursor = g_steal_pointer (&next);
      g_autoptr (GPtrArray) page = tim_test_get_messages (client, TIM_SYSTEM_CONVERSATION_ID,
                                                          cursor, &next, &completed, &error);
      g_autoptr (GString) older = g_string_new (NULL);

      g_assert_no_error (error);
      for (guint i = 0; i < page->len; i++)
        {
          g_autofree char *text = tim_message_dup_tip_text (page->pdata[i]);

          g_string_append_printf (older, "%.3s ", text);
        }
      g_string_prepend (names, older->str);
      g_string_append_printf (sizes, "%u ", page->len);
      g_assert_cmpuint (sizes->len, <, 40); /* no endless paging */
    }
  return g_strdup (names->str);
}

/* Group notices in the order they came, received live or synced after a logout, however many
 * share a second, and paged past the first page (notices have a random MsgSeq: the server's
 * ServerSeq orders them). */
static void
test_notices_in_order_and_paged (void)
{
  const char *wes_only[] = { "wes", NULL };
  g_autoptr (TimClient) xan = tim_test_client_new (fixture, base_dir, "xan");
  g_autoptr (TimClient) wes = tim_test_client_new (fixture, base_dir, "wes");
  g_autoptr (GString) expected = g_string_new (NULL);
  g_autoptr (GString) sizes = g_string_new (NULL);
  g_autofree char *names = NULL;

  for (guint i = 0; i < 18; i++)
    {
      g_autofree char *name = g_strdup_printf ("G%02u", i);
      g_autofree char *group_id = NULL;

      if (i == 16)
        tim_client_logout (wes); /* the last two come with the sync at the next login */
      group_id = tim_test_create_group (xan, name, wes_only);
      g_string_append_printf (expected, "%s ", name);
      if (i == 15)
        g_assert_true (tim_test_wait_until (has_newest_notice, &(Newest){ wes, "G15: " }, 10000));
    }
  tim_test_client_login (fixture, wes, "wes");
  g_assert_true (tim_test_wait_until (has_newest_notice, &(Newest){ wes, "G17: " }, 10000));

  names = page_notices (wes, sizes);
  g_assert_cmpstr (names, ==, expected->str);
  g_assert_cmpstr (sizes->str, ==, "15 3 ");
}

/* Every text of a group's history as client pages it (page by page, to the end), oldest first,
 * space-joined; *pages_out the number of pages. */
static char *
paged_texts (TimClient *client, const char *conversation_id, guint *pages_out)
{
  g_autoptr (GString) texts = g_string_new (NULL);
  g_autofree char *next = NULL;
  gboolean completed = FALSE;
  guint pages = 0;
  g_autoptr (GPtrArray) all = g_ptr_array_new_with_free_func (g_object_unref);

  while (!completed)
    {
      g_autofree char *next_out = NULL;
      g_autoptr (GError) error = NULL;
      g_autoptr (GPtrArray) page =
          tim_test_get_messages (client, conversation_id, next, &next_out, &completed, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (++pages, <, 20);
      /* This page goes before what came already: it is older. */
      for (guint i = page->len; i > 0; i--)
        g_ptr_array_insert (all, 0, g_object_ref (page->pdata[i - 1]));
      g_free (next);
      next = g_steal_pointer (&next_out);
    }
  for (guint i = 0; i < all->len; i++)
    if (tim_message_get_elem_type (all->pdata[i]) == TIM_ELEM_TEXT)
      g_string_append_printf (texts, "%s%s", texts->len > 0 ? " " : "",
                              tim_message_get_text (all->pdata[i]));
  *pages_out = pages;
  return g_string_free (g_steal_pointer (&texts), FALSE);
}

/* 35 messages, one of them uma's own between tom's: a new device of uma's pages back to the
 * first (three pages of 15, the creation tip in the first), and so does the device that was
 * there when they came, its own one in its place. */
static void
test_history_pages (void)
{
  const char *members[] = { "uma", NULL };
  g_autofree char *phone_dir = g_build_filename (base_dir, "phone-uma", NULL);
  g_autofree char *laptop_dir = g_build_filename (base_dir, "laptop-uma", NULL);
  g_autoptr (TimClient) tom = tim_test_client_new (fixture, base_dir, "tom");
  g_autoptr (TimClient) phone = tim_test_client_new (fixture, phone_dir, "uma");
  g_autofree char *group_id = tim_test_create_group (tom, "Pages", members);
  g_autofree char *conversation_id = tim_conv_make_id (TIM_CONV_GROUP, group_id);
  g_autoptr (GString) expected = g_string_new (NULL);
  g_autofree char *on_laptop = NULL;
  g_autofree char *on_phone = NULL;
  guint pages = 0;

  for (int i = 1; i <= 35; i++)
    {
      g_autofree char *text = g_strdup_printf ("p%02d", i);
      TimClient *from = i == 20 ? phone : tom;
      g_autoptr (TimMessage) sent =
          tim_client_create_text_message (from, group_id, TIM_CONV_GROUP, text);
      g_autoptr (TimMessage) got = i == 20 ? NULL : tim_test_send_and_receive (tom, phone, sent);

      if (i == 20)
        g_assert_true (tim_test_send (phone, sent, NULL));
      g_string_append_printf (expected, "%s%s", expected->len > 0 ? " " : "", text);
    }
  {
    g_autoptr (TimClient) laptop = tim_test_client_new (fixture, laptop_dir, "uma");

    on_laptop = paged_texts (laptop, conversation_id, &pages);
    g_assert_cmpstr (on_laptop, ==, expected->str);
    g_assert_cmpuint (pages, ==, 3);
  }
  /* The phone again, from what it stored. */
  g_clear_object (&phone);
  phone = tim_test_client_new (fixture, phone_dir, "uma");
  on_phone = paged_texts (phone, conversation_id, &pages);
  g_assert_cmpstr (on_phone, ==, expected->str);
}

#define RATE_BURST 12

typedef struct
{
  TimMessage *message;
  GAsyncResult *result;
} RateSend;

/* A burst over the group's rate limit (1 message a second): the server answers the ones it sheds
 * with success and MsgSeq 0, as the vendor does. None of those may pass for sent: each fails with
 * 10023, in words, and can be sent again; what says success is what the others see. */
static void
test_rate_limited_not_sent (void)
{
  const char *conf[] = { "limits/group_rate=1", NULL };
  g_autoptr (TimchatFixture) limited = timchat_fixture_new (conf);
  g_autoptr (TimClient) ann = tim_test_client_new (limited, base_dir, "rate-ann");
  g_autoptr (TimClient) ben = tim_test_client_new (limited, base_dir, "rate-ben");
  const char *members[] = { "rate-ben", NULL };
  g_autofree char *group_id = tim_test_create_group (ann, "Busy", members);
  g_autofree char *conversation_id = g_strconcat ("GROUP", group_id, NULL);
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *next = NULL;
  RateSend sends[RATE_BURST] = { { 0 } };
  TimMessage *refused = NULL;
  guint sent = 0, dropped = 0;
  gboolean completed = FALSE;

  for (guint i = 0; i < RATE_BURST; i++)
    {
      g_autofree char *text = g_strdup_printf ("busy %02u", i);

      sends[i].message = tim_client_create_text_message (ann, group_id, TIM_CONV_GROUP, text);
      tim_client_send_message_async (ann, sends[i].message, NULL, NULL, NULL, NULL,
                                     tim_test_keep_result, &sends[i].result);
    }
  for (guint i = 0; i < RATE_BURST; i++)
    {
      g_autoptr (GError) error = NULL;

      if (tim_client_send_message_finish (ann, tim_test_wait_result (&sends[i].result), &error))
        {
          g_assert_cmpint (tim_message_get_status (sends[i].message), ==,
                           TIM_MESSAGE_STATUS_SUCCESS);
          g_assert_cmpint (tim_message_get_server_seq (sends[i].message), >, 0);
          sent++;
          continue;
        }
      g_assert_error (error, TIM_ERROR, 10023);
      g_assert_nonnull (strstr (error->message, "send it again"));
      g_assert_cmpint (tim_message_get_status (sends[i].message), ==, TIM_MESSAGE_STATUS_FAIL);
      g_assert_cmpint (tim_message_get_error_code (sends[i].message), ==, 10023);
      refused = sends[i].message;
      dropped++;
    }
  g_assert_cmpuint (dropped, >, 0);
  g_assert_cmpuint (sent + dropped, ==, RATE_BURST);

  /* What ben's history has is exactly what ann was told was sent. */
  while (!completed)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *cursor = g_steal_pointer (&next);
      g_autoptr (GPtrArray) page =
          tim_test_get_messages (ben, conversation_id, cursor, &next, &completed, &error);

      g_assert_no_error (error);
      for (guint i = 0; i < page->len; i++)
        if (tim_message_get_elem_type (page->pdata[i]) == TIM_ELEM_TEXT)
          g_hash_table_add (seen, g_strdup (tim_message_get_text (page->pdata[i])));
      if (page->len == 0)
        break;
    }
  for (guint i = 0; i < RATE_BURST; i++)
    g_assert_cmpint (g_hash_table_contains (seen, tim_message_get_text (sends[i].message)), ==,
                     tim_message_get_status (sends[i].message) == TIM_MESSAGE_STATUS_SUCCESS);

  /* Sent again once the bucket has refilled, it is kept. */
  g_usleep (1200 * 1000);
  {
    g_autoptr (GError) error = NULL;

    g_assert_true (tim_test_resend (ann, refused, &error));
    g_assert_no_error (error);
    g_assert_cmpint (tim_message_get_server_seq (refused), >, 0);
  }
  for (guint i = 0; i < RATE_BURST; i++)
    {
      g_clear_object (&sends[i].message);
      g_clear_object (&sends[i].result);
    }
  tim_client_logout (ann);
  tim_client_logout (ben);
}

/* A group message whose send's answer is lost (the connection died just after the server kept
 * it) is still being sent when the group's history brings the server's copy: its send ends it,
 * and until then it keeps the ClientSeq it goes out with. Marked sent by the history and stored
 * with that ClientSeq as its sequence, a client that stopped before the answer kept it so (the
 * next login took it for sent): the recall of it, which names it by the group's sequence, found
 * nothing, and the recalled message stayed shown. */
static void
test_history_during_send (void)
{
  g_autoptr (TimchatTestProxy) proxy = timchat_test_proxy_new (fixture);
  g_autofree char *ws = timchat_test_proxy_ws_url (proxy);
  g_autofree char *dir = g_build_filename (base_dir, "hds-amy", NULL);
  g_autoptr (TimClient) own = tim_test_client_new (fixture, base_dir, "hds-own");
  g_autoptr (TimClient) amy = NULL;
  g_autoptr (GPtrArray) got = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) revoked = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) history = NULL;
  g_autoptr (GAsyncResult) sent = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (TimMessage) message = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *group_id = NULL;
  g_autofree char *conversation_id = NULL;

  timchat_test_import_account (fixture, "hds-amy", NULL);
  group_id = tim_test_create_group (own, "In flight", (const char *const[]){ "hds-amy", NULL });
  conversation_id = g_strconcat ("GROUP", group_id, NULL);
  amy = tim_client_new (ws, timchat_fixture_get_sdkappid (fixture), dir);
  tim_test_client_login (fixture, amy, "hds-amy");
  tim_test_collect (own, "message-received", got);
  timchat_test_proxy_drop_answers (proxy, "group_open_http_svc.send_group_msg");
  message = tim_client_create_text_message (amy, group_id, TIM_CONV_GROUP, "in flight");
  tim_client_send_message_async (amy, message, NULL, NULL, NULL, NULL, tim_test_keep_result, &sent);
  g_assert_true (tim_test_wait_count (got, 1, 10000));
  history = tim_test_get_messages (amy, conversation_id, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (history->len > 0 && history->pdata[history->len - 1] == message);
  g_assert_null (sent);

  /* Stopped before the answer (a logout writes nothing of the send), then started again. */
  tim_client_logout (amy);
  g_clear_object (&amy);
  timchat_test_proxy_drop_answers (proxy, NULL);
  amy = tim_client_new (ws, timchat_fixture_get_sdkappid (fixture), dir);
  tim_test_collect (amy, "message-revoked", revoked);
  tim_test_client_login (fixture, amy, "hds-amy");
  tim_client_wait_outbox_async (amy, NULL, tim_test_keep_result, &result);
  g_assert_true (tim_client_wait_outbox_finish (amy, tim_test_wait_result (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  tim_client_revoke_message_async (own, got->pdata[0], NULL, tim_test_keep_result, &result);
  g_assert_true (tim_client_revoke_message_finish (own, tim_test_wait_result (&result), &error));
  g_assert_no_error (error);
  g_assert_true (tim_test_wait_count (revoked, 1, 10000));
  g_assert_cmpstr (tim_message_get_id (revoked->pdata[0]), ==, tim_message_get_id (message));
  g_clear_pointer (&history, g_ptr_array_unref);
  history = tim_test_get_messages (amy, conversation_id, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (history->len, >, 0);
  g_assert_true (tim_message_get_is_revoked (history->pdata[history->len - 1]));
  tim_client_logout (amy);
  tim_client_logout (own);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  fixture = timchat_fixture_new (NULL);
  base_dir = tim_test_make_dir ();
  g_test_add_func ("/tim/groups/tips-name-people", test_tips_name_people);
  g_test_add_func ("/tim/groups/notices-in-order-and-paged", test_notices_in_order_and_paged);
  g_test_add_func ("/tim/groups/history-pages", test_history_pages);
  g_test_add_func ("/tim/groups/rate-limited-not-sent", test_rate_limited_not_sent);
  g_test_add_func ("/tim/groups/history-during-send", test_history_during_send);
  status = g_test_run ();
  timchat_fixture_free (fixture);
  tim_test_remove_dir (base_dir);
  g_free (base_dir);
  return status;
}
