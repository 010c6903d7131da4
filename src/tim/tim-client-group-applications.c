/* tim-client-group-applications.c: the applications to join a group that wait for its owner or
 * an admin (the Web SDK's getGroupApplicationList), and answering one (handleGroupApplication),
 * from its notice or from the list. Either way the answer is kept in every notice of that
 * application this device holds, so that none of them offers to answer it again; and the list
 * says which are answered elsewhere (by another manager, or another device), so that their
 * notices say so too. */
#define G_LOG_DOMAIN "tim-client"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tim-client-private.h"
#include "tim-error.h"
#include "tim-json.h"
#include "tim-message-private.h"

/* The server's limit on what an applicant or a manager says, in bytes. */
#define MAX_APPLY_MESSAGE_BYTES 300
/* get_pendency's page (the server's most), and how many pages are followed at most. */
#define PAGE_LIMIT 100
#define MAX_PAGES 100

gboolean
_tim_client_check_application_words (GTask *task, const char *words)
{
  if (words == NULL ||
      (g_utf8_validate (words, -1, NULL) && strlen (words) <= MAX_APPLY_MESSAGE_BYTES))
    return TRUE;
  g_task_return_new_error (task, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                           _ ("A message to the group’s managers is at most %d bytes of text"),
                           MAX_APPLY_MESSAGE_BYTES);
  return FALSE;
}

static const char *
notice_group_id (TimMessage *notice)
{
  return tim_json_get_string (
      tim_json_get_object (tim_message_get_payload (notice), "groupProfile"), "groupID");
}

static const char *
notice_applicant (TimMessage *notice)
{
  return tim_json_get_string (tim_message_get_payload (notice), "operatorID");
}

/* Sets result ("Agree", "Reject" or "Answered") on notice, when it waits, and stores it. */
static void
settle_notice (TimClient *self, TimMessage *notice, const char *result)
{
  if (tim_message_get_application_state (notice) != TIM_APPLICATION_PENDING)
    return;
  _tim_message_set_application_result (notice, result);
  _tim_client_store_message (self, notice);
}

/* Each waiting notice among the recent system notices that is_settled (notice, data) says is
 * answered gets result. */
static void
settle_notices (TimClient *self, gboolean (*is_settled) (TimMessage *notice, gpointer data),
                gpointer data, const char *result)
{
  g_autoptr (GPtrArray) notices = _tim_client_recent_messages (self, TIM_SYSTEM_CONVERSATION_ID);

  for (guint i = 0; i < notices->len; i++)
    {
      TimMessage *notice = notices->pdata[i];

      if (tim_message_get_application_state (notice) == TIM_APPLICATION_PENDING &&
          is_settled (notice, data))
        settle_notice (self, notice, result);
    }
}

/* ---------------------------------------------------------------- answering */

typedef struct
{
  char *group_id;
  char *applicant;
  TimMessage *notice; /* the one answered from, or NULL (from the list) */
  gboolean agree;
} Answer;

static void
answer_free (Answer *answer)
{
  g_free (answer->group_id);
  g_free (answer->applicant);
  g_clear_object (&answer->notice);
  g_free (answer);
}

static gboolean
is_of_answer (TimMessage *notice, gpointer data)
{
  Answer *answer = data;

  return g_strcmp0 (notice_group_id (notice), answer->group_id) == 0 &&
         g_strcmp0 (notice_applicant (notice), answer->applicant) == 0;
}

/* The server keeps one application a group and applicant, so an answer settles all of its
 * notices (one a manager's device got for each time they applied). One another manager (or
 * device) gave first settles them as answered. */
static void
on_answered (JsonObject *reply, const GError *error, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  TimClient *self = g_task_get_source_object (task);
  Answer *answer = g_task_get_task_data (task);
  const char *result = reply == NULL ? "Answered" : answer->agree ? "Agree" : "Reject";

  if (reply == NULL && !g_error_matches (error, TIM_ERROR, TIM_ERROR_GROUP_REQUEST_HANDLED))
    {
      g_task_return_error (task, g_error_copy (error));
      return;
    }
  if (answer->notice != NULL)
    settle_notice (self, answer->notice, result);
  settle_notices (self, is_of_answer, answer, result);
  if (reply == NULL)
    g_task_return_new_error (task, TIM_ERROR, TIM_ERROR_GROUP_REQUEST_HANDLED, "%s",
                             _ ("Someone answered this application already"));
  else
    g_task_return_boolean (task, TRUE);
}

