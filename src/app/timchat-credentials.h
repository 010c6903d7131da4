/* timchat-credentials.h: a login kept in the keyring (libsecret), one per local account name. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  char *server_url; /* "ws://127.0.0.1:8080" */
  guint64 sdkappid;
  char *user;
  char *usersig;  /* the secret */
  gboolean local; /* made by "Try it on this computer" */
} TimchatCredentials;

void timchat_credentials_free (TimchatCredentials *credentials);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TimchatCredentials, timchat_credentials_free)

/* NULL with no error when the account has no stored login. */
TimchatCredentials *timchat_credentials_load (const char *account, GCancellable *cancellable,
                                              GError **error);
gboolean timchat_credentials_store (const char *account, const TimchatCredentials *credentials,
                                    GCancellable *cancellable, GError **error);
gboolean timchat_credentials_forget (const char *account, GCancellable *cancellable,
                                     GError **error);

/* The same away from the main thread, in the keyring's queue: one call at a time, in the order
 * they were made (a forget after a store clears what it wrote). The window never waits for the
 * keyring: not before its first frame, not for a slow daemon or its password prompt. */
void timchat_credentials_load_async (const char *account, GCancellable *cancellable,
                                     GAsyncReadyCallback callback, gpointer user_data);
TimchatCredentials *timchat_credentials_load_finish (GAsyncResult *result, GError **error);
/* Not cancellable: a login remembered, or a Log Out, outlives the window that asked. */
void timchat_credentials_store_async (const char *account, const TimchatCredentials *credentials,
                                      GAsyncReadyCallback callback, gpointer user_data);
void timchat_credentials_forget_async (const char *account, GAsyncReadyCallback callback,
                                       gpointer user_data);
/* The result of a store or a forget. */
gboolean timchat_credentials_change_finish (GAsyncResult *result, GError **error);
/* Blocks until the queue has done everything asked of it, at most timeout_ms: before the process
 * exits, or a Log Out would leave the secret in the keyring. FALSE: not done in time (a keyring
 * that does not answer, a prompt nobody answers). */
gboolean timchat_credentials_wait_queue (guint timeout_ms);

G_END_DECLS
