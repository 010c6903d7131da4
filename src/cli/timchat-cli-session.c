/* timchat-cli-session.c: where the credentials come from (flags, environment, keyring), logging
 * in and waiting for the first sync, and the login / logout commands. */
#define G_LOG_DOMAIN "timchat-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "tim-error.h"
#include "timchat-cli-private.h"

static const SecretSchema *
cli_schema (void)
{
  static const SecretSchema schema = {
    "org.example.TimChat.Cli",
    SECRET_SCHEMA_NONE,
    {
        { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
        { "sdkappid", SECRET_SCHEMA_ATTRIBUTE_STRING },
        { "user", SECRET_SCHEMA_ATTRIBUTE_STRING },
        { NULL, 0 },
    },
  };

  return &schema;
}

static gboolean
require_user (Cli *cli, GError **error)
{
  if (cli->user != NULL && tim_user_id_is_valid (cli->user))
    return TRUE;
  g_set_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
               cli->user == NULL ? _ ("No user: pass --user or set TIMCHAT_USER")
                                 : _ ("“%s” is not a valid user ID"),
               cli->user);
  return FALSE;
}

/* Fills what the flags and the environment left open from the keyring item of the user. */
static gboolean
load_from_keyring (Cli *cli, GError **error)
{
  g_autoptr (GError) local = NULL;
  GList *items = secret_password_search_sync (
      cli_schema (), SECRET_SEARCH_LOAD_SECRETS | SECRET_SEARCH_UNLOCK, NULL, &local, "user",
      cli->user, cli->server != NULL ? "server" : NULL, cli->server, NULL);
  SecretRetrievable *item;
  g_autoptr (GHashTable) attributes = NULL;
  g_autoptr (SecretValue) value = NULL;

  /* With a UserSig given, the keyring only fills in what else is missing; whatever it cannot
   * fill is then named by the checks that follow, not blamed on the keyring. */
  if ((local != NULL || items == NULL) && cli->usersig != NULL)
    {
      g_list_free_full (items, g_object_unref);
      return TRUE;
    }
  if (local != NULL)
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_NOT_LOGGED_IN,
                   _ ("Cannot read the keyring (%s); pass --usersig or set TIMCHAT_USERSIG"),
                   local->message);
      return FALSE;
    }
  if (items == NULL)
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_NOT_LOGGED_IN,
                   _ ("No stored login for %s: run “timchat-cli login” or pass --usersig"),
                   cli->user);
      return FALSE;
    }
  item = items->data;
  attributes = secret_retrievable_get_attributes (item);
  value = secret_retrievable_retrieve_secret_sync (item, NULL, &local);
  g_list_free_full (items, g_object_unref);
  if (value == NULL)
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_NOT_LOGGED_IN, _ ("Cannot read the UserSig: %s"),
                   local != NULL ? local->message : _ ("the keyring item is empty"));
      return FALSE;
    }
  if (cli->server == NULL)
    cli->server = g_strdup (g_hash_table_lookup (attributes, "server"));
  if (cli->sdkappid == NULL)
    cli->sdkappid = g_strdup (g_hash_table_lookup (attributes, "sdkappid"));
  if (cli->usersig == NULL)
    cli->usersig = g_strdup (secret_value_get_text (value));
  return TRUE;
}

static gboolean
parse_sdkappid (Cli *cli, guint64 *sdkappid, GError **error)
{
  if (cli->sdkappid != NULL &&
      g_ascii_string_to_unsigned (cli->sdkappid, 10, 1, G_MAXUINT64, sdkappid, NULL))
    return TRUE;
  g_set_error (error, TIM_ERROR, TIM_ERROR_SDKAPPID_INVALID,
               cli->sdkappid == NULL ? _ ("No SDKAppID: pass --sdkappid or set TIMCHAT_SDKAPPID")
                                     : _ ("“%s” is not an SDKAppID"),
               cli->sdkappid);
  return FALSE;
}

static gboolean
resolve_credentials (Cli *cli, gboolean use_keyring, guint64 *sdkappid, GError **error)
{
  if (!require_user (cli, error))
    return FALSE;
  if ((cli->usersig == NULL || cli->server == NULL || cli->sdkappid == NULL) && use_keyring &&
      !load_from_keyring (cli, error))
    return FALSE;
  if (cli->server == NULL ||
      !(g_str_has_prefix (cli->server, "ws://") || g_str_has_prefix (cli->server, "wss://")))
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                   cli->server == NULL ? _ ("No server: pass --server or set TIMCHAT_SERVER")
                                       : _ ("“%s” is not a ws:// or wss:// URL"),
                   cli->server);
      return FALSE;
    }
  if (cli->usersig == NULL)
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_USERSIG_INVALID,
                   _ ("No UserSig: pass --usersig or set TIMCHAT_USERSIG"));
      return FALSE;
    }
  return parse_sdkappid (cli, sdkappid, error);
}

static void
on_ready (TimClient *client, gpointer user_data)
{
  g_main_loop_quit (((Cli *) user_data)->loop);
}

