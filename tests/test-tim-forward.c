/* test-tim-forward.c: forwarding (createForwardMessage) through libtim and the real server: a
 * received text to another user, a received picture into a group by the URLs it has (nothing
 * uploaded again), a picture that never left this device (its file goes up with the forward);
 * group tips and recalled messages refused with 2453. */
#define G_LOG_DOMAIN "test-tim-forward"

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>

#include "tim-error.h"
#include "tim-test-util.h"
#include "timchat-test-util.h"

static TimchatFixture *fixture;
static char *base_dir;

static GFile *
write_png (const char *name, guint32 rgba)
{
  g_autoptr (GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 320, 200);
  g_autofree char *path = g_build_filename (base_dir, name, NULL);
  g_autoptr (GError) error = NULL;

  gdk_pixbuf_fill (pixbuf, rgba);
  g_assert_true (gdk_pixbuf_save (pixbuf, path, "png", &error, NULL));
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

/* Forwards message from `from` to `to` (conversation type `type`) and waits until `receiver` has
 * it. */
static TimMessage *
forward (TimClient *from, TimMessage *message, const char *to, TimConvType type,
         TimClient *receiver)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TimMessage) copy = tim_client_create_forward_message (from, to, type, message, &error);

  g_assert_no_error (error);
  g_assert_nonnull (copy);
  g_assert_cmpstr (tim_message_get_id (copy), !=, tim_message_get_id (message));
  g_assert_cmpstr (tim_message_get_from (copy), ==, tim_client_get_user (from));
  return tim_test_send_and_receive (from, receiver, copy);
}

/* Refused in words that say why. */
static void
assert_refused (TimClient *client, TimMessage *message, const char *why)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TimMessage) copy =
      tim_client_create_forward_message (client, "ivy", TIM_CONV_C2C, message, &error);

  g_assert_null (copy);
  g_assert_error (error, TIM_ERROR, TIM_ERROR_MESSAGE_FORWARD_TYPE_INVALID);
  g_assert_cmpstr (error->message, ==, why);
}

static void
test_forward (void)
{
  const char *members[] = { "ivy", NULL };
  g_autoptr (TimClient) gil = tim_test_client_new (fixture, base_dir, "gil");
  g_autoptr (TimClient) hal = tim_test_client_new (fixture, base_dir, "hal");
  g_autoptr (TimClient) ivy = tim_test_client_new (fixture, base_dir, "ivy");
  g_autofree char *group_id = tim_test_create_group (hal, "Forwards", members);
  g_autofree char *group = g_strconcat ("GROUP", group_id, NULL);
  g_autoptr (GFile) green = write_png ("green.png", 0x26a269ff);
  g_autoptr (GFile) blue = write_png ("blue.png", 0x1c71d8ff);
  g_autoptr (TimMessage) text =
      tim_client_create_text_message (gil, "hal", TIM_CONV_C2C, "see you at noon [Grin]");
  g_autoptr (TimMessage) picture =
      tim_client_create_image_message (gil, "hal", TIM_CONV_C2C, green);
  g_autoptr (TimMessage) unsent = tim_client_create_image_message (hal, "gil", TIM_CONV_C2C, blue);
  g_autoptr (TimMessage) oops = tim_client_create_text_message (gil, "hal", TIM_CONV_C2C, "oops");
  g_autoptr (TimMessage) text_at_hal = NULL, text_at_ivy = NULL;
  g_autoptr (TimMessage) picture_at_hal = NULL, picture_at_ivy = NULL;
  g_autoptr (TimMessage) unsent_at_ivy = NULL, oops_at_hal = NULL;
  g_autoptr (GPtrArray) history = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;

  /* A text, to someone who was not in the conversation. */
  text_at_hal = tim_test_send_and_receive (gil, hal, text);
  text_at_ivy = forward (hal, text_at_hal, "ivy", TIM_CONV_C2C, ivy);
  g_assert_cmpstr (tim_message_get_text (text_at_ivy), ==, "see you at noon [Grin]");
  g_assert_cmpstr (tim_message_get_from (text_at_ivy), ==, "hal");

  /* A picture, into a group: the same file on the server, nothing uploaded again. */
  picture_at_hal = tim_test_send_and_receive (gil, hal, picture);
  g_assert_nonnull (tim_message_get_media_url (picture_at_hal));
  picture_at_ivy = forward (hal, picture_at_hal, group_id, TIM_CONV_GROUP, ivy);
  g_assert_cmpint (tim_message_get_elem_type (picture_at_ivy), ==, TIM_ELEM_IMAGE);
  g_assert_cmpstr (tim_message_get_conversation_id (picture_at_ivy), ==, group);
  g_assert_cmpstr (tim_message_get_media_url (picture_at_ivy), ==,
                   tim_message_get_media_url (picture_at_hal));

  /* A picture that never left hal's device: its file goes up with the forward. */
  unsent_at_ivy = forward (hal, unsent, "ivy", TIM_CONV_C2C, ivy);
  g_assert_nonnull (tim_message_get_media_url (unsent_at_ivy));
  g_assert_cmpstr (tim_message_get_media_url (unsent_at_ivy), !=,
                   tim_message_get_media_url (picture_at_hal));

  /* Not a group tip ("hal and ivy joined the group"), not a recalled message. */
  history = tim_test_get_messages (ivy, group, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tim_message_get_elem_type (history->pdata[0]), ==, TIM_ELEM_GROUP_TIP);
  assert_refused (ivy, history->pdata[0], "Group notifications cannot be forwarded");
  oops_at_hal = tim_test_send_and_receive (gil, hal, oops);
  tim_client_revoke_message_async (gil, oops, NULL, tim_test_keep_result, &result);
  g_assert_true (tim_client_revoke_message_finish (gil, tim_test_wait_result (&result), &error));
  g_assert_no_error (error);
  g_assert_true (tim_test_wait_until ((gboolean (*) (gpointer)) tim_message_get_is_revoked,
                                      oops_at_hal, 5000));
  assert_refused (hal, oops_at_hal, "A recalled message cannot be forwarded");
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  base_dir = tim_test_make_dir ();
  fixture = timchat_fixture_new (NULL);
  g_test_add_func ("/tim/forward/forward", test_forward);
  status = g_test_run ();
  tim_test_remove_dir (base_dir);
  timchat_fixture_free (fixture);
  return status;
}
