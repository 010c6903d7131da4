/* test-cli-conversations.c: timchat-cli end to end, the conversation list and its state:
 * clear-history, drafts, the blocklist, a send to nobody, marks and custom data, read, pin, mute
 * and delete, one's own profile (me), folders. Separate from the other test-cli-*.c (split from
 * test-cli.c by what they exercise) to keep each program small; each runs the built binary
 * against its own server under run-with-keyring.sh. */
#define G_LOG_DOMAIN "test-cli-conversations"

#include "config.h"

#include <string.h>

#include "tim-error.h"
#include "test-cli-common.h"
#include "timchat-test-util.h"

/* clear-history: fox's history of the conversation is empty, it stays listed, gem's is whole; a
 * conversation fox does not have is refused with 2500. */
static void
test_clear_history (void)
{
  g_autoptr (JsonNode) sent = run_json ("gem", 0, "send", "C2Cfox", "--text", "clear me", "--json");
  const char *id = obj_string (obj (sent), "id");
  g_autoptr (JsonNode) cleared = run_json ("fox", 0, "clear-history", "C2Cgem", "--json");
  g_autoptr (JsonNode) fox_history = run_json ("fox", 0, "history", "C2Cgem", "--json");
  g_autoptr (JsonNode) gem_history = run_json ("gem", 0, "history", "C2Cfox", "--json");
  g_autoptr (JsonNode) listed = run_json ("fox", 0, "conversations", "--json");
  g_autoptr (JsonNode) refused = run_json ("fox", 1, "clear-history", "C2Cnobody-at-all", "--json");
  JsonArray *fox_messages = json_node_get_array (fox_history);
  gboolean still_listed = FALSE;

  g_assert_true (obj_bool (obj (cleared), "cleared"));
  g_assert_cmpstr (obj_string (obj (cleared), "conversationID"), ==, "C2Cgem");
  g_assert_cmpuint (json_array_get_length (fox_messages), ==, 0);
  g_assert_nonnull (find_message (gem_history, id));
  for (guint i = 0; i < json_array_get_length (json_node_get_array (listed)); i++)
    still_listed |=
        g_strcmp0 (obj_string (json_array_get_object_element (json_node_get_array (listed), i),
                               "conversationID"),
                   "C2Cgem") == 0;
  g_assert_true (still_listed);
  g_assert_cmpint (obj_int (obj (refused), "code"), ==, TIM_ERROR_CONVERSATION_NOT_FOUND);
}

/* draft: kept between runs (the local store), listed with its conversation, shown in words,
 * removed with --clear; an ID that is none and a text that is not UTF-8 are refused. */
static void
test_draft (void)
{
  g_autoptr (JsonNode) sent = run_json ("gem", 0, "send", "C2Cfox", "--text", "hi fox", "--json");
  g_autoptr (JsonNode) kept = run_json ("fox", 0, "draft", "C2Cgem", "half [Grin]", "--json");
  g_autoptr (JsonNode) shown = run_json ("fox", 0, "draft", "C2Cgem", "--json");
  g_autoptr (JsonNode) listed = run_json ("fox", 0, "conversations", "--json");
  g_autoptr (JsonNode) bad_id = run_json ("fox", 1, "draft", "nobody", "x", "--json");
  g_autoptr (JsonNode) bad_text = run_json ("fox", 1, "draft", "C2Cgem", "\xff", "--json");
  g_autoptr (JsonNode) cleared = NULL;
  g_autoptr (JsonNode) gone = NULL;
  g_autofree char *words = NULL;
  JsonArray *conversations = json_node_get_array (listed);
  const char *listed_draft = NULL;

  g_assert_cmpstr (obj_string (obj (kept), "draftText"), ==, "half [Grin]");
  g_assert_cmpstr (obj_string (obj (shown), "conversationID"), ==, "C2Cgem");
  g_assert_cmpstr (obj_string (obj (shown), "draftText"), ==, "half [Grin]");
  for (guint i = 0; i < json_array_get_length (conversations); i++)
    {
      JsonObject *conversation = json_array_get_object_element (conversations, i);

      if (g_strcmp0 (obj_string (conversation, "conversationID"), "C2Cgem") == 0)
        listed_draft = obj_string (conversation, "draftText");
    }
  g_assert_cmpstr (listed_draft, ==, "half [Grin]");
  g_assert_cmpint (obj_int (obj (bad_id), "code"), ==, TIM_ERROR_INVALID_CONVERSATION_ID);
  g_assert_cmpint (obj_int (obj (bad_text), "code"), ==, TIM_ERROR_INVALID_PARAMETER);
  g_assert_cmpint (run_cli ("fox", &words, NULL, "draft", "C2Cgem", NULL), ==, 0);
  g_assert_cmpstr (words, ==, "half [Grin]\n");

  cleared = run_json ("fox", 0, "draft", "C2Cgem", "--clear", "--json");
  gone = run_json ("fox", 0, "draft", "C2Cgem", "--json");
  g_assert_cmpstr (obj_string (obj (cleared), "draftText"), ==, "");
  g_assert_cmpstr (obj_string (obj (gone), "draftText"), ==, "");
}

