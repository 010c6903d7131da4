/* test-cli-groups.c: timchat-cli end to end, groups: create, add, admin, mute, name cards,
 * mentions, quit, profile and picture, owner, dismiss, remove, tips and notices, search, join and
 * answer. Separate from the other test-cli-*.c (split from test-cli.c by what they exercise) to
 * keep each program small; each runs the built binary against its own server under
 * run-with-keyring.sh. */
#define G_LOG_DOMAIN "test-cli-groups"

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <string.h>

#include "tim-error.h"
#include "test-cli-common.h"
#include "timchat-test-util.h"

/* ---------------------------------------------------------------- groups */

static gboolean
has_member (JsonNode *members, const char *user, const char *role)
{
  JsonArray *list =
      obj (members) != NULL ? timchat_test_json_get_array (obj (members), "MemberList") : NULL;

  for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
    {
      JsonObject *member = json_array_get_object_element (list, i);

      if (g_strcmp0 (obj_string (member, "Member_Account"), user) == 0)
        return role == NULL || g_strcmp0 (obj_string (member, "Role"), role) == 0;
    }
  return FALSE;
}

static void
test_group (void)
{
  g_autoptr (JsonNode) created =
      run_json ("alice", 0, "group", "create", "Team", "--member", "bob", "--json");
  g_autofree char *group_id = g_strdup (obj_string (obj (created), "GroupId"));
  g_autofree char *conversation = g_strdup_printf ("GROUP%s", group_id);
  g_autoptr (JsonNode) added = NULL;
  g_autoptr (JsonNode) members = NULL;
  g_autoptr (JsonNode) admin = NULL;
  g_autoptr (JsonNode) members2 = NULL;
  g_autoptr (JsonNode) quit = NULL;
  g_autoptr (JsonNode) before_quit = NULL;
  g_autoptr (JsonNode) after_quit = NULL;
  g_autoptr (JsonNode) members3 = NULL;
  g_autoptr (JsonNode) sent = NULL;
  g_autoptr (JsonNode) history = NULL;
  g_autoptr (JsonNode) dismissed = NULL;
  g_autoptr (JsonNode) after = NULL;
  g_autoptr (JsonNode) renamed = NULL;
  g_autoptr (JsonNode) seen = NULL;
  g_autoptr (JsonNode) refused = NULL;
  g_autoptr (JsonNode) muted = NULL;
  g_autoptr (JsonNode) silenced = NULL;
  g_autoptr (JsonNode) bad_switch = NULL;
  g_autoptr (JsonNode) unmuted = NULL;
  g_autofree char *human = NULL;

  g_assert_nonnull (group_id);
  if (group_id == NULL)
    return;
  added = run_json ("alice", 0, "group", "add", group_id, "carol", "--json");
  members = run_json ("alice", 0, "group", "members", group_id, "--json");
  g_assert_true (has_member (members, "alice", "Owner"));
  g_assert_true (has_member (members, "bob", "Member"));
  g_assert_true (has_member (members, "carol", "Member"));

  admin = run_json ("alice", 0, "group", "admin", group_id, "bob", "--json");
  members2 = run_json ("alice", 0, "group", "members", group_id, "--json");
  g_assert_true (has_member (members2, "bob", "Admin"));

  sent = run_json ("alice", 0, "send", conversation, "--text", "hi team", "--json");
  g_assert_cmpstr (obj_string (obj (sent), "status"), ==, "success");
  history = run_json ("carol", 0, "history", conversation, "--json");
  g_assert_nonnull (find_message (history, obj_string (obj (sent), "id")));

  /* Mute-all, the owner's and admins' to set: a plain member cannot post meanwhile. */
  muted = run_json ("alice", 0, "group", "profile", group_id, "--mute-all", "on", "--json");
  silenced = run_json ("carol", 1, "send", conversation, "--text", "may I?", "--json");
  g_assert_cmpint (obj_int (obj (silenced), "code"), ==, TIM_ERROR_GROUP_MUTED);
  bad_switch = run_json ("alice", 1, "group", "profile", group_id, "--mute-all", "maybe", "--json");
  g_assert_cmpint (obj_int (obj (bad_switch), "code"), ==, TIM_ERROR_INVALID_PARAMETER);
  unmuted = run_json ("alice", 0, "group", "profile", group_id, "--mute-all", "off", "--json");

  /* carol muted: her send is refused until she is unmuted; SECONDS must be a number. */
  {
    g_autoptr (JsonNode) muting =
        run_json ("alice", 0, "group", "mute", group_id, "carol", "600", "--json");
    g_autoptr (JsonNode) hushed =
        run_json ("carol", 1, "send", conversation, "--text", "hm", "--json");
    g_autoptr (JsonNode) unmuting =
        run_json ("alice", 0, "group", "mute", group_id, "carol", "0", "--json");
    g_autoptr (JsonNode) spoke =
        run_json ("carol", 0, "send", conversation, "--text", "ok", "--json");
    g_autoptr (JsonNode) bad_seconds =
        run_json ("alice", 1, "group", "mute", group_id, "carol", "soon", "--json");

    g_assert_cmpint (obj_int (obj (hushed), "code"), ==, TIM_ERROR_GROUP_MUTED);
    g_assert_cmpstr (obj_string (obj (spoke), "status"), ==, "success");
    g_assert_cmpint (obj_int (obj (bad_seconds), "code"), ==, TIM_ERROR_INVALID_PARAMETER);
  }

  /* carol's name in the group: on her next message, in bob's history. Too long is refused. */
  {
    g_autoptr (JsonNode) carded = run_json ("carol", 0, "group", "card", group_id, "Cee", "--json");
    g_autoptr (JsonNode) too_long =
        run_json ("carol", 1, "group", "card", group_id,
                  "012345678901234567890123456789012345678901234567890", "--json");
    g_autoptr (JsonNode) signed_message =
        run_json ("carol", 0, "send", conversation, "--text", "signed", "--json");
    g_autoptr (JsonNode) seen_by_bob = run_json ("bob", 0, "history", conversation, "--json");
    JsonObject *message = find_message (seen_by_bob, obj_string (obj (signed_message), "id"));

    g_assert_cmpint (obj_int (obj (too_long), "code"), ==, TIM_ERROR_INVALID_PARAMETER);
    g_assert_nonnull (message);
    g_assert_cmpstr (obj_string (message, "nameCard"), ==, "Cee");
  }

  /* Mentions: the message lists them (atUserList); bob's conversation is marked @me and @all
   * (groupAtType 3) until he reads it. */
  {
    g_autoptr (JsonNode) mentioning =
        run_json ("alice", 0, "send", conversation, "--text", "@bob and everyone", "--at", "bob",
                  "--at-all", "--json");
    g_autoptr (JsonNode) bob_history = run_json ("bob", 0, "history", conversation, "--json");
    g_autoptr (JsonNode) marked = run_json ("bob", 0, "conversations", "--json");
    g_autoptr (JsonNode) read = run_json ("bob", 0, "read", conversation, "--json");
    g_autoptr (JsonNode) unmarked = run_json ("bob", 0, "conversations", "--json");
    JsonObject *got = find_message (bob_history, obj_string (obj (mentioning), "id"));
    JsonArray *at_users = json_object_get_array_member (obj (mentioning), "atUserList");

    g_assert_cmpuint (json_array_get_length (at_users), ==, 2);
    g_assert_cmpstr (json_array_get_string_element (at_users, 0), ==, "bob");
    g_assert_cmpstr (json_array_get_string_element (at_users, 1), ==, "__kImSDK_MesssageAtALL__");
    g_assert_nonnull (got);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (got, "atUserList")), ==,
                      2);
    g_assert_cmpint (obj_int (find_message (marked, conversation), "groupAtType"), ==, 3);
    g_assert_cmpint (obj_int (find_message (unmarked, conversation), "groupAtType"), ==, 0);
  }

  before_quit = run_json ("carol", 0, "conversations", "--json");
  g_assert_nonnull (find_message (before_quit, conversation));
  quit = run_json ("carol", 0, "group", "quit", group_id, "--json");
  /* Gone from carol's list too, here and on the server. */
  after_quit = run_json ("carol", 0, "conversations", "--json");
  g_assert_null (find_message (after_quit, conversation));
  members3 = run_json ("alice", 0, "group", "members", group_id, "--json");
  g_assert_false (has_member (members3, "carol", NULL));
  g_assert_true (has_member (members3, "bob", "Admin"));

  /* Human output of members: one "user<TAB>role" line each. */
  g_assert_cmpint (run_cli ("alice", &human, NULL, "group", "members", group_id, NULL), ==, 0);
  g_assert_nonnull (strstr (human, "alice\tOwner"));

  /* bob, a member of this Private group, renames it; alice's profile of it has the new name.
   * An empty name is refused with the TIM code before anything is sent. */
  renamed = run_json ("bob", 0, "group", "profile", group_id, "--name", "Team B", "--introduction",
                      "We ship", "--json");
  seen = run_json ("alice", 0, "profile", conversation, "--json");
  g_assert_cmpstr (obj_string (obj (seen), "name"), ==, "Team B");
  refused = run_json ("bob", 1, "group", "profile", group_id, "--name", "", "--json");
  g_assert_cmpint (obj_int (obj (refused), "code"), ==, TIM_ERROR_INVALID_PARAMETER);
  /* --picture uploads the file: the group's picture is the upload's 198 px version. */
  {
    g_autofree char *path = g_build_filename (data_dir, "team.png", NULL);
    g_autoptr (GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 300, 300);
    g_autoptr (GError) error = NULL;
    g_autoptr (JsonNode) pictured = NULL;
    g_autoptr (JsonNode) with_picture = NULL;

    gdk_pixbuf_fill (pixbuf, 0x33d17aff);
    g_assert_true (gdk_pixbuf_save (pixbuf, path, "png", &error, NULL));
    pictured = run_json ("bob", 0, "group", "profile", group_id, "--picture", path, "--json");
    with_picture = run_json ("alice", 0, "profile", conversation, "--json");
    g_assert_nonnull (strstr (obj_string (obj (with_picture), "avatar"), "/files/"));
  }
  /* A picture file that is not there is no network failure (2800): 2108, naming it. */
  {
    g_autoptr (JsonNode) missing = run_json ("bob", 1, "group", "profile", group_id, "--picture",
                                             "/no/such/team.png", "--json");

    g_assert_cmpint (obj_int (obj (missing), "code"), ==, TIM_ERROR_FILE_EMPTY);
    g_assert_nonnull (strstr (obj_string (obj (missing), "message"), "/no/such/team.png"));
  }

  /* Handed over to bob and back: not to oneself, and only by the owner. */
  {
    g_autoptr (JsonNode) to_self =
        run_json ("alice", 1, "group", "owner", group_id, "alice", "--json");
    g_autoptr (JsonNode) handed =
        run_json ("alice", 0, "group", "owner", group_id, "bob", "--json");
    g_autoptr (JsonNode) owned_by_bob =
        run_json ("alice", 0, "group", "members", group_id, "--json");
    g_autoptr (JsonNode) not_hers =
        run_json ("alice", 1, "group", "owner", group_id, "bob", "--json");
    g_autoptr (JsonNode) back = run_json ("bob", 0, "group", "owner", group_id, "alice", "--json");

    g_assert_cmpint (obj_int (obj (to_self), "code"), ==, TIM_ERROR_INVALID_PARAMETER);
    g_assert_true (has_member (owned_by_bob, "bob", "Owner"));
    g_assert_true (has_member (owned_by_bob, "alice", "Member"));
    g_assert_cmpint (obj_int (obj (not_hers), "code"), ==, TIM_ERROR_GROUP_PERMISSION);
  }

  dismissed = run_json ("alice", 0, "group", "dismiss", group_id, "--json");
  after = run_json ("alice", 1, "group", "members", group_id, "--json");
  g_assert_cmpint (obj_int (obj (after), "code"), ==, 10010);
}

