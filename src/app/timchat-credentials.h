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
/* The same, in a worker thread: the window does not wait for the keyring before its first frame. */
void timchat_credentials_load_async (const char *account, GCancellable *cancellable,
                                     GAsyncReadyCallback callback, gpointer user_data);
TimchatCredentials *timchat_credentials_load_finish (GAsyncResult *result, GError **error);
gboolean timchat_credentials_store (const char *account, const TimchatCredentials *credentials,
                                    GCancellable *cancellable, GError **error);
gboolean timchat_credentials_forget (const char *account, GCancellable *cancellable,
                                     GError **error);

G_END_DECLS
