/* timchat-cli-watch.c: `watch`: every TimClient event as one JSON object per line (or one
 * human-readable line), flushed at once, until SIGINT or SIGTERM. */
#define G_LOG_DOMAIN "timchat-cli"

#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <stdio.h>

#include "tim-error.h"
#include "timchat-cli-private.h"

/* After every event: a reader that went away (EPIPE) or a full disk ends the watch (status 1)
 * at once, rather than have it print into nothing until interrupted. */
static void
check_output (Cli *cli)
{
  if (cli->output_lost || cli_output_ok ())
    return;
  cli->output_lost = TRUE;
  g_main_loop_quit (cli->loop);
}

static JsonObject *
event_new (const char *name)
{
  JsonObject *event = json_object_new ();

  json_object_set_string_member (event, "event", name);
  return event;
}

static void
print_messages (Cli *cli, const char *name, GPtrArray *messages)
{
  if (cli->json)
    {
      JsonObject *event = event_new (name);
      JsonArray *array = json_array_new ();

      for (guint i = 0; i < messages->len; i++)
        json_array_add_object_element (array, cli_message_to_json (messages->pdata[i]));
      json_object_set_array_member (event, "messages", array);
      cli_print_object (event);
      check_output (cli);
      return;
    }
  for (guint i = 0; i < messages->len; i++)
    {
      g_print ("%s ", name);
      cli_print_message_line (cli, messages->pdata[i]);
    }
  check_output (cli);
}

static void
on_received (TimClient *client, GPtrArray *messages, Cli *cli)
{
  print_messages (cli, "message-received", messages);
}

static void
on_revoked (TimClient *client, GPtrArray *messages, Cli *cli)
{
  print_messages (cli, "message-revoked", messages);
}

static void
on_modified (TimClient *client, GPtrArray *messages, Cli *cli)
{
  print_messages (cli, "message-modified", messages);
}

static void
on_deleted (TimClient *client, GPtrArray *messages, Cli *cli)
{
  print_messages (cli, "message-deleted", messages);
}

static void
on_read_by_peer (TimClient *client, GPtrArray *messages, Cli *cli)
{
  print_messages (cli, "message-read-by-peer", messages);
}

static void
on_simple (Cli *cli, const char *name, const char *key, const char *value)
{
  if (cli->json)
    {
      JsonObject *event = event_new (name);

      if (key != NULL)
        json_object_set_string_member (event, key, value);
      cli_print_object (event);
      check_output (cli);
    }
  else
    {
      g_print ("%s%s%s\n", name, value != NULL ? " " : "", value != NULL ? value : "");
      check_output (cli);
    }
}

static void
on_ready (TimClient *client, Cli *cli)
{
  on_simple (cli, "ready", NULL, NULL);
}

/* JSON {event, blocked: [...]}; a line "blocklist-updated alice,bob". */
static void
on_blocklist (TimClient *client, Cli *cli)
{
  g_auto (GStrv) users = tim_client_dup_blocklist (client);
  g_autofree char *joined = g_strjoinv (",", users);
  JsonObject *event;
  JsonArray *array;

  if (!cli->json)
    {
      on_simple (cli, "blocklist-updated", NULL, joined);
      return;
    }
  event = event_new ("blocklist-updated");
  array = json_array_new ();
  for (guint i = 0; users[i] != NULL; i++)
    json_array_add_string_element (array, users[i]);
  json_object_set_array_member (event, "blocked", array);
  cli_print_object (event);
  check_output (cli);
}

/* JSON {event, userID, status: "online" | "offline" | "unlogined", customStatus}; a line
 * "user-status-updated alice online In a meeting". */
static void
on_user_status (TimClient *client, const char *user, TimUserStatus status,
                const char *custom_status, Cli *cli)
{
  const char *name = tim_user_status_to_string (status);
  g_autofree char *line = NULL;
  JsonObject *event;

  if (!cli->json)
    {
      line = g_strdup_printf ("%s %s%s%s", user, name, *custom_status != '\0' ? " " : "",
                              custom_status);
      on_simple (cli, "user-status-updated", NULL, line);
      return;
    }
  event = event_new ("user-status-updated");
  json_object_set_string_member (event, "userID", user);
  json_object_set_string_member (event, "status", name);
  json_object_set_string_member (event, "customStatus", custom_status);
  cli_print_object (event);
  check_output (cli);
}

/* The own profile as last told: libtim notifies :nick and :avatar one after the other when one
 * change sets both, and the second notification finds nothing new to tell. */