/* The ID of the newest application notice about group in history (a JSON array), or NULL. */
static const char *
application_in (JsonNode *history, const char *group_id)
{
  JsonArray *list =
      history != NULL && JSON_NODE_HOLDS_ARRAY (history) ? json_node_get_array (history) : NULL;
  const char *found = NULL;

  for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
    {
      JsonObject *item = json_array_get_object_element (list, i);

      if (obj_int (item, "payload.operationType") == 1 &&
          g_strcmp0 (obj_string (item, "payload.groupProfile.groupID"), group_id) == 0)
        found = obj_string (item, "id");
    }
  return found;
}

/* group search, join (at once, or an application) and answer (from the notice, once). */
static void
test_group_join (void)
{
  g_autoptr (JsonNode) created =
      run_json ("jo", 0, "group", "create", "Open", "--type", "Public", "--json");
  g_autoptr (JsonNode) meeting =
      run_json ("jo", 0, "group", "create", "Room", "--type", "ChatRoom", "--json");
  const char *group_id = obj_string (obj (created), "GroupId");
  g_autoptr (JsonNode) found = NULL, asked = NULL, history = NULL, answered = NULL;
  g_autoptr (JsonNode) members = NULL, again = NULL, twice = NULL, too_long = NULL;
  g_autoptr (JsonNode) pending = NULL, none = NULL;
  g_autofree char *line = NULL, *expected = NULL;
  g_autofree char *long_words = g_strnfill (301, 'w');
  JsonArray *waiting;
  const char *notice;

  g_assert_nonnull (group_id);
  found = run_json ("kai", 0, "group", "search", group_id, "--json");
  g_assert_cmpstr (obj_string (obj (found), "name"), ==, "Open");
  g_assert_cmpstr (obj_string (obj (found), "joinOption"), ==, "NeedPermission");
  g_assert_cmpint (obj_int (obj (found), "memberCount"), ==, 1);
  g_assert_cmpint (run_cli ("kai", &line, NULL, "group", "search", group_id, NULL), ==, 0);
  g_assert_cmpstr (line, ==, "Open (Public, 1 member, NeedPermission)\n");
  g_clear_pointer (&line, g_free);

  asked = run_json ("kai", 0, "group", "join", group_id, "--message", "hi jo", "--json");
  g_assert_cmpstr (obj_string (obj (asked), "status"), ==, "WaitAdminApproval");
  history = run_json ("jo", 0, "history", "@TIM#SYSTEM", "--json");
  notice = application_in (history, group_id);
  g_assert_nonnull (notice);
  answered = run_json ("jo", 0, "group", "answer", notice, "--json");
  members = run_json ("jo", 0, "group", "members", group_id, "--json");
  g_assert_true (has_member (members, "kai", "Member"));
  again = run_json ("kai", 0, "group", "join", group_id, "--json");
  g_assert_cmpstr (obj_string (obj (again), "status"), ==, "AlreadyInGroup");
  twice = run_json ("jo", 1, "group", "answer", notice, "--refuse", "--json");
  g_assert_cmpint (obj_int (obj (twice), "code"), ==, 10024);

  g_assert_cmpint (
      run_cli ("kai", &line, NULL, "group", "join", obj_string (obj (meeting), "GroupId"), NULL),
      ==, 0);
  g_assert_true (g_str_has_prefix (line, "Joined "));
  g_clear_pointer (&line, g_free);
  too_long = run_json ("lu", 1, "group", "join", group_id, "--message", long_words, "--json");
  g_assert_cmpint (obj_int (obj (too_long), "code"), ==, TIM_ERROR_INVALID_PARAMETER);

  /* lu's application, listed and refused from the list. */
  json_node_unref (run_json ("lu", 0, "group", "join", group_id, "--message", "lu here", "--json"));
  pending = run_json ("jo", 0, "group", "requests", "--json");
  waiting = json_object_get_array_member (obj (pending), "applications");
  g_assert_cmpuint (json_array_get_length (waiting), ==, 1);
  g_assert_cmpstr (obj_string (json_array_get_object_element (waiting, 0), "applicant"), ==, "lu");
  g_assert_cmpstr (obj_string (json_array_get_object_element (waiting, 0), "message"), ==,
                   "lu here");
  g_assert_cmpstr (obj_string (json_array_get_object_element (waiting, 0), "groupName"), ==,
                   "Open");
  g_assert_cmpint (run_cli ("jo", &line, NULL, "group", "requests", NULL), ==, 0);
  expected = g_strdup_printf ("lu asks to join %s (Open): “lu here”\n", group_id);
  g_assert_cmpstr (line, ==, expected);
  g_clear_pointer (&line, g_free);
  json_node_unref (run_json ("jo", 0, "group", "answer", group_id, "lu", "--refuse", "--reason",
                             "not today", "--json"));
  members = (json_node_unref (members), run_json ("jo", 0, "group", "members", group_id, "--json"));
  g_assert_false (has_member (members, "lu", NULL));
  g_assert_cmpint (run_cli ("jo", &line, NULL, "group", "requests", NULL), ==, 0);
  g_assert_cmpstr (line, ==, "No application waits for an answer.\n");
  none = run_json ("jo", 1, "group", "answer", group_id, "lu", "--json");
  g_assert_cmpint (obj_int (obj (none), "code"), ==, TIM_ERROR_GROUP_REQUEST_HANDLED);
}

