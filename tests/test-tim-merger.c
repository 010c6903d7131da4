/* test-tim-merger.c: chat histories (createMergerMessage, downloadMergerMessage) through libtim and
 * the real server: a small one travels inline and opens at once; a big one goes up first, travels
 * as a key, is fetched once by the receiver and kept with the message (in its local store too); a
 * history inside a history; what cannot be merged is refused in words that say why. */
#define G_LOG_DOMAIN "test-tim-merger"

#include "config.h"

#include <string.h>

#include <gdk-pixbuf/gdk-pixbuf.h>

#include "tim-error.h"
#include "tim-json.h"
#include "tim-test-util.h"
#include "timchat-test-util.h"

static TimchatFixture *fixture;
static char *base_dir;

static GFile *
write_png (const char *name)
{
  g_autoptr (GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 64, 48);
  g_autofree char *path = g_build_filename (base_dir, name, NULL);
  g_autoptr (GError) error = NULL;

  gdk_pixbuf_fill (pixbuf, 0x26a269ff);
  g_assert_true (gdk_pixbuf_save (pixbuf, path, "png", &error, NULL));
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

/* count texts gil sends hal, each "NN text" (numbered) or text itself: the messages, sent. */
static GPtrArray *
send_texts (TimClient *gil, guint count, const char *text, gboolean numbered)
{
  GPtrArray *said = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < count; i++)
    {
      g_autofree char *numbered_text = numbered ? g_strdup_printf ("%02u %s", i, text) : NULL;
      TimMessage *message = tim_client_create_text_message (gil, "hal", TIM_CONV_C2C,
                                                            numbered ? numbered_text : text);

      g_assert_true (tim_test_send (gil, message, NULL));
      g_ptr_array_add (said, message);
    }
  return said;
}

static GPtrArray *
download (TimClient *client, TimMessage *message, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  tim_client_download_merger_message_async (client, message, NULL, tim_test_keep_result, &result);
  return tim_client_download_merger_message_finish (client, tim_test_wait_result (&result), error);
}

static GPtrArray *
download_ok (TimClient *client, TimMessage *message)
{
  g_autoptr (GError) error = NULL;
  GPtrArray *entries = download (client, message, &error);

  g_assert_no_error (error);
  g_assert_nonnull (entries);
  return entries;
}

