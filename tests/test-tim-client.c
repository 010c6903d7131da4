/* test-tim-client.c: TimClient against the real server: every seed call and signal, two users
 * and two devices of one user. */
#define G_LOG_DOMAIN "test-tim-client"

#include "config.h"

#include <signal.h>
#include <sqlite3.h>

#include <gdk-pixbuf/gdk-pixbuf.h>

#include "tim-error.h"
#include "tim-json.h"
#include "tim-test-util.h"
#include "timchat-test-extra.h"
#include "timchat-test-util.h"

static TimchatFixture *fixture;
static char *base_dir;

typedef struct
{
  GPtrArray *messages;
  guint want;
} Count;

static gboolean
have_enough (gpointer data)
{
  Count *count = data;
  return count->messages->len >= count->want;
}

static void
wait_count (GPtrArray *messages, guint want)
{
  Count count = { messages, want };

  if (!tim_test_wait_until (have_enough, &count, 10000))
    g_error ("waited for %u messages, have %u", want, messages->len);
}

static void
test_text_both_ways (void)
{
  g_autoptr (TimClient) alice = tim_test_client_new (fixture, base_dir, "alice");
  g_autoptr (TimClient) bob = tim_test_client_new (fixture, base_dir, "bob");
  g_autoptr (GPtrArray) bob_got = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) alice_got = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (TimMessage) hello =
      tim_client_create_text_message (alice, "bob", TIM_CONV_C2C, "hello [Grin]");
  g_autoptr (TimMessage) reply = NULL;
  g_autoptr (GError) error = NULL;
  TimConversation *conversation;
  TimMessage *received;

  tim_test_collect (bob, "message-received", bob_got);
  tim_test_collect (alice, "message-received", alice_got);
  g_assert_cmpint (tim_message_get_status (hello), ==, TIM_MESSAGE_STATUS_UNSENT);
  g_assert_cmpstr (tim_message_get_flow (hello), ==, "out");
  g_assert_cmpstr (tim_message_get_conversation_id (hello), ==, "C2Cbob");
  g_assert_true (tim_test_send (alice, hello, &error));
  g_assert_no_error (error);
  g_assert_cmpint (tim_message_get_status (hello), ==, TIM_MESSAGE_STATUS_SUCCESS);
  g_assert_cmpint (tim_message_get_server_seq (hello), >, 0);

  wait_count (bob_got, 1);
  received = bob_got->pdata[0];
  g_assert_cmpstr (tim_message_get_text (received), ==, "hello [Grin]");
  g_assert_cmpstr (tim_message_get_from (received), ==, "alice");
  g_assert_cmpstr (tim_message_get_flow (received), ==, "in");
  g_assert_cmpstr (tim_message_get_conversation_id (received), ==, "C2Calice");
  /* Same ID on both sides: TinyId-clientTime-random. */
  g_assert_cmpstr (tim_message_get_id (received), ==, tim_message_get_id (hello));
  conversation = tim_conversation_list_lookup (tim_client_get_conversations (bob), "C2Calice");
  g_assert_nonnull (conversation);
  g_assert_cmpuint (tim_conversation_get_unread_count (conversation), ==, 1);
  g_assert_cmpstr (tim_conversation_get_message_for_show (conversation), ==, "hello [Grin]");
  /* My own send is not announced back to me. */
  g_assert_cmpuint (alice_got->len, ==, 0);

  reply = tim_client_create_text_message (bob, "alice", TIM_CONV_C2C, "hi alice");
  g_assert_true (tim_test_send (bob, reply, &error));
  wait_count (alice_got, 1);
  g_assert_cmpstr (tim_message_get_text (alice_got->pdata[0]), ==, "hi alice");

  /* A received message lives as long as someone shows it: once the conversation has a newer last
   * message and no list holds it, dropping the signal's reference frees it (a client that kept
   * every pushed message would grow for as long as it runs). */
  g_object_add_weak_pointer (G_OBJECT (received), (gpointer *) &received);
  g_ptr_array_set_size (bob_got, 0);
  g_assert_null (received);
}

