/* tim-client-profile.c: the logged-in user's own profile (the Web SDK's getMyProfile and
 * updateMyProfile): the nickname and avatar others see with this user's messages, in the
 * conversation list and in notifications, kept as TimClient:nick and :avatar (read at each login,
 * changed by this device's calls and by the server's ProfileDataMod push of a change made on
 * another device of the user). */
#define G_LOG_DOMAIN "tim-client"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "tim-client-private.h"
#include "tim-error.h"
#include "tim-json.h"
#include "tim-limits.h"

const char *
_tim_profile_tag (JsonObject *profile, const char *tag)
{
  JsonArray *items = tim_json_get_array (profile, "ProfileItem");
  JsonObject *item;

  for (guint i = 0; (item = tim_json_array_next_object (items, &i)) != NULL;)
    {
      if (g_strcmp0 (tim_json_get_string (item, "Tag"), tag) == 0)
        return tim_json_get_string (item, "Value");
    }
  return NULL;
}

/* ---------------------------------------------------------------- shown */

/* user's nick and avatar (NULL: unchanged) are now these: in the conversation with them, and,
 * for the user's own, in TimClient:nick and :avatar. */
static void
show_profile (TimClient *self, const char *user, const char *nick, const char *avatar)
{
  g_autofree char *conversation_id = NULL;
  TimConversation *conversation;

  if (user == NULL || (nick == NULL && avatar == NULL))
    return;
  if (g_strcmp0 (user, self->user) == 0)
    _tim_client_set_my_profile (self, nick, avatar);
  conversation_id = tim_conv_make_id (TIM_CONV_C2C, user);
  conversation = tim_conversation_list_lookup (self->conversations, conversation_id);
  if (conversation != NULL && _tim_conversation_update_profile (conversation, nick, avatar))
    _tim_client_save_conversation (self, conversation);
}

/* A ProfileDataMod item: {Profile_Account, ProfileList[{Tag, ValueBytes | ValueNum}]}, the fields
 * a portrait_set changed. The server sends the user's own, made on another device: without it
 * that device kept showing the old nick until it logged in again. */
void
_tim_client_take_profile_change (TimClient *self, JsonObject *change)
{
  JsonArray *items = tim_json_get_array (change, "ProfileList");
  const char *nick = NULL;
  const char *avatar = NULL;
  JsonObject *item;

  for (guint i = 0; (item = tim_json_array_next_object (items, &i)) != NULL;)
    {
      const char *tag = tim_json_get_string (item, "Tag");

      if (g_strcmp0 (tag, "Tag_Profile_IM_Nick") == 0)
        nick = tim_json_get_string (item, "ValueBytes");
      else if (g_strcmp0 (tag, "Tag_Profile_IM_Image") == 0)
        avatar = tim_json_get_string (item, "ValueBytes");
    }
  show_profile (self, tim_json_get_string (change, "Profile_Account"), nick, avatar);
}

/* ---------------------------------------------------------------- get */

typedef struct
{
  char *nick;
  char *avatar;
} Profile;

static void
profile_free (Profile *profile)
{
  g_free (profile->nick);
  g_free (profile->avatar);
  g_free (profile);
}

static void
my_profile_done (TimClient *self, GTask *task, JsonObject *reply)
{
  JsonObject *item = tim_json_array_get_object (tim_json_get_array (reply, "UserProfileItem"), 0);
  Profile *profile;

  if (item == NULL || tim_json_get_int_or (item, "ResultCode", 0) != 0)
    {
      g_task_return_new_error (task, TIM_ERROR, TIM_ERROR_ACCOUNT_NOT_FOUND, "%s",
                               tim_error_text (TIM_ERROR_ACCOUNT_NOT_FOUND));
      return;
    }
  profile = g_new0 (Profile, 1);
  profile->nick = g_strdup (_tim_profile_tag (item, "Tag_Profile_IM_Nick"));
  profile->avatar = g_strdup (_tim_profile_tag (item, "Tag_Profile_IM_Image"));
  /* The newest word on it: what is shown agrees with what the caller is told. */
  show_profile (self, self->user, profile->nick != NULL ? profile->nick : "",
                profile->avatar != NULL ? profile->avatar : "");
  g_task_return_pointer (task, profile, (GDestroyNotify) profile_free);
}