typedef struct
{
  Cli *cli;
  char *nick;   /* NULL: nothing told yet, libtim's "" before the login's answer */
  char *avatar; /* likewise */
} ProfileTold;

/* TimClient:nick or :avatar changed (here, on another device of the user, or read at the login):
 * JSON {event, userID, nick, avatar}, as `me` prints them; a line
 * "profile-updated alice<TAB>Alice<TAB>https://…", as `me` does. */
static void
on_profile (TimClient *client, GParamSpec *pspec, ProfileTold *told)
{
  const char *nick = tim_client_get_nick (client);
  const char *avatar = tim_client_get_avatar (client);
  const char *user = tim_client_get_user (client);
  g_autofree char *line = NULL;
  JsonObject *event;

  /* No user: logged out, which is no change of the profile. */
  if (user == NULL || (g_str_equal (told->nick != NULL ? told->nick : "", nick) &&
                       g_str_equal (told->avatar != NULL ? told->avatar : "", avatar)))
    return;
  g_free (told->nick);
  told->nick = g_strdup (nick);
  g_free (told->avatar);
  told->avatar = g_strdup (avatar);
  if (!told->cli->json)
    {
      line = g_strdup_printf ("%s\t%s\t%s", user, nick, avatar);
      on_simple (told->cli, "profile-updated", NULL, line);
      return;
    }
  event = event_new ("profile-updated");
  json_object_set_string_member (event, "userID", user);
  json_object_set_string_member (event, "nick", nick);
  json_object_set_string_member (event, "avatar", avatar);
  cli_print_object (event);
  check_output (told->cli);
}

/* The handlers go before told does (cli_cmd_watch's), and before the logout at the exit. */
static void
stop_telling_profile (Cli *cli, ProfileTold *told)
{
  g_signal_handlers_disconnect_by_func (cli->client, on_profile, told);
  g_clear_pointer (&told->nick, g_free);
  g_clear_pointer (&told->avatar, g_free);
}

static void
on_conversations (TimClient *client, Cli *cli)
{
  TimConversationList *list = tim_client_get_conversations (client);

  if (cli->json)
    {
      JsonObject *event = event_new ("conversation-list-updated");

      json_object_set_int_member (event, "count", g_list_model_get_n_items (G_LIST_MODEL (list)));
      json_object_set_int_member (event, "totalUnread",
                                  tim_conversation_list_get_total_unread (list));
      cli_print_object (event);
      check_output (cli);
    }
  else
    on_simple (cli, "conversation-list-updated", NULL, NULL);
}

/* Logged out by the server: nothing more will come, so the watch ends (status 1), and a
 * supervisor can tell and log in again. */
static void
on_kicked_out (TimClient *client, const char *type, Cli *cli)
{
  on_simple (cli, "kicked-out", "type", type);
  cli->kicked_out = TRUE;
  g_main_loop_quit (cli->loop);
}

static void
on_net_state (TimClient *client, TimNetState state, Cli *cli)
{
  on_simple (cli, "net-state-changed", "state", tim_net_state_to_string (state));
}

static void
on_error (TimClient *client, GError *error, Cli *cli)
{
  if (cli->json)
    {
      JsonObject *event = event_new ("error");

      json_object_set_int_member (event, "code", cli_error_code (error));
      json_object_set_string_member (event, "message", error->message);
      cli_print_object (event);
      check_output (cli);
    }
  else
    {
      g_print ("error %s (code %d)\n", error->message, cli_error_code (error));
      check_output (cli);
    }
}

/* --follow: each user the server would not follow is an error event; none, and the watch ends
 * (status 1). Their statuses now come as user-status-updated events. */
static void
on_subscribed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Cli *cli = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) infos =
      tim_client_subscribe_user_status_finish (TIM_CLIENT (source), result, &error);

  if (infos == NULL)
    {
      on_error (cli->client, error, cli);
      cli->watch_failed = TRUE;
      g_main_loop_quit (cli->loop);
      return;
    }
  for (guint i = 0; i < infos->len; i++)
    {
      TimUserStatusInfo *info = infos->pdata[i];
      g_autoptr (GError) refused = NULL;

      if (info->error_code == 0)
        continue;
      refused = g_error_new (TIM_ERROR, info->error_code, _ ("Cannot follow %s: %s"), info->user_id,
                             tim_error_text (info->error_code));
      on_error (cli->client, refused, cli);
    }
}

static gboolean
on_signal (gpointer user_data)
{
  Cli *cli = user_data;

  cli->interrupted = TRUE;
  g_main_loop_quit (cli->loop);
  return G_SOURCE_CONTINUE;
}

