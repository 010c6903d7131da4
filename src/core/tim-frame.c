/* tim-frame.c: v4 frames: parse, build, and the COMP-compressed variant. */
#define G_LOG_DOMAIN "tim-core"

#include "config.h"

#include <string.h>
#include <zlib.h>

#include "tim-error.h"
#include "tim-frame.h"
#include "tim-json-writer.h"
#include "tim-json.h"

TimFrame *
tim_frame_new (const char *servcmd, gint64 seq, JsonObject *body)
{
  TimFrame *frame = g_new0 (TimFrame, 1);

  frame->head = json_object_new ();
  json_object_set_string_member (frame->head, "ver", "v4");
  json_object_set_string_member (frame->head, "servcmd", servcmd);
  json_object_set_int_member (frame->head, "seq", seq);
  frame->body = body != NULL ? json_object_ref (body) : json_object_new ();
  return frame;
}

TimFrame *
tim_frame_new_reply (TimFrame *request, JsonObject *body)
{
  TimFrame *frame = g_new0 (TimFrame, 1);
  JsonNode *seq = json_object_get_member (request->head, "seq");

  frame->head = json_object_new ();
  json_object_set_string_member (frame->head, "ver", "v4");
  json_object_set_string_member (frame->head, "servcmd", tim_frame_get_servcmd (request));
  /* Echo seq with its original JSON type: the peer compares servcmd+seq as it sent them. */
  if (seq != NULL)
    json_object_set_member (frame->head, "seq", json_node_copy (seq));
  frame->body = json_object_ref (body);
  return frame;
}

void
tim_frame_free (TimFrame *frame)
{
  if (frame == NULL)
    return;
  g_clear_pointer (&frame->head, json_object_unref);
  g_clear_pointer (&frame->body, json_object_unref);
  g_free (frame);
}

GBytes *
tim_inflate (const guint8 *data, gsize length, gsize max_size, GError **error)
{
  z_stream stream = { 0 };
  g_autoptr (GByteArray) out = g_byte_array_new ();
  guint8 buffer[16384];
  int status;

  /* 15 + 32: accept both zlib and gzip headers, as the official SDK does. */
  if (inflateInit2 (&stream, 15 + 32) != Z_OK)
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_INTERNAL, "Cannot initialise zlib");
      return NULL;
    }
  stream.next_in = (Bytef *) data;
  stream.avail_in = (uInt) length;
  do
    {
      stream.next_out = buffer;
      stream.avail_out = sizeof buffer;
      status = inflate (&stream, Z_NO_FLUSH);
      if (status != Z_OK && status != Z_STREAM_END)
        {
          inflateEnd (&stream);
          g_set_error (error, TIM_ERROR, TIM_ERROR_JSON_PARSE, "Corrupt compressed data (zlib %d)",
                       status);
          return NULL;
        }
      g_byte_array_append (out, buffer, sizeof buffer - stream.avail_out);
      if (out->len > max_size)
        {
          inflateEnd (&stream);
          g_set_error (error, TIM_ERROR, TIM_ERROR_JSON_PARSE,
                       "Compressed data expands beyond %" G_GSIZE_FORMAT " bytes", max_size);
          return NULL;
        }
      if (status == Z_OK && stream.avail_in == 0 && stream.avail_out != 0)
        {
          inflateEnd (&stream);
          g_set_error_literal (error, TIM_ERROR, TIM_ERROR_JSON_PARSE, "Truncated compressed data");
          return NULL;
        }
    }
  while (status != Z_STREAM_END);
  inflateEnd (&stream);
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

/* The frame's JSON text: data, or what follows "COMP" inflated into *inflated; UTF-8. */
static const char *
frame_text (GBytes *data, gsize max_inflated, GBytes **inflated, gsize *length, GError **error)
{
  const guint8 *bytes = g_bytes_get_data (data, length);

  if (*length >= 4 && memcmp (bytes, "COMP", 4) == 0)
    {
      *inflated = tim_inflate (bytes + 4, *length - 4, max_inflated, error);
      if (*inflated == NULL)
        return NULL;
      bytes = g_bytes_get_data (*inflated, length);
    }
  if (*length == 0 || bytes == NULL)
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_JSON_PARSE, "The frame is empty");
      return NULL;
    }
  if (!g_utf8_validate ((const char *) bytes, *length, NULL))
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_JSON_PARSE, "The frame is not UTF-8");
      return NULL;
    }
  return (const char *) bytes;
}

static TimFrame *
frame_from_root (JsonObject *root, gboolean with_body, GError **error)
{
  JsonObject *head = tim_json_get_object (root, "head");
  JsonObject *body = with_body ? tim_json_get_object (root, "body") : NULL;
  TimFrame *frame;

  if (head == NULL || tim_json_get_string (head, "servcmd") == NULL)
    {
      g_set_error_literal (error, TIM_ERROR, TIM_ERROR_JSON_PARSE, "The frame has no head.servcmd");
      return NULL;
    }
  frame = g_new0 (TimFrame, 1);
  frame->head = json_object_ref (head);
  frame->body = body != NULL ? json_object_ref (body) : json_object_new ();
  return frame;
}

