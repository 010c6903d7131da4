/* test-cli-messages.c: timchat-cli end to end, sending and history: text, custom, face, file and
 * image messages, history pages, revoke, edit, reply, search, forward (one by one and merged),
 * delete-message. Separate from the other test-cli-*.c (split from test-cli.c by what they
 * exercise) to keep each program small; each runs the built binary against its own server under
 * run-with-keyring.sh. */
#define G_LOG_DOMAIN "test-cli-messages"

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <string.h>

#include "tim-error.h"
#include "test-cli-common.h"

/* ---------------------------------------------------------------- messages */

static void
test_send_text_and_history (void)
{
  g_autoptr (JsonNode) sent = run_json ("alice", 0, "send", "C2Cbob", "--text", "hello bob ✓",
                                        "--priority", "High", "--json");
  JsonObject *message = obj (sent);
  g_autoptr (JsonNode) history = NULL;
  g_autofree char *human = NULL;
  JsonObject *seen;

  g_assert_cmpstr (obj_string (message, "type"), ==, "TIMTextElem");
  g_assert_cmpstr (obj_string (message, "conversationID"), ==, "C2Cbob");
  g_assert_cmpstr (obj_string (message, "from"), ==, "alice");
  g_assert_cmpstr (obj_string (message, "to"), ==, "bob");
  g_assert_cmpstr (obj_string (message, "flow"), ==, "out");
  g_assert_cmpstr (obj_string (message, "status"), ==, "success");
  g_assert_cmpstr (obj_string (message, "priority"), ==, "High");
  g_assert_cmpstr (obj_string (message, "payload.text"), ==, "hello bob ✓");
  g_assert_false (obj_bool (message, "isRevoked"));
  g_assert_cmpint (obj_int (message, "time"), >, 1700000000);
  g_assert_cmpint (obj_int (message, "sequence"), >, 0);

  history = run_json ("bob", 0, "history", "C2Calice", "--json");
  seen = find_message (history, obj_string (message, "id"));
  g_assert_nonnull (seen);
  g_assert_cmpstr (obj_string (seen, "flow"), ==, "in");
  g_assert_cmpstr (obj_string (seen, "from"), ==, "alice");
  g_assert_cmpstr (obj_string (seen, "payload.text"), ==, "hello bob ✓");
  g_assert_cmpint (obj_int (seen, "random"), ==, obj_int (message, "random"));

  /* Human output: a line with the text and the ID. */
  g_assert_cmpint (run_cli ("bob", &human, NULL, "history", "C2Calice", NULL), ==, 0);
  g_assert_nonnull (strstr (human, "hello bob ✓"));
  g_assert_nonnull (strstr (human, obj_string (message, "id")));
}

/* "--json" or "-j" as an option's value (the text sent) is that value, not the option: the
 * output stayed JSON where the script asked for the human line. */
static void
test_json_as_a_value (void)
{
  const char *const texts[] = { "-j", "--json" };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *line = NULL;

      g_assert_cmpint (run_cli ("alice", &out, NULL, "send", "C2Cbob", "--text", texts[i], NULL),
                       ==, 0);
      line = g_strdup_printf ("alice → bob: %s  (", texts[i]);
      g_assert_nonnull (strstr (out, line));
      g_assert_false (g_str_has_prefix (out, "{"));
    }
}

static void
test_history_all_pages (void)
{
  g_autoptr (JsonNode) all = NULL;
  g_autoptr (JsonNode) some = NULL;
  JsonArray *list;

  for (int i = 0; i < 20; i++)
    {
      g_autofree char *text = g_strdup_printf ("page %02d", i);
      g_autoptr (JsonNode) sent = run_json ("dave", 0, "send", "C2Cerin", "--text", text, "--json");
    }
  all = run_json ("erin", 0, "history", "C2Cdave", "--all", "--json");
  g_assert_true (JSON_NODE_HOLDS_ARRAY (all));
  list = json_node_get_array (all);
  g_assert_cmpuint (json_array_get_length (list), ==, 20);
  for (guint i = 0; i < MIN (json_array_get_length (list), 20); i++)
    {
      g_autofree char *text = g_strdup_printf ("page %02d", i);

      g_assert_cmpstr (obj_string (json_array_get_object_element (list, i), "payload.text"), ==,
                       text);
    }
  some = run_json ("erin", 0, "history", "C2Cdave", "--count", "4", "--json");
  g_assert_true (JSON_NODE_HOLDS_ARRAY (some));
  list = json_node_get_array (some);
  g_assert_cmpuint (json_array_get_length (list), ==, 4);
  if (json_array_get_length (list) == 4)
    g_assert_cmpstr (obj_string (json_array_get_object_element (list, 3), "payload.text"), ==,
                     "page 19");
}

