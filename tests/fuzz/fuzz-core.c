/* fuzz-core.c: a libFuzzer harness for the wire layer (src/core), which reads everything a peer
 * sends before anything else looks at it. The server promises that malformed input gets an
 * error, never a crash, a hang or unbounded memory; this checks that promise under ASan, UBSan
 * and LeakSanitizer, and checks the invariants the rest of the server relies on:
 *
 *  - a frame that parses survives tim_frame_to_bytes (), a reply echoes its servcmd and seq, and
 *    its conversation IDs read and write back the same;
 *  - the strict JSON reader builds exactly json-glib's tree for what it accepts, its writer
 *    writes exactly JsonGenerator's bytes, which read back to the same tree, and tim_json_parse ()
 *    answers as json-glib for the rest, but where json-glib 1.6 is wrong (tim-json-fallback.c);
 *  - a UserSig is decoded and verified without trusting any of its fields;
 *  - a MsgBody is validated, measured, previewed and converted to payloads and back.
 *
 * The first byte of an input picks the target (data[0] % N_TARGETS), the rest is its input.
 * Built for libFuzzer with -Dfuzzing=true, and in the normal build as fuzz-core-replay with
 * fuzz-replay.c, which feeds it the committed corpus (docs/fuzzing.md). */
#include "config.h"

#include <stdint.h>
#include <string.h>
#include <zlib.h>

#include "tim-conv.h"
#include "tim-elem.h"
#include "tim-error.h"
#include "tim-frame.h"
#include "tim-json-reader.h"
#include "tim-json-writer.h"
#include "tim-json.h"
#include "tim-limits.h"
#include "tim-usersig.h"
#include "json-oracle.h"

/* LeakSanitizer's interface, when it is there (the libFuzzer build, -fsanitize=address). */
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FUZZ_HAVE_LSAN 1
#endif
#endif
#if !defined(FUZZ_HAVE_LSAN) && defined(__SANITIZE_ADDRESS__)
#define FUZZ_HAVE_LSAN 1
#endif
#ifndef FUZZ_HAVE_LSAN
#define FUZZ_HAVE_LSAN 0
#endif
#if FUZZ_HAVE_LSAN
#include <sanitizer/lsan_interface.h>
#endif

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

enum
{
  TARGET_FRAME,        /* the bytes of a WebSocket message, "COMP..." or JSON */
  TARGET_FRAME_COMP,   /* the same, deflated here (zlib) and sent as "COMP" + the stream */
  TARGET_JSON,         /* the strict reader against json-glib, and the writer */
  TARGET_USERSIG,      /* a UserSig as a client sends it */
  TARGET_USERSIG_JSON, /* the JSON inside a UserSig, signed and encoded here */
  TARGET_MSG_BODY,     /* a MsgBody (or one element) as JSON */
  N_TARGETS,
};

/* Small, so that a bomb is refused quickly; the server's own cap is TIM_MAX_FRAME_BYTES. */
#define FUZZ_MAX_INFLATED (1024 * 1024)

#define FUZZ_SDKAPPID G_GUINT64_CONSTANT (1400000000)
#define FUZZ_KEY "test-secret-key"
#define FUZZ_NOW G_GINT64_CONSTANT (1700000001)

/* zlib (RFC 1950) of data, as compress2 () writes it. */
static GBytes *
deflate_bytes (const guint8 *data, gsize size, const char *prefix)
{
  gsize prefix_length = strlen (prefix);
  uLongf length = compressBound ((uLong) size);
  guint8 *out = g_malloc (prefix_length + length);

  memcpy (out, prefix, prefix_length);
  if (compress2 (out + prefix_length, &length, data, (uLong) size, Z_DEFAULT_COMPRESSION) != Z_OK)
    g_error ("compress2 failed");
  return g_bytes_new_take (out, prefix_length + length);
}

/* ---- frames ---- */

/* Whether the written frame is strict JSON (tim_json_writer_text_is_strict () wants a string). */
static gboolean
bytes_are_strict (GBytes *bytes)
{
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);
  g_autofree char *text = g_strndup (data, length);

  return tim_json_writer_text_is_strict (text);
}

/* Every string of the body (or its name) as a conversation ID: a valid one is made again from
 * its parts, and valid IDs keep to their lengths. */
