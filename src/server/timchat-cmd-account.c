/* timchat-cmd-account.c: account administration over REST (im_open_login_svc). */
#define G_LOG_DOMAIN "timchat-server"

#include "config.h"

#include <string.h>

#include "tim-error.h"
#include "tim-json.h"
#include "tim-limits.h"
#include "timchat-commands-private.h"
#include "timchat-hub.h"
#include "timchat-presence.h"

typedef struct
{
  char *user;
  GPtrArray *sessions;       /* owned: the user's sockets when the command ran */
  TimchatPresence *presence; /* owned, or NULL: the account was not deleted */
} KickWhenStored;

/* A kick or a deletion the store did not keep (a full disk: the caller is answered 10002) changed
 * nothing: the tickets still log in and the account is still there, so its sockets must not have
 * been closed nor its presence forgotten. A socket closed cannot be opened again, so they wait
 * for the commit rather than being undone as a logout's are (restore_if_not_stored ()). */
static void
kick_if_stored (gboolean committed, gpointer user_data)
{
  KickWhenStored *kick = user_data;
  guint kicked = 0;

  for (guint i = 0; committed && i < kick->sessions->len; i++)
    {
      TimchatSession *session = kick->sessions->pdata[i];

      /* Not one that left, or logged in as someone else, meanwhile. */
      if (g_strcmp0 (timchat_session_get_user (session), kick->user) == 0)
        {
          timchat_session_kick (session, TIMCHAT_KICK_REST_API);
          kicked++;
        }
    }
  /* Once the user's sessions are gone, as timchat_presence_forget () wants. */
  if (committed && kick->presence != NULL)
    timchat_presence_forget (kick->presence, kick->user);
  if (committed)
    g_info ("%u sockets of %s closed", kicked, kick->user);
  g_ptr_array_unref (kick->sessions);
  g_clear_object (&kick->presence);
  g_free (kick->user);
  g_free (kick);
}

/* Closes user's sockets with a kick notice, and with forget also forgets their presence, once
 * what the command wrote is stored. */
static void
kick_when_stored (TimchatRequest *request, const char *user, gboolean forget)
{
  KickWhenStored *kick = g_new0 (KickWhenStored, 1);
  g_autoptr (GPtrArray) sessions =
      timchat_hub_get_sessions (timchat_server_get_hub (request->server), user);

  kick->user = g_strdup (user);
  kick->sessions = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < sessions->len; i++)
    g_ptr_array_add (kick->sessions, g_object_ref (sessions->pdata[i]));
  if (forget)
    kick->presence = g_object_ref (timchat_server_get_presence (request->server));
  timchat_store_after_commit (timchat_server_get_store (request->server), kick_if_stored, kick);
}

/* Voids the user's tickets and closes every live socket with a kick notice. */
JsonObject *
_timchat_cmd_kick (TimchatRequest *request, GError **error)
{
  TimchatStore *store = timchat_server_get_store (request->server);
  const char *user = tim_json_get_string_any (request->body, "UserID", "Identifier", NULL);
  g_autoptr (TimchatAccount) account = NULL;

  if (user == NULL || *user == '\0')
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_ACCOUNT_INVALID_PARAMETER,
                           "UserID is required");
      return NULL;
    }
  if ((account = timchat_store_get_account (store, user)) == NULL)
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_ACCOUNT_NOT_FOUND,
                   "The account \"%s\" does not exist", user);
      return NULL;
    }
  if (!timchat_store_revoke_tickets (store, user, NULL, error))
    return NULL;
  kick_when_stored (request, user, FALSE);
  g_info ("%s kicked %s", request->user, user);
  return json_object_new ();
}

/* ---------------------------------------------------------------- import, delete, check */

#define ACCOUNTS_MAX_PER_CALL 100
#define NOT_EXIST_INFO "Err_TLS_PT_Open_Login_Account_Not_Exist"

static gboolean
invalid (GError **error, const char *message)
{
  g_set_error_literal (error, TIM_ERROR, TIM_ERROR_ACCOUNT_INVALID_PARAMETER, message);
  return FALSE;
}