/* block, blocked, unblock: the list after each; the blocked user's send fails with 20007 until
 * unblocked (and stays the failed last message of its conversation); oneself is refused before
 * anything is sent (2742), an unknown account with 30003, by block and unblock alike; unblocking
 * someone not blocked is nothing to do. */
static void
test_blocklist (void)
{
  g_autoptr (JsonNode) blocked = run_json ("fox", 0, "block", "gem", "--json");
  g_autoptr (JsonNode) listed = run_json ("fox", 0, "blocked", "--json");
  g_autoptr (JsonNode) refused = run_json ("gem", 1, "send", "C2Cfox", "--text", "hi?", "--json");
  g_autoptr (JsonNode) kept = run_json ("gem", 0, "conversations", "--json");
  g_autoptr (JsonNode) self = run_json ("fox", 1, "block", "fox", "--json");
  g_autoptr (JsonNode) unknown = run_json ("fox", 1, "block", "no-such-user-here", "--json");
  g_autoptr (JsonNode) unblocked = run_json ("fox", 0, "unblock", "gem", "--json");
  g_autoptr (JsonNode) sent = run_json ("gem", 0, "send", "C2Cfox", "--text", "hi!", "--json");
  g_autoptr (JsonNode) unknown_off = run_json ("fox", 1, "unblock", "no-such-user-here", "--json");
  g_autoptr (JsonNode) not_blocked = run_json ("fox", 0, "unblock", "hen", "--json");
  g_autofree char *words = NULL;

  g_assert_cmpstr (obj_string (obj (blocked), "blocked.0"), ==, "gem");
  g_assert_cmpstr (obj_string (obj (listed), "blocked.0"), ==, "gem");
  g_assert_cmpint (obj_int (obj (refused), "code"), ==, TIM_ERROR_MSG_IN_PEER_BLACKLIST);
  g_assert_cmpstr (obj_string (find_message (kept, "C2Cfox"), "lastMessage.status"), ==, "fail");
  g_assert_cmpint (obj_int (obj (self), "code"), ==, TIM_ERROR_CANNOT_ADD_SELF_TO_BLACKLIST);
  g_assert_cmpint (obj_int (obj (unknown), "code"), ==, TIM_ERROR_SNS_ACCOUNT_NOT_FOUND);
  g_assert_cmpuint (
      json_array_get_length (timchat_test_json_get_array (obj (unblocked), "blocked")), ==, 0);
  g_assert_nonnull (obj_string (obj (sent), "id"));
  g_assert_cmpint (obj_int (obj (unknown_off), "code"), ==, TIM_ERROR_SNS_ACCOUNT_NOT_FOUND);
  g_assert_cmpstr (obj_string (obj (unknown_off), "message"), ==,
                   "no-such-user-here: The user does not exist");
  g_assert_cmpuint (
      json_array_get_length (timchat_test_json_get_array (obj (not_blocked), "blocked")), ==, 0);

  g_assert_cmpint (run_cli ("fox", &words, NULL, "blocked", NULL), ==, 0);
  g_assert_cmpstr (words, ==, "");
}

/* A send the server refuses for want of a recipient (90003) makes no conversation: none listed,
 * and pin, mark and mute all say so alike (2500). */
