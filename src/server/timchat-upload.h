/* timchat-upload.h: authenticated HTTP uploads (PUT/POST /upload) and downloads (GET /files/NAME).
 */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

#define TIMCHAT_TYPE_UPLOADS (timchat_uploads_get_type ())

G_DECLARE_FINAL_TYPE (TimchatUploads, timchat_uploads, TIMCHAT, UPLOADS, GObject)

/* Signal "stored" (GStrv names): an upload is on disk under these names (the original and its
 * thumbnails), about to be answered. */

/**
 * TimchatUploadAuthFunc:
 * @msg: the upload request, before its body is read
 * @query: (nullable): the parsed query of the request URI
 * @error: where to put a TIM_ERROR (the code goes into the 401 answer)
 * @user_data: the data given to timchat_uploads_new()
 *
 * Returns: (transfer full) (nullable): the user ID, or %NULL with @error set.
 */
typedef char *(*TimchatUploadAuthFunc) (SoupServerMessage *msg, GHashTable *query, GError **error,
                                        gpointer user_data);

TimchatUploads *timchat_uploads_new (const char *storage_dir, TimchatUploadAuthFunc auth,
                                     gpointer auth_data, GDestroyNotify auth_destroy);
void timchat_uploads_attach (TimchatUploads *self, SoupServer *server);
const char *timchat_uploads_get_storage_dir (TimchatUploads *self);
/* At shutdown, before the connections close: answers what the workers finish in timeout_ms,
 * and stops the others from storing anything. */
void timchat_uploads_drain (TimchatUploads *self, guint timeout_ms);
/* Removes the stored file NAME (a name of /files/NAME) if it is there; FALSE only for a name that
 * is not one of ours or a file that could not be removed. */
gboolean timchat_uploads_remove_file (TimchatUploads *self, const char *name, GError **error);
/* The stored names that @text mentions in a /files/NAME path (the URLs of a message body, at any
 * depth, on any host), each once; NULL if none. */
GStrv timchat_uploads_names_in_text (const char *text);

G_END_DECLS