static GFile *
write_png (int width, int height)
{
  g_autoptr (GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  g_autofree char *path = g_build_filename (base_dir, "picture.png", NULL);
  g_autoptr (GError) error = NULL;

  gdk_pixbuf_fill (pixbuf, 0x26a269ff);
  g_assert_true (gdk_pixbuf_save (pixbuf, path, "png", &error, NULL));
  return g_file_new_for_path (path);
}

static void
record_progress (goffset sent, goffset total, gpointer user_data)
{
  GArray *progress = user_data;
  g_array_append_val (progress, sent);
  g_assert_cmpint (sent, <=, total);
}

static void
on_sent (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (tim_client_send_message_finish (TIM_CLIENT (source), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static void
forget_result (TimClient *client)
{
  g_object_set_data (G_OBJECT (client), "result", NULL);
}

static void
test_every_type (void)
{
  g_autoptr (TimClient) carol = tim_test_client_new (fixture, base_dir, "carol");
  g_autoptr (TimClient) dave = tim_test_client_new (fixture, base_dir, "dave");
  g_autoptr (GPtrArray) got = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GFile) png = write_png (1200, 800);
  g_autoptr (GArray) progress = g_array_new (FALSE, FALSE, sizeof (goffset));
  g_autoptr (TimMessage) image = tim_client_create_image_message (carol, "dave", TIM_CONV_C2C, png);
  g_autoptr (TimMessage) custom =
      tim_client_create_custom_message (carol, "dave", TIM_CONV_C2C, "dice", "4", "");
  g_autoptr (TimMessage) face =
      tim_client_create_face_message (carol, "dave", TIM_CONV_C2C, 3, "tt03");
  g_autoptr (TimMessage) location =
      tim_client_create_location_message (carol, "dave", TIM_CONV_C2C, "Home", 113.9, 22.5);
  /* Numbers printed with an exponent: JsonGenerator's form ("1e+22.0") is not JSON, the server
   * closed the socket over it (1007) and the outbox sent it again for ever. */
  g_autoptr (TimMessage) far =
      tim_client_create_location_message (carol, "dave", TIM_CONV_C2C, "Far", 1e22, -1.5e-300);
  g_autoptr (TimMessage) file = tim_client_create_file_message (carol, "dave", TIM_CONV_C2C, png);
  g_autoptr (GError) error = NULL;
  gboolean image_sent = FALSE;
  JsonObject *payload;

  tim_test_collect (dave, "message-received", got);
  /* Sized before any upload, for the UI. */
  g_assert_cmpint (tim_json_get_int_or (tim_message_get_payload (image), "width", 0), ==, 1200);
  tim_client_send_message_async (carol, image, NULL, record_progress, progress, NULL, on_sent,
                                 &image_sent);
  g_assert_true (tim_test_wait_flag (&image_sent, 20000));
  g_assert_cmpuint (progress->len, >, 0);
  g_assert_cmpint (g_array_index (progress, goffset, progress->len - 1), ==,
                   tim_message_get_upload_total (image));
  g_assert_true (tim_test_send (carol, custom, &error));
  g_assert_true (tim_test_send (carol, face, &error));
  g_assert_true (tim_test_send (carol, location, &error));
  g_assert_true (tim_test_send (carol, file, &error));
  wait_count (got, 5);
  g_assert_true (tim_test_send (carol, far, &error));
  g_assert_no_error (error);
  wait_count (got, 6);
  {
    double latitude = 0, longitude = 0;

    g_assert_true (tim_message_get_location (got->pdata[5], &latitude, &longitude));
    g_assert_cmpfloat (longitude, ==, 1e22);
    g_assert_cmpfloat (latitude, ==, -1.5e-300);
  }

  payload = tim_message_get_payload (got->pdata[0]);
  g_assert_cmpint (tim_message_get_elem_type (got->pdata[0]), ==, TIM_ELEM_IMAGE);
  g_assert_cmpuint (json_array_get_length (tim_json_get_array (payload, "imageInfoArray")), ==, 3);
  g_assert_cmpint (tim_json_get_int_or (tim_json_array_get_object (
                                            tim_json_get_array (payload, "imageInfoArray"), 0),
                                        "width", 0),
                   ==, 1200);
  g_assert_cmpstr (tim_json_get_string (tim_message_get_payload (got->pdata[1]), "data"), ==,
                   "dice");
  g_assert_cmpint (tim_json_get_int_or (tim_message_get_payload (got->pdata[2]), "index", -1), ==,
                   3);
  g_assert_cmpstr (tim_json_get_string (tim_message_get_payload (got->pdata[3]), "description"), ==,
                   "Home");
  g_assert_cmpint (tim_message_get_elem_type (got->pdata[4]), ==, TIM_ELEM_FILE);
  g_assert_cmpstr (tim_json_get_string (tim_message_get_payload (got->pdata[4]), "fileName"), ==,
                   "picture.png");
  g_assert_nonnull (tim_json_get_string (tim_message_get_payload (got->pdata[4]), "fileUrl"));
}

/* Keeps the result on its source: the test drops it at its end (forget_result ()), or the client
 * and its result hold each other for good, and the client, connected and syncing through the
 * later tests, reports into what its test freed. */
static void
on_done_flag (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_object_set_data_full (G_OBJECT (source), "result", g_object_ref (result), g_object_unref);
  *(gboolean *) user_data = TRUE;
}

static void
test_revoke_read_and_delete (void)
{
  g_autoptr (TimClient) erin = tim_test_client_new (fixture, base_dir, "erin");
  g_autoptr (TimClient) frank = tim_test_client_new (fixture, base_dir, "frank");
  g_autoptr (GPtrArray) received = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) revoked = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) read_by_peer = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (TimMessage) first =
      tim_client_create_text_message (erin, "frank", TIM_CONV_C2C, "first");
  g_autoptr (TimMessage) oops =
      tim_client_create_text_message (erin, "frank", TIM_CONV_C2C, "oops");
  g_autoptr (TimMessage) again = NULL;
  g_autoptr (GError) error = NULL;
  gboolean done = FALSE;
  TimConversation *conversation;

  tim_test_collect (frank, "message-received", received);
  tim_test_collect (frank, "message-revoked", revoked);
  tim_test_collect (erin, "message-read-by-peer", read_by_peer);
  g_assert_true (tim_test_send (erin, first, &error));
  g_assert_true (tim_test_send (erin, oops, &error));
  wait_count (received, 2);

  tim_client_revoke_message_async (erin, oops, NULL, on_done_flag, &done);
  g_assert_true (tim_test_wait_flag (&done, 5000));
  g_assert_true (tim_client_revoke_message_finish (
      erin, g_object_get_data (G_OBJECT (erin), "result"), &error));
  g_assert_true (tim_message_get_is_revoked (oops));
  wait_count (revoked, 1);
  g_assert_true (tim_message_get_is_revoked (revoked->pdata[0]));
  g_assert_true (revoked->pdata[0] == received->pdata[1]); /* the very object the UI holds */

  conversation = tim_conversation_list_lookup (tim_client_get_conversations (frank), "C2Cerin");
  g_assert_cmpuint (tim_conversation_get_unread_count (conversation), ==,
                    1); /* a recall takes one off */
  done = FALSE;
  tim_client_set_message_read_async (frank, "C2Cerin", NULL, on_done_flag, &done);
  g_assert_true (tim_test_wait_flag (&done, 5000));
  g_assert_true (tim_client_set_message_read_finish (
      frank, g_object_get_data (G_OBJECT (frank), "result"), &error));
  g_assert_cmpuint (tim_conversation_get_unread_count (conversation), ==, 0);
  wait_count (read_by_peer, 1);
  g_assert_true (tim_message_get_is_peer_read (first));

  /* Delete keeps the messages; the next message brings the conversation back. */
  done = FALSE;
  tim_client_delete_conversation_async (frank, "C2Cerin", NULL, on_done_flag, &done);
  g_assert_true (tim_test_wait_flag (&done, 5000));
  g_assert_true (tim_client_delete_conversation_finish (
      frank, g_object_get_data (G_OBJECT (frank), "result"), &error));
  g_assert_null (tim_conversation_list_lookup (tim_client_get_conversations (frank), "C2Cerin"));
  again = tim_client_create_text_message (erin, "frank", TIM_CONV_C2C, "still there?");
  g_assert_true (tim_test_send (erin, again, &error));
  wait_count (received, 3);
  g_assert_nonnull (tim_conversation_list_lookup (tim_client_get_conversations (frank), "C2Cerin"));
  {
    g_autoptr (GPtrArray) page = tim_test_get_messages (frank, "C2Cerin", NULL, NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (page->len, ==, 3);
    g_assert_true (tim_message_get_is_revoked (page->pdata[1]));
  }
  forget_result (erin);
  forget_result (frank);
}

/* The peer reads what the user sent after the user deleted the conversation: the messages show
 * read, and the conversation stays off the list (the receipt brought it back, empty, and kept it
 * in the local store's list for the next start too). */
static void
test_read_after_delete_not_listed (void)
{
  g_autoptr (TimClient) una = tim_test_client_new (fixture, base_dir, "rd-una");
  g_autoptr (TimClient) vo = tim_test_client_new (fixture, base_dir, "rd-vo");
  g_autoptr (TimMessage) hello = tim_client_create_text_message (una, "rd-vo", TIM_CONV_C2C, "hi");
  g_autoptr (TimMessage) got = tim_test_send_and_receive (una, vo, hello);
  g_autoptr (GPtrArray) read_by_peer = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GAsyncResult) deleted = NULL;
  g_autoptr (GAsyncResult) read = NULL;
  g_autoptr (GError) error = NULL;

  tim_client_delete_conversation_async (una, "C2Crd-vo", NULL, tim_test_keep_result, &deleted);
  g_assert_true (
      tim_client_delete_conversation_finish (una, tim_test_wait_result (&deleted), &error));
  g_assert_no_error (error);
  g_assert_null (tim_conversation_list_lookup (tim_client_get_conversations (una), "C2Crd-vo"));

  tim_test_collect (una, "message-read-by-peer", read_by_peer);
  tim_client_set_message_read_async (vo, "C2Crd-una", NULL, tim_test_keep_result, &read);
  g_assert_true (tim_client_set_message_read_finish (vo, tim_test_wait_result (&read), &error));
  g_assert_no_error (error);
  wait_count (read_by_peer, 1);
  g_assert_true (tim_message_get_is_peer_read (hello));
  g_assert_null (tim_conversation_list_lookup (tim_client_get_conversations (una), "C2Crd-vo"));

  /* Nor after a restart (the local store's list). */
  g_clear_object (&deleted); /* it holds the client, which would live on beside the new one */
  g_clear_object (&una);
  una = tim_test_client_new (fixture, base_dir, "rd-una");
  g_assert_null (tim_conversation_list_lookup (tim_client_get_conversations (una), "C2Crd-vo"));
}

static int
compare_ids (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

/* The client's conversation IDs, sorted, " "-joined. */
static char *
describe_listed (gpointer client)
{
  GListModel *list = G_LIST_MODEL (tim_client_get_conversations (client));
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr (TimConversation) conversation = g_list_model_get_item (list, i);

      g_ptr_array_add (ids, g_strdup (tim_conversation_get_id (conversation)));
    }
  g_ptr_array_sort (ids, compare_ids);
  g_ptr_array_add (ids, NULL);
  return g_strjoinv (" ", (char **) ids->pdata);
}

/* A conversation deleted on one device while another was away is gone from that one too when it
 * comes back (the deletion's push reached only the devices online): by the server's list. One
 * that a new message brought back since stays, and so does one the server never had. */
static void
test_deleted_while_away (void)
{
  g_autofree char *laptop_dir = tim_test_make_dir ();
  g_autoptr (TimClient) wes = tim_test_client_new (fixture, base_dir, "dw-wes");
  g_autoptr (TimClient) laptop = tim_test_client_new (fixture, laptop_dir, "dw-wes");
  g_autoptr (TimClient) xia = tim_test_client_new (fixture, base_dir, "dw-xia");
  g_autoptr (TimClient) yul = tim_test_client_new (fixture, base_dir, "dw-yul");
  g_autoptr (TimMessage) to_xia = tim_client_create_text_message (wes, "dw-xia", TIM_CONV_C2C, "x");
  g_autoptr (TimMessage) to_yul = tim_client_create_text_message (wes, "dw-yul", TIM_CONV_C2C, "y");
  g_autoptr (TimMessage) back = NULL;
  g_autoptr (GAsyncResult) deleted = NULL;
  g_autoptr (GError) error = NULL;
  TimConversationList *list;

  g_object_unref (tim_test_send_and_receive (wes, xia, to_xia));
  g_object_unref (tim_test_send_and_receive (wes, yul, to_yul));
  tim_test_wait_described (describe_listed, laptop, "C2Cdw-xia C2Cdw-yul");
  tim_client_logout (laptop);

  for (guint i = 0; i < 2; i++)
    {
      const char *conversation_id = i == 0 ? "C2Cdw-xia" : "C2Cdw-yul";

      tim_client_delete_conversation_async (wes, conversation_id, NULL, tim_test_keep_result,
                                            &deleted);
      g_assert_true (
          tim_client_delete_conversation_finish (wes, tim_test_wait_result (&deleted), &error));
      g_assert_no_error (error);
      g_clear_object (&deleted);
    }
  /* yul writes again: that conversation is back. */
  back = tim_client_create_text_message (yul, "dw-wes", TIM_CONV_C2C, "back");
  g_assert_true (tim_test_send (yul, back, &error));
  g_assert_no_error (error);

  tim_test_client_login (fixture, laptop, "dw-wes");
  list = tim_client_get_conversations (laptop);
  tim_test_wait_described (describe_listed, laptop, "C2Cdw-yul");
  g_assert_null (tim_conversation_list_lookup (list, "C2Cdw-xia"));
  g_clear_object (&laptop);
  tim_test_remove_dir (laptop_dir);
}

/* The same for a group's conversation: deleted on one device while another was away, it is gone
 * from that one too when it comes back, as the deletion's push takes it from a device online; a
 * group written to since the deletion stays. Before, the list's leaving it out was taken as
 * nothing (the user still a member, and no membership notice), and it stayed for good. */
static void
test_group_deleted_while_away (void)
{
  g_autofree char *laptop_dir = tim_test_make_dir ();
  g_autoptr (TimClient) wes = tim_test_client_new (fixture, base_dir, "dg-wes");
  g_autoptr (TimClient) laptop = tim_test_client_new (fixture, laptop_dir, "dg-wes");
  g_autoptr (TimClient) xia = tim_test_client_new (fixture, base_dir, "dg-xia");
  const char *members[] = { "dg-wes", NULL };
  g_autofree char *quiet_id = tim_test_create_group (xia, "Quiet", members);
  g_autofree char *busy_id = tim_test_create_group (xia, "Busy", members);
  g_autofree char *quiet = g_strconcat ("GROUP", quiet_id, NULL);
  g_autofree char *busy = g_strconcat ("GROUP", busy_id, NULL);
  g_autofree char *listed = NULL;
  g_autoptr (GError) error = NULL;

  for (guint i = 0; i < 2; i++)
    {
      const char *group_id = i == 0 ? quiet_id : busy_id;
      TimTestLastText there = { laptop, i == 0 ? quiet : busy, "hello" };
      g_autoptr (TimMessage) hello =
          tim_client_create_text_message (xia, group_id, TIM_CONV_GROUP, "hello");

      g_object_unref (tim_test_send_and_receive (xia, wes, hello));
      g_assert_true (tim_test_wait_until (tim_test_last_text_is, &there, 5000));
    }
  tim_client_logout (laptop);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr (GAsyncResult) deleted = NULL;

      tim_client_delete_conversation_async (wes, i == 0 ? quiet : busy, NULL, tim_test_keep_result,
                                            &deleted);
      g_assert_true (
          tim_client_delete_conversation_finish (wes, tim_test_wait_result (&deleted), &error));
      g_assert_no_error (error);
    }
  /* Busy is written to again: back in the list. */
  {
    TimTestLastText back = { wes, busy, "back" };
    g_autoptr (TimMessage) sent =
        tim_client_create_text_message (xia, busy_id, TIM_CONV_GROUP, "back");

    g_assert_true (tim_test_send (xia, sent, &error));
    g_assert_no_error (error);
    g_assert_true (tim_test_wait_until (tim_test_last_text_is, &back, 5000));
  }
  listed = describe_listed (wes);
  g_assert_null (strstr (listed, quiet));
  g_assert_nonnull (strstr (listed, busy));

  tim_test_client_login (fixture, laptop, "dg-wes");
  tim_test_wait_described (describe_listed, laptop, listed);
  g_clear_object (&laptop);
  tim_test_remove_dir (laptop_dir);
}

