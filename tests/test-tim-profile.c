/* test-tim-profile.c: the logged-in user's own profile through libtim and the real server: read
 * it, set the nickname (which the peer then sees on new messages, in the conversation's profile,
 * on a fresh device after its sync, and again with the next message after a rename), clear it,
 * and the errors: too long, nothing to set, not logged in. */
#define G_LOG_DOMAIN "test-tim-profile"

#include "config.h"

#include <string.h>

#include <gdk-pixbuf/gdk-pixbuf.h>

#include "tim-error.h"
#include "tim-test-util.h"
#include "timchat-test-util.h"

static TimchatFixture *fixture;
static char *base_dir;

static void
get_profile (TimClient *client, char **nick, char **avatar)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;

  tim_client_get_my_profile_async (client, NULL, tim_test_keep_result, &result);
  g_assert_true (tim_client_get_my_profile_finish (client, tim_test_wait_result (&result), nick,
                                                   avatar, &error));
  g_assert_no_error (error);
}

/* The error of an update (NULL when it worked). */
static GError *
update_profile (TimClient *client, const char *nick, const char *avatar)
{
  g_autoptr (GAsyncResult) result = NULL;
  GError *error = NULL;

  tim_client_update_my_profile_async (client, nick, avatar, NULL, tim_test_keep_result, &result);
  if (!tim_client_update_my_profile_finish (client, tim_test_wait_result (&result), &error))
    g_assert_nonnull (error);
  return error;
}

typedef struct
{
  TimClient *client;
  const char *name;
  const char *conversation_id; /* for named () */
} Named;

/* The name of client's conversation_id (NULL when it has none). */
static const char *
name_of (TimClient *client, const char *conversation_id)
{
  TimConversation *conversation =
      tim_conversation_list_lookup (tim_client_get_conversations (client), conversation_id);

  return conversation != NULL ? tim_conversation_get_name (conversation) : NULL;
}

static gboolean
named (gpointer data)
{
  Named *n = data;

  return g_strcmp0 (name_of (n->client, n->conversation_id), n->name) == 0;
}

static char *
set_avatar (TimClient *client, GFile *image, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  tim_client_set_my_avatar_async (client, image, NULL, tim_test_keep_result, &result);
  return tim_client_set_my_avatar_finish (client, tim_test_wait_result (&result), error);
}

static gboolean
has_text_hello_all (gpointer data)
{
  GPtrArray *got = data;

  for (guint i = 0; i < got->len; i++)
    if (g_strcmp0 (tim_message_get_text (got->pdata[i]), "hello all") == 0)
      return TRUE;
  return FALSE;
}

static const char *
avatar_of_erin (TimClient *client)
{
  TimConversation *conversation =
      tim_conversation_list_lookup (tim_client_get_conversations (client), "C2Cerin");

  return conversation != NULL ? tim_conversation_get_avatar (conversation) : NULL;
}

/* A picture becomes the avatar (its 198 px version, on the server); the peer's conversation
 * shows it with erin's next message, and a group message carries it. Not a picture: the
 * upload's code, and nothing changes. */
static void
test_my_avatar (void)
{
  g_autoptr (TimClient) erin = tim_test_client_new (fixture, base_dir, "erin");
  g_autoptr (TimClient) frank = tim_test_client_new (fixture, base_dir, "frank");
  g_autofree char *png_path = g_build_filename (base_dir, "me.png", NULL);
  g_autofree char *text_path = g_build_filename (base_dir, "me.txt", NULL);
  g_autoptr (GFile) png = g_file_new_for_path (png_path);
  g_autoptr (GFile) text = g_file_new_for_path (text_path);
  g_autoptr (GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 400, 400);
  g_autoptr (TimMessage) hello =
      tim_client_create_text_message (erin, "frank", TIM_CONV_C2C, "see my picture");
  g_autoptr (TimMessage) received = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *avatar = NULL;
  g_autofree char *refused = NULL;

  gdk_pixbuf_fill (pixbuf, 0x3366ccff);
  g_assert_true (gdk_pixbuf_save (pixbuf, png_path, "png", &error, NULL));
  g_assert_true (g_file_set_contents (text_path, "not a picture\n", -1, NULL));

  url = set_avatar (erin, png, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (url, "/files/"));
  get_profile (erin, NULL, &avatar);
  g_assert_cmpstr (avatar, ==, url);
  received = tim_test_send_and_receive (erin, frank, hello);
  g_assert_cmpstr (tim_message_get_avatar (received), ==, url);
  g_assert_cmpstr (avatar_of_erin (frank), ==, url);

  /* In a group too: beside each of erin's messages. */
  {
    const char *members[] = { "frank", NULL };
    g_autoptr (GPtrArray) got = g_ptr_array_new_with_free_func (g_object_unref);
    gulong collecting = tim_test_collect (frank, "message-received", got);
    g_autofree char *group_id = tim_test_create_group (erin, "Pictures", members);
    g_autoptr (TimMessage) to_group =
        tim_client_create_text_message (erin, group_id, TIM_CONV_GROUP, "hello all");

    g_assert_true (tim_test_send (erin, to_group, &error));
    g_assert_true (tim_test_wait_until (has_text_hello_all, got, 10000));
    g_signal_handler_disconnect (frank, collecting);
    for (guint i = 0; i < got->len; i++)
      if (g_strcmp0 (tim_message_get_text (got->pdata[i]), "hello all") == 0)
        g_assert_cmpstr (tim_message_get_avatar (got->pdata[i]), ==, url);
  }

  refused = set_avatar (erin, text, &error);
  g_assert_null (refused);
  g_assert_error (error, TIM_ERROR, TIM_ERROR_IMAGE_TYPE);
  g_clear_pointer (&avatar, g_free);
  get_profile (erin, NULL, &avatar);
  g_assert_cmpstr (avatar, ==, url);
}

