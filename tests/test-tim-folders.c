/* test-tim-folders.c: the user's folders of conversations (the Web SDK's conversation groups)
 * through libtim and the real server: made with a conversation, filled, renamed, emptied and
 * deleted here, followed at once by the user's other device ("folders-changed",
 * TimConversation:folders); kept over a restart, from the local store before the network and
 * then from the server's list; a conversation deleted and back is in its folders again; bad
 * input refused with its TIM code before anything is sent. */
#define G_LOG_DOMAIN "test-tim-folders"

#include "config.h"

#include "tim-client-private.h"
#include "tim-error.h"
#include "tim-json.h"
#include "tim-test-util.h"
#include "timchat-test-util.h"

static TimchatFixture *fixture;
static char *base_dir;

typedef enum
{
  CREATE,
  RENAME,
  DELETE,
  PUT_IN,
  TAKE_OUT,
} Op;

static gboolean
run (TimClient *client, Op op, const char *name, const char *other, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;
  const char *one[] = { other, NULL };

  switch (op)
    {
    case CREATE:
      tim_client_create_folder_async (client, name, other != NULL ? one : NULL, NULL,
                                      tim_test_keep_result, &result);
      return tim_client_create_folder_finish (client, tim_test_wait_result (&result), error);
    case RENAME:
      tim_client_rename_folder_async (client, name, other, NULL, tim_test_keep_result, &result);
      return tim_client_rename_folder_finish (client, tim_test_wait_result (&result), error);
    case DELETE:
      tim_client_delete_folder_async (client, name, NULL, tim_test_keep_result, &result);
      return tim_client_delete_folder_finish (client, tim_test_wait_result (&result), error);
    case PUT_IN:
    case TAKE_OUT:
    default:
      tim_client_set_in_folder_async (client, one, name, op == PUT_IN, NULL, tim_test_keep_result,
                                      &result);
      return tim_client_set_in_folder_finish (client, tim_test_wait_result (&result), error);
    }
}

static void
run_ok (TimClient *client, Op op, const char *name, const char *other)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (run (client, op, name, other, &error));
  g_assert_no_error (error);
}

static void
run_fails (TimClient *client, Op op, const char *name, const char *other, int code)
{
  g_autoptr (GError) error = NULL;

  g_assert_false (run (client, op, name, other, &error));
  g_assert_error (error, TIM_ERROR, code);
}

/* "folder,folder" of the client, and "conversation:folder,folder" of each conversation given. */
static char *
describe (TimClient *client, const char *const *conversation_ids)
{
  g_auto (GStrv) folders = tim_client_dup_folders (client);
  g_autofree char *list = g_strjoinv (",", folders);
  GString *text = g_string_new (list);

  for (guint i = 0; conversation_ids[i] != NULL; i++)
    {
      TimConversation *conversation =
          tim_conversation_list_lookup (tim_client_get_conversations (client), conversation_ids[i]);
      g_autofree char *in =
          conversation != NULL
              ? g_strjoinv (",", (GStrv) tim_conversation_get_folders (conversation))
              : g_strdup ("?");

      g_string_append_printf (text, " %s:%s", conversation_ids[i], in);
    }
  return g_string_free (text, FALSE);
}

typedef struct
{
  TimClient *client;
  const char *const *conversation_ids;
} Described;

static char *
describe_wanted (gpointer data)
{
  Described *described = data;

  return describe (described->client, described->conversation_ids);
}

static void
assert_describes (TimClient *client, const char *const *conversation_ids, const char *want)
{
  tim_test_wait_described (describe_wanted, &(Described){ client, conversation_ids }, want);
}

static void
count (gpointer instance, guint *counter)
{
  (*counter)++;
}

