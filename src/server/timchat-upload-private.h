/* timchat-upload-private.h: shared by the timchat-upload*.c files only. */
#pragma once

#include <gio/gio.h>

#include "timchat-upload.h"

G_BEGIN_DECLS

/* Temp files in the storage directory start with this; a crash leaves only these behind and
 * timchat_uploads_new() sweeps them. */
#define TEMP_PREFIX ".upload-"

struct _TimchatUploads
{
  GObject parent_instance;

  char *storage_dir;
  TimchatUploadAuthFunc auth;
  gpointer auth_data;
  GDestroyNotify auth_destroy;
  GCancellable *cancellable; /* cancelled: the server stops, and answers no more uploads */
  /* Workers hold it (as readers) while they store an upload under its final names; the drain
   * takes it to know that none is half-way (timchat_uploads_drain ()). */
  GRWLock storing;
  guint running; /* uploads whose worker has not been heard back from (main thread only) */
};

typedef struct
{
  const char *name;
  goffset max_bytes;
  gboolean strict; /* the image limit is "less than", the others "at most" */
  int size_code;
  int fail_code;
} UploadKind;

typedef struct
{
  const char *ext;
  const char *mime;
  int image_format;        /* TIM ImageFormat, or 0 when this is no image we accept */
  const char *pixbuf_type; /* gdk-pixbuf loader name, NULL when we cannot decode it */
  gboolean inline_ok;      /* media a browser may show; everything else is an attachment */
} ContentType;

typedef struct
{
  char *name; /* stored name; the original's name when a variant is reused */
  goffset size;
  int width;
  int height;
} ImageVariant;

enum
{
  VARIANT_ORIGINAL,
  VARIANT_THUMB,
  VARIANT_LARGE,
  N_VARIANTS
};

typedef struct
{
  int type; /* the wire Type: 1 original, 3 thumbnail, 2 large */
  int short_side;
} VariantSpec;

extern const VariantSpec _timchat_upload_variant_specs[N_VARIANTS];

/* One upload */
typedef struct
{
  TimchatUploads *self;
  const UploadKind *kind;
  char *user_id;
  char *file_name;
  char *tmp_path; /* unlinked on release unless renamed */
  int fd;
  goffset received;
  gboolean failed;
  gboolean finished; /* the message is over (answered or the client went away) */
  gboolean stored;   /* under its final names, and the answer giving them was set */
  gboolean answered; /* that answer was written whole to the client */

  /* Filled by the worker thread. */
  const ContentType *type;
  ImageVariant variants[N_VARIANTS];
} Upload;

/* timchat-upload-image.c */
const ContentType *_timchat_upload_content_type_for_ext (const char *ext);
GStrv _timchat_upload_stored_names (Upload *upload);
void _timchat_upload_remove_stored (Upload *upload);
void _timchat_upload_thread (GTask *task, gpointer source_object, gpointer task_data,
                             GCancellable *cancellable);

/* timchat-upload-files.c */
void _timchat_upload_files_cb (SoupServer *server, SoupServerMessage *msg, const char *path,
                               GHashTable *query, gpointer user_data);
void _timchat_upload_request_started_cb (SoupServer *server, SoupServerMessage *msg,
                                         gpointer user_data);

/* timchat-upload-answers.c */
void _timchat_upload_respond_error (SoupServerMessage *msg, guint status, int code,
                                    const char *info);
void _timchat_upload_refuse_request (SoupServerMessage *msg, guint status, int code,
                                     const char *info);
guint _timchat_upload_http_status_for_code (int code);
void _timchat_upload_respond_upload (SoupServerMessage *msg, Upload *upload);

G_END_DECLS