static void
test_send_to_nobody (void)
{
  g_autoptr (JsonNode) refused =
      run_json ("ivy", 1, "send", "C2Cno-such-user-here", "--text", "x", "--json");
  g_autoptr (JsonNode) listed = run_json ("ivy", 0, "conversations", "--json");
  g_autoptr (JsonNode) pinned = run_json ("ivy", 1, "pin", "C2Cno-such-user-here", "--json");
  g_autoptr (JsonNode) marked =
      run_json ("ivy", 1, "mark", "C2Cno-such-user-here", "unread", "--json");
  g_autoptr (JsonNode) muted = run_json ("ivy", 1, "mute", "C2Cno-such-user-here", "--json");

  g_assert_cmpint (obj_int (obj (refused), "code"), ==, TIM_ERROR_TO_ACCOUNT_INVALID);
  g_assert_nonnull (listed);
  g_assert_null (find_message (listed, "C2Cno-such-user-here"));
  g_assert_cmpint (obj_int (obj (pinned), "code"), ==, TIM_ERROR_CONVERSATION_NOT_FOUND);
  g_assert_cmpint (obj_int (obj (marked), "code"), ==, TIM_ERROR_CONVERSATION_NOT_FOUND);
  g_assert_cmpint (obj_int (obj (muted), "code"), ==, TIM_ERROR_CONVERSATION_NOT_FOUND);
}

/* folders: made with a conversation, filled, renamed, emptied, deleted; the list after each, in
 * JSON and in lines; bad subcommands and conversations refused. */
static void
test_folders (void)
{
  g_autoptr (JsonNode) sent = run_json ("hal", 0, "send", "C2Cfay", "--text", "hi", "--json");
  g_autoptr (JsonNode) made = NULL, added = NULL, renamed = NULL, taken_out = NULL;
  g_autoptr (JsonNode) deleted = NULL, unknown = NULL, usage = NULL, not_listed = NULL;
  g_autoptr (JsonNode) taken = NULL;
  g_autofree char *lines = NULL;

  g_assert_nonnull (obj_string (obj (sent), "id"));
  made = run_json ("fay", 0, "folders", "create", "Friends", "C2Chal", "--json");
  g_assert_cmpstr (obj_string (obj (made), "folders.0.name"), ==, "Friends");
  g_assert_cmpstr (obj_string (obj (made), "folders.0.conversations.0"), ==, "C2Chal");
  taken = run_json ("fay", 1, "folders", "create", "Friends", "--json");
  g_assert_cmpint (obj_int (obj (taken), "code"), ==, TIM_ERROR_INVALID_PARAMETER);
  json_node_unref (run_json ("fay", 0, "folders", "create", "Work", "--json"));
  added = run_json ("fay", 0, "folders", "add", "Work", "C2Chal", "--json");
  g_assert_cmpstr (obj_string (obj (added), "folders.1.conversations.0"), ==, "C2Chal");
  renamed = run_json ("fay", 0, "folders", "rename", "Work", "Office", "--json");
  g_assert_cmpstr (obj_string (obj (renamed), "folders.1.name"), ==, "Office");
  g_assert_cmpint (run_cli ("fay", &lines, NULL, "folders", NULL), ==, 0);
  g_assert_cmpstr (lines, ==, "Friends: C2Chal\nOffice: C2Chal\n");
  g_clear_pointer (&lines, g_free);
  taken_out = run_json ("fay", 0, "folders", "remove", "Friends", "C2Chal", "--json");
  g_assert_null (obj_string (obj (taken_out), "folders.0.conversations.0"));
  not_listed = run_json ("fay", 1, "folders", "add", "Office", "C2Cnobody-here", "--json");
  g_assert_cmpint (obj_int (obj (not_listed), "code"), ==, TIM_ERROR_CONVERSATION_NOT_FOUND);
  deleted = run_json ("fay", 0, "folders", "delete", "Office", "--json");
  g_assert_cmpstr (obj_string (obj (deleted), "folders.0.name"), ==, "Friends");
  g_assert_null (obj_string (obj (deleted), "folders.1.name"));
  g_assert_cmpint (run_cli ("fay", &lines, NULL, "folders", NULL), ==, 0);
  g_assert_cmpstr (lines, ==, "Friends:\n");
  unknown = run_json ("fay", 1, "folders", "move", "Friends", "--json");
  g_assert_cmpint (obj_int (obj (unknown), "code"), ==, TIM_ERROR_INVALID_PARAMETER);
  usage = run_json ("fay", 1, "folders", "rename", "Friends", "--json");
  g_assert_cmpint (obj_int (obj (usage), "code"), ==, TIM_ERROR_INVALID_PARAMETER);
}

