/* tim-error.c: texts for the TIM codes. The vendor's SDK ships none, so these are ours. */
#define G_LOG_DOMAIN "tim-core"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>

#include "tim-error.h"

G_DEFINE_QUARK (tim - error - quark, tim_error)

typedef struct
{
  int code;
  const char *text;
} TimErrorText;

static const TimErrorText error_texts[] = {
  { 10002, N_ ("Internal server error; try again") },
  { 10003, N_ ("Unknown command") },
  { 10004, N_ ("Invalid parameter") },
  { 10005, N_ ("Too many accounts in one request") },
  { 10006, N_ ("Too many requests; slow down") },
  { 10007, N_ ("You do not have permission to do that in this group") },
  { 10009, N_ ("The group owner cannot quit the group") },
  { 10010, N_ ("The group does not exist or was dismissed") },
  { 10011, N_ ("The request body is not valid JSON") },
  { 10013, N_ ("The user is already a member of the group") },
  { 10014, N_ ("The group is full") },
  { 10015, N_ ("Invalid group ID") },
  { 10017, N_ ("You are muted in this group") },
  { 10019, N_ ("The user does not exist") },
  { 10021, N_ ("That group ID is already in use") },
  { 10023, N_ ("Too many messages were sent to this group at once") },
  { 10024, N_ ("That application was answered already") },
  { 10030, N_ ("The message to recall does not exist") },
  { 10031, N_ ("The message is too old to recall") },
  { 10032, N_ ("This message cannot be recalled") },
  { 10033, N_ ("Messages of this kind of group cannot be recalled") },
  { 20001, N_ ("The message could not be parsed") },
  { 20002, N_ ("Not authenticated; log in again") },
  { 20003, N_ ("The recipient does not exist") },
  { 20007, N_ ("The recipient has blocked you") },
  { 20016, N_ ("The message is too old to recall") },
  { 20017, N_ ("Only the sender can recall a message") },
  { 20022, N_ ("The message to recall does not exist") },
  { 20023, N_ ("The message was already recalled") },
  { 20026, N_ ("The message to edit does not exist") },
  { 20027, N_ ("The message was edited elsewhere in the meantime") },
  { 30001, N_ ("That user ID cannot be blocked") },
  { 30003, N_ ("The user does not exist") },
  { 40001, N_ ("Invalid profile request") },
  { 40002, N_ ("No account was named in the profile request") },
  { 40003, N_ ("The account does not exist") },
  { 40009, N_ ("This profile field does not exist") },
  { 40601, N_ ("The profile value is too long") },
  { 40605, N_ ("This value is not allowed for this profile field") },
  { 40610, N_ ("The profile value has the wrong type") },
  { 60002, N_ ("The HTTP request could not be parsed") },
  { 60003, N_ ("The request body is not valid JSON") },
  { 60006, N_ ("Invalid SDKAppID") },
  { 60007, N_ ("Too many REST calls; slow down") },
  { 60012, N_ ("The URL needs sdkappid, the SDKAppID") },
  { 60010, N_ ("This request needs an app administrator") },
  { 60022, N_ ("The server is overloaded; try again later") },
  { 70001, N_ ("The UserSig has expired; sign in again") },
  { 70003, N_ ("The UserSig is not valid") },
  { 70009, N_ ("The UserSig was not signed with this app’s key") },
  { 70013, N_ ("The UserSig belongs to another user") },
  { 70014, N_ ("The UserSig belongs to another SDKAppID") },
  { 70107, N_ ("The account does not exist") },
  { 70402, N_ ("Invalid parameter") },
  { 80001, N_ ("The message contains blocked words") },
  { 80002, N_ ("The message is too long") },
  { 90001, N_ ("The request body is not valid JSON") },
  { 90002, N_ ("The message body does not have the documented format") },
  { 90003, N_ ("The recipient is missing or does not exist") },
  { 90005, N_ ("The message body is missing or not valid") },
  { 90006, N_ ("MsgTimeStamp must be an integer") },
  { 90007, N_ ("MsgBody must be an array") },
  { 90008, N_ ("The sender is missing or does not exist") },
  { 90011, N_ ("Too many recipients") },
  { 90012, N_ ("The recipient account does not exist") },
  { 90026, N_ ("The offline storage time is not valid") },
  { 90031, N_ ("SyncOtherMachine must be an integer") },
  { 90044, N_ ("MsgLifeTime must be an integer") },
  { 90054, N_ ("The MsgKey is not valid") },
  { 93000, N_ ("The request is too long") },
  { 2024, N_ ("You are not logged in") },
  { 2100, N_ ("The message could not be sent") },
  { 2106, N_ ("Messages go to a one-to-one or a group conversation, not this one") },
  { 2108, N_ ("The file is empty") },
  { 2110, N_ ("The message could not be recalled") },
  { 2116, N_ ("Group notices cannot be deleted") },
  { 2252, N_ ("This image type is not supported") },
  { 2253, N_ ("The image is too large (20 MB at most)") },
  { 2300, N_ ("The audio could not be uploaded") },
  { 2301, N_ ("The audio file is too large (20 MB at most)") },
  { 2350, N_ ("The video could not be uploaded") },
  { 2351, N_ ("The video is too large (100 MB at most)") },
  { 2352, N_ ("This video type is not supported") },
  { 2400, N_ ("The file could not be uploaded") },
  { 2402, N_ ("The file is too large (100 MB at most)") },
  { 2403, N_ ("The server’s upload answer was incomplete") },
  { 2450, N_ ("These messages cannot be merged") },
  { 2451, N_ ("The merged message has no key to download its messages with") },
  { 2452, N_ ("The merged messages could not be downloaded") },
  { 2453, N_ ("This message cannot be forwarded") },
  { 2480, N_ ("The message was edited elsewhere in the meantime") },
  { 2500, N_ ("The conversation does not exist") },
  { 2503, N_ ("Invalid conversation ID") },
  { 2742, N_ ("You cannot block yourself") },
  { 2800, N_ ("Network error") },
  { 2801, N_ ("The server did not answer in time") },
  { 2903, N_ ("Unexpected error") },
  { 2905, N_ ("Invalid operation") },
};