/* The user's other device (here the wire itself, as the official SDK reads) reads a group up to a
 * sequence, and a message after it has come meanwhile: this device, told of the read, keeps that
 * one unread, as the server counts it and the user's next device lists it. Before, any read
 * notice of the group zeroed the count here, and the message came back unread at the next
 * login. */
static void
test_group_read_up_to (void)
{
  g_autofree char *laptop_dir = tim_test_make_dir ();
  const char *members[] = { "ru-pia", NULL };
  g_autoptr (TimClient) ola = tim_test_client_new (fixture, base_dir, "ru-ola");
  g_autoptr (TimClient) pia = tim_test_client_new (fixture, base_dir, "ru-pia");
  g_autoptr (TimClient) laptop = NULL;
  g_autoptr (TimchatTestPeer) other = timchat_test_peer_new (fixture, "ru-pia");
  g_autofree char *group_id = tim_test_create_group (ola, "Reads", members);
  g_autofree char *group = g_strconcat ("GROUP", group_id, NULL);
  g_autofree char *body = NULL;
  g_autoptr (GAsyncResult) read = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (TimMessage) two = NULL;

  {
    g_autoptr (TimMessage) sent =
        tim_client_create_text_message (ola, group_id, TIM_CONV_GROUP, "one");

    g_object_unref (tim_test_send_and_receive (ola, pia, sent));
  }
  tim_client_set_message_read_async (pia, group, NULL, tim_test_keep_result, &read);
  g_assert_true (tim_client_set_message_read_finish (pia, tim_test_wait_result (&read), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (tim_test_unread_of (pia, group), ==, 0);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr (TimMessage) sent =
          tim_client_create_text_message (ola, group_id, TIM_CONV_GROUP, i == 0 ? "two" : "three");
      g_autoptr (TimMessage) got = tim_test_send_and_receive (ola, pia, sent);

      if (i == 0)
        two = g_steal_pointer (&got);
    }
  g_assert_cmpuint (tim_test_unread_of (pia, group), ==, 2);

  body = g_strdup_printf ("{\"GroupId\":\"%s\",\"MsgReadedSeq\":%" G_GINT64_FORMAT "}", group_id,
                          tim_message_get_server_seq (two));
  timchat_test_group_request_code (other, "msg_read_report", body, 0);
  /* A question and its answer: pia has read what the server sent before. */
  tim_test_user_status (pia, "ru-ola");
  g_assert_cmpuint (tim_test_unread_of (pia, group), ==, 1);
  laptop = tim_test_client_new (fixture, laptop_dir, "ru-pia");
  g_assert_cmpuint (tim_test_unread_of (laptop, group), ==, 1);
  g_clear_object (&laptop);
  tim_test_remove_dir (laptop_dir);
}

/* The user's other device (here the wire itself) reads a C2C conversation up to a time, and a
 * message of a later second has come meanwhile: the server reads up to the newest message at or
 * before that time, and its read notice (ReadC2cMsgNotify) says the time, so this device keeps
 * the later one unread, as the server counts it and the user's next device lists it. Before, the
 * notice read the whole conversation here. */
static void
test_c2c_read_up_to (void)
{
  g_autofree char *laptop_dir = tim_test_make_dir ();
  g_autoptr (TimClient) ola = tim_test_client_new (fixture, base_dir, "rt-ola");
  g_autoptr (TimClient) pia = tim_test_client_new (fixture, base_dir, "rt-pia");
  g_autoptr (TimClient) laptop = NULL;
  g_autoptr (TimchatTestPeer) other = timchat_test_peer_new (fixture, "rt-pia");
  g_autoptr (TimMessage) sent = tim_client_create_text_message (ola, "rt-pia", TIM_CONV_C2C, "one");
  g_autoptr (TimMessage) one = tim_test_send_and_receive (ola, pia, sent);
  g_autoptr (JsonObject) reply = NULL;
  g_autofree char *body = NULL;

  /* The read is up to a time in whole seconds: the next message comes a second later. */
  while (g_get_real_time () / G_USEC_PER_SEC <= tim_message_get_time (one))
    g_usleep (50 * 1000);
  {
    g_autoptr (TimMessage) two =
        tim_client_create_text_message (ola, "rt-pia", TIM_CONV_C2C, "two");

    g_object_unref (tim_test_send_and_receive (ola, pia, two));
  }
  g_assert_cmpuint (tim_test_unread_of (pia, "C2Crt-ola"), ==, 2);

  body =
      g_strdup_printf ("{\"C2CMsgReaded\":{\"Cookie\":\"\",\"C2CMsgReadedItem\":[{\"To_Account\":"
                       "\"rt-ola\",\"LastedMsgTime\":%" G_GINT64_FORMAT ",\"Receipt\":1}]}}",
                       tim_message_get_time (one));
  reply = timchat_test_request_ok (other->c, "openim.msgreaded", body);
  g_assert_cmpint (timchat_test_json_get_int (reply, "ErrorCode"), ==, 0);
  /* A question and its answer: pia has read what the server sent before. */
  tim_test_user_status (pia, "rt-ola");
  g_assert_cmpuint (tim_test_unread_of (pia, "C2Crt-ola"), ==, 1);
  laptop = tim_test_client_new (fixture, laptop_dir, "rt-pia");
  g_assert_cmpuint (tim_test_unread_of (laptop, "C2Crt-ola"), ==, 1);
  g_clear_object (&laptop);
  tim_test_remove_dir (laptop_dir);
}

/* A message reaches this device between its read report and the report's answer: the report
 * read up to what the device knew when it sent it (a group's MsgReadedSeq, a C2C conversation's
 * LastedMsgTime), so the server keeps that message unread, and so must this device, as the user's
 * next device does. Before, the answer zeroed the count here, and the message came back unread at
 * the next login. The sender runs on a main context of its own, so that the message is on this
 * device's socket, not yet read, when the report goes. */
static void
read_while_one_arrives (TimConvType type, const char *sender, const char *reader)
{
  g_autofree char *laptop_dir = tim_test_make_dir ();
  const char *members[] = { reader, NULL };
  g_autoptr (TimClient) ola = tim_test_client_new (fixture, base_dir, sender);
  g_autoptr (TimClient) pia = tim_test_client_new (fixture, base_dir, reader);
  g_autoptr (TimClient) laptop = NULL;
  g_autoptr (GMainContext) context = g_main_context_new ();
  g_autofree char *group_id =
      type == TIM_CONV_GROUP ? tim_test_create_group (ola, "Reads meanwhile", members) : NULL;
  g_autofree char *conversation_id = type == TIM_CONV_GROUP ? g_strconcat ("GROUP", group_id, NULL)
                                                            : g_strconcat ("C2C", sender, NULL);
  g_autoptr (TimMessage) sent =
      tim_client_create_text_message (ola, type == TIM_CONV_GROUP ? group_id : reader, type, "one");
  g_autoptr (TimMessage) got = tim_test_send_and_receive (ola, pia, sent);
  g_autoptr (GAsyncResult) read = NULL;
  g_autoptr (GError) error = NULL;
  TimchatTestPeer *other;

  /* A C2C report reads up to a time in whole seconds: the next message comes a second later. */
  while (g_get_real_time () / G_USEC_PER_SEC <= tim_message_get_time (got))
    g_usleep (50 * 1000);
  g_main_context_push_thread_default (context);
  other = timchat_test_peer_new (fixture, sender);
  if (type == TIM_CONV_GROUP)
    timchat_test_group_send_code (other, group_id, 4242, 0);
  else
    timchat_test_send_ok (other->c, reader);
  timchat_test_peer_free (other);
  g_main_context_pop_thread_default (context);
  g_usleep (300 * 1000); /* the message reaches pia's socket */

  tim_client_set_message_read_async (pia, conversation_id, NULL, tim_test_keep_result, &read);
  g_assert_true (tim_client_set_message_read_finish (pia, tim_test_wait_result (&read), &error));
  g_assert_no_error (error);
  tim_test_user_status (pia, sender);
  laptop = tim_test_client_new (fixture, laptop_dir, reader);
  g_assert_cmpuint (tim_test_unread_of (laptop, conversation_id), ==, 1);
  g_assert_cmpuint (tim_test_unread_of (pia, conversation_id), ==, 1);
  g_clear_object (&laptop);
  tim_test_remove_dir (laptop_dir);
}

static void
test_group_read_while_one_arrives (void)
{
  read_while_one_arrives (TIM_CONV_GROUP, "rg-ola", "rg-pia");
}

static void
test_c2c_read_while_one_arrives (void)
{
  read_while_one_arrives (TIM_CONV_C2C, "rm-ola", "rm-pia");
}

/* setAllMessageRead while messages arrive, the sender on a main context of its own as above: the
 * server reads each group up to the sequence this device sent (its reply's LastReadMsgSeq), so a
 * group message that came meanwhile stays unread; it reads every C2C conversation up to its
 * newest message when it takes the request, so what came meanwhile is read, a conversation that
 * had nothing unread when the request went too. This device and the user's next one agree with
 * it. Before, the reply zeroed every group asked for, and left unread a C2C conversation that was
 * not unread when the request went. */
static void
test_read_all_while_some_arrive (void)
{
  g_autofree char *laptop_dir = tim_test_make_dir ();
  const char *members[] = { "ra-pia", NULL };
  g_autoptr (TimClient) ola = tim_test_client_new (fixture, base_dir, "ra-ola");
  g_autoptr (TimClient) pia = tim_test_client_new (fixture, base_dir, "ra-pia");
  g_autoptr (TimClient) laptop = NULL;
  g_autoptr (GMainContext) context = g_main_context_new ();
  g_autofree char *group_id = tim_test_create_group (ola, "Read all meanwhile", members);
  g_autofree char *group = g_strconcat ("GROUP", group_id, NULL);
  g_autoptr (GAsyncResult) read = NULL;
  g_autoptr (GError) error = NULL;
  TimchatTestPeer *other;

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr (TimMessage) sent =
          i == 0 ? tim_client_create_text_message (ola, group_id, TIM_CONV_GROUP, "one")
                 : tim_client_create_text_message (ola, "ra-pia", TIM_CONV_C2C, "one");

      g_object_unref (tim_test_send_and_receive (ola, pia, sent));
    }
  g_main_context_push_thread_default (context);
  other = timchat_test_peer_new (fixture, "ra-ola");
  timchat_test_group_send_code (other, group_id, 4343, 0);
  timchat_test_send_ok (other->c, "ra-pia");
  timchat_test_peer_free (other);
  other = timchat_test_peer_new (fixture, "ra-qia");
  timchat_test_send_ok (other->c, "ra-pia");
  timchat_test_peer_free (other);
  g_main_context_pop_thread_default (context);
  g_usleep (300 * 1000); /* the messages reach pia's socket */

  tim_client_set_all_message_read_async (pia, NULL, tim_test_keep_result, &read);
  g_assert_true (
      tim_client_set_all_message_read_finish (pia, tim_test_wait_result (&read), &error));
  g_assert_no_error (error);
  tim_test_user_status (pia, "ra-ola");
  laptop = tim_test_client_new (fixture, laptop_dir, "ra-pia");
  g_assert_cmpuint (tim_test_unread_of (laptop, group), ==, 1);
  g_assert_cmpuint (tim_test_unread_of (laptop, "C2Cra-ola"), ==, 0);
  g_assert_cmpuint (tim_test_unread_of (laptop, "C2Cra-qia"), ==, 0);
  g_assert_cmpuint (tim_test_unread_of (pia, group), ==, 1);
  g_assert_cmpuint (tim_test_unread_of (pia, "C2Cra-ola"), ==, 0);
  g_assert_cmpuint (tim_test_unread_of (pia, "C2Cra-qia"), ==, 0);
  g_clear_object (&laptop);
  tim_test_remove_dir (laptop_dir);
}

