/* test-tim-client-messages.c: TimClient sending against the real server: a text both ways,
 * every message type (with upload progress), what is refused before it goes, a group message
 * with its priority, a cancelled upload and online-only messages, a send cancelled before it
 * starts, and SendMsgControl (also kept by a resend). Split from test-tim-client.c (the client's
 * seed calls and signals, by theme) to keep each program short; one server per program. */
#define G_LOG_DOMAIN "test-tim-client-messages"

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <math.h>
#include <string.h>

#include "test-tim-client-common.h"
#include "tim-error.h"
#include "tim-json.h"
#include "tim-test-util.h"
#include "timchat-test-extra.h"
#include "timchat-test-util.h"

static TimchatFixture *fixture;
static char *base_dir;

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
  /* The whole file went up (the message's own progress is cleared once it is up). */
  {
    g_autoptr (GFileInfo) info =
        g_file_query_info (png, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE, NULL, NULL);

    g_assert_nonnull (info);
    g_assert_cmpint (g_array_index (progress, goffset, progress->len - 1), ==,
                     g_file_info_get_size (info));
    g_assert_cmpint (tim_message_get_upload_total (image), ==, 0);
  }
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

static gboolean
is_named_climbing (gpointer conversation)
{
  return g_strcmp0 (tim_conversation_get_name (conversation), "Climbing") == 0;
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
    /* A place with no number for a coordinate (NaN, infinity): written as "nan" or "inf", the
     * frame was no JSON, the server closed the socket over it (1007) and the outbox sent it
     * again after every reconnection, for ever. */
    {
      g_autoptr (TimMessage) nowhere =
          tim_client_create_location_message (pia, "rex", TIM_CONV_C2C, "Nowhere", NAN, 1.5);
      g_autoptr (TimMessage) beyond =
          tim_client_create_location_message (pia, "rex", TIM_CONV_C2C, "Beyond", 2, -INFINITY);

      g_assert_false (tim_test_send (pia, nowhere, &error));
      g_assert_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER);
      g_assert_nonnull (strstr (error->message, "Longitude: must be a number"));
      g_assert_cmpint (tim_message_get_status (nowhere), ==, TIM_MESSAGE_STATUS_UNSENT);
      g_clear_error (&error);
      g_assert_false (tim_test_send (pia, beyond, &error));
      g_assert_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER);
      g_assert_nonnull (strstr (error->message, "Latitude: must be a number"));
      g_clear_error (&error);
    }
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
  /* Stopped at a tenth, not at the end; the send over, no upload shows on the message. */
  g_assert_true (at.cancelled_once);
  g_assert_cmpint (tim_message_get_upload_sent (large), ==, 0);
  g_assert_cmpint (tim_message_get_upload_total (large), ==, 0);

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

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  fixture = timchat_fixture_new (NULL);
  base_dir = tim_test_make_dir ();
  g_test_add_func ("/tim/client/text-both-ways", test_text_both_ways);
  g_test_add_func ("/tim/client/every-type", test_every_type);
  g_test_add_func ("/tim/client/send-refused", test_send_refused);
  g_test_add_func ("/tim/client/group", test_group);
  g_test_add_func ("/tim/client/cancel-upload-and-online-only", test_cancel_upload_and_online_only);
  g_test_add_func ("/tim/client/send-already-cancelled", test_send_already_cancelled);
  g_test_add_func ("/tim/client/send-msg-control", test_send_msg_control);
  g_test_add_func ("/tim/client/resend-keeps-control", test_resend_keeps_control);
  status = g_test_run ();
  tim_test_remove_dir (base_dir);
  timchat_fixture_free (fixture);
  return status;
}
