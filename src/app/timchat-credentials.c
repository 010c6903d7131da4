/* timchat-credentials.c: the login in the keyring. The UserSig is the secret; where and who are
 * attributes, so a lookup finds them without decoding anything. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "timchat-credentials.h"

static const SecretSchema *
credentials_schema (void)
{
  static const SecretSchema schema = {
    "org.example.TimChat.Login",
    SECRET_SCHEMA_NONE,
    {
        { "account", SECRET_SCHEMA_ATTRIBUTE_STRING },
        { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
        { "sdkappid", SECRET_SCHEMA_ATTRIBUTE_STRING },
        { "user", SECRET_SCHEMA_ATTRIBUTE_STRING },
        { "local", SECRET_SCHEMA_ATTRIBUTE_BOOLEAN },
        { NULL, 0 },
    },
  };

  return &schema;
}

void
timchat_credentials_free (TimchatCredentials *credentials)
{
  if (credentials == NULL)
    return;
  g_free (credentials->server_url);
  g_free (credentials->user);
  g_free (credentials->usersig);
  g_free (credentials);
}

TimchatCredentials *
timchat_credentials_load (const char *account, GCancellable *cancellable, GError **error)
{
  g_autolist (SecretRetrievable) found = NULL;
  g_autoptr (GHashTable) attributes = NULL;
  g_autoptr (SecretValue) secret = NULL;
  TimchatCredentials *credentials;

  found = secret_password_search_sync (credentials_schema (),
                                       SECRET_SEARCH_UNLOCK | SECRET_SEARCH_LOAD_SECRETS,
                                       cancellable, error, "account", account, NULL);
  if (found == NULL)
    return NULL;
  attributes = secret_retrievable_get_attributes (found->data);
  secret = secret_retrievable_retrieve_secret_sync (found->data, cancellable, error);
  if (secret == NULL)
    return NULL;
  credentials = g_new0 (TimchatCredentials, 1);
  credentials->server_url = g_strdup (g_hash_table_lookup (attributes, "server"));
  credentials->sdkappid =
      g_ascii_strtoull (g_hash_table_lookup (attributes, "sdkappid") ?: "0", NULL, 10);
  credentials->user = g_strdup (g_hash_table_lookup (attributes, "user"));
  credentials->local = g_strcmp0 (g_hash_table_lookup (attributes, "local"), "true") == 0;
  credentials->usersig = g_strdup (secret_value_get_text (secret));
  return credentials;
}

gboolean
timchat_credentials_store (const char *account, const TimchatCredentials *credentials,
                           GCancellable *cancellable, GError **error)
{
  g_autofree char *sdkappid = g_strdup_printf ("%" G_GUINT64_FORMAT, credentials->sdkappid);
  g_autofree char *label = g_strdup_printf (_ ("TimChat login of %s"), credentials->user);

  /* One login per account name: replace whatever was there. */
  timchat_credentials_forget (account, cancellable, NULL);
  return secret_password_store_sync (credentials_schema (), SECRET_COLLECTION_DEFAULT, label,
                                     credentials->usersig, cancellable, error, "account", account,
                                     "server", credentials->server_url, "sdkappid", sdkappid,
                                     "user", credentials->user, "local", credentials->local, NULL);
}

gboolean
timchat_credentials_forget (const char *account, GCancellable *cancellable, GError **error)
{
  return secret_password_clear_sync (credentials_schema (), cancellable, error, "account", account,
                                     NULL);
}

/* ---------------------------------------------------------------- the keyring's queue */

/* Every keyring call from the window runs here, one at a time and in order, away from the main
 * thread: libsecret's calls wait for the keyring daemon, which may be slow, stopped, or asking
 * for the keyring's password in a prompt of its own, and the window froze meanwhile (a store
 * after "Remember me", a clearing at Log Out). In order: a Log Out just after a login remembered
 * must clear what the store wrote, never run before it. */
typedef enum
{
  KEYRING_LOAD,
  KEYRING_STORE,
  KEYRING_FORGET,
} KeyringCall;

