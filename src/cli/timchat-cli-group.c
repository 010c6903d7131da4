/* timchat-cli-group.c: `group create|add|remove|admin|quit|dismiss|members`, each one server
 * group command through tim_client_group_request_async; `group profile` through
 * tim_client_update_group_profile_async, which uploads the picture first, `group card` through
 * tim_client_set_group_member_name_card_async, which checks the name first, `group owner`
 * through tim_client_change_group_owner_async, and `group search|join|requests|answer` through
 * timchat-cli-group-join.c. */
#define G_LOG_DOMAIN "timchat-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "tim-error.h"
#include "timchat-cli-private.h"

typedef struct
{
  const char *name;
  const char *parameters;
  const char *summary;
  const char *servcmd;
  guint min_args, max_args; /* positional arguments after the subcommand */
} GroupCommand;

static const GroupCommand group_commands[] = {
  { "create", "NAME", N_ ("Creates a group named NAME with you as its owner; prints its ID."),
    "group_open_http_svc.create_group", 1, 1 },
  { "add", "GROUP USER…", N_ ("Adds users to GROUP."), "group_open_http_svc.add_group_member", 2,
    G_MAXUINT },
  { "remove", "GROUP USER…", N_ ("Removes users from GROUP."),
    "group_open_http_svc.delete_group_member", 2, G_MAXUINT },
  { "admin", "GROUP USER", N_ ("Makes USER an admin of GROUP (--off: a plain member again)."),
    "group_open_http_svc.modify_group_member_info", 2, 2 },
  { "quit", "GROUP", N_ ("Leaves GROUP."), "group_open_http_svc.quit_group", 1, 1 },
  { "dismiss", "GROUP", N_ ("Dismisses GROUP (owner only)."), "group_open_http_svc.destroy_group",
    1, 1 },
  { "members", "GROUP", N_ ("Lists the members of GROUP and their roles."),
    "group_open_http_svc.get_group_member_info", 1, 1 },
  { "profile", "GROUP",
    N_ ("Renames GROUP, or sets its picture, introduction or notification (see its options)."),
    "group_open_http_svc.modify_group_base_info", 1, 1 },
  { "card", "GROUP NAME",
    N_ ("Sets the name GROUP shows for you instead of your nickname (\"\" clears it)."),
    "group_open_http_svc.modify_group_member_info", 2, 2 },
  { "owner", "GROUP USER",
    N_ ("Hands GROUP over to USER, a member (owner only); you become a plain member."),
    "group_open_http_svc.change_group_owner", 2, 2 },
  { "mute", "GROUP USER SECONDS",
    N_ ("Mutes USER in GROUP for SECONDS (0 unmutes): the owner mutes anyone, an admin plain "
        "members."),
    "group_open_http_svc.modify_group_member_info", 3, 3 },
  { "search", "GROUP", N_ ("Shows what anyone may see of GROUP before joining it."),
    "group_open_http_svc.get_group_public_info", 1, 1 },
  { "join", "GROUP",
    N_ ("Asks to join GROUP: joined at once, or its owner or an admin answers (see answer)."),
    "group_open_http_svc.apply_join_group", 1, 1 },
  { "requests", "",
    N_ ("Lists the applications to join your groups (those you own or are an admin of) that wait "
        "for an answer."),
    "group_open_http_svc.get_pendency", 0, 0 },
  { "answer", "NOTICE | GROUP USER",
    N_ ("Accepts (or with --refuse, refuses) an application to join: the one the group notice "
        "NOTICE (a message ID in @TIM#SYSTEM) carries, or USER's to GROUP (see requests)."),
    "group_open_http_svc.handle_apply_join_group", 1, 2 },
};

typedef struct
{
  char *name;
  char *introduction;
  char *notification;
  char *picture;
  char *mute_all; /* "on", "off" or NULL */
} ProfileOptions;

static void
profile_options_clear (ProfileOptions *options)
{
  g_free (options->name);
  g_free (options->introduction);
  g_free (options->notification);
  g_free (options->picture);
  g_free (options->mute_all);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ProfileOptions, profile_options_clear)

/* The reply of `group profile` as the other subcommands give theirs: an empty object. The
 * profile first (if any of it is given), then mute-all (if given). */
