/* test-tim-edit.c: editing a sent message (modifyMessage) through libtim and the real server:
 * the sender's copy, the peer's and the sender's other device change, marked edited with their
 * version, and so does the conversation's preview; a device that was away gets a C2C edit with
 * the sync and a group's from its history; an edit of an older version loses with 2480; what may
 * not be edited is refused in words; the edit survives a restart. */
#define G_LOG_DOMAIN "test-tim-edit"

#include "config.h"

#include "tim-error.h"
#include "tim-message-private.h"
#include "tim-test-util.h"
#include "timchat-test-util.h"

static TimchatFixture *fixture;
static char *base_dir;

static gboolean
modify (TimClient *client, TimMessage *message, const char *text, GError **error)
{
  g_autoptr (JsonObject) payload = json_object_new ();
  GAsyncResult *result = NULL;
  gboolean ok;

  json_object_set_string_member (payload, "text", text);
  tim_client_modify_message_async (client, message, payload, NULL, tim_test_keep_result, &result);
  ok = tim_client_modify_message_finish (client, tim_test_wait_result (&result), error);
  g_object_unref (result);
  return ok;
}

typedef struct
{
  TimClient *client;
  const char *conversation_id;
  const char *message_id;
  const char *text;
} Shows;

/* The client's copy of the message (the newest of its conversation) says text. */
static gboolean
shows (gpointer data)
{
  Shows *s = data;
  g_autoptr (TimMessage) copy = NULL;
  g_autoptr (GPtrArray) page =
      tim_test_get_messages (s->client, s->conversation_id, NULL, NULL, NULL, NULL);

  for (guint i = 0; page != NULL && i < page->len; i++)
    if (g_strcmp0 (tim_message_get_id (page->pdata[i]), s->message_id) == 0)
      return g_strcmp0 (tim_message_get_text (page->pdata[i]), s->text) == 0;
  return FALSE;
}

static void
assert_shows (TimClient *client, const char *conversation_id, TimMessage *message, const char *text)
{
  Shows s = { client, conversation_id, tim_message_get_id (message), text };

  g_assert_true (tim_test_wait_until (shows, &s, 10000));
}

static const char *
preview_of (TimClient *client, const char *conversation_id)
{
  TimConversation *conversation =
      tim_conversation_list_lookup (tim_client_get_conversations (client), conversation_id);

  return conversation != NULL ? tim_conversation_get_message_for_show (conversation) : NULL;
}

static gboolean
preview_is (gpointer data)
{
  Shows *s = data;

  return g_strcmp0 (preview_of (s->client, s->conversation_id), s->text) == 0;
}