typedef struct
{
  KeyringCall call;
  char *account;
  TimchatCredentials *credentials; /* KEYRING_STORE's, a copy */
} KeyringJob;

static void
keyring_job_free (KeyringJob *job)
{
  g_free (job->account);
  timchat_credentials_free (job->credentials);
  g_free (job);
}

static GMutex keyring_lock;
static GCond keyring_done;
static GThreadPool *keyring_queue; /* one thread, first in first out */
static guint keyring_pending;      /* jobs pushed and not done */

static void
run_job (gpointer data, gpointer unused)
{
  g_autoptr (GTask) task = data;
  KeyringJob *job = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  TimchatCredentials *credentials = NULL;
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    goto done;
  switch (job->call)
    {
    case KEYRING_LOAD:
      credentials = timchat_credentials_load (job->account, cancellable, &error);
      if (error != NULL)
        g_task_return_error (task, error);
      else
        g_task_return_pointer (task, credentials, (GDestroyNotify) timchat_credentials_free);
      break;
    case KEYRING_STORE:
    case KEYRING_FORGET:
      if (job->call == KEYRING_STORE
              ? timchat_credentials_store (job->account, job->credentials, cancellable, &error)
              : timchat_credentials_forget (job->account, cancellable, &error) || error == NULL)
        g_task_return_boolean (task, TRUE);
      else
        g_task_return_error (task, error);
      break;
    }
done:
  g_mutex_lock (&keyring_lock);
  keyring_pending--;
  g_cond_broadcast (&keyring_done);
  g_mutex_unlock (&keyring_lock);
}

static void
queue_job (KeyringCall call, const char *account, const TimchatCredentials *credentials,
           GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data,
           gpointer source_tag)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  KeyringJob *job = g_new0 (KeyringJob, 1);

  g_task_set_source_tag (task, source_tag);
  job->call = call;
  job->account = g_strdup (account);
  if (credentials != NULL)
    {
      job->credentials = g_new0 (TimchatCredentials, 1);
      job->credentials->server_url = g_strdup (credentials->server_url);
      job->credentials->sdkappid = credentials->sdkappid;
      job->credentials->user = g_strdup (credentials->user);
      job->credentials->usersig = g_strdup (credentials->usersig);
      job->credentials->local = credentials->local;
    }
  g_task_set_task_data (task, job, (GDestroyNotify) keyring_job_free);
  g_mutex_lock (&keyring_lock);
  if (keyring_queue == NULL)
    keyring_queue = g_thread_pool_new (run_job, NULL, 1, FALSE, NULL);
  keyring_pending++;
  g_thread_pool_push (keyring_queue, task, NULL);
  g_mutex_unlock (&keyring_lock);
}

void
timchat_credentials_load_async (const char *account, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data)
{
  queue_job (KEYRING_LOAD, account, NULL, cancellable, callback, user_data,
             timchat_credentials_load_async);
}

TimchatCredentials *
timchat_credentials_load_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
timchat_credentials_store_async (const char *account, const TimchatCredentials *credentials,
                                 GAsyncReadyCallback callback, gpointer user_data)
{
  queue_job (KEYRING_STORE, account, credentials, NULL, callback, user_data,
             timchat_credentials_store_async);
}

void
timchat_credentials_forget_async (const char *account, GAsyncReadyCallback callback,
                                  gpointer user_data)
{
  queue_job (KEYRING_FORGET, account, NULL, NULL, callback, user_data,
             timchat_credentials_forget_async);
}

gboolean
timchat_credentials_change_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
timchat_credentials_wait_queue (guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + timeout_ms * G_TIME_SPAN_MILLISECOND;
  gboolean done = TRUE;

  g_mutex_lock (&keyring_lock);
  while (keyring_pending > 0 && (done = g_cond_wait_until (&keyring_done, &keyring_lock, deadline)))
    ;
  g_mutex_unlock (&keyring_lock);
  return done;
}
