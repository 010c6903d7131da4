/* tim-text.h: the seed's text helpers: "[Grin]"-style emoji parsing (same rules as the seed's
 * parseText) and the wording of group tips and group system notices (translatable). */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  TIM_TEXT_SEGMENT_TEXT,
  TIM_TEXT_SEGMENT_EMOJI,
} TimTextSegmentKind;

typedef struct
{
  TimTextSegmentKind kind;
  char *text;        /* the text, or the emoji token such as "[Grin]" */
  const char *emoji; /* for EMOJI: the Unicode emoji we draw it with */
} TimTextSegment;

/* Splits text exactly as the seed's parseText: known "[Name]" tokens become EMOJI segments,
 * an unknown bracket stays text (a lone "[" segment, as the seed does). */
GPtrArray *tim_text_parse (const char *text);
void tim_text_segment_free (TimTextSegment *segment);
/* The emoji names we know, in picker order ("[Smile]", "[Grin]", ...), NULL-terminated. */
const char *const *tim_text_emoji_tokens (void);
const char *tim_text_emoji_for_token (const char *token);
/* "[ThumbsUp]" -> "Thumbs Up", translated (a tooltip, a screen reader's name); NULL if unknown. */
const char *tim_text_emoji_name_for_token (const char *token);
/* "Alice joined the group", "Bob made you an admin", ... from a tip / notice payload. Members
 * are named by their nicks in the payload's memberList, else by their IDs; the operator by
 * operator_name (the message's nick) when given, else the same way. A tip about me (the
 * signed-in user, or NULL) alone speaks to them: "Tia added you to the group". */
char *tim_text_group_tip (JsonObject *payload, const char *operator_name, const char *me);
/* The first tip of a group (a join, sequence 1) in words: "Tia created the group with bob and
 * you", "You created the group". */
char *tim_text_group_created (JsonObject *payload, const char *operator_name, const char *me);
char *tim_text_group_notice (JsonObject *payload, const char *operator_name);

G_END_DECLS