void
tim_client_get_my_profile_async (TimClient *self, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr (JsonObject) body = json_object_new ();
  JsonArray *users = json_array_new ();
  JsonObject *me = json_object_new ();

  g_return_if_fail (TIM_IS_CLIENT (self));
  json_array_add_object_element (users, me);
  json_object_set_array_member (body, "UserItem", users);
  if (!_tim_client_check_logged_in (self, task))
    return;
  json_object_set_string_member (me, "To_Account", tim_client_get_user (self));
  _tim_client_request (self, task, "profile.portrait_get_all", body, my_profile_done);
}

void
_tim_client_fetch_my_profile (TimClient *self)
{
  tim_client_get_my_profile_async (self, self->cancellable, NULL, NULL);
}

gboolean
tim_client_get_my_profile_finish (TimClient *self, GAsyncResult *result, char **nick, char **avatar,
                                  GError **error)
{
  Profile *profile = g_task_propagate_pointer (G_TASK (result), error);

  if (profile == NULL)
    return FALSE;
  if (nick != NULL)
    *nick = g_strdup (profile->nick != NULL ? profile->nick : "");
  if (avatar != NULL)
    *avatar = g_strdup (profile->avatar != NULL ? profile->avatar : "");
  profile_free (profile);
  return TRUE;
}

/* ---------------------------------------------------------------- update */

/* What send_update () set is the user's profile now. */
static void
keep_sent (TimClient *self, GTask *task)
{
  show_profile (self, self->user, g_object_get_data (G_OBJECT (task), "nick"),
                g_object_get_data (G_OBJECT (task), "avatar"));
}

static void
update_done (TimClient *self, GTask *task, JsonObject *reply)
{
  keep_sent (self, task);
  g_task_return_boolean (task, TRUE);
}

static gboolean
add_item (GTask *task, JsonArray *items, const char *tag, const char *value)
{
  JsonObject *item;

  if (value == NULL)
    return TRUE;
  if (!g_utf8_validate (value, -1, NULL))
    {
      g_task_return_new_error (task, TIM_ERROR, TIM_ERROR_PROFILE_INVALID_PARAMETER, "%s",
                               tim_error_text (TIM_ERROR_PROFILE_INVALID_PARAMETER));
      return FALSE;
    }
  /* The server's limit on a name and a picture, checked here for a clear answer (the limit
   * named) before the round trip. */
  if (strlen (value) > TIM_MAX_PROFILE_VALUE_BYTES)
    {
      g_task_return_new_error (task, TIM_ERROR, TIM_ERROR_PROFILE_VALUE_TOO_LONG,
                               _ ("The profile value is too long (%d bytes at most)"),
                               TIM_MAX_PROFILE_VALUE_BYTES);
      return FALSE;
    }
  item = json_object_new ();
  json_object_set_string_member (item, "Tag", tag);
  json_object_set_string_member (item, "Value", value);
  json_array_add_object_element (items, item);
  return TRUE;
}

/* profile.portrait_set of what is not NULL; the errors of add_item () before anything is sent. */
static void
send_update (TimClient *self, GTask *task, const char *nick, const char *avatar,
             TimClientReplyHandler handler)
{
  g_autoptr (JsonObject) body = json_object_new ();
  JsonArray *items = json_array_new ();

  json_object_set_array_member (body, "ProfileItem", items);
  if (!_tim_client_check_logged_in (self, task) ||
      !add_item (task, items, "Tag_Profile_IM_Nick", nick) ||
      !add_item (task, items, "Tag_Profile_IM_Image", avatar))
    return;
  if (json_array_get_length (items) == 0)
    {
      g_task_return_new_error (task, TIM_ERROR, TIM_ERROR_PROFILE_INVALID_PARAMETER, "%s",
                               tim_error_text (TIM_ERROR_PROFILE_INVALID_PARAMETER));
      return;
    }
  json_object_set_string_member (body, "From_Account", tim_client_get_user (self));
  g_object_set_data_full (G_OBJECT (task), "nick", g_strdup (nick), g_free);
  g_object_set_data_full (G_OBJECT (task), "avatar", g_strdup (avatar), g_free);
  _tim_client_request (self, task, "profile.portrait_set", body, handler);
}

void
tim_client_update_my_profile_async (TimClient *self, const char *nick, const char *avatar,
                                    GCancellable *cancellable, GAsyncReadyCallback callback,
                                    gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_return_if_fail (TIM_IS_CLIENT (self));
  send_update (self, task, nick, avatar, update_done);
}

