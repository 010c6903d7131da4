/* tim-downloader.h: downloads of media URLs (thumbnails, files, videos) into the user's cache,
 * keyed by a hash of the URL, with progress from the bytes really read and cancellation. */
#pragma once

#include <gio/gio.h>

#include "tim-types.h"

G_BEGIN_DECLS

#define TIM_TYPE_DOWNLOADER (tim_downloader_get_type ())
G_DECLARE_FINAL_TYPE (TimDownloader, tim_downloader, TIM, DOWNLOADER, GObject)

/* The process-wide downloader caching under $XDG_CACHE_HOME/timchat/downloads. (transfer none) */
TimDownloader *tim_downloader_get_default (void);
/* A downloader with its own cache directory (tests). */
TimDownloader *tim_downloader_new (const char *cache_dir);
const char *tim_downloader_get_cache_dir (TimDownloader *self);
/* The cached copy of url if it was downloaded before, else NULL (no I/O beyond a stat). */
GFile *tim_downloader_lookup (TimDownloader *self, const char *url);
/* Removes the cached copy of url, if there is one (a recalled message's media). */
void tim_downloader_forget (TimDownloader *self, const char *url);
/* Fetches url into the cache (at once when it is there already), then copies it to destination
 * when that is not NULL: whole, or not at all (a file already there is kept then). A file at
 * destination when this is called is replaced (the caller chose that name); one put there, or
 * changed, while the download comes is never replaced: G_IO_ERROR_EXISTS, and the data waits in
 * the cache for a try under another name. progress gets (bytes read, Content-Length or 0) on the
 * main context. Errors: G_IO_ERROR_CANCELLED, G_IO_ERROR_NOT_FOUND (HTTP 404 or 410: gone from
 * the server), G_IO_ERROR_FAILED with any other HTTP status, G_IO_ERROR_EXISTS, I/O errors. */
void tim_downloader_fetch_async (TimDownloader *self, const char *url, GFile *destination,
                                 TimProgressFunc progress, gpointer progress_data,
                                 GCancellable *cancellable, GAsyncReadyCallback callback,
                                 gpointer user_data);
/* The downloaded file: destination, or the cached copy. (transfer full) */
GFile *tim_downloader_fetch_finish (TimDownloader *self, GAsyncResult *result, GError **error);
/* Copies a file that is here already (one's own sent file, a cached copy) to destination as a
 * fetch does its last step: whole, or not at all (a file already there is kept then), and never
 * over a file put there meanwhile (G_IO_ERROR_EXISTS). */
void tim_downloader_copy_async (TimDownloader *self, GFile *source, GFile *destination,
                                GCancellable *cancellable, GAsyncReadyCallback callback,
                                gpointer user_data);
/* destination. (transfer full) */
GFile *tim_downloader_copy_finish (TimDownloader *self, GAsyncResult *result, GError **error);

G_END_DECLS