static void
test_custom_and_face (void)
{
  g_autoptr (JsonNode) custom = run_json ("alice", 0, "send", "C2Cbob", "--custom", "dice",
                                          "--description", "4", "--extension", "ext", "--json");
  g_autoptr (JsonNode) face =
      run_json ("alice", 0, "send", "C2Cbob", "--face", "7", "--data", "tt07", "--json");
  g_autoptr (JsonNode) history = NULL;
  JsonObject *seen;

  g_assert_cmpstr (obj_string (obj (custom), "type"), ==, "TIMCustomElem");
  g_assert_cmpstr (obj_string (obj (custom), "payload.data"), ==, "dice");
  g_assert_cmpstr (obj_string (obj (custom), "payload.description"), ==, "4");
  g_assert_cmpstr (obj_string (obj (custom), "payload.extension"), ==, "ext");
  g_assert_cmpstr (obj_string (obj (face), "type"), ==, "TIMFaceElem");
  g_assert_cmpint (obj_int (obj (face), "payload.index"), ==, 7);
  g_assert_cmpstr (obj_string (obj (face), "payload.data"), ==, "tt07");

  history = run_json ("bob", 0, "history", "C2Calice", "--json");
  seen = find_message (history, obj_string (obj (custom), "id"));
  g_assert_nonnull (seen);
  g_assert_cmpstr (obj_string (seen, "payload.data"), ==, "dice");
  seen = find_message (history, obj_string (obj (face), "id"));
  g_assert_nonnull (seen);
  g_assert_cmpint (obj_int (seen, "payload.index"), ==, 7);
}

static void
test_send_file (void)
{
  g_autofree char *path = g_build_filename (data_dir, "report.bin", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) sent = NULL;
  g_autoptr (JsonNode) history = NULL;
  g_autofree char *body = g_malloc (200000);
  JsonObject *message;
  const char *url;

  for (guint i = 0; i < 200000; i++)
    body[i] = (char) (i * 7);
  g_assert_true (g_file_set_contents (path, body, 200000, &error));
  sent = run_json ("alice", 0, "send", "C2Cbob", "--file", path, "--json");
  message = obj (sent);
  g_assert_cmpstr (obj_string (message, "type"), ==, "TIMFileElem");
  g_assert_cmpstr (obj_string (message, "status"), ==, "success");
  g_assert_cmpstr (obj_string (message, "payload.fileName"), ==, "report.bin");
  g_assert_cmpint (obj_int (message, "payload.fileSize"), ==, 200000);
  url = obj_string (message, "payload.fileUrl");
  g_assert_nonnull (url);
  g_assert_true (g_str_has_prefix (url, "http://127.0.0.1:"));

  history = run_json ("bob", 0, "history", "C2Calice", "--json");
  g_assert_nonnull (find_message (history, obj_string (message, "id")));
  g_assert_cmpstr (
      obj_string (find_message (history, obj_string (message, "id")), "payload.fileUrl"), ==, url);
}

/* --image: measured and uploaded with its thumbnail and large versions; a path that is not a
 * readable file is refused with a plain message and a TIM code, and nothing is sent. */
static void
test_send_image (void)
{
  g_autofree char *path = g_build_filename (data_dir, "wide.png", NULL);
  g_autoptr (GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 1000, 800);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) sent = NULL;
  g_autoptr (JsonNode) missing = NULL;
  g_autoptr (JsonNode) folder = NULL;
  JsonObject *message;

  gdk_pixbuf_fill (pixbuf, 0x3584e4ff);
  g_assert_true (gdk_pixbuf_save (pixbuf, path, "png", &error, NULL));
  sent = run_json ("alice", 0, "send", "C2Cbob", "--image", path, "--json");
  message = obj (sent);
  g_assert_cmpstr (obj_string (message, "type"), ==, "TIMImageElem");
  g_assert_cmpstr (obj_string (message, "status"), ==, "success");
  g_assert_cmpint (obj_int (message, "payload.imageInfoArray.0.width"), ==, 1000);
  g_assert_cmpint (obj_int (message, "payload.imageInfoArray.1.height"), ==, 198);
  g_assert_cmpint (obj_int (message, "payload.imageInfoArray.2.height"), ==, 720);

  missing = run_json ("alice", 1, "send", "C2Cbob", "--image", "/no/such/picture.png", "--json");
  g_assert_cmpint (obj_int (obj (missing), "code"), ==, TIM_ERROR_FILE_EMPTY);
  g_assert_nonnull (strstr (obj_string (obj (missing), "message"), "/no/such/picture.png"));
  folder = run_json ("alice", 1, "send", "C2Cbob", "--audio", data_dir, "--json");
  g_assert_cmpint (obj_int (obj (folder), "code"), ==, TIM_ERROR_FILE_EMPTY);
}