static gboolean
pin (TimClient *client, const char *conversation_id, gboolean pinned, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  tim_client_pin_conversation_async (client, conversation_id, pinned, NULL, tim_test_keep_result,
                                     &result);
  return tim_client_pin_conversation_finish (client, tim_test_wait_result (&result), error);
}

static const char *
listed_first (TimClient *client)
{
  g_autoptr (TimConversation) first =
      g_list_model_get_item (G_LIST_MODEL (tim_client_get_conversations (client)), 0);

  return first != NULL ? tim_conversation_get_id (first) : NULL;
}

/* A conversation of a client's list, for the tim_test_wait_until () conditions below. */
typedef struct
{
  TimClient *client;
  const char *conversation_id;
} Listed;

static TimConversation *
listed_conversation (Listed *listed)
{
  return tim_conversation_list_lookup (tim_client_get_conversations (listed->client),
                                       listed->conversation_id);
}

static gboolean
lists_first (gpointer data)
{
  Listed *listed = data;

  return g_strcmp0 (listed_first (listed->client), listed->conversation_id) == 0;
}

static gboolean
lists_conversation (gpointer data)
{
  return listed_conversation (data) != NULL;
}

static gboolean
lists_no_conversation (gpointer data)
{
  return listed_conversation (data) == NULL;
}

/* pinConversation: the pinned conversation goes first, here, at once on another device that is
 * online, and after a restart; unpinned it goes back. A deletion shows on the other device too. */