static void
test_folders (void)
{
  g_autofree char *phone_dir = g_build_filename (base_dir, "phone", NULL);
  g_autoptr (TimClient) ada = tim_test_client_new (fixture, base_dir, "ada");
  g_autoptr (TimClient) bo = tim_test_client_new (fixture, base_dir, "bo");
  g_autoptr (TimClient) ada_phone = NULL;
  g_autoptr (GPtrArray) received = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *group = tim_test_create_group (ada, "Club", NULL);
  g_autofree char *group_conv = g_strconcat ("GROUP", group, NULL);
  const char *convs[] = { "C2Cbo", group_conv, NULL };
  g_autofree char *want = NULL;
  g_autofree char *name_33 = g_strnfill (33, 'x');
  guint changes = 0;

  tim_test_collect (ada, "message-received", received);
  tim_test_send_text (bo, "ada", "hi");
  g_assert_true (tim_test_wait_count (received, 1, 5000));
  ada_phone = tim_test_client_new (fixture, phone_dir, "ada");
  g_signal_connect (ada, "folders-changed", G_CALLBACK (count), &changes);

  /* Made with bo's conversation: here at once, on the phone by its push. */
  run_ok (ada, CREATE, "Work", "C2Cbo");
  g_assert_cmpuint (changes, >, 0);
  want = g_strdup_printf ("Work C2Cbo:Work %s:", group_conv);
  assert_describes (ada, convs, want);
  assert_describes (ada_phone, convs, want);

  /* The group goes in from the phone; renamed; bo's taken out; each followed by the other. */
  run_ok (ada_phone, PUT_IN, "Work", group_conv);
  g_clear_pointer (&want, g_free);
  want = g_strdup_printf ("Work C2Cbo:Work %s:Work", group_conv);
  assert_describes (ada, convs, want);
  run_ok (ada, CREATE, "Family", NULL);
  run_ok (ada, PUT_IN, "Family", "C2Cbo");
  run_ok (ada, RENAME, "Work", "Office");
  g_clear_pointer (&want, g_free);
  want = g_strdup_printf ("Office,Family C2Cbo:Office,Family %s:Office", group_conv);
  assert_describes (ada, convs, want);
  assert_describes (ada_phone, convs, want);
  run_ok (ada_phone, TAKE_OUT, "Office", "C2Cbo");
  g_clear_pointer (&want, g_free);
  want = g_strdup_printf ("Office,Family C2Cbo:Family %s:Office", group_conv);
  assert_describes (ada, convs, want);

  /* Refused before anything is sent, or by the server. */
  run_fails (ada, CREATE, "", NULL, TIM_ERROR_INVALID_PARAMETER);
  run_fails (ada, CREATE, name_33, NULL, TIM_ERROR_INVALID_PARAMETER);
  run_fails (ada, CREATE, "Family", NULL, TIM_ERROR_INVALID_PARAMETER);
  run_fails (ada, RENAME, "Office", "Family", TIM_ERROR_INVALID_PARAMETER);
  run_fails (ada, DELETE, "Nope", NULL, TIM_ERROR_INVALID_PARAMETER);
  run_fails (ada, PUT_IN, "Office", "bo", TIM_ERROR_INVALID_CONVERSATION_ID);
  run_fails (ada, PUT_IN, "Office", "C2Cnobody", TIM_ERROR_CONVERSATION_NOT_FOUND);

  /* After a restart: from the local store at once (the server unreachable or not), then the
   * server's list, which agrees. */
  g_clear_object (&ada);
  ada = tim_test_client_new (fixture, base_dir, "ada");
  {
    /* The server's list is asked for once the sync is done: not here yet. */
    g_autofree char *at_once = describe (ada, convs);

    g_assert_cmpstr (at_once, ==, want);
  }
  assert_describes (ada, convs, want);

  /* Deleted: the conversations stay, in no folder of that name. */
  run_ok (ada, DELETE, "Office", NULL);
  g_clear_pointer (&want, g_free);
  want = g_strdup_printf ("Family C2Cbo:Family %s:", group_conv);
  assert_describes (ada, convs, want);
  assert_describes (ada_phone, convs, want);
  g_assert_nonnull (tim_conversation_list_lookup (tim_client_get_conversations (ada), group_conv));

  /* Deleted from the list, bo's conversation comes back with a message: in its folder again. */
  {
    g_autoptr (GAsyncResult) result = NULL;
    g_autoptr (GError) error = NULL;

    tim_client_delete_conversation_async (ada, "C2Cbo", NULL, tim_test_keep_result, &result);
    g_assert_true (
        tim_client_delete_conversation_finish (ada, tim_test_wait_result (&result), &error));
    g_assert_no_error (error);
  }
  g_clear_pointer (&want, g_free);
  want = g_strdup_printf ("Family C2Cbo:? %s:", group_conv);
  assert_describes (ada, convs, want);
  tim_test_send_text (bo, "ada", "back again");
  g_clear_pointer (&want, g_free);
  want = g_strdup_printf ("Family C2Cbo:Family %s:", group_conv);
  assert_describes (ada, convs, want);
}

/* A list of the folders (get_contact_group's answer) without GroupItem, as a server that leaves
 * out an empty array sends it: no folders, as a missing ContactItem is no conversation in one,
 * and no critical. Before, json_array_get_length () was asked the length of nothing (a GLib
 * critical, which aborts a test and an app run with G_DEBUG=fatal-criticals). Our server always
 * sends the array, so the answer is given to the function that reads it. */
static void
test_list_without_folders (void)
{
  g_autoptr (TimClient) cy = tim_test_client_new (fixture, base_dir, "fl-cy");
  g_autoptr (TimClient) dee = tim_test_client_new (fixture, base_dir, "fl-dee");
  const char *convs[] = { "C2Cfl-dee", NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) reply =
      tim_json_parse_object ("{\"ContactItem\":[],\"CompleteFlag\":1}", -1, &error);
  guint changes = 0;

  g_assert_no_error (error);
  tim_test_send_text (dee, "fl-cy", "hello");
  run_ok (cy, CREATE, "Work", "C2Cfl-dee");
  assert_describes (cy, convs, "Work C2Cfl-dee:Work");
  g_signal_connect (cy, "folders-changed", G_CALLBACK (count), &changes);

  _tim_client_take_folder_list (cy, reply);
  assert_describes (cy, convs, " C2Cfl-dee:");
  g_assert_cmpuint (changes, >, 0);
  /* With none known already, it is nothing to change. */
  changes = 0;
  _tim_client_take_folder_list (cy, reply);
  assert_describes (cy, convs, " C2Cfl-dee:");
  g_assert_cmpuint (changes, ==, 0);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  base_dir = tim_test_make_dir ();
  fixture = timchat_fixture_new (NULL);
  g_test_add_func ("/tim/folders/folders", test_folders);
  g_test_add_func ("/tim/folders/list-without-folders", test_list_without_folders);
  status = g_test_run ();
  tim_test_remove_dir (base_dir);
  timchat_fixture_free (fixture);
  return status;
}