static JsonObject *
update_profile (Cli *cli, const char *group_id, const ProfileOptions *options, GError **error)
{
  g_autoptr (GFile) picture = NULL;
  GAsyncResult *result;

  if (options->picture != NULL &&
      (picture = cli_open_readable_file (options->picture, error)) == NULL)
    return NULL;
  if (options->mute_all == NULL || options->name != NULL || options->introduction != NULL ||
      options->notification != NULL || picture != NULL)
    {
      tim_client_update_group_profile_async (cli->client, group_id, options->name,
                                             options->introduction, options->notification, picture,
                                             NULL, cli_on_result, cli);
      if ((result = cli_wait (cli, error)) == NULL ||
          !tim_client_update_group_profile_finish (cli->client, result, error))
        return NULL;
    }
  if (options->mute_all != NULL)
    {
      tim_client_set_group_mute_all_async (
          cli->client, group_id, g_str_equal (options->mute_all, "on"), NULL, cli_on_result, cli);
      if ((result = cli_wait (cli, error)) == NULL ||
          !tim_client_set_group_mute_all_finish (cli->client, result, error))
        return NULL;
    }
  return json_object_new ();
}

/* The reply of `group card`, as the other subcommands give theirs: an empty object. */
static JsonObject *
set_name_card (Cli *cli, const char *group_id, const char *member, const char *name_card,
               GError **error)
{
  GAsyncResult *result;

  tim_client_set_group_member_name_card_async (cli->client, group_id, member, name_card, NULL,
                                               cli_on_result, cli);
  if ((result = cli_wait (cli, error)) == NULL ||
      !tim_client_set_group_member_name_card_finish (cli->client, result, error))
    return NULL;
  return json_object_new ();
}

/* The reply of `group owner`, as the other subcommands give theirs: an empty object. */
static JsonObject *
change_owner (Cli *cli, const char *group_id, const char *new_owner, GError **error)
{
  GAsyncResult *result;

  tim_client_change_group_owner_async (cli->client, group_id, new_owner, NULL, cli_on_result, cli);
  if ((result = cli_wait (cli, error)) == NULL ||
      !tim_client_change_group_owner_finish (cli->client, result, error))
    return NULL;
  return json_object_new ();
}

static void
print_group_usage (FILE *out)
{
  fprintf (out, "%s\n\n%s\n", _ ("Usage: timchat-cli group SUBCOMMAND [OPTION…] [ARGUMENT…]"),
           _ ("Subcommands:"));
  for (guint i = 0; i < G_N_ELEMENTS (group_commands); i++)
    fprintf (out, "  %-8s %-12s %s\n", group_commands[i].name, group_commands[i].parameters,
             _ (group_commands[i].summary));
  fprintf (out, "\n%s\n", _ ("Run “timchat-cli group SUBCOMMAND --help” for its options."));
}

static JsonObject *
build_body (const GroupCommand *command, char **args, char **members, const char *type,
            gboolean off)
{
  JsonObject *body = json_object_new ();
  guint n = cli_args_count (args);

  if (g_str_equal (command->name, "create"))
    {
      JsonArray *list = json_array_new ();

      for (guint i = 0; members != NULL && members[i] != NULL; i++)
        {
          JsonObject *member = json_object_new ();

          json_object_set_string_member (member, "Member_Account", members[i]);
          json_array_add_object_element (list, member);
        }
      json_object_set_string_member (body, "Name", args[1]);
      json_object_set_string_member (body, "Type", type != NULL ? type : "Private");
      json_object_set_array_member (body, "MemberList", list);
      return body;
    }
  json_object_set_string_member (body, "GroupId", args[1]);
  if (g_str_equal (command->name, "add"))
    {
      JsonArray *list = json_array_new ();

      for (guint i = 2; i <= n; i++)
        {
          JsonObject *member = json_object_new ();

          json_object_set_string_member (member, "Member_Account", args[i]);
          json_array_add_object_element (list, member);
        }
      json_object_set_array_member (body, "MemberList", list);
    }
  else if (g_str_equal (command->name, "remove"))
    {
      JsonArray *list = json_array_new ();

      for (guint i = 2; i <= n; i++)
        json_array_add_string_element (list, args[i]);
      json_object_set_array_member (body, "MemberToDel_Account", list);
    }
  else if (g_str_equal (command->name, "admin"))
    {
      json_object_set_string_member (body, "Member_Account", args[2]);
      json_object_set_string_member (body, "Role", off ? "Member" : "Admin");
    }
  else if (g_str_equal (command->name, "mute"))
    {
      json_object_set_string_member (body, "Member_Account", args[2]);
      json_object_set_int_member (body, "ShutUpTime", g_ascii_strtoll (args[3], NULL, 10));
    }
  return body;
}

/* add_group_member answers each member with a Result: 1 added, 2 a member already, 0 not
 * (no such account). */
