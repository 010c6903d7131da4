/* timchat-upload.h: authenticated HTTP uploads (PUT/POST /upload) and downloads (GET /files/NAME).
 */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

#define TIMCHAT_TYPE_UPLOADS (timchat_uploads_get_type ())

G_DECLARE_FINAL_TYPE (TimchatUploads, timchat_uploads, TIMCHAT, UPLOADS, GObject)

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

G_END_DECLS