/* Nick and FaceUrl of one import entry: optional strings; a value over 500 bytes is 40601. */
static gboolean
check_profile_fields (TimchatRequest *request, JsonObject *entry, gboolean *too_long,
                      GError **error)
{
  const char *members[] = { "Nick", "FaceUrl" };
  gint64 type;

  *too_long = FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS (members); i++)
    {
      const char *value = tim_json_get_string (entry, members[i]);

      if (value == NULL && json_object_has_member (entry, members[i]))
        {
          g_set_error (error, TIM_ERROR, TIM_ERROR_ACCOUNT_INVALID_PARAMETER, "%s must be a string",
                       members[i]);
          return FALSE;
        }
      if (value != NULL && strlen (value) > TIM_MAX_PROFILE_VALUE_BYTES)
        *too_long = TRUE;
    }
  if (json_object_has_member (entry, "Type") &&
      !_timchat_request_get_int (request, entry, "Type", &type))
    return invalid (error, "Type must be an integer");
  return TRUE;
}

JsonObject *
_timchat_cmd_account_import (TimchatRequest *request, GError **error)
{
  TimchatStore *store = timchat_server_get_store (request->server);
  const char *user = tim_json_get_string_any (request->body, "UserID", "Identifier", NULL);
  gboolean too_long;

  if (user == NULL || !tim_user_id_is_valid (user))
    {
      invalid (error, "UserID must be a user ID of 1 to 32 characters");
      return NULL;
    }
  if (!check_profile_fields (request, request->body, &too_long, error))
    return NULL;
  if (too_long)
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_PROFILE_VALUE_TOO_LONG,
                   "Nick and FaceUrl are %d bytes at most", TIM_MAX_PROFILE_VALUE_BYTES);
      return NULL;
    }
  if (!timchat_store_import_account (store, user, tim_json_get_string (request->body, "Nick"),
                                     tim_json_get_string (request->body, "FaceUrl"), error))
    return NULL;
  return json_object_new ();
}

/* Accounts ["u1", ...] (old shape) or AccountList [{UserID, Nick, FaceUrl}, ...] (new shape),
 * one of them: a request with both, or with either not an array, says something we cannot be
 * sure to do (which list did the caller mean?), so it is refused rather than half-read. */
JsonObject *
_timchat_cmd_multiaccount_import (TimchatRequest *request, GError **error)
{
  TimchatStore *store = timchat_server_get_store (request->server);
  JsonArray *ids = tim_json_get_array (request->body, "Accounts");
  JsonArray *entries = tim_json_get_array (request->body, "AccountList");
  gboolean has_ids = json_object_has_member (request->body, "Accounts");
  gboolean has_entries = json_object_has_member (request->body, "AccountList");
  JsonArray *list = entries != NULL ? entries : ids;
  JsonArray *failed;
  JsonObject *reply;

  if (has_ids && has_entries)
    {
      invalid (error, "Give Accounts or AccountList, not both");
      return NULL;
    }
  if (list == NULL)
    {
      invalid (error, has_ids       ? "Accounts must be an array of user IDs"
                      : has_entries ? "AccountList must be an array of {UserID, Nick, FaceUrl}"
                                    : "Accounts or AccountList is required");
      return NULL;
    }
  if (json_array_get_length (list) > ACCOUNTS_MAX_PER_CALL)
    {
      invalid (error, "At most 100 accounts per call");
      return NULL;
    }
  /* The shape of every entry first: a malformed request imports nobody. */
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *entry = entries != NULL ? tim_json_array_get_object (entries, i) : NULL;
      gboolean too_long;

      if (entries != NULL ? entry == NULL || tim_json_get_string (entry, "UserID") == NULL ||
                                !check_profile_fields (request, entry, &too_long, NULL)
                          : tim_json_array_get_string (ids, i) == NULL)
        {
          g_set_error (error, TIM_ERROR, TIM_ERROR_ACCOUNT_INVALID_PARAMETER, "Entry %u is not %s",
                       i,
                       entries != NULL ? "{UserID, Nick, FaceUrl} with string values" : "a string");
          return NULL;
        }
    }

  failed = json_array_new ();
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *entry = entries != NULL ? tim_json_array_get_object (entries, i) : NULL;
      const char *user = entry != NULL ? tim_json_get_string (entry, "UserID")
                                       : tim_json_array_get_string (ids, i);
      gboolean too_long = FALSE;

      if (entry != NULL)
        check_profile_fields (request, entry, &too_long, NULL);
      if (!tim_user_id_is_valid (user) || too_long ||
          !timchat_store_import_account (store, user, tim_json_get_string (entry, "Nick"),
                                         tim_json_get_string (entry, "FaceUrl"), NULL))
        json_array_add_string_element (failed, user);
    }
  reply = json_object_new ();
  json_object_set_array_member (reply, "FailAccounts", failed);
  return reply;
}