/* forward: fox's message to gem, forwarded by gem to hen, in hen's history as gem's;
 * a recalled one is refused with 2453. */
static void
test_forward (void)
{
  g_autoptr (JsonNode) sent =
      run_json ("fox", 0, "send", "C2Cgem", "--text", "pass it on [Grin]", "--json");
  const char *id = obj_string (obj (sent), "id");
  g_autoptr (JsonNode) forwarded =
      run_json ("gem", 0, "forward", id, "C2Chen", "--conversation", "C2Cfox", "--json");
  g_autoptr (JsonNode) history = run_json ("hen", 0, "history", "C2Cgem", "--json");
  JsonObject *arrived = find_message (history, obj_string (obj (forwarded), "id"));
  g_autoptr (JsonNode) oops = run_json ("fox", 0, "send", "C2Cgem", "--text", "oops", "--json");
  g_autoptr (JsonNode) revoked = run_json ("fox", 0, "revoke", obj_string (obj (oops), "id"),
                                           "--conversation", "C2Cgem", "--json");
  g_autoptr (JsonNode) refused = run_json ("gem", 1, "forward", obj_string (obj (oops), "id"),
                                           "C2Chen", "--conversation", "C2Cfox", "--json");

  g_assert_cmpstr (obj_string (obj (forwarded), "id"), !=, id);
  g_assert_cmpstr (obj_string (obj (forwarded), "from"), ==, "gem");
  g_assert_cmpstr (obj_string (obj (forwarded), "status"), ==, "success");
  g_assert_nonnull (arrived);
  g_assert_cmpstr (obj_string (arrived, "payload.text"), ==, "pass it on [Grin]");
  g_assert_cmpint (obj_int (obj (refused), "code"), ==, TIM_ERROR_MESSAGE_FORWARD_TYPE_INVALID);
  g_assert_cmpstr (obj_string (obj (refused), "message"), ==,
                   "A recalled message cannot be forwarded");
}

/* forward-merged: two of fox's messages to gem, forwarded by gem to hen as one chat history;
 * hen's open-merged lists them in order. Usage errors say what is missing. */
static void
test_forward_merged (void)
{
  g_autoptr (JsonNode) first = run_json ("fox", 0, "send", "C2Cgem", "--text", "one", "--json");
  g_autoptr (JsonNode) second = run_json ("fox", 0, "send", "C2Cgem", "--text", "two", "--json");
  g_autoptr (JsonNode) merged = run_json (
      "gem", 0, "forward-merged", "C2Chen", obj_string (obj (first), "id"),
      obj_string (obj (second), "id"), "--conversation", "C2Cfox", "--title", "From fox", "--json");
  g_autoptr (JsonNode) opened = run_json ("hen", 0, "open-merged", obj_string (obj (merged), "id"),
                                          "--conversation", "C2Cgem", "--json");
  g_autoptr (JsonNode) usage =
      run_json ("gem", 1, "forward-merged", "C2Chen", "--conversation", "C2Cfox", "--json");
  JsonArray *entries = json_node_get_array (opened);

  g_assert_cmpstr (obj_string (obj (merged), "type"), ==, "TIMRelayElem");
  g_assert_cmpstr (obj_string (obj (merged), "status"), ==, "success");
  g_assert_cmpstr (obj_string (obj (merged), "payload.title"), ==, "From fox");
  g_assert_cmpstr (obj_string (obj (merged), "payload.abstractList.1"), ==, "fox: two");
  g_assert_cmpuint (json_array_get_length (entries), ==, 2);
  g_assert_cmpstr (obj_string (json_array_get_object_element (entries, 0), "payload.text"), ==,
                   "one");
  g_assert_cmpstr (obj_string (json_array_get_object_element (entries, 1), "payload.text"), ==,
                   "two");
  g_assert_cmpstr (obj_string (json_array_get_object_element (entries, 1), "from"), ==, "fox");
  g_assert_cmpint (obj_int (obj (usage), "code"), ==, TIM_ERROR_INVALID_PARAMETER);
  g_assert_cmpstr (obj_string (obj (usage), "message"), ==,
                   "forward-merged takes where to, at least one message ID, and --conversation");
}

