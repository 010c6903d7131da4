/* timchat-upload-answers.c: the JSON answers of PUT|POST /upload, and refusals. */
#define G_LOG_DOMAIN "timchat-upload"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "tim-error.h"
#include "tim-limits.h"
#include "timchat-upload-private.h"

/* ---------------------------------------------------------------------------------------------- */
/* JSON answers                                                                                   */

static void
respond_builder (SoupServerMessage *msg, guint status, JsonBuilder *builder)
{
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = json_builder_get_root (builder);
  gsize len = 0;
  char *text;

  json_generator_set_root (gen, root);
  text = json_generator_to_data (gen, &len);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json; charset=utf-8", SOUP_MEMORY_TAKE, text,
                                    len);
}

void
_timchat_upload_respond_error (SoupServerMessage *msg, guint status, int code, const char *info)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "ActionStatus");
  json_builder_add_string_value (b, "FAIL");
  json_builder_set_member_name (b, "ErrorCode");
  json_builder_add_int_value (b, code);
  json_builder_set_member_name (b, "ErrorInfo");
  json_builder_add_string_value (b, info ? info : tim_error_text (code));
  json_builder_end_object (b);
  respond_builder (msg, status, b);
}

/* A refusal before or while the body arrives. The rest of the body is read and dropped (nothing
 * is accumulated); a client that sent "Expect: 100-continue" gets the answer without sending any
 * body at all. The connection is not reused because its state after an early answer is unclear. */
void
_timchat_upload_refuse_request (SoupServerMessage *msg, guint status, int code, const char *info)
{
  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection",
                                "close");
  _timchat_upload_respond_error (msg, status, code, info);
}

guint
_timchat_upload_http_status_for_code (int code)
{
  switch (code)
    {
    case TIM_ERROR_FILE_EMPTY:
    case TIM_ERROR_IMAGE_TYPE:
    case TIM_ERROR_INVALID_PARAMETER:
      return SOUP_STATUS_BAD_REQUEST;
    case TIM_ERROR_IMAGE_SIZE_LIMIT:
    case TIM_ERROR_AUDIO_SIZE_LIMIT:
    case TIM_ERROR_VIDEO_SIZE_LIMIT:
    case TIM_ERROR_FILE_SIZE_LIMIT:
      return SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE;
    default:
      return SOUP_STATUS_INTERNAL_SERVER_ERROR;
    }
}

/* Absolute URL from the request's own scheme and Host header. */
static char *
file_url (SoupServerMessage *msg, const char *name)
{
  GUri *uri = soup_server_message_get_uri (msg);
  g_autofree char *path = g_strconcat ("/files/", name, NULL);

  return g_uri_join (G_URI_FLAGS_ENCODED, g_uri_get_scheme (uri), NULL, g_uri_get_host (uri),
                     g_uri_get_port (uri), path, NULL, NULL);
}

static void
add_variant (JsonBuilder *b, SoupServerMessage *msg, int type, const ImageVariant *v)
{
  g_autofree char *url = file_url (msg, v->name);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "Type");
  json_builder_add_int_value (b, type);
  json_builder_set_member_name (b, "Size");
  json_builder_add_int_value (b, v->size);
  json_builder_set_member_name (b, "Width");
  json_builder_add_int_value (b, v->width);
  json_builder_set_member_name (b, "Height");
  json_builder_add_int_value (b, v->height);
  json_builder_set_member_name (b, "URL");
  json_builder_add_string_value (b, url);
  json_builder_end_object (b);
}

void
_timchat_upload_respond_upload (SoupServerMessage *msg, Upload *upload)
{
  const ImageVariant *orig = &upload->variants[VARIANT_ORIGINAL];
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autofree char *url = file_url (msg, orig->name);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "ActionStatus");
  json_builder_add_string_value (b, "OK");
  json_builder_set_member_name (b, "ErrorCode");
  json_builder_add_int_value (b, 0);
  json_builder_set_member_name (b, "ErrorInfo");
  json_builder_add_string_value (b, "");
  json_builder_set_member_name (b, "UUID");
  json_builder_add_string_value (b, orig->name);
  json_builder_set_member_name (b, "Url");
  json_builder_add_string_value (b, url);
  json_builder_set_member_name (b, "Size");
  json_builder_add_int_value (b, orig->size);
  json_builder_set_member_name (b, "Kind");
  json_builder_add_string_value (b, upload->kind->name);
  json_builder_set_member_name (b, "FileName");
  json_builder_add_string_value (b, upload->file_name);
  json_builder_set_member_name (b, "Format");
  json_builder_add_string_value (b, upload->type->ext);
  json_builder_set_member_name (b, "ContentType");
  json_builder_add_string_value (b, upload->type->mime);
  if (strcmp (upload->kind->name, "image") == 0)
    {
      json_builder_set_member_name (b, "ImageFormat");
      json_builder_add_int_value (b, upload->type->image_format);
      json_builder_set_member_name (b, "ImageInfoArray");
      json_builder_begin_array (b);
      for (int i = 0; i < N_VARIANTS; i++)
        add_variant (b, msg, _timchat_upload_variant_specs[i].type, &upload->variants[i]);
      json_builder_end_array (b);
    }
  json_builder_end_object (b);
  respond_builder (msg, SOUP_STATUS_OK, b);
}