static gboolean
on_ready_timeout (gpointer user_data)
{
  Cli *cli = user_data;

  cli->timed_out = TRUE;
  g_main_loop_quit (cli->loop);
  return G_SOURCE_REMOVE;
}

static gboolean
prepare (Cli *cli, gboolean use_keyring, GError **error)
{
  guint64 sdkappid = 0;

  if (cli->client != NULL)
    return TRUE;
  if (!resolve_credentials (cli, use_keyring, &sdkappid, error))
    return FALSE;
  cli->client = tim_client_new (cli->server, sdkappid, cli->data_dir);
  return TRUE;
}

gboolean
cli_prepare_client (Cli *cli, GError **error)
{
  return prepare (cli, TRUE, error);
}

/* DATA/SDKAPPID/USER, where libtim keeps the account's store, when it is not there yet (the login
 * creates it), else NULL; *app_too: DATA/SDKAPPID is not there either. */
static GFile *
missing_store_dir (Cli *cli, gboolean *app_too)
{
  g_autofree char *data_dir = NULL;
  g_autofree char *app = NULL;
  guint64 sdkappid = 0;
  g_autoptr (GFile) app_dir = NULL;
  g_autoptr (GFile) user_dir = NULL;

  g_object_get (cli->client, "data-dir", &data_dir, "sdkappid", &sdkappid, NULL);
  app = g_strdup_printf ("%" G_GUINT64_FORMAT, sdkappid);
  app_dir = g_file_new_build_filename (data_dir, app, NULL);
  user_dir = g_file_get_child (app_dir, cli->user);
  *app_too = !g_file_query_exists (app_dir, NULL);
  if (*app_too || !g_file_query_exists (user_dir, NULL))
    return g_steal_pointer (&user_dir);
  return NULL;
}

static void
on_outbox_answered (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Cli *cli = user_data;

  tim_client_wait_outbox_finish (TIM_CLIENT (source), result, NULL);
  cli->outbox_waiting = FALSE;
  g_main_loop_quit (cli->loop);
}

static gboolean
login (Cli *cli, gboolean use_keyring, gboolean wait_ready, GError **error)
{
  g_autoptr (GFile) new_dir = NULL;
  gboolean new_app_dir = FALSE;
  GAsyncResult *result;

  if (!prepare (cli, use_keyring, error))
    return FALSE;
  new_dir = missing_store_dir (cli, &new_app_dir);
  tim_client_login_async (cli->client, cli->user, cli->usersig, NULL, cli_on_result, cli);
  if ((result = cli_wait (cli, error)) == NULL ||
      !tim_client_login_finish (cli->client, result, error))
    {
      /* libtim opens the store before the server answers (the cache first); a login refused
       * (a wrong SDKAppID, UserSig or server) leaves no store behind that it made for nothing.
       * Unless another process of this user took it up meanwhile (libtim checks): what that one
       * kept there went with it. */
      if (new_dir != NULL)
        {
          g_autoptr (GFile) app_dir = g_file_get_parent (new_dir);
          g_autoptr (GError) kept = NULL;

          tim_client_logout (cli->client);
          if (!tim_client_remove_unused_store (cli->client, cli->user, &kept))
            g_debug ("%s", kept->message);
          /* DATA/SDKAPPID only while empty (a delete refuses a directory that is not): another
           * account's store may have come into it meanwhile, made by another CLI or the app on
           * this data directory, and it is in use. Removed whole, it went with that. */
          if (new_app_dir)
            g_file_delete (app_dir, NULL, NULL);
        }
      return FALSE;
    }
  /* What an earlier command left in the outbox (a send given up on, exit status 3) goes out
   * with this one: main () waits for it before exiting (docs/cli.md). */
  cli->outbox_waiting = TRUE;
  tim_client_wait_outbox_async (cli->client, NULL, on_outbox_answered, cli);
  if (wait_ready && !tim_client_get_is_ready (cli->client))
    {
      /* "ready" follows the first sync: the conversation list and unread counts are current. */
      gulong handler = g_signal_connect (cli->client, "ready", G_CALLBACK (on_ready), cli);
      guint timeout = g_timeout_add_seconds (cli->timeout_seconds, on_ready_timeout, cli);

      cli->timed_out = FALSE;
      while (!tim_client_get_is_ready (cli->client) && !cli->timed_out)
        g_main_loop_run (cli->loop);
      g_signal_handler_disconnect (cli->client, handler);
      if (!cli->timed_out)
        g_source_remove (timeout);
      if (!tim_client_get_is_ready (cli->client))
        {
          g_set_error (
              error, TIM_ERROR, TIM_ERROR_NETWORK_TIMEOUT,
              g_dngettext (GETTEXT_PACKAGE,
                           "Logged in, but the first sync did not finish within %d second",
                           "Logged in, but the first sync did not finish within %d seconds",
                           cli->timeout_seconds),
              cli->timeout_seconds);
          return FALSE;
        }
    }
  return TRUE;
}

gboolean
cli_connect (Cli *cli, gboolean wait_ready, GError **error)
{
  return login (cli, TRUE, wait_ready, error);
}

/* ---------------------------------------------------------------- login / logout */