static void
fuzz_conversation_ids (JsonObject *body)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  json_object_iter_init (&iter, body);
  while (json_object_iter_next (&iter, &name, &member))
    {
      const char *id =
          JSON_NODE_HOLDS_VALUE (member) && json_node_get_value_type (member) == G_TYPE_STRING
              ? json_node_get_string (member)
              : name;
      const char *target = NULL;
      TimConvType type = tim_conv_parse_id (id, &target);

      if (type != TIM_CONV_INVALID)
        {
          g_autofree char *again = tim_conv_make_id (type, target);

          g_assert_cmpstr (again, ==, id);
        }
      g_assert_true (!tim_user_id_is_valid (id) || strlen (id) <= TIM_MAX_USERID_BYTES);
      g_assert_true (!tim_group_id_is_valid (id) || strlen (id) <= TIM_MAX_GROUPID_BYTES);
    }
}

static void
fuzz_frame_bytes (GBytes *bytes)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TimFrame) frame = tim_frame_parse (bytes, FUZZ_MAX_INFLATED, &error);
  g_autoptr (GBytes) out = NULL;
  g_autoptr (TimFrame) again = NULL;
  g_autoptr (JsonObject) reply_body = NULL;
  g_autoptr (TimFrame) reply = NULL;
  g_autoptr (GBytes) reply_bytes = NULL;
  g_autoptr (TimFrame) reply_again = NULL;
  g_autoptr (JsonNode) head = NULL;
  g_autoptr (JsonNode) head_again = NULL;
  g_autoptr (JsonNode) body = NULL;
  g_autoptr (JsonNode) body_again = NULL;

  if (frame == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (error->domain == TIM_ERROR);
      return;
    }
  g_assert_no_error (error);
  g_assert_nonnull (tim_frame_get_servcmd (frame));
  fuzz_conversation_ids (frame->body);

  out = tim_frame_to_bytes (frame);
  again = tim_frame_parse (out, G_MAXSIZE, &error);
  if (again == NULL)
    {
      /* The writer writes what JsonGenerator writes, and JsonGenerator writes some doubles in
       * forms nobody reads back ("1e+22.0", "inf.0"; tim-json-writer.h): only those may fail. */
      g_assert_false (bytes_are_strict (out));
      return;
    }
  g_assert_cmpstr (tim_frame_get_servcmd (again), ==, tim_frame_get_servcmd (frame));
  g_assert_cmpint (tim_frame_get_seq (again), ==, tim_frame_get_seq (frame));
  head = tim_json_node_from_object (frame->head);
  head_again = tim_json_node_from_object (again->head);
  body = tim_json_node_from_object (frame->body);
  body_again = tim_json_node_from_object (again->body);
  g_assert_true (json_oracle_nodes_equal (head, head_again));
  g_assert_true (json_oracle_nodes_equal (body, body_again));

  /* The reply echoes servcmd and seq, with the seq's JSON type, as the peer matches on them. */
  reply_body = tim_reply_body_new (0, NULL);
  reply = tim_frame_new_reply (frame, reply_body);
  reply_bytes = tim_frame_to_bytes (reply);
  reply_again = tim_frame_parse (reply_bytes, G_MAXSIZE, &error);
  if (reply_again == NULL)
    {
      g_assert_false (bytes_are_strict (reply_bytes));
      return;
    }
  g_assert_cmpstr (tim_frame_get_servcmd (reply_again), ==, tim_frame_get_servcmd (frame));
  g_assert_cmpint (tim_frame_get_seq (reply_again), ==, tim_frame_get_seq (frame));
}

static void
fuzz_frame (const guint8 *data, gsize size)
{
  g_autoptr (GBytes) bytes = g_bytes_new (data, size);

  fuzz_frame_bytes (bytes);
}

/* Mutating a deflate stream mostly breaks it; deflating here reaches the JSON behind "COMP". */
static void
fuzz_frame_comp (const guint8 *data, gsize size)
{
  g_autoptr (GBytes) bytes = deflate_bytes (data, size, "COMP");

  fuzz_frame_bytes (bytes);
}

/* ---- JSON ---- */

/* An upper bound of the nesting: brackets, counted even inside strings. */
static guint
bracket_nesting (const char *text, gsize size)
{
  guint depth = 0, max = 0;

  for (gsize i = 0; i < size; i++)
    if (text[i] == '[' || text[i] == '{')
      {
        depth++;
        max = MAX (max, depth);
      }
    else if ((text[i] == ']' || text[i] == '}') && depth > 0)
      depth--;
  return max;
}

typedef struct
{
  guint depth;
  guint top_level_containers;
} Counter;

static void
container_start (JsonParser *parser, gpointer data)
{
  Counter *counter = data;

  counter->top_level_containers += counter->depth++ == 0;
}

static void
container_end (JsonParser *parser, gpointer container, gpointer data)
{
  Counter *counter = data;

  counter->depth--;
}