int
cli_cmd_watch (Cli *cli, char **args)
{
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) follow = NULL;
  GOptionEntry entries[] = {
    { "follow", 'f', 0, G_OPTION_ARG_STRING_ARRAY, &follow,
      N_ ("Also tell whenever this user comes online, goes offline or changes their status "
          "(repeatable, at most 100)"),
      "USER" },
    { NULL },
  };
  ProfileTold told = { cli, NULL, NULL };
  guint sigint, sigterm;

  if (!cli_parse (cli, &args, "",
                  _ ("Logs in and prints every event (message-received, message-revoked, "
                     "message-modified, message-read-by-peer, conversation-list-updated, "
                     "blocklist-updated, user-status-updated, profile-updated, kicked-out, "
                     "net-state-changed, ready, "
                     "error) as it happens, one line each, until "
                     "SIGINT or SIGTERM (exit status 0) or until the server logs the account "
                     "out (kicked-out, exit status 1). With --follow, user-status-updated also "
                     "tells of the users named, their statuses now first; when none of them can be "
                     "followed the watch ends (error, exit status 1). With --json each line is one "
                     "JSON object with an \"event\" member."),
                  entries, &error))
    return cli_fail (cli, error);
  if (cli_args_count (args) != 0)
    return cli_fail_literal (cli, TIM_ERROR_INVALID_PARAMETER, _ ("watch takes no arguments"));
  cli->watching = TRUE;
  /* Connected before the login so that its own "ready" and net-state changes are printed. */
  if (!cli_prepare_client (cli, &error))
    return cli_fail (cli, error);
  g_signal_connect (cli->client, "message-received", G_CALLBACK (on_received), cli);
  g_signal_connect (cli->client, "message-revoked", G_CALLBACK (on_revoked), cli);
  g_signal_connect (cli->client, "message-read-by-peer", G_CALLBACK (on_read_by_peer), cli);
  g_signal_connect (cli->client, "message-modified", G_CALLBACK (on_modified), cli);
  g_signal_connect (cli->client, "message-deleted", G_CALLBACK (on_deleted), cli);
  g_signal_connect (cli->client, "conversation-list-updated", G_CALLBACK (on_conversations), cli);
  g_signal_connect (cli->client, "kicked-out", G_CALLBACK (on_kicked_out), cli);
  g_signal_connect (cli->client, "net-state-changed", G_CALLBACK (on_net_state), cli);
  g_signal_connect (cli->client, "ready", G_CALLBACK (on_ready), cli);
  g_signal_connect (cli->client, "blocklist-updated", G_CALLBACK (on_blocklist), cli);
  g_signal_connect (cli->client, "user-status-updated", G_CALLBACK (on_user_status), cli);
  g_signal_connect (cli->client, "error", G_CALLBACK (on_error), cli);
  g_signal_connect (cli->client, "notify::nick", G_CALLBACK (on_profile), &told);
  g_signal_connect (cli->client, "notify::avatar", G_CALLBACK (on_profile), &told);
  /* Before the login: a SIGINT or SIGTERM while it waits ends the watch as one afterwards does,
   * with status 0, not by the signal. */
  sigint = g_unix_signal_add (SIGINT, on_signal, cli);
  sigterm = g_unix_signal_add (SIGTERM, on_signal, cli);
  if (!cli_connect (cli, FALSE, &error) && !cli->interrupted)
    {
      g_source_remove (sigint);
      g_source_remove (sigterm);
      stop_telling_profile (cli, &told);
      return cli_fail (cli, error);
    }
  if (follow != NULL && !cli->interrupted)
    tim_client_subscribe_user_status_async (cli->client, (const char *const *) follow, NULL,
                                            on_subscribed, cli);
  /* Until one of the ends has come, also while logging in: an event that could not be written
   * then (a reader gone at once, `watch | true`) or a kick quit cli_wait ()'s run of the loop,
   * not this one, and is left only in its flag; check_output () does not quit twice, so nothing
   * else would ever end the watch. */
  while (!cli->interrupted && !cli->kicked_out && !cli->watch_failed && !cli->output_lost)
    g_main_loop_run (cli->loop);
  g_source_remove (sigint);
  g_source_remove (sigterm);
  g_signal_handlers_disconnect_by_data (cli->client, cli);
  stop_telling_profile (cli, &told);
  if (cli->output_lost)
    g_printerr (_ ("timchat-cli: cannot write the output: %s\n"), cli_output_error ());
  return cli->kicked_out || cli->watch_failed || cli->output_lost ? 1 : 0;
}