gboolean
tim_client_update_my_profile_finish (TimClient *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---------------------------------------------------------------- avatar */

static void
avatar_set_done (TimClient *self, GTask *task, JsonObject *reply)
{
  keep_sent (self, task);
  g_task_return_pointer (task, g_strdup (g_task_get_task_data (task)), g_free);
}

/* The 198 px version (Type 3) is plenty for an avatar; the original when there is none. */
static const char *
picture_url (JsonObject *answer)
{
  JsonArray *versions = tim_json_get_array (answer, "ImageInfoArray");
  JsonObject *version;

  for (guint i = 0; (version = tim_json_array_next_object (versions, &i)) != NULL;)
    {
      if (tim_json_get_int_or (version, "Type", 0) == 3 &&
          tim_json_get_string (version, "URL") != NULL)
        return tim_json_get_string (version, "URL");
    }
  return tim_json_get_string (answer, "Url");
}

char *
_tim_upload_picture_finish (TimUploader *uploader, GAsyncResult *result, GError **error)
{
  g_autoptr (JsonObject) answer = tim_uploader_upload_finish (uploader, result, error);
  const char *url = answer != NULL ? picture_url (answer) : NULL;

  if (answer != NULL && url == NULL)
    g_set_error (error, TIM_ERROR, TIM_ERROR_IMAGE_TYPE, "%s",
                 tim_error_text (TIM_ERROR_IMAGE_TYPE));
  return g_strdup (url);
}

void
_tim_client_upload_picture (TimClient *self, GFile *picture, GTask *task,
                            GAsyncReadyCallback callback)
{
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *name = g_file_get_basename (picture);
  GCancellable *ends[] = { self->cancellable, g_task_get_cancellable (task) };

  /* The client's cancellable is the session's: the logout and the dispose cancel it, as they end
   * the calls' requests. Left to run, the upload ended in the next session and its next step set
   * the URL as whoever was logged in by then. One cancelled already stops it at once. */
  for (guint i = 0; i < G_N_ELEMENTS (ends); i++)
    if (ends[i] != NULL)
      {
        g_signal_connect_object (ends[i], "cancelled", G_CALLBACK (g_cancellable_cancel),
                                 cancellable, G_CONNECT_SWAPPED);
        if (g_cancellable_is_cancelled (ends[i]))
          g_cancellable_cancel (cancellable);
      }
  tim_uploader_set_ticket (self->uploader, tim_transport_get_a2 (self->transport));
  tim_uploader_upload_async (self->uploader, TIM_ELEM_IMAGE, picture, name, NULL, NULL, cancellable,
                             callback, task);
}

static void
on_avatar_uploaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *error = NULL;
  char *url = _tim_upload_picture_finish (TIM_UPLOADER (source), result, &error);

  if (url == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_set_task_data (task, url, g_free);
  send_update (g_task_get_source_object (task), task, NULL, url, avatar_set_done);
}

void
tim_client_set_my_avatar_async (TimClient *self, GFile *image, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_return_if_fail (TIM_IS_CLIENT (self));
  g_return_if_fail (G_IS_FILE (image));
  if (!_tim_client_check_logged_in (self, task))
    return;
  _tim_client_upload_picture (self, image, g_steal_pointer (&task), on_avatar_uploaded);
}

char *
tim_client_set_my_avatar_finish (TimClient *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---------------------------------------------------------------- peers' names */

#define PEERS_PER_REQUEST 100

typedef struct
{
  GPtrArray *members; /* TimGroupMember */
  GCompareFunc order;
  guint asked; /* members[asked_from..asked) are in the request on the way */
  guint asked_from;
} Naming;

static void
naming_free (Naming *naming)
{
  g_ptr_array_unref (naming->members);
  g_free (naming);
}

static void request_member_nicks (TimClient *self, GTask *task);

static void
member_nicks_done (TimClient *self, GTask *task, JsonObject *reply)
{
  Naming *naming = g_object_get_data (G_OBJECT (task), "naming");
  JsonArray *items = tim_json_get_array (reply, "UserProfileItem");
  JsonObject *item;

  for (guint i = 0; (item = tim_json_array_next_object (items, &i)) != NULL;)
    {
      const char *user = tim_json_get_string (item, "To_Account");
      const char *nick = _tim_profile_tag (item, "Tag_Profile_IM_Nick");

      if (user == NULL || nick == NULL || *nick == '\0')
        continue;
      for (guint j = naming->asked_from; j < naming->asked; j++)
        {
          TimGroupMember *member = naming->members->pdata[j];

          if (g_str_equal (member->user_id, user) && member->nick == NULL)
            member->nick = g_strdup (nick);
        }
    }
  request_member_nicks (self, task);
}

/* The next PEERS_PER_REQUEST members' profiles, or the members when all were asked for. */
static void
request_member_nicks (TimClient *self, GTask *task)
{
  Naming *naming = g_object_get_data (G_OBJECT (task), "naming");
  g_autoptr (JsonObject) body = NULL;
  JsonArray *users;

  if (naming->asked == naming->members->len)
    {
      g_ptr_array_sort (naming->members, naming->order);
      g_task_return_pointer (task, g_ptr_array_ref (naming->members),
                             (GDestroyNotify) g_ptr_array_unref);
      return;
    }
  body = json_object_new ();
  users = json_array_new ();
  naming->asked_from = naming->asked;
  for (; naming->asked < naming->members->len && json_array_get_length (users) < PEERS_PER_REQUEST;
       naming->asked++)
    {
      const TimGroupMember *member = naming->members->pdata[naming->asked];
      JsonObject *user = json_object_new ();

      json_object_set_string_member (user, "To_Account", member->user_id);
      json_array_add_object_element (users, user);
    }
  json_object_set_array_member (body, "UserItem", users);
  _tim_client_request (self, task, "profile.portrait_get_all", body, member_nicks_done);
}

void
_tim_client_name_members (TimClient *self, GTask *task, GPtrArray *members, GCompareFunc order)
{
  Naming *naming = g_new0 (Naming, 1);

  naming->members = members;
  naming->order = order;
  g_object_set_data_full (G_OBJECT (task), "naming", naming, (GDestroyNotify) naming_free);
  request_member_nicks (self, task);
}

static void
peer_profiles_done (TimClient *self, GTask *task, JsonObject *reply)
{
  JsonArray *items = tim_json_get_array (reply, "UserProfileItem");
  JsonObject *item;

  for (guint i = 0; (item = tim_json_array_next_object (items, &i)) != NULL;)
    {
      const char *user = tim_json_get_string (item, "To_Account");
      g_autofree char *conversation_id = NULL;
      TimConversation *conversation;

      if (user == NULL || tim_json_get_int_or (item, "ResultCode", 0) != 0)
        continue;
      conversation_id = tim_conv_make_id (TIM_CONV_C2C, user);
      conversation = tim_conversation_list_lookup (self->conversations, conversation_id);
      if (conversation != NULL && _tim_conversation_set_profile (
                                      conversation, _tim_profile_tag (item, "Tag_Profile_IM_Nick"),
                                      _tim_profile_tag (item, "Tag_Profile_IM_Image")))
        _tim_client_save_conversation (self, conversation);
    }
  g_task_return_boolean (task, TRUE);
}

/* The server's conversation list names groups but not people (as the vendor's does); the Web SDK
 * then asks for the peers' profiles, and so do we after each sync: a fresh device shows names,
 * and a rename made while we were away shows. One request per 100 peers (the server's cap). */

static void
request_peer_profiles (TimClient *self, JsonArray *users)
{
  g_autoptr (GTask) task = g_task_new (self, self->cancellable, NULL, NULL);
  g_autoptr (JsonObject) body = json_object_new ();

  json_object_set_array_member (body, "UserItem", users);
  _tim_client_request (self, task, "profile.portrait_get_all", body, peer_profiles_done);
}

void
_tim_client_refresh_peer_profiles (TimClient *self)
{
  GListModel *conversations = G_LIST_MODEL (self->conversations);
  JsonArray *users = json_array_new ();

  for (guint i = 0; i < g_list_model_get_n_items (conversations); i++)
    {
      g_autoptr (TimConversation) conversation = g_list_model_get_item (conversations, i);
      JsonObject *user;

      if (tim_conversation_get_conversation_type (conversation) != TIM_CONV_C2C)
        continue;
      user = json_object_new ();
      json_object_set_string_member (user, "To_Account", tim_conversation_get_peer (conversation));
      json_array_add_object_element (users, user);
      if (json_array_get_length (users) == PEERS_PER_REQUEST)
        {
          request_peer_profiles (self, users);
          users = json_array_new ();
        }
    }
  if (json_array_get_length (users) > 0)
    request_peer_profiles (self, users);
  else
    json_array_unref (users);
}