int
cli_cmd_login (Cli *cli, char **args)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *label = NULL;
  JsonObject *out;

  if (!cli_parse (cli, &args, "",
                  _ ("Checks the credentials by logging in, then keeps them "
                     "in the keyring: later commands need only --user."),
                  NULL, &error))
    return cli_fail (cli, error);
  if (cli_args_count (args) != 0)
    return cli_fail_literal (cli, TIM_ERROR_INVALID_PARAMETER, _ ("login takes no arguments"));
  /* Flags and environment only: the point is to check what is about to be stored. */
  if (!login (cli, FALSE, FALSE, &error))
    return cli_fail (cli, error);
  /* One stored login per user: the new one replaces any other. */
  secret_password_clear_sync (cli_schema (), NULL, NULL, "user", cli->user, NULL);
  label = g_strdup_printf ("TimChat %s on %s", cli->user, cli->server);
  if (!secret_password_store_sync (cli_schema (), SECRET_COLLECTION_DEFAULT, label, cli->usersig,
                                   NULL, &error, "server", cli->server, "sdkappid", cli->sdkappid,
                                   "user", cli->user, NULL))
    {
      g_autofree char *message =
          g_strdup_printf (_ ("Logged in, but cannot store the UserSig: %s"), error->message);

      return cli_fail_literal (cli, TIM_ERROR_UNCAUGHT, message);
    }
  if (!cli->json)
    {
      /* Translators: %1$s is the user ID, %2$s the server's address. */
      g_print (_ ("Logged in as %1$s on %2$s; the UserSig is in the keyring.\n"), cli->user,
               cli->server);
      return 0;
    }
  out = json_object_new ();
  json_object_set_string_member (out, "user", cli->user);
  json_object_set_string_member (out, "server", cli->server);
  json_object_set_string_member (out, "sdkappid", cli->sdkappid);
  json_object_set_boolean_member (out, "stored", TRUE);
  cli_print_object (out);
  return 0;
}

int
cli_cmd_logout (Cli *cli, char **args)
{
  g_autoptr (GError) error = NULL;
  gboolean removed;

  if (!cli_parse (cli, &args, "", _ ("Forgets the UserSig stored by “login” for --user."), NULL,
                  &error))
    return cli_fail (cli, error);
  if (!require_user (cli, &error))
    return cli_fail (cli, error);
  removed = secret_password_clear_sync (cli_schema (), NULL, &error, "user", cli->user, NULL);
  if (error != NULL)
    return cli_fail_literal (cli, TIM_ERROR_UNCAUGHT, error->message);
  if (cli->json)
    {
      JsonObject *out = json_object_new ();

      json_object_set_string_member (out, "user", cli->user);
      json_object_set_boolean_member (out, "removed", removed);
      cli_print_object (out);
    }
  else
    g_print (removed ? _ ("Forgot the UserSig of %s.\n") : _ ("No stored UserSig for %s.\n"),
             cli->user);
  return 0;
}

/* ---------------------------------------------------------------- me */

int
cli_cmd_me (Cli *cli, char **args)
{
  g_autofree char *set_nick = NULL;
  g_autofree char *set_avatar = NULL;
  const GOptionEntry entries[] = {
    { "nick", 0, 0, G_OPTION_ARG_STRING, &set_nick,
      N_ ("Set the nickname others see (\"\" clears it)"), "NAME" },
    { "avatar", 0, 0, G_OPTION_ARG_STRING, &set_avatar,
      N_ ("Set the avatar URL others see (\"\" clears it)"), "URL" },
    { NULL },
  };
  g_autoptr (GError) error = NULL;
  g_autofree char *nick = NULL;
  g_autofree char *avatar = NULL;
  GAsyncResult *result;

  if (!cli_parse (cli, &args, "",
                  _ ("Shows your own profile (nickname and avatar); with --nick or --avatar, "
                     "sets it first."),
                  entries, &error))
    return cli_fail (cli, error);
  if (cli_args_count (args) != 0)
    return cli_fail_literal (cli, TIM_ERROR_INVALID_PARAMETER, _ ("me takes no arguments"));
  if (!cli_connect (cli, TRUE, &error))
    return cli_fail (cli, error);
  if (set_nick != NULL || set_avatar != NULL)
    {
      tim_client_update_my_profile_async (cli->client, set_nick, set_avatar, NULL, cli_on_result,
                                          cli);
      if ((result = cli_wait (cli, &error)) == NULL ||
          !tim_client_update_my_profile_finish (cli->client, result, &error))
        return cli_fail (cli, error);
    }
  tim_client_get_my_profile_async (cli->client, NULL, cli_on_result, cli);
  if ((result = cli_wait (cli, &error)) == NULL ||
      !tim_client_get_my_profile_finish (cli->client, result, &nick, &avatar, &error))
    return cli_fail (cli, error);
  if (cli->json)
    {
      JsonObject *out = json_object_new ();

      json_object_set_string_member (out, "userID", cli->user);
      json_object_set_string_member (out, "nick", nick);
      json_object_set_string_member (out, "avatar", avatar);
      cli_print_object (out);
    }
  else
    g_print ("%s\t%s\t%s\n", cli->user, nick, avatar);
  return 0;
}
