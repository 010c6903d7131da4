/* tim-frame.h: one v4 frame, {"head":{...},"body":{...}}, as the official SDK sends it. */
#pragma once

#include <json-glib/json-glib.h>

#include "tim-json.h"

G_BEGIN_DECLS

typedef struct
{
  JsonObject *head;
  JsonObject *body;
} TimFrame;

TimFrame *tim_frame_new (const char *servcmd, gint64 seq, JsonObject *body);
/* A reply echoes the request's servcmd and seq exactly: that is how the peer matches it. */
TimFrame *tim_frame_new_reply (TimFrame *request, JsonObject *body);
/* Parses text or binary frame data; data starting with "COMP" is inflated from byte 4
 * (zlib or gzip) up to max_inflated bytes. Errors are TIM_ERROR_JSON_PARSE. */
TimFrame *tim_frame_parse (GBytes *data, gsize max_inflated, GError **error);
/* The same, its JSON read as flags say (a server: TIM_JSON_PARSE_REFUSE_NUL). */
TimFrame *tim_frame_parse_full (GBytes *data, gsize max_inflated, TimJsonParseFlags flags,
                                GError **error);
/* For a frame tim_frame_parse_full () refused: its head, with an empty body, when what it refused
 * is a string escape that is no character, a surrogate not in a pair ("\ud83d"): JavaScript's
 * JSON.stringify writes half an emoji so (what String.slice leaves of one), or one that is U+0000
 * ("\u0000", JSON.stringify's for a NUL) with TIM_JSON_PARSE_REFUSE_NUL. The request can be
 * answered with the error like any other bad field; *why (a static string) says what the first
 * such escape is. NULL when the frame does not read even with those escapes read as U+FFFD, or
 * has no head.servcmd. */
TimFrame *tim_frame_parse_head (GBytes *data, gsize max_inflated, const char **why);
GBytes *tim_frame_to_bytes (TimFrame *frame);
/* The bytes of tim_frame_to_bytes (tim_frame_new (servcmd, seq, body)) for a body already
 * written as JSON text (pushes written straight to text; tests/test-wire.c compares the two). */
GBytes *tim_frame_bytes_from_json (const char *servcmd, gint64 seq, const char *body_json);
const char *tim_frame_get_servcmd (TimFrame *frame);
/* -1 when the head carries no usable seq. */
gint64 tim_frame_get_seq (TimFrame *frame);
void tim_frame_free (TimFrame *frame);

/* Inflates a zlib or gzip stream, refusing output beyond max_size. */
GBytes *tim_inflate (const guint8 *data, gsize length, gsize max_size, GError **error);

/* A reply body: {"ActionStatus":"OK"|"FAIL","ErrorCode":code,"ErrorInfo":info}. A NULL info
 * for a non-zero code takes our text for that code. */
JsonObject *tim_reply_body_new (int code, const char *info);
JsonObject *tim_reply_body_from_error (const GError *error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TimFrame, tim_frame_free)

G_END_DECLS