/* DeleteItem / CheckItem: 1 to 100 objects with a string UserID. */
static JsonArray *
require_items (TimchatRequest *request, const char *member, GError **error)
{
  JsonArray *items = tim_json_get_array (request->body, member);

  if (items == NULL || json_array_get_length (items) == 0 ||
      json_array_get_length (items) > ACCOUNTS_MAX_PER_CALL)
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_ACCOUNT_INVALID_PARAMETER,
                   "%s must be an array of 1 to 100 {UserID} items", member);
      return NULL;
    }
  for (guint i = 0; i < json_array_get_length (items); i++)
    if (tim_json_get_string (tim_json_array_get_object (items, i), "UserID") == NULL)
      {
        g_set_error (error, TIM_ERROR, TIM_ERROR_ACCOUNT_INVALID_PARAMETER,
                     "%s[%u] needs a string UserID", member, i);
        return NULL;
      }
  return items;
}

static JsonObject *
result_item (const char *user, int code, const char *info)
{
  JsonObject *item = json_object_new ();

  json_object_set_int_member (item, "ResultCode", code);
  json_object_set_string_member (item, "ResultInfo", info);
  json_object_set_string_member (item, "UserID", user);
  return item;
}

/* The account, its tickets, live sockets and whom it followed go; it gets no more messages and
 * cannot log in until imported again. */
JsonObject *
_timchat_cmd_account_delete (TimchatRequest *request, GError **error)
{
  TimchatStore *store = timchat_server_get_store (request->server);
  JsonArray *items = require_items (request, "DeleteItem", error);
  JsonArray *results;
  JsonObject *reply;

  if (items == NULL)
    return NULL;
  results = json_array_new ();
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      const char *user = tim_json_get_string (tim_json_array_get_object (items, i), "UserID");
      g_autoptr (GError) local_error = NULL;

      /* The server sends as an admin when a REST call names no From_Account: deleting one
       * would break every such call until the account came back. */
      if (user != NULL &&
          timchat_config_is_admin (timchat_server_get_config (request->server), user))
        {
          json_array_add_object_element (
              results, result_item (user, TIM_ERROR_ACCOUNT_INVALID_PARAMETER,
                                    "An app admin (app/admins) cannot be deleted"));
          continue;
        }
      if (!timchat_store_delete_account (store, user, &local_error))
        {
          gboolean missing = local_error->code == TIM_ERROR_ACCOUNT_NOT_FOUND;

          json_array_add_object_element (
              results, result_item (user, local_error->code,
                                    missing ? NOT_EXIST_INFO : local_error->message));
          continue;
        }
      kick_when_stored (request, user, TRUE);
      g_info ("%s deleted account %s", request->user, user);
      json_array_add_object_element (results, result_item (user, 0, ""));
    }
  reply = json_object_new ();
  json_object_set_array_member (reply, "ResultItem", results);
  return reply;
}

JsonObject *
_timchat_cmd_account_check (TimchatRequest *request, GError **error)
{
  TimchatStore *store = timchat_server_get_store (request->server);
  JsonArray *items = require_items (request, "CheckItem", error);
  JsonArray *results;
  JsonObject *reply;

  if (items == NULL)
    return NULL;
  results = json_array_new ();
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      const char *user = tim_json_get_string (tim_json_array_get_object (items, i), "UserID");
      g_autoptr (TimchatAccount) account = timchat_store_get_account (store, user);
      JsonObject *item = result_item (user, 0, "");

      json_object_set_string_member (item, "AccountStatus",
                                     account != NULL ? "Imported" : "NotImported");
      json_array_add_object_element (results, item);
    }
  reply = json_object_new ();
  json_object_set_array_member (reply, "ResultItem", results);
  return reply;
}