/**
 * tim_error_text:
 * @code: a TIM code
 *
 * Returns: (transfer none): a plain, translated sentence for @code; never %NULL.
 */
const char *
tim_error_text (int code)
{
  for (gsize i = 0; i < G_N_ELEMENTS (error_texts); i++)
    if (error_texts[i].code == code)
      return _ (error_texts[i].text);
  return code == 0 ? "" : _ ("Unknown error");
}

gboolean
tim_error_is_local_file (const GError *error)
{
  if (error == NULL || error->domain != G_IO_ERROR)
    return FALSE;
  switch (error->code)
    {
    case G_IO_ERROR_NOT_FOUND:
    case G_IO_ERROR_PERMISSION_DENIED:
    case G_IO_ERROR_IS_DIRECTORY:
    case G_IO_ERROR_NOT_DIRECTORY:
    case G_IO_ERROR_NOT_REGULAR_FILE:
    case G_IO_ERROR_FILENAME_TOO_LONG:
    case G_IO_ERROR_INVALID_FILENAME:
    case G_IO_ERROR_TOO_MANY_LINKS:
    case G_IO_ERROR_NOT_MOUNTED:
      return TRUE;
    default:
      return FALSE;
    }
}

gboolean
tim_error_is_transient (const GError *error)
{
  if (error == NULL || error->domain != TIM_ERROR)
    return FALSE;
  switch (error->code)
    {
    case TIM_ERROR_NETWORK:
    case TIM_ERROR_NETWORK_TIMEOUT:
    case TIM_ERROR_INTERNAL:
    case TIM_ERROR_SERVICE_OVERLOAD:
      return TRUE;
    default:
      return FALSE;
    }
}