/* Whether json-glib reads the text, and how many top-level values it read then. Only here does
 * json-glib get text it may leak on (LeakSanitizer is told to look away). */
static gboolean
json_glib_count_values (const char *text, gsize size, guint *values)
{
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  Counter counter = { 0, 0 };
  JsonNode *root;
  gboolean ok;

  g_signal_connect (parser, "object-start", G_CALLBACK (container_start), &counter);
  g_signal_connect (parser, "array-start", G_CALLBACK (container_start), &counter);
  g_signal_connect (parser, "object-end", G_CALLBACK (container_end), &counter);
  g_signal_connect (parser, "array-end", G_CALLBACK (container_end), &counter);
#if FUZZ_HAVE_LSAN
  __lsan_disable ();
#endif
  ok = json_parser_load_from_data (parser, text, (gssize) size, NULL);
#if FUZZ_HAVE_LSAN
  __lsan_enable ();
#endif
  root = json_parser_get_root (parser);
  if (!ok || root == NULL)
    return FALSE;
  *values = counter.top_level_containers +
            (JSON_NODE_HOLDS_OBJECT (root) || JSON_NODE_HOLDS_ARRAY (root) ? 0 : 1);
  return TRUE;
}

/* Text the strict reader refuses: tim_json_parse () answers what json-glib answers, but where
 * json-glib 1.6 gets it wrong (src/core/tim-json-fallback.c): nesting its recursion would not
 * survive, a second top-level value (it reads the first and leaks the rest), a malformed
 * surrogate pair (it refuses it, leaking), escapes it reads as bytes that are not UTF-8. */
static void
fuzz_json_fallback (const char *text, gsize size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = tim_json_parse (text, (gssize) size, &error);
  g_autoptr (JsonNode) expected = NULL;
  guint values = 0;

  g_assert_true ((node == NULL) != (error == NULL));
  if (node == NULL && bracket_nesting (text, size) > TIM_JSON_READER_MAX_DEPTH)
    return;
  if (node == NULL && strstr (error->message, "more than one top-level value") != NULL)
    {
      /* Only where json-glib reads (and leaks) several values, or refuses the text anyway. */
      if (json_glib_count_values (text, size, &values) && values < 2)
        g_error ("refused as several values, json-glib reads one: %.*s", (int) MIN (size, 200),
                 text);
      return;
    }
  if (node == NULL && strstr (error->message, "malformed surrogate pair") != NULL)
    {
      if (json_glib_count_values (text, size, &values))
        g_error ("refused as a malformed pair, json-glib reads it: %.*s", (int) MIN (size, 200),
                 text);
      return;
    }
  /* Anything else json-glib is asked about here must not leak (LeakSanitizer watches). */
  expected = json_oracle_parse (text, size);
  if (expected != NULL && !json_oracle_tree_is_utf8 (expected))
    {
      if (node != NULL)
        g_error ("tim_json_parse reads escapes that are not UTF-8: %.*s", (int) MIN (size, 200),
                 text);
      return;
    }
  if ((expected == NULL) != (node == NULL))
    g_error ("tim_json_parse and json-glib disagree (%s): %.*s",
             error != NULL ? error->message : "accepted", (int) MIN (size, 200), text);
  if (expected != NULL && !json_oracle_nodes_equal (node, expected))
    g_error ("tim_json_parse and json-glib build different trees: %.*s", (int) MIN (size, 200),
             text);
}

static void
fuzz_json (const guint8 *data, gsize size)
{
  const char *text = (const char *) data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = tim_json_reader_parse (text, size, &error);
  g_autoptr (JsonNode) expected = NULL;
  g_autoptr (JsonNode) again = NULL;
  g_autofree char *written = NULL;
  g_autofree char *generated = NULL;
  gsize length = 0;

  if (node == NULL)
    {
      g_assert_true (error->domain == TIM_JSON_READER_ERROR);
      fuzz_json_fallback (text, size);
      return;
    }

  /* Accepted by the strict reader: json-glib accepts it too and builds the same tree. */
  expected = json_oracle_parse (text, size);
  if (expected == NULL)
    g_error ("the reader accepts what json-glib refuses: %.*s", (int) MIN (size, 200), text);
  if (!json_oracle_nodes_equal (node, expected))
    g_error ("the reader and json-glib build different trees: %.*s", (int) MIN (size, 200), text);

  /* The writer writes JsonGenerator's bytes... */
  written = tim_json_node_to_string (node, &length);
  g_assert_cmpuint (length, ==, strlen (written));
  generated = json_oracle_write (node);
  g_assert_cmpstr (written, ==, generated);

  /* ... which read back to the same tree, but for the doubles JsonGenerator writes in forms
   * that are not JSON at all (tim-json-writer.h): "inf.0", "1e+22.0". */
  if (!tim_json_writer_text_is_strict (written))
    return;
  again = tim_json_reader_parse (written, length, &error);
  g_assert_no_error (error);
  g_assert_true (json_oracle_nodes_equal (node, again));
}