/* group remove, the human output of create and of the others, tips and notices in the history,
 * and what a wrong group command says (nothing is sent for it). */
static void
test_group_remove_and_usage (void)
{
  g_autofree char *created = NULL;
  g_autofree char *done = NULL;
  g_autoptr (JsonNode) removed = NULL;
  g_autoptr (JsonNode) members = NULL;
  g_autoptr (JsonNode) unknown = NULL;
  g_autoptr (JsonNode) short_of_args = NULL;
  g_autoptr (JsonNode) bad_id = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *conversation = NULL;
  g_autofree char *tips = NULL;
  g_autofree char *notices = NULL;
  g_autofree char *listed = NULL;
  g_autoptr (JsonNode) undeletable = NULL;
  g_autoptr (JsonNode) unpinnable = NULL;
  g_autoptr (JsonNode) no_account = NULL;
  g_autoptr (JsonNode) not_member = NULL;

  g_assert_cmpint (run_cli ("alice", &created, NULL, "group", "create", "Crew", "--member", "bob",
                            "--member", "carol", NULL),
                   ==, 0);
  g_strchomp (created);
  g_assert_true (g_str_has_prefix (created, "@TGS#"));
  removed = run_json ("alice", 0, "group", "remove", created, "carol", "--json");
  members = run_json ("alice", 0, "group", "members", created, "--json");
  g_assert_true (has_member (members, "bob", NULL));
  g_assert_false (has_member (members, "carol", NULL));
  g_assert_cmpint (run_cli ("alice", &done, NULL, "group", "add", created, "carol", NULL), ==, 0);
  expected = g_strdup_printf ("Done: group add %s.\n", created);
  g_assert_cmpstr (done, ==, expected);
  /* Who was not added, and why. */
  g_clear_pointer (&done, g_free);
  g_clear_pointer (&expected, g_free);
  g_assert_cmpint (
      run_cli ("alice", &done, NULL, "group", "add", created, "bob", "nobody-here", NULL), ==, 0);
  expected = g_strdup_printf ("Done: group add %s.\nNot added: bob (a member already), "
                              "nobody-here (no such account)\n",
                              created);
  g_assert_cmpstr (done, ==, expected);

  /* Tips and notices in words, to the one they are about; the notices' conversation has a
   * history and can be marked read, but not deleted. Carol, back in a Work group, reads it from
   * her new join on: her removal came before (tim-rest-facts.md §5.0). */
  conversation = g_strdup_printf ("GROUP%s", created);
  g_assert_cmpint (run_cli ("carol", &tips, NULL, "history", conversation, NULL), ==, 0);
  g_assert_null (strstr (tips, "You were removed from the group by alice"));
  g_assert_nonnull (strstr (tips, "alice added you to the group"));
  g_assert_cmpint (run_cli ("carol", &notices, NULL, "history", "@TIM#SYSTEM", NULL), ==, 0);
  g_assert_nonnull (strstr (notices, "Crew: alice added you to the group"));
  g_assert_cmpint (run_cli ("carol", &listed, NULL, "conversations", NULL), ==, 0);
  g_assert_nonnull (strstr (listed, "Crew: alice added you to the group"));
  g_assert_null (strstr (listed, "[Group System Message]"));
  g_assert_cmpint (run_cli ("carol", NULL, NULL, "read", "@TIM#SYSTEM", NULL), ==, 0);
  undeletable = run_json ("carol", 1, "delete", "@TIM#SYSTEM", "--json");
  g_assert_cmpint (obj_int (obj (undeletable), "code"), ==, TIM_ERROR_INVALID_CONVERSATION_ID);
  unpinnable = run_json ("carol", 1, "pin", "@TIM#SYSTEM", "--json");
  g_assert_cmpint (obj_int (obj (unpinnable), "code"), ==, TIM_ERROR_INVALID_CONVERSATION_ID);

  unknown = run_json ("alice", 1, "group", "frobnicate", created, "--json");
  g_assert_cmpint (obj_int (obj (unknown), "code"), ==, TIM_ERROR_INVALID_PARAMETER);
  g_assert_cmpstr (obj_string (obj (unknown), "message"), ==,
                   "Unknown group subcommand “frobnicate”");
  short_of_args = run_json ("alice", 1, "group", "remove", created, "--json");
  g_assert_cmpint (obj_int (obj (short_of_args), "code"), ==, TIM_ERROR_INVALID_PARAMETER);
  g_assert_true (g_str_has_prefix (obj_string (obj (short_of_args), "message"),
                                   "Usage: timchat-cli group remove"));
  /* Someone who is not there, as the server says it: no such account, or not a member. */
  no_account = run_json ("alice", 1, "group", "admin", created, "nobody-here", "--json");
  g_assert_cmpint (obj_int (obj (no_account), "code"), ==, 10019);
  g_assert_cmpstr (obj_string (obj (no_account), "message"), ==,
                   "The account \"nobody-here\" does not exist");
  not_member = run_json ("alice", 1, "group", "admin", created, "dave", "--json");
  g_assert_cmpint (obj_int (obj (not_member), "code"), ==, TIM_ERROR_INVALID_PARAMETER);
  g_assert_cmpstr (obj_string (obj (not_member), "message"), ==,
                   "dave is not a member of the group");
  bad_id = run_json ("alice", 1, "group", "members", "no group here", "--json");
  g_assert_cmpint (obj_int (obj (bad_id), "code"), ==, TIM_ERROR_GROUP_INVALID_ID);
}

int
main (int argc, char **argv)
{
  test_cli_init (&argc, &argv);
  g_test_add_func ("/cli/group", test_group);
  g_test_add_func ("/cli/group-remove-and-usage", test_group_remove_and_usage);
  g_test_add_func ("/cli/group-join", test_group_join);
  return test_cli_run ();
}
