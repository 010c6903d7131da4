/* timchat-config.h: the server's settings, kept in DATA_DIR/timchat.conf (a GKeyFile). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  char *path;
  guint64 sdkappid;
  char *secret;
  char **admins;
  guint recall_seconds;
  guint retention_days; /* 0 = keep forever */
  guint erase_seconds;  /* the longest removed text may stay in the store's logs (at least 1) */
  guint group_rate;     /* group messages per second, 0 = unlimited */
  guint hello_interval;
  guint idle_timeout;    /* seconds without any frame before a socket is closed */
  guint login_timeout;   /* seconds a socket may stay without logging in (0: for ever) */
  guint request_timeout; /* seconds an HTTP request may go without anything of it arriving */
  guint max_instances;   /* sockets logged in as one user; the oldest goes (0: no limit) */
  gsize max_frame_bytes;
  gsize max_unsent_bytes; /* frames waiting for a client that does not read; 0 = no limit */
  guint conversation_page;
  guint rest_rate;  /* REST calls per second for the app, 0 = unlimited */
  gboolean durable; /* acknowledge only after fdatasync (TRUE) or at COMMIT */
} TimchatConfig;

/* Reads DATA_DIR/timchat.conf, creating it with a random secret on first start (neither it nor
 * the store there). A store without its config is an error (G_FILE_ERROR_NOENT), not a start. */
TimchatConfig *timchat_config_load_or_create (const char *data_dir, GError **error);
gboolean timchat_config_is_admin (const TimchatConfig *config, const char *user_id);
void timchat_config_free (TimchatConfig *config);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TimchatConfig, timchat_config_free)

G_END_DECLS
