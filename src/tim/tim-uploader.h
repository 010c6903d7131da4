/* tim-uploader.h: media uploads to the server's /upload endpoint with honest progress (bytes
 * written to the socket), cancellation, and the limits checked before sending. */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "tim-elem.h"
#include "tim-types.h"

G_BEGIN_DECLS

#define TIM_TYPE_UPLOADER (tim_uploader_get_type ())
G_DECLARE_FINAL_TYPE (TimUploader, tim_uploader, TIM, UPLOADER, GObject)

/* http_base: "http://127.0.0.1:8080"; a2: the login ticket. */
TimUploader *tim_uploader_new (const char *http_base);
void tim_uploader_set_ticket (TimUploader *self, const char *a2);
/* kind: TIM_ELEM_IMAGE / SOUND / VIDEO / FILE. The answer is the server's JSON (UUID, Url, Size,
 * ImageInfoArray...). Errors: 2253/2301/2351/2402 (too big, checked locally first), 2108 empty,
 * 2252 not an image, 2300/2350/2400 network, G_IO_ERROR_CANCELLED. */
void tim_uploader_upload_async (TimUploader *self, TimElemType kind, GFile *file,
                                const char *display_name, TimProgressFunc progress,
                                gpointer progress_data, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data);
JsonObject *tim_uploader_upload_finish (TimUploader *self, GAsyncResult *result, GError **error);

G_END_DECLS
