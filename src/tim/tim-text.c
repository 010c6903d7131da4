/* tim-text.c: "[Name]" emoji tokens in text, split exactly as the seed's parseText. The emoji
 * names and pictures are our own: Unicode emoji, not the vendor's licensed pack. The sentences of
 * group tips and notices are in tim-text-tips.c. */
#define G_LOG_DOMAIN "tim"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tim-json.h"
#include "tim-text.h"

/* clang-format off */
static const struct
{
  const char *token;
  const char *emoji;
  const char *name; /* what the picker's tooltip and a screen reader say, translated */
} emoji_table[] = {
  { "[Smile]",         "🙂",    N_ ("Smile") },
  { "[Grin]",          "😁",    N_ ("Grin") },
  { "[Laugh]",         "😂",    N_ ("Laugh") },
  { "[Wink]",          "😉",    N_ ("Wink") },
  { "[Cry]",           "😢",    N_ ("Cry") },
  { "[Angry]",         "😠",    N_ ("Angry") },
  { "[Love]",          "😍",    N_ ("Love") },
  { "[Cool]",          "😎",    N_ ("Cool") },
  { "[Surprised]",     "😮",    N_ ("Surprised") },
  { "[Sleepy]",        "😪",    N_ ("Sleepy") },
  { "[ThumbsUp]",      "👍",    N_ ("Thumbs Up") },
  { "[ThumbsDown]",    "👎",    N_ ("Thumbs Down") },
  { "[Clap]",          "👏",    N_ ("Clap") },
  { "[Pray]",          "🙏",    N_ ("Pray") },
  { "[Party]",         "🥳",    N_ ("Party") },
  { "[Heart]",         "❤️",    N_ ("Heart") },
  { "[BrokenHeart]",   "💔",    N_ ("Broken Heart") },
  { "[Fire]",          "🔥",    N_ ("Fire") },
  { "[Star]",          "⭐",    N_ ("Star") },
  { "[Coffee]",        "☕",    N_ ("Coffee") },
  { "[Beer]",          "🍺",    N_ ("Beer") },
  { "[Cake]",          "🎂",    N_ ("Cake") },
  { "[Gift]",          "🎁",    N_ ("Gift") },
  { "[Rose]",          "🌹",    N_ ("Rose") },
  { "[Sun]",           "☀️",    N_ ("Sun") },
  { "[Moon]",          "🌙",    N_ ("Moon") },
  { "[Rain]",          "🌧️",    N_ ("Rain") },
  { "[Snow]",          "❄️",    N_ ("Snow") },
  { "[OK]",            "👌",    N_ ("OK") },
  { "[Victory]",       "✌️",    N_ ("Victory") },
  { "[Muscle]",        "💪",    N_ ("Muscle") },
  { "[Wave]",          "👋",    N_ ("Wave") },
  { "[Shrug]",         "🤷",    N_ ("Shrug") },
  { "[Facepalm]",      "🤦",    N_ ("Facepalm") },
  { "[Thinking]",      "🤔",    N_ ("Thinking") },
  { "[Sweat]",         "😅",    N_ ("Sweat") },
  { "[Kiss]",          "😘",    N_ ("Kiss") },
  { "[Hug]",           "🤗",    N_ ("Hug") },
  { "[Skull]",         "💀",    N_ ("Skull") },
  { "[Rocket]",        "🚀",    N_ ("Rocket") },
};
/* clang-format on */

const char *const *
tim_text_emoji_tokens (void)
{
  static const char *tokens[G_N_ELEMENTS (emoji_table) + 1];
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      for (gsize i = 0; i < G_N_ELEMENTS (emoji_table); i++)
        tokens[i] = emoji_table[i].token;
      g_once_init_leave (&initialized, 1);
    }
  return tokens;
}

const char *
tim_text_emoji_for_token (const char *token)
{
  if (token == NULL)
    return NULL;
  for (gsize i = 0; i < G_N_ELEMENTS (emoji_table); i++)
    if (strcmp (emoji_table[i].token, token) == 0)
      return emoji_table[i].emoji;
  return NULL;
}

/**
 * tim_text_emoji_name_for_token:
 * @token: an emoji token such as "[ThumbsUp]"
 *
 * Returns: (nullable): its name in words for people ("Thumbs Up"), translated; %NULL for a
 * token we do not know. The token itself stays what goes on the wire.
 */
const char *
tim_text_emoji_name_for_token (const char *token)
{
  if (token == NULL)
    return NULL;
  for (gsize i = 0; i < G_N_ELEMENTS (emoji_table); i++)
    if (strcmp (emoji_table[i].token, token) == 0)
      return _ (emoji_table[i].name);
  return NULL;
}

void
tim_text_segment_free (TimTextSegment *segment)
{
  if (segment == NULL)
    return;
  g_free (segment->text);
  g_free (segment);
}

static void
push (GPtrArray *segments, TimTextSegmentKind kind, const char *text, gsize length,
      const char *emoji)
{
  TimTextSegment *segment = g_new0 (TimTextSegment, 1);

  segment->kind = kind;
  segment->text = g_strndup (text, length);
  segment->emoji = emoji;
  g_ptr_array_add (segments, segment);
}

/* The seed's loop, step by step: `right` is the first ']' of the rest even when it comes before
 * the '['; an unknown "[...]" gives a lone "[" segment; segments are never merged. '[' and ']' are
 * ASCII, so byte offsets in UTF-8 split exactly where the seed's UTF-16 offsets do. */
GPtrArray *
tim_text_parse (const char *text)
{
  GPtrArray *segments = g_ptr_array_new_with_free_func ((GDestroyNotify) tim_text_segment_free);
  const char *rest = text != NULL ? text : "";

  while (*rest != '\0')
    {
      const char *left = strchr (rest, '[');
      const char *right = strchr (rest, ']');

      if (left == rest)
        {
          g_autofree char *token = NULL;
          const char *emoji;

          if (right == NULL)
            {
              push (segments, TIM_TEXT_SEGMENT_TEXT, rest, strlen (rest), NULL);
              break;
            }
          token = g_strndup (rest, right - rest + 1);
          emoji = tim_text_emoji_for_token (token);
          if (emoji != NULL)
            {
              push (segments, TIM_TEXT_SEGMENT_EMOJI, token, strlen (token), emoji);
              rest = right + 1;
            }
          else
            {
              push (segments, TIM_TEXT_SEGMENT_TEXT, "[", 1, NULL);
              rest++;
            }
        }
      else if (left == NULL)
        {
          push (segments, TIM_TEXT_SEGMENT_TEXT, rest, strlen (rest), NULL);
          break;
        }
      else
        {
          push (segments, TIM_TEXT_SEGMENT_TEXT, rest, left - rest, NULL);
          rest = left;
        }
    }
  return segments;
}