/* ---- UserSig ---- */

static void
fuzz_usersig_string (const char *usersig)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) doc = tim_usersig_decode (usersig, &error);
  gint64 issued_at = -1, expires_at = -1;
  const char *identifier;

  if (doc == NULL)
    {
      g_assert_true (error->domain == TIM_ERROR);
      g_assert_false (tim_usersig_verify (usersig, FUZZ_SDKAPPID, FUZZ_KEY, "alice", FUZZ_NOW, NULL,
                                          NULL, NULL));
      return;
    }
  /* As the server calls it: the identifier the client logs in as, and the one inside. */
  if (tim_usersig_verify (usersig, FUZZ_SDKAPPID, FUZZ_KEY, "alice", FUZZ_NOW, &issued_at,
                          &expires_at, &error))
    g_assert_cmpint (issued_at, <=, expires_at);
  g_clear_error (&error);
  identifier = tim_json_get_string (doc, "TLS.identifier");
  if (identifier != NULL && tim_usersig_verify (usersig, FUZZ_SDKAPPID, FUZZ_KEY, identifier,
                                                FUZZ_NOW, &issued_at, &expires_at, &error))
    {
      g_assert_cmpint (issued_at, <=, expires_at);
      g_assert_cmpint (FUZZ_NOW, <=, expires_at);
    }
}

/* usersig's own alphabet: base64 with + / = as * - _ . */
static char *
encode_usersig (GBytes *compressed)
{
  gsize length;
  const guint8 *data = g_bytes_get_data (compressed, &length);
  char *usersig = g_base64_encode (data, length);

  g_strdelimit (usersig, "+", '*');
  g_strdelimit (usersig, "/", '-');
  g_strdelimit (usersig, "=", '_');
  return usersig;
}

static void
fuzz_usersig (const guint8 *data, gsize size)
{
  g_autofree char *usersig = g_strndup ((const char *) data, size);
  g_autofree char *generated = NULL;
  gint64 issued_at = -1, expires_at = -1;

  fuzz_usersig_string (usersig);

  /* Any valid UTF-8 identifier survives its own UserSig (JSON escaping, then json-glib). Up to
   * 512 bytes: the JSON of a longer one may inflate past TIM_MAX_USERSIG_INFLATED (an identifier
   * of control characters is escaped to six times its length), which verification refuses; the
   * product's identifiers have at most TIM_MAX_USERID_BYTES. */
  if (strlen (usersig) > 512 || !g_utf8_validate (usersig, -1, NULL))
    return;
  generated = tim_usersig_generate (FUZZ_SDKAPPID, FUZZ_KEY, usersig, FUZZ_NOW, 60, NULL);
  g_assert_true (tim_usersig_verify (generated, FUZZ_SDKAPPID, FUZZ_KEY, usersig, FUZZ_NOW,
                                     &issued_at, &expires_at, NULL));
  g_assert_cmpint (issued_at, ==, FUZZ_NOW);
  g_assert_cmpint (expires_at, ==, FUZZ_NOW + 60);
}

/* The input is the JSON inside a UserSig. When it is an object whose signed fields have the
 * types a generator writes, its TLS.sig is replaced by the right one, so that verification gets
 * past the signature to the expiry arithmetic with any numbers. */