/* delete-message: gone from fox's history, kept in gem's. */
static void
test_delete_message (void)
{
  g_autoptr (JsonNode) sent =
      run_json ("gem", 0, "send", "C2Cfox", "--text", "delete me", "--json");
  const char *id = obj_string (obj (sent), "id");
  g_autoptr (JsonNode) deleted =
      run_json ("fox", 0, "delete-message", id, "--conversation", "C2Cgem", "--json");
  g_autoptr (JsonNode) fox_history = run_json ("fox", 0, "history", "C2Cgem", "--json");
  g_autoptr (JsonNode) gem_history = run_json ("gem", 0, "history", "C2Cfox", "--json");

  g_assert_true (obj_bool (obj (deleted), "deleted"));
  g_assert_null (find_message (fox_history, id));
  g_assert_nonnull (find_message (gem_history, id));
}

/* edit: the text changes for both sides, marked edited with its version; a face message is
 * refused in words; watch prints the peer's copy changing. */
static void
test_edit (void)
{
  g_autoptr (JsonNode) sent =
      run_json ("alice", 0, "send", "C2Cbob", "--text", "see you at 7", "--json");
  const char *id = obj_string (obj (sent), "id");
  g_autoptr (JsonNode) edited =
      run_json ("alice", 0, "edit", id, "see you at 8", "--conversation", "C2Cbob", "--json");
  g_autoptr (JsonNode) history = run_json ("bob", 0, "history", "C2Calice", "--json");
  g_autoptr (JsonNode) face = run_json ("alice", 0, "send", "C2Cbob", "--face", "3", "--json");
  g_autoptr (JsonNode) not_text = run_json ("alice", 1, "edit", obj_string (obj (face), "id"), "x",
                                            "--conversation", "C2Cbob", "--json");
  g_autoptr (JsonNode) not_mine =
      run_json ("bob", 1, "edit", id, "hijacked", "--conversation", "C2Calice", "--json");
  JsonObject *seen = find_message (history, id);
  g_autofree char *human = NULL;

  g_assert_cmpstr (obj_string (json_object_get_object_member (obj (edited), "payload"), "text"), ==,
                   "see you at 8");
  g_assert_cmpint (obj_int (obj (edited), "version"), ==, 1);
  g_assert_true (obj_bool (obj (edited), "isModified"));
  g_assert_nonnull (seen);
  g_assert_cmpstr (obj_string (json_object_get_object_member (seen, "payload"), "text"), ==,
                   "see you at 8");
  g_assert_true (obj_bool (seen, "isModified"));
  g_assert_cmpint (obj_int (obj (not_text), "code"), ==, TIM_ERROR_INVALID_PARAMETER);
  g_assert_cmpstr (obj_string (obj (not_text), "message"), ==,
                   "Only a text message can be edited from here");
  g_assert_cmpint (obj_int (obj (not_mine), "code"), ==, TIM_ERROR_INVALID_OPERATION);
  g_assert_cmpint (run_cli ("bob", &human, NULL, "history", "C2Calice", NULL), ==, 0);
  g_assert_nonnull (strstr (human, "see you at 8 [edited]"));

  /* A recalled text is 2905 (recalled), not 10004 (not a text), as documented; it keeps its
   * type for the device that sent it. */
  {
    g_autoptr (JsonNode) gone =
        run_json ("alice", 0, "send", "C2Cbob", "--text", "never mind", "--json");
    g_autoptr (JsonNode) revoked = run_json ("alice", 0, "revoke", obj_string (obj (gone), "id"),
                                             "--conversation", "C2Cbob", "--json");
    g_autoptr (JsonNode) refused = run_json ("alice", 1, "edit", obj_string (obj (gone), "id"), "x",
                                             "--conversation", "C2Cbob", "--json");

    g_assert_cmpstr (obj_string (obj (revoked), "type"), ==, "TIMTextElem");
    g_assert_cmpint (obj_int (obj (refused), "code"), ==, TIM_ERROR_INVALID_OPERATION);
  }
}

/* search finds what this device has kept (the history read first), newest first, in one
 * conversation or all; a blank one is refused. */
