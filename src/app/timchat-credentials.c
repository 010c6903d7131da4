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

static void
load_in_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  GError *error = NULL;
  TimchatCredentials *credentials = timchat_credentials_load (task_data, cancellable, &error);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, credentials, (GDestroyNotify) timchat_credentials_free);
}

void
timchat_credentials_load_async (const char *account, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_task_data (task, g_strdup (account), g_free);
  g_task_run_in_thread (task, load_in_thread);
}

TimchatCredentials *
timchat_credentials_load_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}
