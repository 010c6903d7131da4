/* timchat-cmd-login.c: im_open_status.wslogin and friends. */
#define G_LOG_DOMAIN "timchat-server"

#include "config.h"

#include "tim-error.h"
#include "tim-json.h"
#include "timchat-commands-private.h"
#include "timchat-hub.h"
#include "timchat-random.h"

JsonObject *
_timchat_cmd_wslogin (TimchatRequest *request, GError **error)
{
  TimchatStore *store = timchat_server_get_store (request->server);
  TimchatConfig *config = timchat_server_get_config (request->server);
  const char *identifier = tim_json_get_string (request->head, "identifier");
  const char *usersig = tim_json_get_string (request->head, "usersig");
  const char *old_a2 = tim_json_get_string (request->head, "a2");
  g_autoptr (TimchatAccount) account = NULL;
  g_autofree char *user = NULL;
  g_autofree char *a2 = NULL;
  g_autofree char *tinyid = NULL;
  gint64 now = timchat_server_now ();
  gint64 expires = 0;
  gint64 head_sdkappid = 0;
  g_autofree char *url_sdkappid = NULL;
  guint64 url_value = 0;
  JsonObject *reply;

  if (request->session == NULL)
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_INVALID_OPERATION,
                           "Log in over a WebSocket");
      return NULL;
    }
  /* The app the client means must be this one, in the frame's head and in the socket's URL
   * alike: the UserSig (checked below) holds our SDKAppID, so without this a client set up with
   * another would log in, and file its data under that one. Where it is not said, there is
   * nothing to check. */
  url_sdkappid = timchat_session_dup_url_param (request->session, "sdkappid");
  if ((json_object_has_member (request->head, "sdkappid") &&
       (!tim_json_get_int (request->head, "sdkappid", &head_sdkappid) ||
        head_sdkappid != (gint64) config->sdkappid)) ||
      (url_sdkappid != NULL &&
       (!g_ascii_string_to_unsigned (url_sdkappid, 10, 0, G_MAXUINT64, &url_value, NULL) ||
        url_value != config->sdkappid)))
    {
      g_set_error (error, TIM_ERROR, TIM_ERROR_USERSIG_SDKAPPID_MISMATCH,
                   "The SDKAppID asked for is not this server's (%" G_GUINT64_FORMAT ")",
                   config->sdkappid);
      return NULL;
    }
  if (identifier != NULL && usersig != NULL)
    {
      if (!timchat_server_verify_usersig (request->server, identifier, usersig, &expires, error))
        return NULL;
      user = g_strdup (identifier);
      if ((a2 = timchat_random_key (error)) == NULL)
        return NULL;
    }
  else if (old_a2 != NULL &&
           (user = timchat_store_check_ticket (store, old_a2, now, &expires)) != NULL)
    {
      /* A reconnect: the SDK logs in again with its ticket. */
      a2 = g_strdup (old_a2);
    }
  else
    {
      g_set_error_literal (error, TIM_ERROR,
                           old_a2 != NULL ? TIM_ERROR_USERSIG_EXPIRED : TIM_ERROR_USERSIG_INVALID,
                           old_a2 != NULL ? "The login ticket expired; log in with a UserSig"
                                          : "The head has no identifier and usersig");
      return NULL;
    }

  account = timchat_store_ensure_account (store, user, error);
  if (account == NULL)
    return NULL;
  if (expires <= now)
    expires = now + 86400;
  if ((old_a2 == NULL || !g_str_equal (a2, old_a2)) &&
      !timchat_store_add_ticket (store, a2, user, expires, error))
    return NULL;
  timchat_session_set_login (request->session, user, a2, account->tinyid, expires);
  g_info ("%s logged in (instance %" G_GUINT64_FORMAT ")", user,
          timchat_session_get_inst_id (request->session));

  tinyid = g_strdup_printf ("%" G_GUINT64_FORMAT, account->tinyid);
  reply = json_object_new ();
  json_object_set_string_member (reply, "A2Key", a2);
  json_object_set_string_member (reply, "TinyId", tinyid);
  json_object_set_int_member (reply, "HelloInterval", config->hello_interval);
  json_object_set_int_member (reply, "InstId",
                              (gint64) timchat_session_get_inst_id (request->session));
  json_object_set_int_member (reply, "TimeStamp", now);
  json_object_set_string_member (reply, "Identifier", user);
  return reply;
}

JsonObject *
_timchat_cmd_wslogout (TimchatRequest *request, GError **error)
{
  /* The login ends with its ticket, not only its pushes (timchat_session_logout ()). */
  if (request->session != NULL && !timchat_session_logout (request->session, error))
    return NULL;
  /* It pointed at the session's copy, which the logout freed. */
  request->user = NULL;
  return json_object_new ();
}

JsonObject *
_timchat_cmd_ok (TimchatRequest *request, GError **error)
{
  return json_object_new ();
}

/* The features the Web SDK may use (its canIUse): the vendor sells them; a self-hosted server has
 * what it serves. A string of bits, the lowest last: bit 10 is CONV_GROUP (the conversation
 * groups: createConversationGroup…), bit 9 CONV_MARK (markConversation), bit 7 USER_STATUS
 * (getUserStatus, subscribeUserStatus, setSelfStatus). The SDK asks again after ExpiredTime
 * seconds. */
#define SERVED_FEATURES "11010000000"

JsonObject *
_timchat_cmd_purchase_bits (TimchatRequest *request, GError **error)
{
  JsonObject *reply = json_object_new ();

  json_object_set_string_member (reply, "PurchaseBits", SERVED_FEATURES);
  json_object_set_int_member (reply, "ExpiredTime", 24 * 60 * 60);
  return reply;
}

/* An empty joined-group list, for the community-group variant the SDK asks for. */
JsonObject *
_timchat_cmd_no_groups (TimchatRequest *request, GError **error)
{
  JsonObject *reply = json_object_new ();

  json_object_set_array_member (reply, "GroupIdList", json_array_new ());
  json_object_set_int_member (reply, "TotalCount", 0);
  return reply;
}