static TimMessage *
merge (TimClient *client, const char *to, TimConvType type, GPtrArray *messages, const char *title)
{
  g_autoptr (GError) error = NULL;
  TimMessage *merged =
      tim_client_create_merger_message (client, to, type, messages, title, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (merged);
  g_assert_cmpint (tim_message_get_elem_type (merged), ==, TIM_ELEM_RELAY);
  return merged;
}

static const char *
download_key (TimMessage *message)
{
  return tim_json_get_string (tim_message_get_payload (message), "downloadKey");
}

static guint
kept_count (TimMessage *message)
{
  JsonArray *list = tim_json_get_array (tim_message_get_payload (message), "messageList");

  return list != NULL ? json_array_get_length (list) : 0;
}

static void
assert_refused (TimClient *client, TimMessage *message, int code, const char *why)
{
  g_autoptr (GPtrArray) messages = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (TimMessage) merged = NULL;

  if (message != NULL)
    g_ptr_array_add (messages, message);
  merged = tim_client_create_merger_message (client, "ivy", TIM_CONV_C2C, messages, "History", NULL,
                                             NULL, &error);
  g_assert_null (merged);
  g_assert_error (error, TIM_ERROR, code);
  g_assert_cmpstr (error->message, ==, why);
}

/* Small: inline, opened at once on both sides, in the order given, pictures by their URLs. */
static void
test_small (void)
{
  g_autoptr (TimClient) gil = tim_test_client_new (fixture, base_dir, "gil");
  g_autoptr (TimClient) hal = tim_test_client_new (fixture, base_dir, "hal");
  g_autoptr (TimClient) ivy = tim_test_client_new (fixture, base_dir, "ivy");
  g_autoptr (GFile) green = write_png ("green.png");
  g_autoptr (TimMessage) first =
      tim_client_create_text_message (gil, "hal", TIM_CONV_C2C, "lunch?");
  g_autoptr (TimMessage) picture =
      tim_client_create_image_message (gil, "hal", TIM_CONV_C2C, green);
  g_autoptr (TimMessage) reply = tim_client_create_text_message (hal, "gil", TIM_CONV_C2C, "yes!");
  g_autoptr (TimMessage) first_at_hal = NULL, picture_at_hal = NULL;
  g_autoptr (TimMessage) merged = NULL, merged_at_ivy = NULL;
  g_autoptr (GPtrArray) messages = g_ptr_array_new ();
  g_autoptr (GPtrArray) entries = NULL;
  g_auto (GStrv) abstracts = NULL;

  first_at_hal = tim_test_send_and_receive (gil, hal, first);
  picture_at_hal = tim_test_send_and_receive (gil, hal, picture);
  g_assert_true (tim_test_send (hal, reply, NULL));
  g_ptr_array_add (messages, first_at_hal);
  g_ptr_array_add (messages, picture_at_hal);
  g_ptr_array_add (messages, reply);
  merged = merge (hal, "ivy", TIM_CONV_C2C, messages, "Chat History of gil and hal");
  merged_at_ivy = tim_test_send_and_receive (hal, ivy, merged);

  g_assert_cmpint (tim_message_get_elem_type (merged_at_ivy), ==, TIM_ELEM_RELAY);
  g_assert_cmpstr (tim_message_get_title (merged_at_ivy), ==, "Chat History of gil and hal");
  abstracts = tim_message_dup_abstracts (merged_at_ivy);
  g_assert_cmpuint (g_strv_length (abstracts), ==, 3);
  g_assert_cmpstr (abstracts[0], ==, "gil: lunch?");
  g_assert_cmpstr (abstracts[2], ==, "hal: yes!");
  g_assert_cmpstr (download_key (merged_at_ivy), ==, "");
  g_assert_cmpuint (kept_count (merged_at_ivy), ==, 3);

  entries = download_ok (ivy, merged_at_ivy);
  g_assert_cmpuint (entries->len, ==, 3);
  g_assert_cmpstr (tim_message_get_text (entries->pdata[0]), ==, "lunch?");
  g_assert_cmpstr (tim_message_get_from (entries->pdata[0]), ==, "gil");
  g_assert_cmpstr (tim_message_get_id (entries->pdata[0]), ==, tim_message_get_id (first_at_hal));
  g_assert_cmpint (tim_message_get_time (entries->pdata[0]), ==, tim_message_get_time (first));
  g_assert_cmpint (tim_message_get_elem_type (entries->pdata[1]), ==, TIM_ELEM_IMAGE);
  g_assert_cmpstr (tim_message_get_media_url (entries->pdata[1]), ==,
                   tim_message_get_media_url (picture_at_hal));
  g_assert_cmpstr (tim_message_get_text (entries->pdata[2]), ==, "yes!");
  g_assert_cmpstr (tim_message_get_from (entries->pdata[2]), ==, "hal");
  /* The sender's own copy opens the same way. */
  g_clear_pointer (&entries, g_ptr_array_unref);
  entries = download_ok (hal, merged);
  g_assert_cmpuint (entries->len, ==, 3);
}

/* Big: over 11,264 bytes it goes up first; the receiver fetches it once and keeps it. A history
 * of it goes on by its key; forwarded, it still opens. */
static void
test_big_and_nested (void)
{
  g_autoptr (TimClient) gil = tim_test_client_new (fixture, base_dir, "gil");
  g_autoptr (TimClient) hal = tim_test_client_new (fixture, base_dir, "hal");
  g_autoptr (TimClient) ivy = tim_test_client_new (fixture, base_dir, "ivy");
  g_autoptr (GPtrArray) said = NULL;
  g_autoptr (TimMessage) merged = NULL, merged_at_ivy = NULL, note = NULL;
  g_autoptr (TimMessage) outer = NULL, outer_at_gil = NULL;
  g_autoptr (GPtrArray) entries = NULL, inner = NULL, again = NULL;
  g_autoptr (GPtrArray) history = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *long_text = g_strnfill (600, 'x');

  said = send_texts (gil, 25, long_text, TRUE);
  merged = merge (gil, "ivy", TIM_CONV_C2C, said, "Long one");
  merged_at_ivy = tim_test_send_and_receive (gil, ivy, merged);
  /* The sender keeps the list beside the key it got; the receiver has only the key. */
  g_assert_cmpstr (download_key (merged), !=, "");
  g_assert_cmpuint (kept_count (merged), ==, 25);
  g_assert_cmpstr (download_key (merged_at_ivy), ==, download_key (merged));
  g_assert_cmpuint (kept_count (merged_at_ivy), ==, 0);
  g_assert_cmpstr (tim_message_get_title (merged_at_ivy), ==, "Long one");

  entries = download_ok (ivy, merged_at_ivy);
  g_assert_cmpuint (entries->len, ==, 25);
  for (guint i = 0; i < 25; i++)
    g_assert_cmpstr (tim_message_get_text (entries->pdata[i]), ==,
                     tim_message_get_text (said->pdata[i]));
  /* Kept with the message, and in ivy's local store with it. */
  g_assert_cmpuint (kept_count (merged_at_ivy), ==, 25);
  {
    g_autoptr (TimClient) ivy_again = NULL;

    g_clear_object (&ivy);
    ivy_again = tim_test_client_new (fixture, base_dir, "ivy");
    history = tim_test_get_messages (ivy_again, "C2Cgil", NULL, NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (tim_message_get_id (history->pdata[history->len - 1]), ==,
                     tim_message_get_id (merged_at_ivy));
    g_assert_cmpuint (kept_count (history->pdata[history->len - 1]), ==, 25);
    ivy = g_steal_pointer (&ivy_again);
  }

  /* A history of it, from ivy to gil: it goes by its key (the whole is small). */
  note = tim_client_create_text_message (ivy, "gil", TIM_CONV_C2C, "look at this");
  g_assert_true (tim_test_send (ivy, note, NULL));
  g_ptr_array_set_size (said, 0);
  g_ptr_array_add (said, g_object_ref (merged_at_ivy));
  g_ptr_array_add (said, g_object_ref (note));
  outer = merge (ivy, "gil", TIM_CONV_C2C, said, "Forwarded");
  outer_at_gil = tim_test_send_and_receive (ivy, gil, outer);
  g_assert_cmpstr (download_key (outer_at_gil), ==, "");
  again = download_ok (gil, outer_at_gil);
  g_assert_cmpuint (again->len, ==, 2);
  g_assert_cmpint (tim_message_get_elem_type (again->pdata[0]), ==, TIM_ELEM_RELAY);
  g_assert_cmpstr (tim_message_get_title (again->pdata[0]), ==, "Long one");
  g_assert_cmpstr (tim_message_get_text (again->pdata[1]), ==, "look at this");
  inner = download_ok (gil, again->pdata[0]);
  g_assert_cmpuint (inner->len, ==, 25);
  g_assert_cmpstr (tim_message_get_text (inner->pdata[24]), ==,
                   tim_message_get_text (entries->pdata[24]));
}

/* Few but long: what decides is the size, not the count. */
static void
test_few_long (void)
{
  g_autoptr (TimClient) gil = tim_test_client_new (fixture, base_dir, "gil");
  g_autoptr (TimClient) hal = tim_test_client_new (fixture, base_dir, "hal");
  g_autoptr (GPtrArray) said = NULL;
  g_autoptr (TimMessage) merged = NULL, merged_at_hal = NULL;
  g_autoptr (GPtrArray) entries = NULL;
  g_autofree char *long_text = g_strnfill (4500, 'y');

  said = send_texts (gil, 3, long_text, FALSE);
  merged = merge (gil, "hal", TIM_CONV_C2C, said, "Three long ones");
  merged_at_hal = tim_test_send_and_receive (gil, hal, merged);
  g_assert_cmpstr (download_key (merged_at_hal), !=, "");
  entries = download_ok (hal, merged_at_hal);
  g_assert_cmpuint (entries->len, ==, 3);
  g_assert_cmpstr (tim_message_get_text (entries->pdata[2]), ==, long_text);
  /* Its preview says what each is about, in a line. */
  {
    g_auto (GStrv) abstracts = tim_message_dup_abstracts (merged_at_hal);

    g_assert_cmpuint (g_strv_length (abstracts), ==, 3);
    g_assert_cmpuint (g_utf8_strlen (abstracts[0], -1), ==, strlen ("gil: ") + 100);
    g_assert_true (g_str_has_suffix (abstracts[0], "yy…"));
  }
}

/* An app's own preview lines must fit the message that carries the list's key (the list itself
 * goes up): said at once (80002), not after an upload. Just fitting, the history goes, keyed. */
static void
test_long_preview (void)
{
  g_autoptr (TimClient) gil = tim_test_client_new (fixture, base_dir, "gil");
  g_autoptr (TimClient) hal = tim_test_client_new (fixture, base_dir, "hal");
  g_autoptr (GPtrArray) said = send_texts (gil, 1, "short", FALSE);
  g_autofree char *too_long_line = g_strnfill (4100, 'w');
  g_autofree char *line = g_strnfill (3600, 'w');
  const char *const too_long[] = { too_long_line, too_long_line, too_long_line, NULL };
  const char *const fitting[] = { line, line, line, NULL };
  g_autoptr (TimMessage) merged = NULL, merged_at_hal = NULL;
  g_autoptr (GPtrArray) entries = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_null (tim_client_create_merger_message (gil, "hal", TIM_CONV_C2C, said, "Long", too_long,
                                                   NULL, &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_BODY_TOO_LARGE);
  g_clear_error (&error);
  merged = tim_client_create_merger_message (gil, "hal", TIM_CONV_C2C, said, "Long", fitting, NULL,
                                             &error);
  g_assert_no_error (error);
  merged_at_hal = tim_test_send_and_receive (gil, hal, merged);
  g_assert_cmpstr (download_key (merged_at_hal), !=, "");
  {
    g_auto (GStrv) abstracts = tim_message_dup_abstracts (merged_at_hal);

    g_assert_cmpuint (g_strv_length (abstracts), ==, 3);
    g_assert_cmpstr (abstracts[2], ==, line);
  }
  entries = download_ok (hal, merged_at_hal);
  g_assert_cmpuint (entries->len, ==, 1);
}

static gboolean
is_connected (gpointer client)
{
  return tim_client_get_net_state (client) == TIM_NET_STATE_CONNECTED;
}

static gboolean
is_offline (gpointer client)
{
  return !is_connected (client);
}

/* Offline, a history that must be fetched fails at once, saying so; back, it opens. Last: it
 * stops the server. */
static void
test_offline (void)
{
  g_autoptr (TimClient) gil = tim_test_client_new (fixture, base_dir, "gil");
  g_autoptr (TimClient) hal = tim_test_client_new (fixture, base_dir, "hal");
  g_autoptr (GPtrArray) said = NULL;
  g_autoptr (TimMessage) merged = NULL, merged_at_hal = NULL;
  g_autoptr (GPtrArray) failed = NULL, entries = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *long_text = g_strnfill (4000, 'z');
  gint64 start;

  said = send_texts (gil, 3, long_text, FALSE);
  merged = merge (gil, "hal", TIM_CONV_C2C, said, "Offline");
  merged_at_hal = tim_test_send_and_receive (gil, hal, merged);
  g_assert_cmpstr (download_key (merged_at_hal), !=, "");

  timchat_fixture_stop (fixture);
  g_assert_true (tim_test_wait_until (is_offline, hal, 10000));
  start = g_get_monotonic_time ();
  failed = download (hal, merged_at_hal, &error);
  g_assert_null (failed);
  g_assert_error (error, TIM_ERROR, TIM_ERROR_MESSAGE_MERGER_DOWNLOAD_FAIL);
  g_assert_cmpstr (error->message, ==, "The chat history cannot be downloaded while offline");
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);

  timchat_fixture_restart (fixture);
  tim_client_reconnect_now (hal);
  g_assert_true (tim_test_wait_until (is_connected, hal, 30000));
  entries = download_ok (hal, merged_at_hal);
  g_assert_cmpuint (entries->len, ==, 3);
}

static void
test_refused (void)
{
  const char *members[] = { "ivy", NULL };
  g_autoptr (TimClient) gil = tim_test_client_new (fixture, base_dir, "gil");
  g_autoptr (TimClient) hal = tim_test_client_new (fixture, base_dir, "hal");
  g_autoptr (TimClient) ivy = tim_test_client_new (fixture, base_dir, "ivy");
  g_autofree char *group_id = tim_test_create_group (hal, "Merges", members);
  g_autofree char *group = g_strconcat ("GROUP", group_id, NULL);
  g_autoptr (TimMessage) oops = tim_client_create_text_message (gil, "hal", TIM_CONV_C2C, "oops");
  g_autoptr (TimMessage) unsent = tim_client_create_text_message (gil, "hal", TIM_CONV_C2C, "hi");
  g_autoptr (TimMessage) oops_at_hal = NULL;
  g_autoptr (GPtrArray) history = NULL;
  g_autoptr (GPtrArray) none = NULL;
  g_autoptr (GPtrArray) one = g_ptr_array_new ();
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;

  assert_refused (gil, NULL, TIM_ERROR_MESSAGE_MERGER_TYPE_INVALID,
                  "Choose 1 to 300 messages to forward together");
  assert_refused (gil, unsent, TIM_ERROR_MESSAGE_MERGER_TYPE_INVALID,
                  "Only messages that were sent can be forwarded together");
  history = tim_test_get_messages (ivy, group, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tim_message_get_elem_type (history->pdata[0]), ==, TIM_ELEM_GROUP_TIP);
  assert_refused (ivy, history->pdata[0], TIM_ERROR_MESSAGE_MERGER_TYPE_INVALID,
                  "Group notifications cannot be forwarded");
  oops_at_hal = tim_test_send_and_receive (gil, hal, oops);
  tim_client_revoke_message_async (gil, oops, NULL, tim_test_keep_result, &result);
  g_assert_true (tim_client_revoke_message_finish (gil, tim_test_wait_result (&result), &error));
  g_assert_no_error (error);
  g_assert_true (tim_test_wait_until ((gboolean (*) (gpointer)) tim_message_get_is_revoked,
                                      oops_at_hal, 5000));
  assert_refused (hal, oops_at_hal, TIM_ERROR_MESSAGE_MERGER_TYPE_INVALID,
                  "A recalled message cannot be forwarded");

  /* A title is needed; only a chat history opens. */
  g_ptr_array_add (one, unsent);
  g_assert_null (
      tim_client_create_merger_message (gil, "ivy", TIM_CONV_C2C, one, "  ", NULL, NULL, &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER);
  g_clear_error (&error);
  none = download (gil, oops, &error);
  g_assert_null (none);
  g_assert_error (error, TIM_ERROR, TIM_ERROR_MESSAGE_MERGER_TYPE_INVALID);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  base_dir = tim_test_make_dir ();
  fixture = timchat_fixture_new (NULL);
  g_test_add_func ("/tim/merger/small", test_small);
  g_test_add_func ("/tim/merger/big-and-nested", test_big_and_nested);
  g_test_add_func ("/tim/merger/few-long", test_few_long);
  g_test_add_func ("/tim/merger/refused", test_refused);
  g_test_add_func ("/tim/merger/long-preview", test_long_preview);
  g_test_add_func ("/tim/merger/offline", test_offline);
  status = g_test_run ();
  tim_test_remove_dir (base_dir);
  timchat_fixture_free (fixture);
  return status;
}