void
_tim_client_answer_application (TimClient *self, GTask *task, const char *group_id,
                                const char *applicant, const char *authentication,
                                const char *message_key, TimMessage *notice, gboolean agree,
                                const char *reason)
{
  g_autoptr (JsonObject) body = json_object_new ();
  Answer *answer;

  if (!_tim_client_check_application_words (task, reason) ||
      !_tim_client_check_logged_in (self, task))
    return;
  if (!tim_group_id_is_valid (group_id) || applicant == NULL || *applicant == '\0')
    {
      g_task_return_new_error (task, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER, "%s",
                               _ ("That is no application to join a group"));
      return;
    }
  json_object_set_string_member (body, "GroupId", group_id);
  json_object_set_string_member (body, "Applicant_Account", applicant);
  json_object_set_string_member (body, "HandleMsg", agree ? "Agree" : "Reject");
  json_object_set_string_member (body, "ApprovalMsg", reason != NULL ? reason : "");
  tim_json_set_string_if (body, "Authentication", authentication);
  tim_json_set_string_if (body, "MsgKey", message_key);
  answer = g_new0 (Answer, 1);
  answer->group_id = g_strdup (group_id);
  answer->applicant = g_strdup (applicant);
  answer->notice = notice != NULL ? g_object_ref (notice) : NULL;
  answer->agree = agree;
  g_task_set_task_data (task, answer, (GDestroyNotify) answer_free);
  tim_transport_request (self->transport, "group_open_http_svc.handle_apply_join_group", body, 0,
                         g_task_get_cancellable (task), on_answered, g_object_ref (task));
}

void
tim_client_answer_group_application_async (TimClient *self, const TimGroupApplication *application,
                                           gboolean agree, const char *reason,
                                           GCancellable *cancellable, GAsyncReadyCallback callback,
                                           gpointer user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (TIM_IS_CLIENT (self));
  g_return_if_fail (application != NULL);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tim_client_answer_group_application_async);
  _tim_client_answer_application (self, task, application->group_id, application->applicant,
                                  application->authentication, NULL, NULL, agree, reason);
}

gboolean
tim_client_answer_group_application_finish (TimClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---------------------------------------------------------------- the list */

typedef struct
{
  GPtrArray *applications; /* TimGroupApplication */
  gint64 asked_at;         /* when the first page was asked for, seconds */
  guint pages;
} Listing;

static void
listing_free (Listing *listing)
{
  g_ptr_array_unref (listing->applications);
  g_free (listing);
}

static char *
dup_or_empty (JsonObject *object, const char *member)
{
  const char *value = tim_json_get_string (object, member);

  return g_strdup (value != NULL ? value : "");
}

static void ask_page (TimClient *self, GTask *task, gint64 start);

/* A notice whose application the list has not: answered elsewhere, or no longer this user's to
 * answer. The server answers in order, so every notice here came before the list was made;
 * those stamped after it was asked for are left alone all the same. */
static gboolean
is_not_listed (TimMessage *notice, gpointer data)
{
  Listing *listing = data;

  if (tim_message_get_time (notice) > listing->asked_at)
    return FALSE;
  for (guint i = 0; i < listing->applications->len; i++)
    {
      TimGroupApplication *application = listing->applications->pdata[i];

      if (g_strcmp0 (notice_group_id (notice), application->group_id) == 0 &&
          g_strcmp0 (notice_applicant (notice), application->applicant) == 0)
        return FALSE;
    }
  return TRUE;
}

static void
on_page (TimClient *self, GTask *task, JsonObject *reply)
{
  Listing *listing = g_task_get_task_data (task);
  JsonArray *items = tim_json_get_array (reply, "PendencyList");
  gint64 next = tim_json_get_int_or (reply, "NextStartTime", 0);
  JsonObject *item;

  for (guint i = 0; (item = tim_json_array_next_object (items, &i)) != NULL;)
    {
      TimGroupApplication *application;

      if (tim_json_get_int_or (item, "Handled", 0) != 0)
        continue;
      application = g_new0 (TimGroupApplication, 1);
      application->group_id = dup_or_empty (item, "GroupId");
      application->group_name = dup_or_empty (item, "GroupName");
      application->applicant = dup_or_empty (item, "From_Account");
      application->applicant_nick = dup_or_empty (item, "FromUserNickName");
      application->message = dup_or_empty (item, "ApplyMsg");
      application->authentication = dup_or_empty (item, "Authentication");
      application->time = tim_json_get_int_or (item, "Time", 0);
      g_ptr_array_add (listing->applications, application);
    }
  if (next > 0 && ++listing->pages < MAX_PAGES)
    {
      ask_page (self, task, next);
      return;
    }
  settle_notices (self, is_not_listed, listing, "Answered");
  g_task_return_pointer (task, g_ptr_array_ref (listing->applications),
                         (GDestroyNotify) g_ptr_array_unref);
}

static void
ask_page (TimClient *self, GTask *task, gint64 start)
{
  g_autoptr (JsonObject) body = json_object_new ();

  json_object_set_int_member (body, "StartTime", start);
  json_object_set_int_member (body, "Limit", PAGE_LIMIT);
  json_object_set_string_member (body, "Handle_Account", self->user != NULL ? self->user : "");
  _tim_client_request (self, task, "group_open_http_svc.get_pendency", body, on_page);
}

void
tim_client_get_group_applications_async (TimClient *self, GCancellable *cancellable,
                                         GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  Listing *listing;

  g_return_if_fail (TIM_IS_CLIENT (self));
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tim_client_get_group_applications_async);
  if (!_tim_client_check_logged_in (self, task))
    return;
  listing = g_new0 (Listing, 1);
  listing->applications =
      g_ptr_array_new_with_free_func ((GDestroyNotify) tim_group_application_free);
  listing->asked_at = _tim_client_now (self);
  g_task_set_task_data (task, listing, (GDestroyNotify) listing_free);
  ask_page (self, task, 0);
}

GPtrArray *
tim_client_get_group_applications_finish (TimClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