/* The markList conversations --json gives the conversation, as a string ("1,2"). */
static char *
listed_marks (const char *user, const char *conversation_id)
{
  g_autoptr (JsonNode) listed = run_json (user, 0, "conversations", "--json");
  JsonArray *list = JSON_NODE_HOLDS_ARRAY (listed) ? json_node_get_array (listed) : NULL;

  for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
    {
      JsonObject *item = json_array_get_object_element (list, i);
      JsonArray *marks = timchat_test_json_get_array (item, "markList");
      GString *text = g_string_new (NULL);

      if (g_strcmp0 (obj_string (item, "conversationID"), conversation_id) != 0)
        {
          g_string_free (text, TRUE);
          continue;
        }
      for (guint j = 0; marks != NULL && j < json_array_get_length (marks); j++)
        g_string_append_printf (text, "%s%" G_GINT64_FORMAT, j > 0 ? "," : "",
                                json_array_get_int_element (marks, j));
      return g_string_free (text, FALSE);
    }
  return NULL;
}

/* mark: by name and as the SDK's markType, listed as its markList and in words; reading takes
 * "unread" away; --off takes marks away; what is not a mark, or not a listed conversation, is
 * refused with its code. custom-data: kept, listed, refused past 256 characters, cleared. */
static void
test_marks (void)
{
  /* len logs in first: the send needs her account. */
  g_autoptr (JsonNode) before = run_json ("len", 0, "conversations", "--json");
  g_autoptr (JsonNode) sent = run_json ("kit", 0, "send", "C2Clen", "--text", "mark me", "--json");
  g_autoptr (JsonNode) marked = run_json ("len", 0, "mark", "C2Ckit", "unread", "1", "--json");
  g_autofree char *both = listed_marks ("len", "C2Ckit");
  g_autofree char *words = NULL;
  g_autoptr (JsonNode) read = run_json ("len", 0, "read", "C2Ckit", "--json");
  g_autofree char *starred = listed_marks ("len", "C2Ckit");
  g_autoptr (JsonNode) unstarred = run_json ("len", 0, "mark", "C2Ckit", "star", "--off", "--json");
  static const char *const not_marks[] = { "bold", "3", "0", "-2", "18446744073709551616", NULL };

  g_assert_true (JSON_NODE_HOLDS_ARRAY (before));
  g_assert_nonnull (obj_string (obj (sent), "id"));
  g_assert_cmpstr (obj_string (obj (marked), "conversationID"), ==, "C2Ckit");
  g_assert_cmpint (obj_int (obj (marked), "markList.0"), ==, 1);
  g_assert_cmpint (obj_int (obj (marked), "markList.1"), ==, 2);
  g_assert_cmpstr (both, ==, "1,2");
  g_assert_cmpstr (starred, ==, "1");
  g_assert_cmpint (obj_int (obj (read), "unreadCount"), ==, 0);
  g_assert_cmpuint (
      json_array_get_length (timchat_test_json_get_array (obj (unstarred), "markList")), ==, 0);
  g_assert_cmpint (run_cli ("len", NULL, NULL, "mark", "C2Ckit", "unread", "hide", NULL), ==, 0);
  g_assert_cmpint (run_cli ("len", &words, NULL, "conversations", NULL), ==, 0);
  g_assert_nonnull (strstr (words, "marked unread"));
  g_assert_null (strstr (words, "starred"));

  for (guint i = 0; not_marks[i] != NULL; i++)
    {
      g_autoptr (JsonNode) refused = run_json ("len", 1, "mark", "C2Ckit", not_marks[i], "--json");

      g_assert_cmpint (obj_int (obj (refused), "code"), ==, TIM_ERROR_INVALID_PARAMETER);
    }
  {
    g_autoptr (JsonNode) no_mark = run_json ("len", 1, "mark", "C2Ckit", "--json");
    g_autoptr (JsonNode) nobody =
        run_json ("len", 1, "mark", "C2Cnobody-at-all", "unread", "--json");

    g_assert_cmpint (obj_int (obj (no_mark), "code"), ==, TIM_ERROR_INVALID_PARAMETER);
    g_assert_cmpint (obj_int (obj (nobody), "code"), ==, TIM_ERROR_CONVERSATION_NOT_FOUND);
  }
  /* custom-data: kept, listed as customData (another run: from the server), cleared with "". */
  {
    g_autofree char *long_words = g_strnfill (257, 'w');
    g_autoptr (JsonNode) kept =
        run_json ("len", 0, "custom-data", "C2Ckit", "call kit back", "--json");
    g_autoptr (JsonNode) listed = run_json ("len", 0, "conversations", "--json");
    g_autoptr (JsonNode) too_long =
        run_json ("len", 1, "custom-data", "C2Ckit", long_words, "--json");
    g_autoptr (JsonNode) cleared = run_json ("len", 0, "custom-data", "C2Ckit", "", "--json");
    g_autoptr (JsonNode) listed_after = run_json ("len", 0, "conversations", "--json");
    JsonArray *list = json_node_get_array (listed);
    JsonArray *list_after = json_node_get_array (listed_after);
    const char *data = NULL, *data_after = NULL;

    g_assert_cmpstr (obj_string (obj (kept), "customData"), ==, "call kit back");
    for (guint i = 0; i < json_array_get_length (list); i++)
      if (g_strcmp0 (obj_string (json_array_get_object_element (list, i), "conversationID"),
                     "C2Ckit") == 0)
        data = obj_string (json_array_get_object_element (list, i), "customData");
    for (guint i = 0; i < json_array_get_length (list_after); i++)
      if (g_strcmp0 (obj_string (json_array_get_object_element (list_after, i), "conversationID"),
                     "C2Ckit") == 0)
        data_after = obj_string (json_array_get_object_element (list_after, i), "customData");
    g_assert_cmpstr (data, ==, "call kit back");
    g_assert_cmpint (obj_int (obj (too_long), "code"), ==, TIM_ERROR_INVALID_PARAMETER);
    g_assert_cmpstr (obj_string (obj (cleared), "customData"), ==, "");
    g_assert_cmpstr (data_after, ==, "");
  }
}