TimFrame *
tim_frame_parse (GBytes *data, gsize max_inflated, GError **error)
{
  return tim_frame_parse_full (data, max_inflated, TIM_JSON_PARSE_DEFAULT, error);
}

TimFrame *
tim_frame_parse_full (GBytes *data, gsize max_inflated, TimJsonParseFlags flags, GError **error)
{
  g_autoptr (GBytes) inflated = NULL;
  g_autoptr (JsonObject) root = NULL;
  gsize length = 0;
  const char *text = frame_text (data, max_inflated, &inflated, &length, error);

  if (text == NULL)
    return NULL;
  root = tim_json_parse_object_full (text, length, flags, error);
  if (root == NULL)
    return NULL;
  return frame_from_root (root, TRUE, error);
}

TimFrame *
tim_frame_parse_head (GBytes *data, gsize max_inflated, const char **why)
{
  g_autoptr (GBytes) inflated = NULL;
  g_autoptr (JsonObject) root = NULL;
  g_autofree char *copy = NULL;
  gboolean changed = FALSE;
  gsize length = 0;
  const char *text = frame_text (data, max_inflated, &inflated, &length, NULL);

  if (text == NULL)
    return NULL;
  /* Every surrogate escape, paired or not, and every "\u0000" becomes "\uFFFD", six bytes for
   * six: the strings change, the structure does not, and only the head is kept. The character
   * after a backslash is skipped, so that "\\ud83d" (a backslash, then text) is left alone. */
  copy = g_memdup2 (text, length);
  for (gsize i = 0; i + 1 < length; i++)
    {
      if (copy[i] != '\\')
        continue;
      if (copy[i + 1] == 'u' && i + 5 < length && g_ascii_isxdigit (copy[i + 2]) &&
          g_ascii_isxdigit (copy[i + 3]) && g_ascii_isxdigit (copy[i + 4]) &&
          g_ascii_isxdigit (copy[i + 5]))
        {
          guint unit = (guint) (g_ascii_xdigit_value (copy[i + 2]) << 12 |
                                g_ascii_xdigit_value (copy[i + 3]) << 8 |
                                g_ascii_xdigit_value (copy[i + 4]) << 4 |
                                g_ascii_xdigit_value (copy[i + 5]));

          if ((unit >= 0xd800 && unit <= 0xdfff) || unit == 0)
            {
              memcpy (copy + i + 2, "FFFD", 4);
              if (!changed && why != NULL)
                *why = unit == 0 ? "a string holds U+0000 (\\u0000)"
                                 : "a string holds half of a surrogate pair (an escape that is no "
                                   "character)";
              changed = TRUE;
            }
        }
      i++;
    }
  if (!changed || (root = tim_json_parse_object (copy, length, NULL)) == NULL)
    return NULL;
  return frame_from_root (root, FALSE, NULL);
}

GBytes *
tim_frame_to_bytes (TimFrame *frame)
{
  g_autoptr (JsonObject) root = json_object_new ();
  gsize length = 0;
  char *text;

  json_object_set_object_member (root, "head", json_object_ref (frame->head));
  json_object_set_object_member (root, "body", json_object_ref (frame->body));
  text = tim_json_to_string (root, &length);
  return g_bytes_new_take (text, length);
}

GBytes *
tim_frame_bytes_from_json (const char *servcmd, gint64 seq, const char *body_json)
{
  GString *text = g_string_sized_new (strlen (body_json) + 96);
  gsize length;

  g_string_append (text, "{\"head\":{\"ver\":\"v4\",\"servcmd\":");
  tim_json_writer_append_string (text, servcmd);
  g_string_append (text, ",\"seq\":");
  tim_json_writer_append_int (text, seq);
  g_string_append (text, "},\"body\":");
  g_string_append (text, body_json);
  g_string_append_c (text, '}');
  length = text->len;
  return g_bytes_new_take (g_string_free (text, FALSE), length);
}

const char *
tim_frame_get_servcmd (TimFrame *frame)
{
  return tim_json_get_string (frame->head, "servcmd");
}

gint64
tim_frame_get_seq (TimFrame *frame)
{
  return tim_json_get_int_or (frame->head, "seq", -1);
}

JsonObject *
tim_reply_body_new (int code, const char *info)
{
  JsonObject *body = json_object_new ();

  json_object_set_string_member (body, "ActionStatus", code == 0 ? "OK" : "FAIL");
  json_object_set_int_member (body, "ErrorCode", code);
  json_object_set_string_member (body, "ErrorInfo", info != NULL ? info : tim_error_text (code));
  return body;
}

JsonObject *
tim_reply_body_from_error (const GError *error)
{
  int code = error->domain == TIM_ERROR ? error->code : TIM_ERROR_INTERNAL;

  return tim_reply_body_new (code, error->message);
}