static void
test_c2c (void)
{
  g_autoptr (TimClient) ann = tim_test_client_new (fixture, base_dir, "ann");
  g_autoptr (TimClient) ben = tim_test_client_new (fixture, base_dir, "ben");
  g_autofree char *tablet_dir = g_build_filename (base_dir, "ann-tablet", NULL);
  g_autoptr (TimClient) tablet = tim_test_client_new (fixture, tablet_dir, "ann");
  g_autoptr (TimMessage) sent = tim_client_create_text_message (ann, "ben", TIM_CONV_C2C, "at 7");
  g_autoptr (TimMessage) got = tim_test_send_and_receive (ann, ben, sent);
  g_autoptr (GPtrArray) modified = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GError) error = NULL;
  gulong collecting = tim_test_collect (ben, "message-modified", modified);

  g_assert_false (tim_message_get_is_modified (got));
  assert_shows (tablet, "C2Cben", sent, "at 7");
  g_assert_true (modify (ann, sent, "at 8", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (tim_message_get_text (sent), ==, "at 8");
  g_assert_cmpint (tim_message_get_version (sent), ==, 1);
  g_assert_true (tim_message_get_is_modified (sent));
  g_assert_cmpstr (preview_of (ann, "C2Cben"), ==, "at 8");

  /* The peer's own instance changes and is announced; its list shows the new text. */
  g_assert_true (tim_test_wait_count (modified, 1, 10000));
  g_assert_true (modified->pdata[0] == (gpointer) got);
  g_assert_cmpstr (tim_message_get_text (got), ==, "at 8");
  g_assert_true (tim_message_get_is_modified (got));
  g_assert_true (tim_test_wait_until (preview_is, &(Shows){ ben, "C2Cann", NULL, "at 8" }, 5000));
  g_signal_handler_disconnect (ben, collecting);
  /* The sender's other device too. */
  assert_shows (tablet, "C2Cben", sent, "at 8");

  /* A copy still at version 0 (the tablet's view before the push, say) loses with 2480. */
  {
    g_autoptr (JsonObject) record = _tim_message_to_record (sent);
    g_autoptr (TimMessage) stale = NULL;

    json_object_set_int_member (record, "version", 0);
    stale = _tim_message_new_from_record (record);
    g_assert_false (modify (ann, stale, "at 9", &error));
    g_assert_error (error, TIM_ERROR, TIM_ERROR_MESSAGE_MODIFY_CONFLICT);
    g_clear_error (&error);
    g_assert_cmpstr (tim_message_get_text (sent), ==, "at 8");
  }

  /* Not one's own, or recalled: refused before anything is sent. */
  g_assert_false (modify (ben, got, "hijacked", &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_INVALID_OPERATION);
  g_clear_error (&error);

  /* Away while edited: the sync brings it; restarted, the store has it. */
  g_clear_object (&ben);
  g_assert_true (modify (ann, sent, "at 9 after all", &error));
  g_assert_no_error (error);
  ben = tim_test_client_new (fixture, base_dir, "ben");
  assert_shows (ben, "C2Cann", sent, "at 9 after all");
  g_assert_true (
      tim_test_wait_until (preview_is, &(Shows){ ben, "C2Cann", NULL, "at 9 after all" }, 5000));
  {
    g_autoptr (GAsyncResult) revoked = NULL;

    tim_client_revoke_message_async (ann, sent, NULL, tim_test_keep_result, &revoked);
    g_assert_true (tim_client_revoke_message_finish (ann, tim_test_wait_result (&revoked), &error));
    g_assert_no_error (error);
    g_assert_false (modify (ann, sent, "too late", &error));
    g_assert_error (error, TIM_ERROR, TIM_ERROR_INVALID_OPERATION);
  }
}

static void
test_group (void)
{
  const char *const members[] = { "dee", "eli", NULL };
  g_autoptr (TimClient) cal = tim_test_client_new (fixture, base_dir, "cal");
  g_autoptr (TimClient) dee = tim_test_client_new (fixture, base_dir, "dee");
  g_autoptr (TimClient) eli = tim_test_client_new (fixture, base_dir, "eli");
  g_autofree char *group_id = tim_test_create_group (cal, "Edits", members);
  g_autofree char *conversation_id = tim_conv_make_id (TIM_CONV_GROUP, group_id);
  g_autoptr (TimMessage) sent =
      tim_client_create_text_message (cal, group_id, TIM_CONV_GROUP, "agenda: one");
  g_autoptr (TimMessage) got = tim_test_send_and_receive (cal, dee, sent);
  g_autoptr (TimMessage) eli_copy = NULL;
  g_autoptr (GPtrArray) page = NULL;
  g_autoptr (GError) error = NULL;
  TimConversation *conversation;

  assert_shows (eli, conversation_id, sent, "agenda: one");
  page = tim_test_get_messages (eli, conversation_id, NULL, NULL, NULL, NULL);
  eli_copy = g_object_ref (page->pdata[page->len - 1]);
  g_assert_cmpstr (tim_message_get_id (eli_copy), ==, tim_message_get_id (sent));
  /* eli is away (logged out, the app still showing the message) while cal edits. */
  tim_client_logout (eli);
  g_assert_true (modify (cal, sent, "agenda: one, two", &error));
  g_assert_no_error (error);
  /* A member online gets it pushed. */
  assert_shows (dee, conversation_id, sent, "agenda: one, two");
  g_assert_true (tim_message_get_is_modified (got));
  /* Back, eli's list shows the edit at once, as the server's list and the others' do (the group's
   * edits are pushed only to the members online); eli's history brings it to the message eli's
   * app still holds. */
  tim_test_client_login (fixture, eli, "eli");
  conversation = tim_conversation_list_lookup (tim_client_get_conversations (eli), conversation_id);
  g_assert_cmpstr (tim_conversation_get_message_for_show (conversation), ==, "agenda: one, two");
  g_assert_cmpstr (tim_message_get_text (tim_conversation_get_last_message (conversation)), ==,
                   "agenda: one, two");
  assert_shows (eli, conversation_id, sent, "agenda: one, two");
  g_assert_cmpstr (tim_message_get_text (eli_copy), ==, "agenda: one, two");
  g_assert_true (tim_message_get_is_modified (eli_copy));
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  base_dir = tim_test_make_dir ();
  fixture = timchat_fixture_new (NULL);
  g_test_add_func ("/tim/edit/c2c", test_c2c);
  g_test_add_func ("/tim/edit/group", test_group);
  status = g_test_run ();
  tim_test_remove_dir (base_dir);
  timchat_fixture_free (fixture);
  return status;
}