static void
test_pin (void)
{
  g_autofree char *phone_dir = g_build_filename (base_dir, "pin-phone", NULL);
  g_autoptr (TimClient) pia = tim_test_client_new (fixture, base_dir, "pia");
  g_autoptr (TimClient) quinn = tim_test_client_new (fixture, base_dir, "quinn");
  g_autoptr (TimClient) rae = tim_test_client_new (fixture, base_dir, "rae");
  g_autoptr (TimClient) pia_phone = NULL;
  g_autoptr (GPtrArray) received = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (TimMessage) from_quinn =
      tim_client_create_text_message (quinn, "pia", TIM_CONV_C2C, "older");
  g_autoptr (TimMessage) from_rae =
      tim_client_create_text_message (rae, "pia", TIM_CONV_C2C, "newer");
  g_autoptr (TimMessage) again = tim_client_create_text_message (rae, "pia", TIM_CONV_C2C, "hi");
  g_autoptr (GAsyncResult) deleted = NULL;
  g_autoptr (GError) error = NULL;
  TimConversation *quinns;

  tim_test_collect (pia, "message-received", received);
  g_assert_true (tim_test_send (quinn, from_quinn, &error));
  wait_count (received, 1);
  g_usleep (1100 * 1000); /* a restart orders by the server's times, which are seconds */
  g_assert_true (tim_test_send (rae, from_rae, &error));
  wait_count (received, 2);
  g_assert_cmpstr (listed_first (pia), ==, "C2Crae");
  pia_phone = tim_test_client_new (fixture, phone_dir, "pia");
  g_assert_cmpstr (listed_first (pia_phone), ==, "C2Crae");

  g_assert_true (pin (pia, "C2Cquinn", TRUE, &error));
  g_assert_no_error (error);
  quinns = tim_conversation_list_lookup (tim_client_get_conversations (pia), "C2Cquinn");
  g_assert_true (tim_conversation_get_is_pinned (quinns));
  g_assert_cmpstr (listed_first (pia), ==, "C2Cquinn");
  g_assert_true (pin (pia, "C2Cquinn", TRUE, &error)); /* already: nothing to do */
  g_assert_true (tim_test_wait_until (lists_first, &(Listed){ pia_phone, "C2Cquinn" }, 5000));

  /* Refused before anything is sent. */
  g_assert_false (pin (pia, "C2Cnobody", TRUE, &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_CONVERSATION_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (pin (pia, "quinn", TRUE, &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_INVALID_CONVERSATION_ID);
  g_clear_error (&error);

  /* This one has it after a restart. */
  g_clear_object (&pia);
  pia = tim_test_client_new (fixture, base_dir, "pia");
  g_assert_cmpstr (listed_first (pia), ==, "C2Cquinn");

  /* A new message from rae does not pass a pinned conversation; unpinned, quinn goes back. */
  tim_test_collect (pia, "message-received", received);
  g_assert_true (tim_test_send (rae, again, &error));
  wait_count (received, 3);
  g_assert_cmpstr (listed_first (pia), ==, "C2Cquinn");
  g_assert_true (pin (pia, "C2Cquinn", FALSE, &error));
  g_assert_false (tim_conversation_get_is_pinned (
      tim_conversation_list_lookup (tim_client_get_conversations (pia), "C2Cquinn")));
  g_assert_cmpstr (listed_first (pia), ==, "C2Crae");
  g_assert_true (tim_test_wait_until (lists_first, &(Listed){ pia_phone, "C2Crae" }, 5000));

  tim_client_delete_conversation_async (pia, "C2Crae", NULL, tim_test_keep_result, &deleted);
  g_assert_true (
      tim_client_delete_conversation_finish (pia, tim_test_wait_result (&deleted), &error));
  g_assert_true (
      tim_test_wait_until (lists_no_conversation, &(Listed){ pia_phone, "C2Crae" }, 5000));
}

static gboolean
set_remind (TimClient *client, const char *conversation_id, const char *remind_type, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  tim_client_set_message_remind_type_async (client, conversation_id, remind_type, NULL,
                                            tim_test_keep_result, &result);
  return tim_client_set_message_remind_type_finish (client, tim_test_wait_result (&result), error);
}

static const char *
remind_of (TimClient *client, const char *conversation_id)
{
  TimConversation *conversation =
      tim_conversation_list_lookup (tim_client_get_conversations (client), conversation_id);

  g_assert_nonnull (conversation);
  return tim_conversation_get_message_remind_type (conversation);
}

static gboolean
is_unmuted (gpointer data)
{
  return !tim_conversation_get_is_muted (listed_conversation (data));
}

/* setMessageRemindType: a C2C conversation and a group muted, here and on a device that logs in
 * after, and back (the other device, online, following a C2C change at once); bad names and
 * unlisted conversations refused before anything is sent. */
static void
test_remind (void)
{
  g_autofree char *phone_dir = g_build_filename (base_dir, "remind-phone", NULL);
  g_autoptr (TimClient) uma = tim_test_client_new (fixture, base_dir, "uma");
  g_autoptr (TimClient) vic = tim_test_client_new (fixture, base_dir, "vic");
  g_autoptr (TimClient) uma_phone = NULL;
  g_autoptr (TimMessage) hello = tim_client_create_text_message (vic, "uma", TIM_CONV_C2C, "hi");
  g_autoptr (TimMessage) again = tim_client_create_text_message (vic, "uma", TIM_CONV_C2C, "back");
  g_autoptr (TimMessage) once_more =
      tim_client_create_text_message (vic, "uma", TIM_CONV_C2C, "back again");
  g_autoptr (GAsyncResult) deleted = NULL;
  g_autoptr (GError) error = NULL;
  const char *uma_only[] = { "uma", NULL };
  g_autofree char *group_id = tim_test_create_group (vic, "Quiet", uma_only);
  g_autofree char *group = g_strconcat ("GROUP", group_id, NULL);
  g_autoptr (TimMessage) to_group =
      tim_client_create_text_message (vic, group_id, TIM_CONV_GROUP, "still quiet?");

  g_assert_true (tim_test_send (vic, hello, &error));
  g_assert_true (tim_test_wait_until (lists_conversation, &(Listed){ uma, "C2Cvic" }, 5000));
  g_assert_true (tim_test_wait_until (lists_conversation, &(Listed){ uma, group }, 5000));
  g_assert_cmpstr (remind_of (uma, "C2Cvic"), ==, TIM_REMIND_ACCEPT_AND_NOTIFY);
  g_assert_false (tim_conversation_get_is_muted (
      tim_conversation_list_lookup (tim_client_get_conversations (uma), "C2Cvic")));

  g_assert_true (set_remind (uma, "C2Cvic", TIM_REMIND_ACCEPT_NOT_NOTIFY, &error));
  g_assert_no_error (error);
  g_assert_true (set_remind (uma, group, TIM_REMIND_ACCEPT_NOT_NOTIFY, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (remind_of (uma, "C2Cvic"), ==, TIM_REMIND_ACCEPT_NOT_NOTIFY);
  g_assert_cmpstr (remind_of (uma, group), ==, TIM_REMIND_ACCEPT_NOT_NOTIFY);
  g_assert_true (tim_conversation_get_is_muted (
      tim_conversation_list_lookup (tim_client_get_conversations (uma), "C2Cvic")));

  g_assert_false (set_remind (uma, "C2Cvic", "Quiet", &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER);
  g_clear_error (&error);
  g_assert_false (set_remind (uma, "C2Cnobody", TIM_REMIND_DISCARD, &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_CONVERSATION_NOT_FOUND);
  g_clear_error (&error);

  /* Kept on the server: another device has both at login, and unmutes one. */
  uma_phone = tim_test_client_new (fixture, phone_dir, "uma");
  g_assert_cmpstr (remind_of (uma_phone, "C2Cvic"), ==, TIM_REMIND_ACCEPT_NOT_NOTIFY);
  g_assert_cmpstr (remind_of (uma_phone, group), ==, TIM_REMIND_ACCEPT_NOT_NOTIFY);
  g_assert_cmpstr (remind_of (vic, "C2Cuma"), ==, TIM_REMIND_ACCEPT_AND_NOTIFY);
  g_assert_true (set_remind (uma_phone, "C2Cvic", TIM_REMIND_ACCEPT_AND_NOTIFY, &error));
  g_assert_cmpstr (remind_of (uma_phone, "C2Cvic"), ==, TIM_REMIND_ACCEPT_AND_NOTIFY);
  /* The first device, online, follows a C2C change at once (the server's MuteNotificationsSync). */
  g_assert_true (tim_test_wait_until (is_unmuted, &(Listed){ uma, "C2Cvic" }, 5000));
  /* And a group's (its ReportType 20 notice), which is not one more of its Group Notices. */
  {
    TimConversation *notices = tim_conversation_list_lookup (tim_client_get_conversations (uma),
                                                             TIM_SYSTEM_CONVERSATION_ID);
    TimMessage *last_notice = notices ? tim_conversation_get_last_message (notices) : NULL;

    g_assert_true (set_remind (uma_phone, group, TIM_REMIND_ACCEPT_AND_NOTIFY, &error));
    g_assert_true (tim_test_wait_until (is_unmuted, &(Listed){ uma, group }, 5000));
    notices = tim_conversation_list_lookup (tim_client_get_conversations (uma),
                                            TIM_SYSTEM_CONVERSATION_ID);
    g_assert_true ((notices ? tim_conversation_get_last_message (notices) : NULL) == last_notice);
    g_assert_true (set_remind (uma, group, TIM_REMIND_ACCEPT_NOT_NOTIFY, &error));
  }

  /* Muted and deleted, the conversation that vic's next message brings back is still muted. */
  g_assert_true (set_remind (uma, "C2Cvic", TIM_REMIND_ACCEPT_NOT_NOTIFY, &error));
  tim_client_delete_conversation_async (uma, "C2Cvic", NULL, tim_test_keep_result, &deleted);
  g_assert_true (
      tim_client_delete_conversation_finish (uma, tim_test_wait_result (&deleted), &error));
  g_assert_null (tim_conversation_list_lookup (tim_client_get_conversations (uma), "C2Cvic"));
  g_assert_true (tim_test_send (vic, again, &error));
  g_assert_true (tim_test_wait_until (lists_conversation, &(Listed){ uma, "C2Cvic" }, 5000));
  g_assert_cmpstr (remind_of (uma, "C2Cvic"), ==, TIM_REMIND_ACCEPT_NOT_NOTIFY);

  /* ... after a restart too (the flags read at login, as the SDK reads them). */
  g_clear_object (&deleted);
  tim_client_delete_conversation_async (uma, "C2Cvic", NULL, tim_test_keep_result, &deleted);
  g_assert_true (
      tim_client_delete_conversation_finish (uma, tim_test_wait_result (&deleted), &error));
  g_clear_object (&deleted); /* it holds the client, which would live on beside the new one */
  g_clear_object (&uma);
  uma = tim_test_client_new (fixture, base_dir, "uma");
  g_assert_null (tim_conversation_list_lookup (tim_client_get_conversations (uma), "C2Cvic"));
  g_assert_true (tim_test_send (vic, once_more, &error));
  g_assert_true (tim_test_wait_until (lists_conversation, &(Listed){ uma, "C2Cvic" }, 5000));
  g_assert_cmpstr (remind_of (uma, "C2Cvic"), ==, TIM_REMIND_ACCEPT_NOT_NOTIFY);

  /* A group as well: its own MsgFlag, from the group list read at login. */
  tim_client_delete_conversation_async (uma, group, NULL, tim_test_keep_result, &deleted);
  g_assert_true (
      tim_client_delete_conversation_finish (uma, tim_test_wait_result (&deleted), &error));
  g_clear_object (&deleted);
  g_clear_object (&uma);
  uma = tim_test_client_new (fixture, base_dir, "uma");
  g_assert_null (tim_conversation_list_lookup (tim_client_get_conversations (uma), group));
  g_assert_true (tim_test_send (vic, to_group, &error));
  g_assert_true (tim_test_wait_until (lists_conversation, &(Listed){ uma, group }, 5000));
  g_assert_cmpstr (remind_of (uma, group), ==, TIM_REMIND_ACCEPT_NOT_NOTIFY);
}

static gboolean
has_unread (gpointer data)
{
  TimConversation *conversation = listed_conversation (data);

  return conversation != NULL && tim_conversation_get_unread_count (conversation) > 0;
}

/* The group's message is in (its tips may come first, and count as unread too). */
static gboolean
group_message_in (gpointer data)
{
  TimConversation *conversation = listed_conversation (data);
  TimMessage *last = conversation != NULL ? tim_conversation_get_last_message (conversation) : NULL;

  return last != NULL && g_strcmp0 (tim_message_get_text (last), "hi all") == 0;
}

/* setAllMessageRead: a C2C conversation, a group and the Group Notices read in one call, here
 * and on the server (a device that logs in after), and the peer told. */
static void
test_read_all (void)
{
  g_autofree char *phone_dir = g_build_filename (base_dir, "read-all-phone", NULL);
  g_autoptr (TimClient) wes = tim_test_client_new (fixture, base_dir, "wes");
  g_autoptr (TimClient) xia = tim_test_client_new (fixture, base_dir, "xia");
  g_autoptr (TimClient) wes_phone = NULL;
  g_autoptr (GPtrArray) read_by_peer = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (TimMessage) hello = tim_client_create_text_message (xia, "wes", TIM_CONV_C2C, "hi");
  g_autoptr (TimMessage) to_group = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  const char *wes_only[] = { "wes", NULL };
  g_autofree char *group_id = tim_test_create_group (xia, "Readers", wes_only);
  g_autofree char *group = g_strconcat ("GROUP", group_id, NULL);

  tim_test_collect (xia, "message-read-by-peer", read_by_peer);
  to_group = tim_client_create_text_message (xia, group_id, TIM_CONV_GROUP, "hi all");
  g_assert_true (tim_test_send (xia, hello, &error));
  g_assert_true (tim_test_send (xia, to_group, &error));
  g_assert_true (tim_test_wait_until (lists_conversation, &(Listed){ wes, "C2Cxia" }, 5000));
  g_assert_true (tim_test_wait_until (group_message_in, &(Listed){ wes, group }, 5000));
  g_assert_true (tim_test_wait_until (has_unread, &(Listed){ wes, "@TIM#SYSTEM" }, 5000));
  g_assert_cmpuint (tim_test_unread_of (wes, "C2Cxia"), ==, 1);

  tim_client_set_all_message_read_async (wes, NULL, tim_test_keep_result, &result);
  g_assert_true (
      tim_client_set_all_message_read_finish (wes, tim_test_wait_result (&result), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (tim_test_unread_of (wes, "C2Cxia"), ==, 0);
  g_assert_cmpuint (tim_test_unread_of (wes, group), ==, 0);
  g_assert_cmpuint (tim_test_unread_of (wes, "@TIM#SYSTEM"), ==, 0);
  g_assert_cmpuint (tim_conversation_list_get_total_unread (tim_client_get_conversations (wes)), ==,
                    0);
  g_assert_true (tim_test_wait_count (read_by_peer, 1, 5000));
  g_assert_true (tim_message_get_is_peer_read (hello));

  wes_phone = tim_test_client_new (fixture, phone_dir, "wes");
  g_assert_cmpuint (tim_test_unread_of (wes_phone, "C2Cxia"), ==, 0);
  g_assert_cmpuint (tim_test_unread_of (wes_phone, group), ==, 0);
}

static void
test_two_devices_and_profile (void)
{
  g_autofree char *phone_dir = g_build_filename (base_dir, "phone", NULL);
  g_autoptr (TimClient) gina = tim_test_client_new (fixture, base_dir, "gina");
  g_autoptr (TimClient) gina_phone = tim_test_client_new (fixture, phone_dir, "gina");
  g_autoptr (TimClient) hank = tim_test_client_new (fixture, base_dir, "hank");
  g_autoptr (GPtrArray) phone_got = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (TimMessage) message =
      tim_client_create_text_message (gina, "hank", TIM_CONV_C2C, "from the laptop");
  g_autoptr (GError) error = NULL;
  gboolean done = FALSE;
  TimConversation *profile;

  tim_test_collect (gina_phone, "message-received", phone_got);
  g_assert_true (tim_test_send (gina, message, &error));
  wait_count (phone_got, 1);
  g_assert_cmpstr (tim_message_get_flow (phone_got->pdata[0]), ==, "out");
  g_assert_cmpstr (tim_message_get_conversation_id (phone_got->pdata[0]), ==, "C2Chank");
  g_assert_cmpstr (tim_message_get_id (phone_got->pdata[0]), ==, tim_message_get_id (message));

  tim_client_get_conversation_profile_async (hank, "C2Cgina", NULL, on_done_flag, &done);
  g_assert_true (tim_test_wait_flag (&done, 5000));
  profile = tim_client_get_conversation_profile_finish (
      hank, g_object_get_data (G_OBJECT (hank), "result"), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tim_conversation_get_name (profile), ==, "gina");
  g_object_unref (profile);
  forget_result (hank);
}

/* Asks client for conversation_id's profile; FALSE with error when it is refused. */
static gboolean
ask_profile (TimClient *client, const char *conversation_id, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (TimConversation) profile = NULL;

  tim_client_get_conversation_profile_async (client, conversation_id, NULL, tim_test_keep_result,
                                             &result);
  profile =
      tim_client_get_conversation_profile_finish (client, tim_test_wait_result (&result), error);
  return profile != NULL;
}

/* A profile the server refuses (no such account, no such group, a group the user is not in) is
 * an error, and leaves the conversation list as it was: the refused conversation was added to
 * the list before the answer was read, and stayed there, for a user or group that is not. */
static void
test_refused_profile_not_listed (void)
{
  g_autoptr (TimClient) ria = tim_test_client_new (fixture, base_dir, "pr-ria");
  g_autoptr (TimClient) sol = tim_test_client_new (fixture, base_dir, "pr-sol");
  g_autofree char *others = tim_test_create_group (sol, "Not Ria's", NULL);
  g_autofree char *others_conversation = g_strconcat ("GROUP", others, NULL);
  TimConversationList *list = tim_client_get_conversations (ria);
  guint listed = g_list_model_get_n_items (G_LIST_MODEL (list));
  g_autoptr (GError) error = NULL;

  g_assert_false (ask_profile (ria, "C2Cpr-nobody", &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_ACCOUNT_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (tim_conversation_list_lookup (list, "C2Cpr-nobody"));

  g_assert_false (ask_profile (ria, "GROUPpr-no-such-group", &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_GROUP_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (tim_conversation_list_lookup (list, "GROUPpr-no-such-group"));

  g_assert_false (ask_profile (ria, others_conversation, &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_GROUP_PERMISSION);
  g_clear_error (&error);
  g_assert_null (tim_conversation_list_lookup (list, others_conversation));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, listed);

  /* One the server answers is listed, as before. */
  g_assert_true (ask_profile (ria, "C2Cpr-sol", &error));
  g_assert_no_error (error);
  g_assert_nonnull (tim_conversation_list_lookup (list, "C2Cpr-sol"));
}

static gboolean
is_named_climbing (gpointer conversation)
{
  return g_strcmp0 (tim_conversation_get_name (conversation), "Climbing") == 0;
}

static gboolean
is_named_nina_n (gpointer conversation)
{
  return g_strcmp0 (tim_conversation_get_name (conversation), "Nina N.") == 0;
}

/* Someone new writes: the conversation that appears takes their nickname from the server. */
static void
test_new_peer_named (void)
{
  g_autoptr (TimClient) nina = tim_test_client_new (fixture, base_dir, "nina");
  g_autoptr (TimClient) owen = tim_test_client_new (fixture, base_dir, "owen");
  g_autoptr (TimMessage) message =
      tim_client_create_text_message (nina, "owen", TIM_CONV_C2C, "hi");
  g_autoptr (TimMessage) copy = NULL;
  g_autoptr (JsonObject) set = timchat_test_rest (
      fixture, "profile/portrait_set",
      "{\"From_Account\":\"nina\",\"ProfileItem\":[{\"Tag\":\"Tag_Profile_IM_Nick\","
      "\"Value\":\"Nina N.\"}]}",
      NULL);
  TimConversation *conversation;

  g_assert_cmpint (tim_json_get_int_or (set, "ErrorCode", -1), ==, 0);
  g_assert_null (tim_conversation_list_lookup (tim_client_get_conversations (owen), "C2Cnina"));
  copy = tim_test_send_and_receive (nina, owen, message);
  conversation = tim_conversation_list_lookup (tim_client_get_conversations (owen), "C2Cnina");
  g_assert_nonnull (conversation);
  g_assert_true (tim_test_wait_until (is_named_nina_n, conversation, 5000));
}

/* What cannot be sent is refused at once with a TIM code, and no conversation shows it: a
 * message to Group Notices (2106, as the official SDK), a second send of a sent message, a
 * resend of a message that did not fail (2905), and a message with nothing in it (10004). */
static void
test_send_refused (void)
{
  g_autoptr (TimClient) pia = tim_test_client_new (fixture, base_dir, "pia");
  g_autoptr (TimClient) quinn = tim_test_client_new (fixture, base_dir, "quinn");
  g_autoptr (TimMessage) notice =
      tim_client_create_text_message (pia, "@TIM#SYSTEM", TIM_CONV_SYSTEM, "hello?");
  g_autoptr (TimMessage) sent = tim_client_create_text_message (pia, "quinn", TIM_CONV_C2C, "hi");
  g_autoptr (TimMessage) fresh = tim_client_create_text_message (pia, "quinn", TIM_CONV_C2C, "yo");
  g_autoptr (GError) error = NULL;

  g_assert_false (tim_test_send (pia, notice, &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_INVALID_CONVERSATION_TYPE);
  g_assert_cmpstr (error->message, ==, tim_error_text (TIM_ERROR_INVALID_CONVERSATION_TYPE));
  g_assert_cmpint (tim_message_get_status (notice), ==, TIM_MESSAGE_STATUS_UNSENT);
  g_assert_null (tim_conversation_list_lookup (tim_client_get_conversations (pia), "@TIM#SYSTEM"));
  g_clear_error (&error);

  g_assert_true (tim_test_send (pia, sent, &error));
  g_assert_no_error (error);
  g_assert_false (tim_test_send (pia, sent, &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_INVALID_OPERATION);
  g_clear_error (&error);
  g_assert_false (tim_test_resend (pia, sent, &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_INVALID_OPERATION);
  g_clear_error (&error);
  g_assert_false (tim_test_resend (pia, fresh, &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_INVALID_OPERATION);
  g_assert_cmpint (tim_message_get_status (fresh), ==, TIM_MESSAGE_STATUS_UNSENT);
  g_clear_error (&error);

  /* What the server would refuse for its body, in our words (10004), kept nowhere: an empty
   * text, a custom message with nothing in it. */
  {
    g_autoptr (TimMessage) empty = tim_client_create_text_message (pia, "rex", TIM_CONV_C2C, "");
    g_autoptr (TimMessage) nothing =
        tim_client_create_custom_message (pia, "rex", TIM_CONV_C2C, "", "", "");

    g_assert_false (tim_test_send (pia, empty, &error));
    g_assert_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER);
    g_assert_cmpstr (error->message, ==, "A text message cannot be empty");
    g_clear_error (&error);
    g_assert_false (tim_test_send (pia, nothing, &error));
    g_assert_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER);
    g_assert_true (g_str_has_prefix (error->message, "This message cannot be sent: "));
    g_clear_error (&error);
    /* Over 12 KB: the server's 80002, said before anything is stored. */
    {
      g_autofree char *long_text = g_strnfill (13000, 'a');
      g_autoptr (TimMessage) too_long =
          tim_client_create_text_message (pia, "rex", TIM_CONV_C2C, long_text);

      g_assert_false (tim_test_send (pia, too_long, &error));
      g_assert_error (error, TIM_ERROR, TIM_ERROR_BODY_TOO_LARGE);
      g_assert_cmpint (tim_message_get_status (too_long), ==, TIM_MESSAGE_STATUS_UNSENT);
    }
    g_assert_null (tim_conversation_list_lookup (tim_client_get_conversations (pia), "C2Crex"));
  }
}

static void
test_group (void)
{
  const char *members[] = { "jill", NULL };
  g_autoptr (TimClient) ivan = tim_test_client_new (fixture, base_dir, "ivan");
  g_autoptr (TimClient) jill = tim_test_client_new (fixture, base_dir, "jill");
  g_autoptr (GPtrArray) got = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GError) error = NULL;
  g_autoptr (TimMessage) message = NULL;
  g_autofree char *group_id = NULL;
  g_autofree char *conversation_id = NULL;
  gboolean done = FALSE;
  TimMessage *high = NULL;
  TimConversation *conversation;

  tim_test_collect (jill, "message-received", got);
  tim_client_create_group_async (ivan, "Climbing", "Private", members, NULL, on_done_flag, &done);
  g_assert_true (tim_test_wait_flag (&done, 5000));
  group_id =
      tim_client_create_group_finish (ivan, g_object_get_data (G_OBJECT (ivan), "result"), &error);
  g_assert_no_error (error);
  conversation_id = g_strconcat ("GROUP", group_id, NULL);
  message = tim_client_create_text_message (ivan, group_id, TIM_CONV_GROUP, "rope check");
  tim_message_set_priority_for_send (message, TIM_PRIORITY_HIGH);
  g_assert_true (tim_test_send (ivan, message, &error));
  g_assert_cmpint (tim_message_get_sequence (message), >, 0);
  /* The join tip and the system notice come first; then the message. */
  for (gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
       high == NULL && g_get_monotonic_time () < deadline;)
    {
      g_main_context_iteration (NULL, FALSE);
      for (guint i = 0; i < got->len; i++)
        if (tim_message_get_elem_type (got->pdata[i]) == TIM_ELEM_TEXT)
          high = got->pdata[i];
    }
  g_assert_nonnull (high);
  g_assert_cmpstr (tim_message_get_conversation_id (high), ==, conversation_id);
  g_assert_cmpint (tim_message_get_priority (high), ==, TIM_PRIORITY_HIGH);
  conversation =
      tim_conversation_list_lookup (tim_client_get_conversations (jill), conversation_id);
  g_assert_nonnull (conversation);
  /* A group that first came with a message gets its name from the server, not at next login. */
  g_assert_true (tim_test_wait_until (is_named_climbing, conversation, 5000));
  /* The system notices have a name of their own. */
  g_assert_cmpstr (tim_conversation_get_name (tim_conversation_list_lookup (
                       tim_client_get_conversations (jill), "@TIM#SYSTEM")),
                   ==, "Group Notices");
  forget_result (ivan);
}

typedef struct
{
  GCancellable *cancellable;
  gboolean cancelled_once;
} CancelAt;

static void
cancel_at_ten_percent (goffset sent, goffset total, gpointer user_data)
{
  CancelAt *at = user_data;

  if (!at->cancelled_once && sent * 10 > total)
    {
      at->cancelled_once = TRUE;
      g_cancellable_cancel (at->cancellable);
    }
}

static void
on_send_result (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GError **error = user_data;

  g_assert_false (tim_client_send_message_finish (TIM_CLIENT (source), result, error));
  g_assert_nonnull (*error);
}

static void
test_cancel_upload_and_online_only (void)
{
  g_autoptr (TimClient) kim = tim_test_client_new (fixture, base_dir, "kim");
  g_autoptr (TimClient) lee = tim_test_client_new (fixture, base_dir, "lee");
  g_autoptr (GPtrArray) got = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *path = g_build_filename (base_dir, "large.bin", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (TimMessage) large = NULL;
  g_autoptr (TimMessage) typing = NULL;
  g_autoptr (TimSendOptions) options = tim_send_options_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *data = g_malloc0 (30 * 1024 * 1024);
  CancelAt at = { cancellable, FALSE };
  gboolean sent = FALSE;

  tim_test_collect (lee, "message-received", got);
  g_assert_true (g_file_set_contents (path, data, 30 * 1024 * 1024, NULL));
  large = tim_client_create_file_message (kim, "lee", TIM_CONV_C2C, file);
  tim_client_send_message_async (kim, large, NULL, cancel_at_ten_percent, &at, cancellable,
                                 on_send_result, &error);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (tim_message_get_status (large), ==, TIM_MESSAGE_STATUS_FAIL);
  g_assert_cmpint (tim_message_get_upload_sent (large), <, tim_message_get_upload_total (large));

  /* Online only: delivered to who is online, never stored. */
  options->online_user_only = TRUE;
  typing = tim_client_create_custom_message (kim, "lee", TIM_CONV_C2C, "typing", "", "");
  tim_client_send_message_async (kim, typing, options, NULL, NULL, NULL, on_sent, &sent);
  g_assert_true (tim_test_wait_flag (&sent, 10000));
  wait_count (got, 1);
  g_assert_cmpint (tim_message_get_elem_type (got->pdata[0]), ==, TIM_ELEM_CUSTOM);
  g_assert_true (tim_message_get_online_only (got->pdata[0]));
  {
    g_autoptr (GError) page_error = NULL;
    g_autoptr (GPtrArray) page =
        tim_test_get_messages (lee, "C2Ckim", NULL, NULL, NULL, &page_error);

    /* Nothing stored: neither the cancelled file nor the online-only message. */
    g_assert_no_error (page_error);
    g_assert_cmpuint (page->len, ==, 0);
  }
}

/* A send whose cancellable was cancelled before the call fails with G_IO_ERROR_CANCELLED, as
 * GIO's calls do, and nothing goes out. The cancel used to reach only a send already under way:
 * this one was sent and delivered, "sent" here, while its caller was told it was cancelled. */
static void
test_send_already_cancelled (void)
{
  g_autoptr (TimClient) tia = tim_test_client_new (fixture, base_dir, "tia");
  g_autoptr (TimClient) ugo = tim_test_client_new (fixture, base_dir, "ugo");
  g_autoptr (TimMessage) message =
      tim_client_create_text_message (tia, "ugo", TIM_CONV_C2C, "cancelled before");
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GPtrArray) got = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;

  tim_test_collect (ugo, "message-received", got);
  g_cancellable_cancel (cancellable);
  tim_client_send_message_async (tia, message, NULL, NULL, NULL, cancellable, tim_test_keep_result,
                                 &result);
  g_assert_false (tim_client_send_message_finish (tia, tim_test_wait_result (&result), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (tim_message_get_status (message), ==, TIM_MESSAGE_STATUS_FAIL);
  g_assert_false (tim_test_wait_count (got, 1, 1000));
}

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

/* "<unread> <last message's text>" of client's conversation_id ("none" when it has none). */
static char *
conversation_state (TimClient *client, const char *conversation_id)
{
  TimConversation *conversation =
      tim_conversation_list_lookup (tim_client_get_conversations (client), conversation_id);

  if (conversation == NULL)
    return g_strdup ("none");
  return g_strdup_printf ("%u %s", tim_conversation_get_unread_count (conversation),
                          tim_conversation_get_message_for_show (conversation));
}

/* Sends text from `from` to `to` (a user or a group) with options, and returns receiver's copy. */
static TimMessage *
send_quiet (TimClient *from, TimClient *receiver, const char *to, TimConvType type,
            const char *text, const TimSendOptions *options)
{
  g_autoptr (GPtrArray) got = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (TimMessage) message = tim_client_create_text_message (from, to, type, text);
  g_autoptr (GError) error = NULL;
  gulong handler = tim_test_collect (receiver, "message-received", got);

  g_assert_true (tim_test_send_with_options (from, message, options, &error));
  g_assert_no_error (error);
  g_assert_true (tim_message_get_is_excluded_from_unread_count (message));
  g_assert_true (tim_message_get_is_excluded_from_last_message (message));
  wait_count (got, 1);
  g_signal_handler_disconnect (receiver, handler);
  g_assert_cmpstr (tim_message_get_id (got->pdata[0]), ==, tim_message_get_id (message));
  return g_object_ref (got->pdata[0]);
}

/* TimSendOptions' exclude_from_unread_count and exclude_from_last_message travel as
 * SendMsgControl; the receiver's copy says so, is not counted and does not become the last
 * message, nor the sender's; a fresh login of the receiver (the server's list) agrees. C2C and
 * group. */
static void
test_send_msg_control (void)
{
  const char *const members[] = { "mc-noa", NULL };
  g_autoptr (TimClient) mia = tim_test_client_new (fixture, base_dir, "mc-mia");
  g_autoptr (TimClient) noa = tim_test_client_new (fixture, base_dir, "mc-noa");
  g_autoptr (TimClient) fresh = NULL;
  g_autoptr (TimSendOptions) options = tim_send_options_new ();
  g_autofree char *group_id = tim_test_create_group (mia, "quiet", members);
  g_autofree char *group_conversation = g_strconcat ("GROUP", group_id, NULL);
  g_autofree char *fresh_dir = tim_test_make_dir ();
  const char *conversations[] = { "C2Cmc-mia", group_conversation };
  const char *sender_conversations[] = { "C2Cmc-noa", group_conversation };
  const char *targets[] = { "mc-noa", group_id };
  char *before[2];

  options->exclude_from_unread_count = TRUE;
  options->exclude_from_last_message = TRUE;
  for (guint i = 0; i < 2; i++)
    {
      TimConvType type = i == 0 ? TIM_CONV_C2C : TIM_CONV_GROUP;
      g_autoptr (TimMessage) plain =
          tim_client_create_text_message (mia, targets[i], type, "before");
      g_autoptr (TimMessage) received = tim_test_send_and_receive (mia, noa, plain);
      g_autoptr (TimMessage) quiet = NULL;
      g_autofree char *now = NULL;
      g_autofree char *sender = NULL;

      g_assert_false (tim_message_get_is_excluded_from_unread_count (received));
      before[i] = conversation_state (noa, conversations[i]);
      g_assert_true (g_str_has_suffix (before[i], " before"));
      quiet = send_quiet (mia, noa, targets[i], type, "quiet", options);
      g_assert_true (tim_message_get_is_excluded_from_unread_count (quiet));
      g_assert_true (tim_message_get_is_excluded_from_last_message (quiet));
      now = conversation_state (noa, conversations[i]);
      g_assert_cmpstr (now, ==, before[i]);
      sender = conversation_state (mia, sender_conversations[i]);
      g_assert_cmpstr (sender, ==, "0 before");
    }

  fresh = tim_test_client_new (fixture, fresh_dir, "mc-noa");
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *now = conversation_state (fresh, conversations[i]);

      g_assert_cmpstr (now, ==, before[i]);
      g_free (before[i]);
    }
  g_clear_object (&fresh);
  tim_test_remove_dir (fresh_dir);
}

/* A failed message sent again keeps the SendMsgControl it was sent with, which the message itself
 * carries: the resend used to send it with none, so a message sent "not unread, not the last"
 * was counted unread and became the receiver's last message once resent. */
static void
test_resend_keeps_control (void)
{
  g_autoptr (TimClient) ora = tim_test_client_new (fixture, base_dir, "rc-ora");
  g_autoptr (TimClient) pim = tim_test_client_new (fixture, base_dir, "rc-pim");
  g_autoptr (TimMessage) plain =
      tim_client_create_text_message (ora, "rc-pim", TIM_CONV_C2C, "before");
  g_autoptr (TimMessage) received = tim_test_send_and_receive (ora, pim, plain);
  g_autoptr (TimMessage) quiet =
      tim_client_create_text_message (ora, "rc-pim", TIM_CONV_C2C, "quiet");
  g_autoptr (TimSendOptions) options = tim_send_options_new ();
  g_autoptr (GCancellable) cancelled = g_cancellable_new ();
  g_autoptr (GPtrArray) got = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *before = conversation_state (pim, "C2Crc-ora");
  g_autofree char *now = NULL;

  g_assert_cmpstr (before, ==, "1 before");
  /* It fails (cancelled before it went), and is sent again. */
  options->exclude_from_unread_count = TRUE;
  options->exclude_from_last_message = TRUE;
  g_cancellable_cancel (cancelled);
  tim_client_send_message_async (ora, quiet, options, NULL, NULL, cancelled, tim_test_keep_result,
                                 &result);
  g_assert_false (tim_client_send_message_finish (ora, tim_test_wait_result (&result), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpint (tim_message_get_status (quiet), ==, TIM_MESSAGE_STATUS_FAIL);
  tim_test_collect (pim, "message-received", got);
  g_assert_true (tim_test_resend (ora, quiet, &error));
  g_assert_no_error (error);
  g_assert_true (tim_message_get_is_excluded_from_unread_count (quiet));
  g_assert_true (tim_message_get_is_excluded_from_last_message (quiet));
  wait_count (got, 1);
  g_assert_true (tim_message_get_is_excluded_from_unread_count (got->pdata[0]));
  now = conversation_state (pim, "C2Crc-ora");
  g_assert_cmpstr (now, ==, before);
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

static gint64
count_server_rows (const char *path, const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *s = NULL;
  gint64 n = -1;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &s, NULL), ==, SQLITE_OK);
  if (sqlite3_step (s) == SQLITE_ROW)
    n = sqlite3_column_int64 (s, 0);
  sqlite3_finalize (s);
  sqlite3_close (db);
  return n;
}

/* A device away longer than the server keeps its sync events (limits/retention_days) missed the
 * read its user made on another device meanwhile: no event replays it. The sync's
 * C2CPairUnreadCount still says what is unread, by leaving the conversation out: nothing. The
 * count this device had before it went away stayed (a badge nothing would take away but reading
 * the conversation again here), as only the conversations the reply names took the server's. */
static void
test_read_elsewhere_past_retention (void)
{
  const char *const conf[] = { "limits/retention_days=1", NULL };
  g_autoptr (TimchatFixture) f = timchat_fixture_new (conf);
  g_autofree char *path = g_build_filename (timchat_fixture_get_data_dir (f), "timchat.db", NULL);
  g_autofree char *here = tim_test_make_dir ();
  g_autofree char *elsewhere = tim_test_make_dir ();
  gint64 old = g_get_real_time () / G_USEC_PER_SEC - 3 * 86400;
  g_autofree char *backdate = g_strdup_printf ("UPDATE messages SET time = %" G_GINT64_FORMAT
                                               "; UPDATE events SET created = %" G_GINT64_FORMAT,
                                               old, old);
  g_autoptr (TimClient) amy = NULL;
  TimTestLastText back = { NULL, "C2Crw-ben", "back" };
  gint64 left = -1;
  sqlite3 *db = NULL;

  {
    g_autoptr (TimClient) ben = tim_test_client_new (f, here, "rw-ben");
    g_autoptr (TimClient) amy_elsewhere = NULL;
    g_autoptr (GAsyncResult) result = NULL;
    g_autoptr (GError) error = NULL;
    TimTestLastText came = { NULL, "C2Crw-ben", "away 002" };

    amy = tim_test_client_new (f, here, "rw-amy");
    came.client = amy;
    tim_test_send_texts (ben, "rw-amy", 2, "away");
    g_assert_true (tim_test_wait_until (tim_test_last_text_is, &came, 10000));
    g_assert_cmpuint (tim_test_unread_of (amy, "C2Crw-ben"), ==, 2);
    /* This device goes away; the other one reads the conversation. */
    tim_client_logout (amy);
    amy_elsewhere = tim_test_client_new (f, elsewhere, "rw-amy");
    tim_client_set_message_read_async (amy_elsewhere, "C2Crw-ben", NULL, tim_test_keep_result,
                                       &result);
    g_assert_true (
        tim_client_set_message_read_finish (amy_elsewhere, tim_test_wait_result (&result), &error));
    g_assert_no_error (error);
    g_assert_cmpuint (tim_test_unread_of (amy_elsewhere, "C2Crw-ben"), ==, 0);
  }

  /* Days pass: the sweep takes the messages and the sync events, the read's too. */
  timchat_fixture_stop (f);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, backdate, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  timchat_fixture_restart (f);
  for (guint tries = 0; tries < 100 && left != 0; tries++)
    {
      left = count_server_rows (path, "SELECT count(*) FROM events");
      if (left != 0)
        g_usleep (50 * 1000);
    }
  g_assert_cmpint (left, ==, 0);

  /* The user writes to ben from the other device: the conversation is listed, nothing unread. */
  {
    g_autoptr (TimClient) amy_elsewhere = tim_test_client_new (f, elsewhere, "rw-amy");

    tim_test_send_text (amy_elsewhere, "rw-ben", "back");
  }
  /* What the server counts unread there. */
  {
    g_autoptr (JsonObject) counted =
        timchat_test_rest (f, "openim/get_c2c_unread_msg_num",
                           "{\"To_Account\":\"rw-amy\",\"Peer_Account\":[\"rw-ben\"]}", NULL);

    g_assert_cmpstr (timchat_test_json_get_string (counted, "C2CUnreadMsgNumList.0.Peer_Account"),
                     ==, "rw-ben");
    g_assert_cmpint (timchat_test_json_get_int (counted, "C2CUnreadMsgNumList.0.C2CUnreadMsgNum"),
                     ==, 0);
  }
  tim_test_client_login (f, amy, "rw-amy");
  back.client = amy;
  g_assert_true (tim_test_wait_until (tim_test_last_text_is, &back, 10000));
  g_assert_cmpuint (tim_test_unread_of (amy, "C2Crw-ben"), ==, 0);

  g_clear_object (&amy);
  tim_test_remove_dir (here);
  tim_test_remove_dir (elsewhere);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  fixture = timchat_fixture_new (NULL);
  base_dir = tim_test_make_dir ();
  g_test_add_func ("/tim/client/text-both-ways", test_text_both_ways);
  g_test_add_func ("/tim/client/every-type", test_every_type);
  g_test_add_func ("/tim/client/revoke-read-delete", test_revoke_read_and_delete);
  g_test_add_func ("/tim/client/deleted-while-away", test_deleted_while_away);
  g_test_add_func ("/tim/client/group-deleted-while-away", test_group_deleted_while_away);
  g_test_add_func ("/tim/client/pin", test_pin);
  g_test_add_func ("/tim/client/read-after-delete-not-listed", test_read_after_delete_not_listed);
  g_test_add_func ("/tim/client/remind", test_remind);
  g_test_add_func ("/tim/client/read-all", test_read_all);
  g_test_add_func ("/tim/client/group-read-up-to", test_group_read_up_to);
  g_test_add_func ("/tim/client/c2c-read-up-to", test_c2c_read_up_to);
  g_test_add_func ("/tim/client/group-read-while-one-arrives", test_group_read_while_one_arrives);
  g_test_add_func ("/tim/client/c2c-read-while-one-arrives", test_c2c_read_while_one_arrives);
  g_test_add_func ("/tim/client/read-all-while-some-arrive", test_read_all_while_some_arrive);
  g_test_add_func ("/tim/client/two-devices-and-profile", test_two_devices_and_profile);
  g_test_add_func ("/tim/client/new-peer-named", test_new_peer_named);
  g_test_add_func ("/tim/client/refused-profile-not-listed", test_refused_profile_not_listed);
  g_test_add_func ("/tim/client/send-refused", test_send_refused);
  g_test_add_func ("/tim/client/group", test_group);
  g_test_add_func ("/tim/client/cancel-upload-and-online-only", test_cancel_upload_and_online_only);
  g_test_add_func ("/tim/client/send-already-cancelled", test_send_already_cancelled);
  g_test_add_func ("/tim/client/logout-during-sync", test_logout_during_sync);
  g_test_add_func ("/tim/client/kicked-during-sync", test_kicked_during_sync);
  g_test_add_func ("/tim/client/usersig-runs-out-during-sync", test_usersig_runs_out_during_sync);
  g_test_add_func ("/tim/client/read-elsewhere-past-retention", test_read_elsewhere_past_retention);
  g_test_add_func ("/tim/client/logout-before-announcement", test_logout_before_announcement);
  g_test_add_func ("/tim/client/usersig-runs-out", test_usersig_runs_out);
  g_test_add_func ("/tim/client/not-utf8-refused", test_not_utf8_refused);
  g_test_add_func ("/tim/client/send-msg-control", test_send_msg_control);
  g_test_add_func ("/tim/client/resend-keeps-control", test_resend_keeps_control);
  status = g_test_run ();
  tim_test_remove_dir (base_dir);
  timchat_fixture_free (fixture);
  return status;
}