/* The string fields of a conversation object are strings (docs/cli.md) in every conversation,
 * the group notices (@TIM#SYSTEM) too, which come once a group is made with the user in it:
 * their avatar was null. */
static void
test_conversation_fields (void)
{
  static const char *const strings[] = {
    "conversationID",    "type",           "peer",      "name", "avatar", "customData",
    "messageRemindType", "messageForShow", "draftText", NULL,
  };
  g_autoptr (JsonNode) me = run_json ("pia", 0, "me", "--json");
  g_autoptr (JsonNode) created =
      run_json ("owl", 0, "group", "create", "Typed", "--member", "pia", "--json");
  g_autoptr (JsonNode) listed = run_json ("pia", 0, "conversations", "--json");
  g_autoptr (GString) wrong = g_string_new (NULL);
  gboolean notices = FALSE;
  JsonArray *list;

  g_assert_nonnull (obj_string (obj (created), "GroupId"));
  g_assert_true (listed != NULL && JSON_NODE_HOLDS_ARRAY (listed));
  if (listed == NULL || !JSON_NODE_HOLDS_ARRAY (listed))
    return;
  list = json_node_get_array (listed);
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *conversation = json_array_get_object_element (list, i);
      const char *id = obj_string (conversation, "conversationID");

      notices = notices || g_strcmp0 (id, "@TIM#SYSTEM") == 0;
      for (guint j = 0; strings[j] != NULL; j++)
        {
          JsonNode *node = json_object_get_member (conversation, strings[j]);

          if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
              json_node_get_value_type (node) != G_TYPE_STRING)
            g_string_append_printf (wrong, "%s %s; ", id, strings[j]);
        }
    }
  g_assert_true (notices);
  g_assert_cmpstr (wrong->str, ==, "");
}

