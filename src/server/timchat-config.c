/* timchat-config.c: first start writes the config, later starts read it. */
#define G_LOG_DOMAIN "timchat-server"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "tim-limits.h"
#include "timchat-config.h"
#include "timchat-random.h"
#include "timchat-store.h"

/* A limit the file does not set takes its default (files written before the key existed); one
 * it sets must be a number in range. Anything else (a typo, "30 days", -1 for "never", a number
 * past 32 bits) stops the start with the key named: taking the default instead, silently, swept
 * history after 7 days for a retention_days written as "forever". Spaces around the number are
 * fine (GKeyFile keeps the ones at the end of a line, and refused those too). */
static gboolean
get_uint (GKeyFile *file, const char *path, const char *group, const char *key, guint fallback,
          guint *value, GError **error)
{
  g_autofree char *text = g_key_file_get_value (file, group, key, NULL);
  guint64 number;

  if (text == NULL)
    {
      *value = fallback;
      return TRUE;
    }
  g_strstrip (text);
  if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT, &number, NULL))
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                   "%s: [%s] %s wants a whole number from 0 to %u, not \"%s\"", path, group, key,
                   G_MAXUINT, text);
      return FALSE;
    }
  *value = (guint) number;
  return TRUE;
}

/* The settings read as they are into a guint of TimchatConfig. */
static const struct
{
  const char *group;
  const char *key;
  guint fallback;
  gsize field_offset;
} uint_settings[] = {
  { "limits", "recall_seconds", TIM_DEFAULT_RECALL_SECONDS,
    G_STRUCT_OFFSET (TimchatConfig, recall_seconds) },
  { "limits", "retention_days", TIM_DEFAULT_RETENTION_DAYS,
    G_STRUCT_OFFSET (TimchatConfig, retention_days) },
  { "limits", "erase_seconds", 30, G_STRUCT_OFFSET (TimchatConfig, erase_seconds) },
  { "limits", "group_rate", TIM_DEFAULT_GROUP_RATE, G_STRUCT_OFFSET (TimchatConfig, group_rate) },
  { "limits", "hello_interval", TIM_DEFAULT_HELLO_INTERVAL,
    G_STRUCT_OFFSET (TimchatConfig, hello_interval) },
  { "limits", "idle_timeout", 60, G_STRUCT_OFFSET (TimchatConfig, idle_timeout) },
  { "limits", "login_timeout", 30, G_STRUCT_OFFSET (TimchatConfig, login_timeout) },
  { "limits", "request_timeout", 30, G_STRUCT_OFFSET (TimchatConfig, request_timeout) },
  { "limits", "max_instances", 32, G_STRUCT_OFFSET (TimchatConfig, max_instances) },
  { "limits", "conversation_page", TIM_DEFAULT_CONVERSATION_PAGE,
    G_STRUCT_OFFSET (TimchatConfig, conversation_page) },
  { "limits", "rest_rate", 200, G_STRUCT_OFFSET (TimchatConfig, rest_rate) },
};

/* The secret signs every UserSig: 256 bits, unguessable (timchat-random.h). */
static gboolean
write_defaults (GKeyFile *file, GError **error)
{
  g_autofree char *first = timchat_random_key (error);
  g_autofree char *second = first != NULL ? timchat_random_key (error) : NULL;
  g_autofree char *secret = NULL;

  if (second == NULL)
    return FALSE;
  secret = g_strconcat (first, second, NULL);

  /* SDKAppIDs of the vendor's cloud start at 1400000000; any 32-bit value works here. */
  g_key_file_set_uint64 (file, "app", "sdkappid", 1400000000 + g_random_int_range (1, 99999999));
  g_key_file_set_string (file, "app", "secret", secret);
  g_key_file_set_string (file, "app", "admins", "administrator");
  g_key_file_set_integer (file, "limits", "recall_seconds", TIM_DEFAULT_RECALL_SECONDS);
  g_key_file_set_integer (file, "limits", "retention_days", TIM_DEFAULT_RETENTION_DAYS);
  g_key_file_set_integer (file, "limits", "group_rate", TIM_DEFAULT_GROUP_RATE);
  g_key_file_set_integer (file, "limits", "rest_rate", 200);
  g_key_file_set_comment (file, NULL, NULL,
                          " timchat-server settings. Written on first start; edit and restart.",
                          NULL);
  return TRUE;
}

/* The first start's config, written whole beside it and then linked into place, which fails if
 * the file is there by then: two first starts at once (two TimChats trying the local server, a
 * `usersig` beside a server's start) each wrote their own secret, and the second file replaced
 * the first, whose UserSigs, and the server running with it, the next start no longer accepted.
 * The start that finds the other's file reads that one instead. */