static void
test_my_profile (void)
{
  g_autoptr (TimClient) erin = tim_test_client_new (fixture, base_dir, "erin");
  g_autoptr (TimClient) frank = tim_test_client_new (fixture, base_dir, "frank");
  g_autoptr (TimClient) nobody = tim_client_new ("ws://127.0.0.1:9/", 1, base_dir);
  g_autoptr (TimMessage) hello =
      tim_client_create_text_message (erin, "frank", TIM_CONV_C2C, "hello");
  g_autoptr (TimMessage) received = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (TimConversation) seen = NULL;
  g_autofree char *nick = NULL;
  g_autofree char *avatar = NULL;
  g_autofree char *too_long = g_strnfill (501, 'x');
  g_autoptr (GError) error = NULL;

  get_profile (erin, &nick, &avatar);
  g_assert_cmpstr (nick, ==, "");
  g_assert_cmpstr (avatar, ==, "");

  g_assert_null (update_profile (erin, "Erin Example", NULL));
  g_clear_pointer (&nick, g_free);
  g_clear_pointer (&avatar, g_free);
  get_profile (erin, &nick, &avatar);
  g_assert_cmpstr (nick, ==, "Erin Example");
  g_assert_cmpstr (avatar, ==, ""); /* NULL left it as it was */

  /* The peer sees the name on new messages and in the conversation's profile. */
  received = tim_test_send_and_receive (erin, frank, hello);
  g_assert_cmpstr (tim_message_get_nick (received), ==, "Erin Example");
  tim_client_get_conversation_profile_async (frank, "C2Cerin", NULL, tim_test_keep_result, &result);
  seen = tim_client_get_conversation_profile_finish (frank, tim_test_wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tim_conversation_get_name (seen), ==, "Erin Example");

  /* A device that never saw a message names the conversation too (after its sync). */
  {
    g_autofree char *laptop_dir = g_build_filename (base_dir, "laptop", NULL);
    g_autoptr (TimClient) frank_laptop = tim_test_client_new (fixture, laptop_dir, "frank");

    tim_test_wait_until (named, &(Named){ frank_laptop, "Erin Example", "C2Cerin" }, 10000);
    g_assert_cmpstr (name_of (frank_laptop, "C2Cerin"), ==, "Erin Example");
  }
  /* A rename shows with the next message. */
  {
    g_autoptr (TimMessage) again =
        tim_client_create_text_message (erin, "frank", TIM_CONV_C2C, "new name");
    g_autoptr (TimMessage) got = NULL;

    g_assert_null (update_profile (erin, "Erin Renamed", NULL));
    got = tim_test_send_and_receive (erin, frank, again);
    tim_test_wait_until (named, &(Named){ frank, "Erin Renamed", "C2Cerin" }, 10000);
    g_assert_cmpstr (name_of (frank, "C2Cerin"), ==, "Erin Renamed");
  }

  /* Errors: a TIM code and a plain message, and nothing changes. */
  error = update_profile (erin, too_long, NULL);
  g_assert_error (error, TIM_ERROR, TIM_ERROR_PROFILE_VALUE_TOO_LONG);
  g_assert_cmpstr (error->message, !=, "");
  g_clear_error (&error);
  error = update_profile (erin, NULL, NULL);
  g_assert_error (error, TIM_ERROR, TIM_ERROR_PROFILE_INVALID_PARAMETER);
  g_clear_error (&error);
  error = update_profile (nobody, "Nobody", NULL);
  g_assert_error (error, TIM_ERROR, TIM_ERROR_NOT_LOGGED_IN);
  g_clear_error (&error);
  g_clear_pointer (&nick, g_free);
  get_profile (erin, &nick, NULL);
  g_assert_cmpstr (nick, ==, "Erin Renamed");

  /* "" clears it: the user ID shows again. */
  g_assert_null (update_profile (erin, "", NULL));
  g_clear_pointer (&nick, g_free);
  get_profile (erin, &nick, NULL);
  g_assert_cmpstr (nick, ==, "");
}