static void
fuzz_usersig_json (const guint8 *data, gsize size)
{
  g_autoptr (GBytes) compressed = NULL;
  g_autofree char *usersig = NULL;
  g_autoptr (JsonNode) root = tim_json_parse ((const char *) data, (gssize) size, NULL);
  g_autofree char *signed_text = NULL;
  JsonObject *doc;
  JsonNode *sdkappid, *issued, *expire, *userbuf;
  const char *identifier;

  compressed = deflate_bytes (data, size, "");
  usersig = encode_usersig (compressed);
  fuzz_usersig_string (usersig);

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return;
  doc = json_node_get_object (root);
  identifier = tim_json_get_string (doc, "TLS.identifier");
  sdkappid = json_object_get_member (doc, "TLS.sdkappid");
  issued = json_object_get_member (doc, "TLS.time");
  expire = json_object_get_member (doc, "TLS.expire");
  userbuf = json_object_get_member (doc, "TLS.userbuf");
  if (identifier == NULL || sdkappid == NULL ||
      json_node_get_value_type (sdkappid) != G_TYPE_INT64 || issued == NULL ||
      json_node_get_value_type (issued) != G_TYPE_INT64 || expire == NULL ||
      json_node_get_value_type (expire) != G_TYPE_INT64 ||
      (userbuf != NULL && json_node_get_value_type (userbuf) != G_TYPE_STRING))
    return;
  {
    g_autoptr (JsonObject) copy = tim_json_object_copy (doc);
    g_autofree char *sig = tim_usersig_hmac_base64 (
        FUZZ_KEY, identifier, (guint64) json_node_get_int (sdkappid), json_node_get_int (issued),
        json_node_get_int (expire), userbuf != NULL ? json_node_get_string (userbuf) : NULL);
    g_autoptr (GBytes) recompressed = NULL;
    g_autofree char *resigned = NULL;
    gsize length = 0;

    json_object_set_string_member (copy, "TLS.sig", sig);
    signed_text = tim_json_to_string (copy, &length);
    recompressed = deflate_bytes ((const guint8 *) signed_text, length, "");
    resigned = encode_usersig (recompressed);
    fuzz_usersig_string (resigned);
  }
}

/* ---- MsgBody ---- */

static void
fuzz_element (JsonObject *wire)
{
  TimElemType type = TIM_ELEM_UNKNOWN;
  g_autoptr (JsonObject) payload = tim_elem_to_payload (wire, &type);
  JsonNode *content = json_object_get_member (wire, "MsgContent");

  g_assert_true (payload != NULL || content == NULL || !JSON_NODE_HOLDS_OBJECT (content));
  if (payload != NULL)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (JsonObject) back = tim_elem_from_payload (type, payload, &error);

      g_assert_true ((back == NULL) != (error == NULL));
    }
  /* The content itself as a payload: any shape reaches the payload readers. */
  if (content != NULL && JSON_NODE_HOLDS_OBJECT (content) && tim_elem_type_is_sendable (type))
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (JsonObject) wire_again =
          tim_elem_from_payload (type, json_node_get_object (content), &error);

      g_assert_true ((wire_again == NULL) != (error == NULL));
    }
}

static void
fuzz_msg_body (const guint8 *data, gsize size)
{
  g_autoptr (JsonNode) root = tim_json_parse ((const char *) data, (gssize) size, NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *show = NULL;
  g_autofree char *show_intl = NULL;
  JsonArray *body;

  if (root == NULL)
    return;
  if (JSON_NODE_HOLDS_OBJECT (root))
    {
      fuzz_element (json_node_get_object (root));
      return;
    }
  if (!JSON_NODE_HOLDS_ARRAY (root))
    return;
  body = json_node_get_array (root);

  if (tim_msg_body_validate (body, &error))
    g_assert_cmpuint (tim_msg_body_serialized_size (body), <=, TIM_MAX_MSG_BODY_BYTES);
  else
    g_assert_true (error->domain == TIM_ERROR);
  show = tim_msg_body_message_for_show (body, FALSE);
  show_intl = tim_msg_body_message_for_show (body, TRUE);
  g_assert_true (g_utf8_validate (show, -1, NULL));
  g_assert_true (g_utf8_validate (show_intl, -1, NULL));
  for (guint i = 0; i < json_array_get_length (body); i++)
    {
      JsonObject *elem = tim_json_array_get_object (body, i);

      if (elem != NULL)
        fuzz_element (elem);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static gboolean initialised;

  if (!initialised)
    {
      /* A critical (a g_return_if_fail () hit) on malformed input is a bug too. */
      g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
      initialised = TRUE;
    }
  if (size == 0)
    return 0;

  switch (data[0] % N_TARGETS)
    {
    case TARGET_FRAME:
      fuzz_frame (data + 1, size - 1);
      break;
    case TARGET_FRAME_COMP:
      fuzz_frame_comp (data + 1, size - 1);
      break;
    case TARGET_JSON:
      fuzz_json (data + 1, size - 1);
      break;
    case TARGET_USERSIG:
      fuzz_usersig (data + 1, size - 1);
      break;
    case TARGET_USERSIG_JSON:
      fuzz_usersig_json (data + 1, size - 1);
      break;
    case TARGET_MSG_BODY:
      fuzz_msg_body (data + 1, size - 1);
      break;
    default:
      g_assert_not_reached ();
    }
  return 0;
}