static void
test_read_and_delete (void)
{
  g_autoptr (JsonNode) sent1 = run_json ("alice", 0, "send", "C2Ccarol", "--text", "one", "--json");
  g_autoptr (JsonNode) sent2 = run_json ("alice", 0, "send", "C2Ccarol", "--text", "two", "--json");
  g_autoptr (JsonNode) before = run_json ("carol", 0, "conversations", "--json");
  g_autoptr (JsonNode) read = run_json ("carol", 0, "read", "C2Calice", "--json");
  g_autoptr (JsonNode) after = run_json ("carol", 0, "conversations", "--json");
  g_autoptr (JsonNode) pinned = NULL;
  g_autoptr (JsonNode) listed = NULL;
  g_autoptr (JsonNode) not_listed = NULL;
  g_autoptr (JsonNode) muted = NULL;
  g_autoptr (JsonNode) all_read = NULL;
  g_autoptr (JsonNode) deleted = NULL;
  g_autoptr (JsonNode) gone = NULL;
  g_autofree char *out = NULL;
  JsonObject *conversation;

  conversation = find_message (before, "C2Calice");
  g_assert_nonnull (conversation);
  g_assert_cmpint (obj_int (conversation, "unreadCount"), ==, 2);
  g_assert_cmpstr (obj_string (conversation, "lastMessage.payload.text"), ==, "two");
  g_assert_cmpint (obj_int (obj (read), "unreadCount"), ==, 0);
  conversation = find_message (after, "C2Calice");
  g_assert_nonnull (conversation);
  g_assert_cmpint (obj_int (conversation, "unreadCount"), ==, 0);

  /* Without --json: one line a conversation, and a sentence for what was done. */
  g_assert_cmpint (run_cli ("alice", &out, NULL, "conversations", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "C2Ccarol                 carol  "));
  g_assert_nonnull (strstr (out, "  unread 0  two\n"));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_cli ("alice", &out, NULL, "profile", "C2Ccarol", NULL), ==, 0);
  g_assert_true (g_str_has_prefix (out, "C2Ccarol"));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_cli ("carol", &out, NULL, "read", "C2Calice", NULL), ==, 0);
  g_assert_cmpstr (out, ==, "Marked C2Calice read.\n");
  g_clear_pointer (&out, g_free);

  /* Pinned: listed so, in JSON and in words; --off unpins; only a listed one can be. */
  pinned = run_json ("carol", 0, "pin", "C2Calice", "--json");
  g_assert_true (obj_bool (obj (pinned), "isPinned"));
  listed = run_json ("carol", 0, "conversations", "--json");
  g_assert_true (obj_bool (find_message (listed, "C2Calice"), "isPinned"));
  g_assert_cmpint (run_cli ("carol", &out, NULL, "conversations", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "  unread 0  pinned  two\n"));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_cli ("carol", &out, NULL, "pin", "C2Calice", "--off", NULL), ==, 0);
  g_assert_cmpstr (out, ==, "Unpinned C2Calice.\n");
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_cli ("carol", &out, NULL, "conversations", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "  unread 0  two\n"));
  g_clear_pointer (&out, g_free);
  /* Muted: in JSON, in words, and back. */
  muted = run_json ("carol", 0, "mute", "C2Calice", "--json");
  g_assert_cmpstr (obj_string (obj (muted), "messageRemindType"), ==, "AcceptNotNotify");
  g_assert_cmpint (run_cli ("carol", &out, NULL, "conversations", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "  unread 0  muted  two\n"));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_cli ("carol", &out, NULL, "mute", "C2Calice", "--off", NULL), ==, 0);
  g_assert_cmpstr (out, ==, "Unmuted C2Calice.\n");
  g_clear_pointer (&out, g_free);
  /* Discarded: its messages do not come (the server's part is test-server-discard); the list
   * says so; --off takes it back, and both at once are refused before anything is sent. */
  g_clear_pointer (&muted, json_node_unref);
  muted = run_json ("carol", 0, "mute", "C2Calice", "--discard", "--json");
  g_assert_cmpstr (obj_string (obj (muted), "messageRemindType"), ==, "Discard");
  g_assert_cmpint (run_cli ("carol", &out, NULL, "conversations", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "  unread 0  discarded  two\n"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&muted, json_node_unref);
  muted = run_json ("carol", 1, "mute", "C2Calice", "--discard", "--off", "--json");
  g_assert_cmpint (obj_int (obj (muted), "code"), ==, TIM_ERROR_INVALID_PARAMETER);
  g_assert_cmpstr (obj_string (obj (muted), "message"), ==,
                   "--off and --discard contradict each other");
  g_assert_cmpint (run_cli ("carol", &out, NULL, "mute", "C2Calice", "--off", NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&listed, json_node_unref);
  listed = run_json ("carol", 0, "conversations", "--json");
  g_assert_cmpstr (obj_string (find_message (listed, "C2Calice"), "messageRemindType"), ==,
                   "AcceptAndNotify");

  not_listed = run_json ("carol", 1, "pin", "C2Cnobody", "--json");
  g_assert_cmpint (obj_int (obj (not_listed), "code"), ==, TIM_ERROR_CONVERSATION_NOT_FOUND);
  g_assert_cmpstr (obj_string (obj (not_listed), "message"), ==,
                   "There is no conversation “C2Cnobody” in the list");

  /* read --all: everything at once; with a conversation ID too, refused. */
  json_node_unref (run_json ("alice", 0, "send", "C2Ccarol", "--text", "three", "--json"));
  all_read = run_json ("carol", 0, "read", "--all", "--json");
  g_assert_cmpint (obj_int (obj (all_read), "totalUnreadCount"), ==, 0);
  g_clear_pointer (&listed, json_node_unref);
  listed = run_json ("carol", 0, "conversations", "--json");
  g_assert_cmpint (obj_int (find_message (listed, "C2Calice"), "unreadCount"), ==, 0);
  g_clear_pointer (&all_read, json_node_unref);
  all_read = run_json ("carol", 1, "read", "--all", "C2Calice", "--json");
  g_assert_cmpstr (obj_string (obj (all_read), "message"), ==,
                   "read --all takes no conversation ID");

  deleted = run_json ("carol", 0, "delete", "C2Calice", "--json");
  g_assert_true (obj_bool (obj (deleted), "deleted"));
  gone = run_json ("carol", 0, "conversations", "--json");
  g_assert_null (find_message (gone, "C2Calice"));
}

/* ---------------------------------------------------------------- me */

/* One's own nickname: shown, set (the peer's profile of the conversation then has it), refused
 * when too long with the TIM code, and cleared. */
static void
test_me (void)
{
  g_autofree char *too_long = g_strnfill (501, 'x');
  g_autoptr (JsonNode) before = run_json ("dora", 0, "me", "--json");
  g_autoptr (JsonNode) set = run_json ("dora", 0, "me", "--nick", "Dora D.", "--json");
  g_autoptr (JsonNode) seen = run_json ("erik", 0, "profile", "C2Cdora", "--json");
  g_autoptr (JsonNode) refused = run_json ("dora", 1, "me", "--nick", too_long, "--json");
  g_autoptr (JsonNode) cleared = run_json ("dora", 0, "me", "--nick", "", "--json");
  g_autofree char *out = NULL;

  g_assert_cmpstr (obj_string (obj (before), "userID"), ==, "dora");
  g_assert_cmpstr (obj_string (obj (before), "nick"), ==, "");
  g_assert_cmpstr (obj_string (obj (set), "nick"), ==, "Dora D.");
  g_assert_cmpstr (obj_string (obj (seen), "name"), ==, "Dora D.");
  g_assert_cmpint (obj_int (obj (refused), "code"), ==, TIM_ERROR_PROFILE_VALUE_TOO_LONG);
  g_assert_cmpstr (obj_string (obj (cleared), "nick"), ==, "");
  g_assert_cmpint (
      run_cli ("dora", &out, NULL, "me", "--avatar", "https://example.org/d.png", NULL), ==, 0);
  g_assert_cmpstr (out, ==, "dora\t\thttps://example.org/d.png\n");
  g_clear_pointer (&out, g_free);

  /* A device's first list names people by their nicks, not their IDs. */
  json_node_unref (run_json ("hana", 0, "me", "--nick", "Hana H.", "--json"));
  timchat_test_import_account (fixture, "ivo", NULL);
  json_node_unref (run_json ("hana", 0, "send", "C2Civo", "--text", "hi", "--json"));
  g_assert_cmpint (run_cli ("ivo", &out, NULL, "conversations", NULL), ==, 0);
  g_assert_true (g_str_has_prefix (out, "C2Chana                  Hana H.  "));
}

int
main (int argc, char **argv)
{
  test_cli_init (&argc, &argv);
  g_test_add_func ("/cli/clear-history", test_clear_history);
  g_test_add_func ("/cli/draft", test_draft);
  g_test_add_func ("/cli/blocklist", test_blocklist);
  g_test_add_func ("/cli/send-to-nobody", test_send_to_nobody);
  g_test_add_func ("/cli/marks", test_marks);
  g_test_add_func ("/cli/read-and-delete", test_read_and_delete);
  g_test_add_func ("/cli/conversation-fields", test_conversation_fields);
  g_test_add_func ("/cli/me", test_me);
  g_test_add_func ("/cli/folders", test_folders);
  return test_cli_run ();
}