static gboolean
create_config (const char *path, GError **error)
{
  g_autoptr (GKeyFile) file = g_key_file_new ();
  g_autofree char *new_path = g_strdup_printf ("%s.%d.new", path, (int) getpid ());
  g_autofree char *data = NULL;
  gsize length;
  int saved_errno;

  if (!write_defaults (file, error))
    return FALSE;
  data = g_key_file_to_data (file, &length, NULL);
  if (!g_file_set_contents_full (new_path, data, length, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                 error))
    return FALSE;
  saved_errno = link (new_path, path) == 0 ? 0 : errno;
  g_unlink (new_path);
  if (saved_errno == 0)
    g_message ("Wrote a new configuration to %s", path);
  else if (saved_errno != EEXIST)
    {
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "Cannot write %s: %s", path, g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

/* A first start is a data directory with neither file. One whose store is there without its
 * config (deleted, or left out of a restored backup) is refused: the store's accounts and groups
 * are the app's of the SDKAppID that file kept, and a new SDKAppID and secret would have voided
 * every UserSig and stored login, with only an info line to say so. The store is looked for
 * before the config: a first start beside this one writes its config before its store, so a
 * store seen first with no config after it is one whose config is really gone. */
static gboolean
ensure_config (TimchatConfig *config, const char *data_dir, GError **error)
{
  g_autofree char *store_path = timchat_store_path (data_dir);
  gboolean store_there = g_file_test (store_path, G_FILE_TEST_EXISTS);

  if (g_file_test (config->path, G_FILE_TEST_EXISTS))
    return TRUE;
  if (store_there)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                   "%s is missing, but %s is there: its accounts and groups need the SDKAppID and "
                   "secret that file kept. To keep them, restore %s (from a backup); to start "
                   "over with a new app, move %s away",
                   config->path, store_path, config->path, store_path);
      return FALSE;
    }
  return create_config (config->path, error);
}

TimchatConfig *
timchat_config_load_or_create (const char *data_dir, GError **error)
{
  g_autoptr (TimchatConfig) config = g_new0 (TimchatConfig, 1);
  g_autoptr (GKeyFile) file = g_key_file_new ();
  g_autofree char *admins = NULL;
  guint sdkappid, max_frame_bytes, max_unsent_kb, durable;

  config->path = g_build_filename (data_dir, "timchat.conf", NULL);
  if (g_mkdir_with_parents (data_dir, 0700) != 0)
    {
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno),
                   "Cannot create data directory %s: %s", data_dir, g_strerror (errno));
      return NULL;
    }
  if (!ensure_config (config, data_dir, error))
    return NULL;
  if (!g_key_file_load_from_file (file, config->path, G_KEY_FILE_KEEP_COMMENTS, error))
    return NULL;

  /* Read as the limits are, not with g_key_file_get_uint64 (), which took "-1" for 2^64 - 1
   * and a number past 64 bits for that too: the server started, and `usersig` printed UserSigs,
   * with an SDKAppID no UserSig verifies with, so no login ever worked. An SDKAppID is 32 bits
   * (the vendor's, and a UserSig's userbuf); left out (0), it is refused below. */
  if (!get_uint (file, config->path, "app", "sdkappid", 0, &sdkappid, error))
    return NULL;
  config->sdkappid = sdkappid;
  config->secret = g_key_file_get_string (file, "app", "secret", NULL);
  if (config->sdkappid == 0 || config->secret == NULL || config->secret[0] == '\0')
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                   "%s needs [app] sdkappid and secret", config->path);
      return NULL;
    }
  admins = g_key_file_get_string (file, "app", "admins", NULL);
  config->admins = g_strsplit_set (admins != NULL ? admins : "administrator", ",; ", -1);
  for (gsize i = 0; i < G_N_ELEMENTS (uint_settings); i++)
    if (!get_uint (file, config->path, uint_settings[i].group, uint_settings[i].key,
                   uint_settings[i].fallback,
                   G_STRUCT_MEMBER_P (config, uint_settings[i].field_offset), error))
      return NULL;
  if (!get_uint (file, config->path, "limits", "max_frame_bytes", TIM_MAX_FRAME_BYTES,
                 &max_frame_bytes, error) ||
      !get_uint (file, config->path, "limits", "max_unsent_kb", 16384, &max_unsent_kb, error) ||
      !get_uint (file, config->path, "store", "durable", 1, &durable, error))
    return NULL;
  config->erase_seconds = MAX (config->erase_seconds, 1);
  /* 0 would mean unlimited in libsoup: never. */
  config->max_frame_bytes = max_frame_bytes != 0 ? max_frame_bytes : TIM_MAX_FRAME_BYTES;
  config->max_unsent_bytes = (gsize) max_unsent_kb * 1024;
  config->durable = durable != 0;
  return g_steal_pointer (&config);
}

gboolean
timchat_config_is_admin (const TimchatConfig *config, const char *user_id)
{
  return user_id != NULL && g_strv_contains ((const char *const *) config->admins, user_id);
}

void
timchat_config_free (TimchatConfig *config)
{
  if (config == NULL)
    return;
  g_free (config->path);
  g_free (config->secret);
  g_strfreev (config->admins);
  g_free (config);
}