static void
test_search (void)
{
  g_autoptr (JsonNode) a =
      run_json ("alice", 0, "send", "C2Cbob", "--text", "the blue kayak is ready", "--json");
  g_autoptr (JsonNode) b =
      run_json ("alice", 0, "send", "C2Cbob", "--text", "or take the red KAYAK", "--json");
  g_autoptr (JsonNode) history = run_json ("bob", 0, "history", "C2Calice", "--json");
  g_autoptr (JsonNode) found = run_json ("bob", 0, "search", "kayak", "--json");
  g_autoptr (JsonNode) in_conversation =
      run_json ("bob", 0, "search", "blue", "--conversation", "C2Calice", "--json");
  g_autoptr (JsonNode) blank = run_json ("bob", 1, "search", "  ", "--json");
  JsonArray *list = json_node_get_array (found);

  g_assert_cmpuint (json_array_get_length (list), ==, 2);
  g_assert_cmpstr (obj_string (json_array_get_object_element (list, 0), "id"), ==,
                   obj_string (obj (b), "id"));
  g_assert_cmpstr (obj_string (json_array_get_object_element (list, 1), "id"), ==,
                   obj_string (obj (a), "id"));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (in_conversation)), ==, 1);
  g_assert_cmpint (obj_int (obj (blank), "code"), ==, TIM_ERROR_INVALID_PARAMETER);
}

/* send --reply-to quotes a message of the conversation (TUIKit's messageReply): both sides'
 * JSON has replyTo; an ID not in the conversation is refused in words. */
static void
test_reply (void)
{
  g_autoptr (JsonNode) question =
      run_json ("alice", 0, "send", "C2Cbob", "--text", "coffee or tea?", "--json");
  const char *id = obj_string (obj (question), "id");
  g_autoptr (JsonNode) answer =
      run_json ("bob", 0, "send", "C2Calice", "--text", "tea", "--reply-to", id, "--json");
  g_autoptr (JsonNode) history = run_json ("alice", 0, "history", "C2Cbob", "--json");
  g_autoptr (JsonNode) missing =
      run_json ("bob", 1, "send", "C2Calice", "--text", "huh", "--reply-to", "nope-1-2", "--json");
  JsonObject *seen = find_message (history, obj_string (obj (answer), "id"));
  JsonObject *quote;

  g_assert_nonnull (seen);
  quote = json_object_get_object_member (seen, "replyTo");
  g_assert_nonnull (quote);
  g_assert_cmpstr (obj_string (quote, "messageID"), ==, id);
  g_assert_cmpstr (obj_string (quote, "messageAbstract"), ==, "coffee or tea?");
  g_assert_cmpstr (
      obj_string (json_object_get_object_member (obj (answer), "replyTo"), "messageID"), ==, id);
  g_assert_false (json_object_has_member (obj (question), "replyTo"));
  g_assert_cmpint (obj_int (obj (missing), "code"), ==, TIM_ERROR_INVALID_PARAMETER);
  g_assert_cmpstr (obj_string (obj (missing), "message"), ==, "No message nope-1-2 in C2Calice");
}

static void
test_revoke (void)
{
  g_autoptr (JsonNode) sent = run_json ("alice", 0, "send", "C2Cbob", "--text", "oops", "--json");
  const char *id = obj_string (obj (sent), "id");
  g_autoptr (JsonNode) revoked =
      run_json ("alice", 0, "revoke", id, "--conversation", "C2Cbob", "--json");
  g_autoptr (JsonNode) history = run_json ("bob", 0, "history", "C2Calice", "--json");
  g_autoptr (JsonNode) again =
      run_json ("alice", 1, "revoke", id, "--conversation", "C2Cbob", "--json");
  g_autoptr (JsonNode) missing =
      run_json ("alice", 1, "revoke", "nope-1-2", "--conversation", "C2Cbob", "--json");

  g_assert_true (obj_bool (obj (revoked), "isRevoked"));
  g_assert_nonnull (find_message (history, id));
  g_assert_true (obj_bool (find_message (history, id), "isRevoked"));
  g_assert_cmpint (obj_int (obj (again), "code"), !=, 0);
  g_assert_cmpint (obj_int (obj (missing), "code"), !=, 0);
}

int
main (int argc, char **argv)
{
  test_cli_init (&argc, &argv);
  g_test_add_func ("/cli/send-text-history", test_send_text_and_history);
  g_test_add_func ("/cli/json-as-a-value", test_json_as_a_value);
  g_test_add_func ("/cli/history-all-pages", test_history_all_pages);
  g_test_add_func ("/cli/custom-and-face", test_custom_and_face);
  g_test_add_func ("/cli/send-file", test_send_file);
  g_test_add_func ("/cli/send-image", test_send_image);
  g_test_add_func ("/cli/revoke", test_revoke);
  g_test_add_func ("/cli/edit", test_edit);
  g_test_add_func ("/cli/reply", test_reply);
  g_test_add_func ("/cli/search", test_search);
  g_test_add_func ("/cli/forward", test_forward);
  g_test_add_func ("/cli/forward-merged", test_forward_merged);
  g_test_add_func ("/cli/delete-message", test_delete_message);
  return test_cli_run ();
}
