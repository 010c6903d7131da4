/* tim-client-create.c: creating messages (the Web SDK's create*Message): text, @ text, custom,
 * face, location, and the media ones from a file or from bytes (a pasted screenshot), each with
 * this client's next sequence and a fresh random, ready for the outbox (tim-client-send.c). */
#define G_LOG_DOMAIN "tim-client"

#include "config.h"

#include <errno.h>

#include "tim-client-private.h"
#include "tim-json.h"
#include "tim-media.h"

static gint64
next_sequence (TimClient *self)
{
  if (self->next_client_sequence == 0)
    {
      /* The seed's counter: HHMMSS0001, hours 0-9 written as 30-39. */
      g_autoptr (GDateTime) now = g_date_time_new_now_local ();
      int hour = g_date_time_get_hour (now);

      self->next_client_sequence = (gint64) (hour < 10 ? 30 + hour : hour) * 100000000 +
                                   (gint64) g_date_time_get_minute (now) * 1000000 +
                                   (gint64) g_date_time_get_second (now) * 10000 + 1;
    }
  return self->next_client_sequence++;
}

TimMessage *
_tim_client_new_message (TimClient *self, const char *to, TimConvType type, TimElemType elem_type,
                         JsonObject *payload)
{
  g_autoptr (JsonObject) owned = payload;

  return _tim_message_new_outgoing (self->user != NULL ? self->user : "", self->tinyid, to, type,
                                    elem_type, owned, _tim_client_now (self),
                                    g_random_int_range (0, 100000000), next_sequence (self),
                                    TIM_PRIORITY_NORMAL);
}

TimMessage *
tim_client_create_text_message (TimClient *self, const char *to, TimConvType type, const char *text)
{
  JsonObject *payload = json_object_new ();

  json_object_set_string_member (payload, "text", text != NULL ? text : "");
  return _tim_client_new_message (self, to, type, TIM_ELEM_TEXT, payload);
}

TimMessage *
tim_client_create_text_at_message (TimClient *self, const char *group_id, const char *text,
                                   const char *const *at_user_list)
{
  g_autoptr (GPtrArray) once = g_ptr_array_new ();
  TimMessage *message;

  g_return_val_if_fail (group_id != NULL, NULL);
  message = tim_client_create_text_message (self, group_id, TIM_CONV_GROUP, text);
  for (guint i = 0; at_user_list != NULL && at_user_list[i] != NULL; i++)
    if (!g_ptr_array_find_with_equal_func (once, at_user_list[i], g_str_equal, NULL))
      g_ptr_array_add (once, (gpointer) at_user_list[i]);
  g_ptr_array_add (once, NULL);
  _tim_message_set_at_user_list (message, (const char *const *) once->pdata);
  return message;
}

TimMessage *
tim_client_create_custom_message (TimClient *self, const char *to, TimConvType type,
                                  const char *data, const char *description, const char *extension)
{
  JsonObject *payload = json_object_new ();

  json_object_set_string_member (payload, "data", data != NULL ? data : "");
  json_object_set_string_member (payload, "description", description != NULL ? description : "");
  json_object_set_string_member (payload, "extension", extension != NULL ? extension : "");
  return _tim_client_new_message (self, to, type, TIM_ELEM_CUSTOM, payload);
}

TimMessage *
tim_client_create_face_message (TimClient *self, const char *to, TimConvType type, int index,
                                const char *data)
{
  JsonObject *payload = json_object_new ();

  json_object_set_int_member (payload, "index", index);
  json_object_set_string_member (payload, "data", data != NULL ? data : "");
  return _tim_client_new_message (self, to, type, TIM_ELEM_FACE, payload);
}

TimMessage *
tim_client_create_location_message (TimClient *self, const char *to, TimConvType type,
                                    const char *description, double longitude, double latitude)
{
  JsonObject *payload = json_object_new ();

  json_object_set_string_member (payload, "description", description != NULL ? description : "");
  json_object_set_double_member (payload, "longitude", longitude);
  json_object_set_double_member (payload, "latitude", latitude);
  return _tim_client_new_message (self, to, type, TIM_ELEM_LOCATION, payload);
}