static void
print_not_added (JsonObject *reply)
{
  JsonArray *list = json_object_has_member (reply, "MemberList")
                        ? json_object_get_array_member (reply, "MemberList")
                        : NULL;
  g_autoptr (GString) line = g_string_new (NULL);

  for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
    {
      JsonObject *member = json_array_get_object_element (list, i);
      gint64 result = json_object_get_int_member_with_default (member, "Result", 1);

      if (result == 1)
        continue;
      g_string_append_printf (
          line, "%s%s (%s)", line->len > 0 ? ", " : "",
          json_object_get_string_member_with_default (member, "Member_Account", ""),
          result == 2 ? _ ("a member already") : _ ("no such account"));
    }
  if (line->len > 0)
    /* Translators: after "Done: group add …": who was not added, and why. */
    g_print (_ ("Not added: %s\n"), line->str);
}

static void
print_human (const GroupCommand *command, char **args, JsonObject *reply)
{
  if (g_str_equal (command->name, "create"))
    g_print ("%s\n", json_object_has_member (reply, "GroupId")
                         ? json_object_get_string_member (reply, "GroupId")
                         : "");
  else if (g_str_equal (command->name, "members") && json_object_has_member (reply, "MemberList"))
    {
      JsonArray *list = json_object_get_array_member (reply, "MemberList");

      for (guint i = 0; i < json_array_get_length (list); i++)
        {
          JsonObject *member = json_array_get_object_element (list, i);

          g_print ("%s\t%s\n",
                   json_object_get_string_member_with_default (member, "Member_Account", ""),
                   json_object_get_string_member_with_default (member, "Role", ""));
        }
    }
  else
    {
      /* Translators: the subcommand as typed ("add", "remove", …), then the group ID. */
      g_print (_ ("Done: group %s %s.\n"), command->name, args[1]);
      if (g_str_equal (command->name, "add"))
        print_not_added (reply);
    }
}