static gboolean
nick_is (gpointer data)
{
  Named *n = data;

  return g_strcmp0 (tim_client_get_nick (n->client), n->name) == 0;
}

static gboolean
avatar_is (gpointer data)
{
  Named *n = data;

  return g_strcmp0 (tim_client_get_avatar (n->client), n->name) == 0;
}

static void
count_notify (GObject *object, GParamSpec *pspec, gpointer user_data)
{
  (*(guint *) user_data)++;
}

/* TimClient:nick and :avatar are the user's own: read at login, set by this device's update, and
 * followed at once when another device of the user changes them (the server's ProfileDataMod
 * push), with a notification and no new login; so does the conversation with oneself. */
static void
test_other_device_follows (void)
{
  g_autofree char *phone_dir = g_build_filename (base_dir, "gina-phone", NULL);
  g_autofree char *desk_dir = g_build_filename (base_dir, "gina-desk", NULL);
  g_autoptr (TimClient) phone = tim_test_client_new (fixture, phone_dir, "gina");
  g_autoptr (TimClient) desk = NULL;
  guint nick_notes = 0, avatar_notes = 0;

  g_assert_null (update_profile (phone, "Gina", NULL));
  g_assert_cmpstr (tim_client_get_nick (phone), ==, "Gina");
  tim_test_send_text (phone, "gina", "a note to myself");

  /* Read at login. */
  desk = tim_test_client_new (fixture, desk_dir, "gina");
  g_assert_true (tim_test_wait_until (nick_is, &(Named){ desk, "Gina" }, 10000));
  g_assert_true (tim_test_wait_until (named, &(Named){ desk, "Gina", "C2Cgina" }, 10000));
  g_assert_cmpstr (tim_client_get_avatar (desk), ==, "");
  g_signal_connect (desk, "notify::nick", G_CALLBACK (count_notify), &nick_notes);
  g_signal_connect (desk, "notify::avatar", G_CALLBACK (count_notify), &avatar_notes);

  /* Renamed on the phone: the desk follows. */
  g_assert_null (update_profile (phone, "Gina Renamed", NULL));
  g_assert_cmpstr (tim_client_get_nick (phone), ==, "Gina Renamed");
  g_assert_true (tim_test_wait_until (nick_is, &(Named){ desk, "Gina Renamed" }, 10000));
  g_assert_cmpuint (nick_notes, ==, 1);
  g_assert_true (tim_test_wait_until (named, &(Named){ desk, "Gina Renamed", "C2Cgina" }, 10000));
  g_assert_cmpstr (name_of (phone, "C2Cgina"), ==, "Gina Renamed");

  /* A new picture: the avatar follows, the nick stays. */
  g_assert_null (update_profile (phone, NULL, "https://pictures.example/gina.png"));
  g_assert_true (tim_test_wait_until (
      avatar_is, &(Named){ desk, "https://pictures.example/gina.png" }, 10000));
  g_assert_cmpuint (avatar_notes, ==, 1);
  g_assert_cmpstr (tim_client_get_nick (desk), ==, "Gina Renamed");
  g_assert_cmpuint (nick_notes, ==, 1);

  g_signal_handlers_disconnect_by_func (desk, count_notify, &nick_notes);
  g_signal_handlers_disconnect_by_func (desk, count_notify, &avatar_notes);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  fixture = timchat_fixture_new (NULL);
  base_dir = tim_test_make_dir ();
  g_test_add_func ("/tim/profile/my-profile", test_my_profile);
  g_test_add_func ("/tim/profile/my-avatar", test_my_avatar);
  g_test_add_func ("/tim/profile/other-device-follows", test_other_device_follows);
  status = g_test_run ();
  tim_test_remove_dir (base_dir);
  timchat_fixture_free (fixture);
  return status;
}