static TimMessage *
new_media_message (TimClient *self, const char *to, TimConvType type, TimElemType elem_type,
                   GFile *file)
{
  JsonObject *payload = json_object_new ();
  g_autofree char *name = g_file_get_basename (file);
  g_autoptr (GFileInfo) info =
      g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, 0, NULL, NULL);
  goffset size = info != NULL ? g_file_info_get_size (info) : 0;
  TimMessage *message;

  /* Until the upload, the payload describes the local file; the UI can show name and size. */
  json_object_set_string_member (payload, elem_type == TIM_ELEM_FILE ? "fileName" : "name", name);
  json_object_set_int_member (payload, elem_type == TIM_ELEM_FILE ? "fileSize" : "size", size);
  if (elem_type == TIM_ELEM_IMAGE)
    {
      g_autoptr (TimMediaInfo) media = tim_media_probe_image (file, NULL);

      /* Known before anything is uploaded, so a row can be sized now. */
      if (media != NULL)
        {
          json_object_set_int_member (payload, "width", media->width);
          json_object_set_int_member (payload, "height", media->height);
        }
    }
  message = _tim_client_new_message (self, to, type, elem_type, payload);
  _tim_message_set_local_file (message, file);
  return message;
}

TimMessage *
tim_client_create_image_message (TimClient *self, const char *to, TimConvType type, GFile *file)
{
  return new_media_message (self, to, type, TIM_ELEM_IMAGE, file);
}

TimMessage *
tim_client_create_audio_message (TimClient *self, const char *to, TimConvType type, GFile *file)
{
  return new_media_message (self, to, type, TIM_ELEM_SOUND, file);
}

TimMessage *
tim_client_create_video_message (TimClient *self, const char *to, TimConvType type, GFile *file)
{
  return new_media_message (self, to, type, TIM_ELEM_VIDEO, file);
}

TimMessage *
tim_client_create_file_message (TimClient *self, const char *to, TimConvType type, GFile *file)
{
  return new_media_message (self, to, type, TIM_ELEM_FILE, file);
}

TimMessage *
tim_client_create_image_message_from_bytes (TimClient *self, const char *to, TimConvType type,
                                            GBytes *png, GError **error)
{
  g_autofree char *path = tim_client_new_outgoing_path (self, "screenshot", "png", error);
  g_autoptr (GFile) file = NULL;

  if (path == NULL ||
      !g_file_set_contents (path, g_bytes_get_data (png, NULL), g_bytes_get_size (png), error))
    return NULL;
  file = g_file_new_for_path (path);
  return tim_client_create_image_message (self, to, type, file);
}

char *
tim_client_new_outgoing_path (TimClient *self, const char *prefix, const char *extension,
                              GError **error)
{
  g_autofree char *app = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *name = NULL;
  int saved_errno;

  g_return_val_if_fail (TIM_IS_CLIENT (self), NULL);
  g_return_val_if_fail (prefix != NULL && extension != NULL, NULL);

  app = g_strdup_printf ("%" G_GUINT64_FORMAT, self->sdkappid);
  dir = g_build_filename (self->data_dir, app, self->user ? self->user : "_", "outgoing", NULL);
  /* Kept on disk, not in a temporary folder: a crash before the upload finishes loses nothing. */
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno), "%s: %s", dir,
                   g_strerror (saved_errno));
      return NULL;
    }
  name = g_strdup_printf ("%s-%08x%08x.%s", prefix, g_random_int (), g_random_int (), extension);
  return g_build_filename (dir, name, NULL);
}

void
tim_message_set_priority_for_send (TimMessage *message, TimPriority priority)
{
  /* Only before sending: the server keeps the priority a message went out with. */
  if (tim_message_get_status (message) == TIM_MESSAGE_STATUS_UNSENT)
    _tim_message_set_priority (message, priority);
}