int
cli_cmd_group (Cli *cli, char **args)
{
  g_auto (GStrv) members = NULL;
  g_autofree char *type = NULL;
  gboolean off = FALSE;
  const GOptionEntry create_entries[] = {
    { "member", 'm', 0, G_OPTION_ARG_STRING_ARRAY, &members,
      N_ ("Add this user at once (repeatable)"), "USER" },
    { "type", 0, 0, G_OPTION_ARG_STRING, &type,
      N_ ("Private (default), Public, ChatRoom, AVChatRoom, Work, Meeting or Community"), "TYPE" },
    { NULL },
  };
  const GOptionEntry admin_entries[] = {
    { "off", 0, 0, G_OPTION_ARG_NONE, &off, N_ ("Take the admin role away"), NULL },
    { NULL },
  };
  g_autofree char *join_message = NULL;
  const GOptionEntry join_entries[] = {
    { "message", 'm', 0, G_OPTION_ARG_STRING, &join_message,
      N_ ("What the group's managers read with the application (at most 300 bytes)"), "TEXT" },
    { NULL },
  };
  gboolean refuse = FALSE;
  g_autofree char *reason = NULL;
  const GOptionEntry answer_entries[] = {
    { "refuse", 0, 0, G_OPTION_ARG_NONE, &refuse, N_ ("Refuse rather than accept"), NULL },
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason, N_ ("What the applicant reads with it"),
      "TEXT" },
    { NULL },
  };
  g_autofree char *card_member = NULL;
  const GOptionEntry card_entries[] = {
    { "member", 'm', 0, G_OPTION_ARG_STRING, &card_member,
      N_ ("Name this member instead (the owner and admins name plain members)"), "USER" },
    { NULL },
  };
  g_auto (ProfileOptions) profile = { 0 };
  const GOptionEntry profile_entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &profile.name, N_ ("The new name (at most 30 bytes)"),
      "NAME" },
    { "picture", 0, 0, G_OPTION_ARG_FILENAME, &profile.picture,
      N_ ("A picture file to upload as the group's picture"), "FILE" },
    { "introduction", 0, 0, G_OPTION_ARG_STRING, &profile.introduction,
      N_ ("The new introduction (at most 240 bytes)"), "TEXT" },
    { "notification", 0, 0, G_OPTION_ARG_STRING, &profile.notification,
      N_ ("The new notification (at most 300 bytes)"), "TEXT" },
    { "mute-all", 0, 0, G_OPTION_ARG_STRING, &profile.mute_all,
      N_ ("on: only the owner and admins may post; off: everyone may"), "on|off" },
    { NULL },
  };
  const GOptionEntry *const all_entries[] = {
    create_entries, admin_entries,   join_entries, answer_entries,
    card_entries,   profile_entries, NULL,
  };
  const GroupCommand *command = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) body = NULL;
  g_autoptr (JsonObject) reply = NULL;
  /* Wherever the options are: `group --user alice members G` too. */
  gboolean help = FALSE;
  g_autofree char *name = cli_take_subcommand (&args, all_entries, &help, &error);
  char **sub = args;
  GAsyncResult *result;
  guint n;

  if (error != NULL)
    return cli_fail (cli, error);
  if (name == NULL)
    {
      if (!help && cli->json)
        return cli_fail_literal (cli, TIM_ERROR_INVALID_PARAMETER, _ ("Name a group subcommand"));
      print_group_usage (help ? stdout : stderr);
      return help ? 0 : 1;
    }
  for (guint i = 0; i < G_N_ELEMENTS (group_commands); i++)
    if (g_str_equal (name, group_commands[i].name))
      command = &group_commands[i];
  if (command == NULL)
    {
      g_autofree char *message = g_strdup_printf (_ ("Unknown group subcommand “%s”"), name);

      return cli_fail_literal (cli, TIM_ERROR_INVALID_PARAMETER, message);
    }
  if (!cli_parse (cli, &sub, command->parameters, _ (command->summary),
                  g_str_equal (command->name, "create")    ? create_entries
                  : g_str_equal (command->name, "admin")   ? admin_entries
                  : g_str_equal (command->name, "profile") ? profile_entries
                  : g_str_equal (command->name, "card")    ? card_entries
                  : g_str_equal (command->name, "join")    ? join_entries
                  : g_str_equal (command->name, "answer")  ? answer_entries
                                                           : NULL,
                  &error))
    return cli_fail (cli, error);
  n = cli_args_count (sub);
  if (n < command->min_args || n > command->max_args)
    {
      /* Translators: the subcommand, then its parameters ("GROUP USER…"). */
      g_autofree char *message = g_strdup_printf (_ ("Usage: timchat-cli group %s %s"),
                                                  command->name, command->parameters);

      return cli_fail_literal (cli, TIM_ERROR_INVALID_PARAMETER, message);
    }
  if (g_str_equal (command->name, "mute") &&
      !g_ascii_string_to_unsigned (sub[3], 10, 0, G_MAXUINT32, NULL, NULL))
    return cli_fail_literal (cli, TIM_ERROR_INVALID_PARAMETER,
                             _ ("SECONDS is a whole number of seconds (0 unmutes)"));
  if (!g_str_equal (command->name, "create") && !g_str_equal (command->name, "requests") &&
      !(g_str_equal (command->name, "answer") && n == 1) && !tim_group_id_is_valid (sub[1]))
    {
      g_autofree char *message = g_strdup_printf (_ ("“%s” is not a group ID"), sub[1]);

      return cli_fail_literal (cli, TIM_ERROR_GROUP_INVALID_ID, message);
    }
  if (profile.mute_all != NULL && !g_str_equal (profile.mute_all, "on") &&
      !g_str_equal (profile.mute_all, "off"))
    return cli_fail_literal (cli, TIM_ERROR_INVALID_PARAMETER, _ ("--mute-all takes on or off"));
  if (!cli_connect (cli, FALSE, &error))
    return cli_fail (cli, error);
  if (g_str_equal (command->name, "profile"))
    {
      if ((reply = update_profile (cli, sub[1], &profile, &error)) == NULL)
        return cli_fail (cli, error);
    }
  else if (g_str_equal (command->name, "card"))
    {
      if ((reply = set_name_card (cli, sub[1], card_member, sub[2], &error)) == NULL)
        return cli_fail (cli, error);
    }
  else if (g_str_equal (command->name, "owner"))
    {
      if ((reply = change_owner (cli, sub[1], sub[2], &error)) == NULL)
        return cli_fail (cli, error);
    }
  /* These say it in their own words. */
  else if (g_str_equal (command->name, "search") || g_str_equal (command->name, "join") ||
           g_str_equal (command->name, "requests") || g_str_equal (command->name, "answer"))
    {
      reply = g_str_equal (command->name, "search") ? cli_group_search (cli, sub[1], &error)
              : g_str_equal (command->name, "join")
                  ? cli_group_join (cli, sub[1], join_message, &error)
              : g_str_equal (command->name, "requests")
                  ? cli_group_requests (cli, &error)
                  : cli_group_answer (cli, sub[1], sub[2], refuse, reason, &error);
      if (reply == NULL)
        return cli_fail (cli, error);
      if (cli->json)
        cli_print_object (g_steal_pointer (&reply));
      return 0;
    }
  else
    {
      body = build_body (command, sub, members, type, off);
      tim_client_group_request_async (cli->client, command->servcmd, body, NULL, cli_on_result,
                                      cli);
      if ((result = cli_wait (cli, &error)) == NULL ||
          (reply = tim_client_group_request_finish (cli->client, result, &error)) == NULL)
        return cli_fail (cli, error);
    }
  if (cli->json)
    cli_print_object (json_object_ref (reply));
  else
    print_human (command, sub, reply);
  return 0;
}
