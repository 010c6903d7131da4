/* timchat-format.c: local-time formatting shared by the conversation and message rows, and the
 * markup of a search result's text. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "timchat-format.h"

/* How long a loaded local time zone is used before it is loaded again. */
#define ZONE_SECONDS 60

static GTimeZone *zone;
static gint64 zone_loaded;

/* g_date_time_new_from_unix_local loads the local zone again on every call when TZ is unset
 * (GLib 2.74 drops its cached zone when the zone's name differs from getenv ("TZ")): a stat and a
 * read of /etc/localtime for each time shown, three or four a message row while a conversation
 * opens. One zone is kept for a minute instead, so a change of the system's zone shows within a
 * minute; daylight saving time needs no reload (the zone holds its transitions). Main thread only,
 * like the rows that use it. */
static GTimeZone *
local_zone (void)
{
  gint64 now = g_get_monotonic_time ();

  if (zone == NULL || now - zone_loaded >= ZONE_SECONDS * G_USEC_PER_SEC)
    {
      g_clear_pointer (&zone, g_time_zone_unref);
      zone = g_time_zone_new_local ();
      zone_loaded = now;
    }
  return zone;
}

void
timchat_format_forget_zone (void)
{
  g_clear_pointer (&zone, g_time_zone_unref);
}

static GDateTime *
local_time (gint64 unix_time)
{
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (unix_time);

  return utc != NULL ? g_date_time_to_timezone (utc, local_zone ()) : NULL;
}

/* Days between the local dates of then and now (0 = same day). */
static int
days_ago (GDateTime *then)
{
  g_autoptr (GDateTime) now = g_date_time_new_now (local_zone ());
  g_autoptr (GDate) a = g_date_new_dmy (g_date_time_get_day_of_month (then),
                                        g_date_time_get_month (then), g_date_time_get_year (then));
  g_autoptr (GDate) b = g_date_new_dmy (g_date_time_get_day_of_month (now),
                                        g_date_time_get_month (now), g_date_time_get_year (now));

  return g_date_days_between (a, b);
}

char *
timchat_format_clock (gint64 unix_time)
{
  g_autoptr (GDateTime) then = local_time (unix_time);

  return then != NULL ? g_date_time_format (then, "%H:%M") : g_strdup ("");
}

/* The clock today; another day within a week either way, week_format (the weekday); else
 * other_format (the date). */
static char *
format_near (gint64 unix_time, const char *week_format, const char *other_format)
{
  g_autoptr (GDateTime) then = NULL;
  int days;

  if (unix_time <= 0 || (then = local_time (unix_time)) == NULL)
    return g_strdup ("");
  days = days_ago (then);
  if (days == 0)
    return g_date_time_format (then, "%H:%M");
  return g_date_time_format (then, ABS (days) < 7 ? week_format : other_format);
}

char *
timchat_format_list_time (gint64 unix_time)
{
  /* A later day too (a last message stamped by a clock ahead of ours, past midnight) says the
   * day, not a clock that would read as today's. */
  return format_near (unix_time, "%a", "%x");
}

char *
timchat_format_until (gint64 unix_time)
{
  return format_near (unix_time, "%a %H:%M", "%x %H:%M");
}

char *
timchat_format_day (gint64 unix_time)
{
  g_autoptr (GDateTime) then = local_time (unix_time);
  int days;

  if (then == NULL)
    return g_strdup ("");
  days = days_ago (then);
  if (days <= 0)
    return g_strdup (_ ("Today"));
  if (days == 1)
    return g_strdup (_ ("Yesterday"));
  /* Translators: a day separator for older days, see strftime */
  return g_date_time_format (then, _ ("%e %B %Y"));
}

char *
timchat_format_duration (gint64 seconds)
{
  seconds = MAX (seconds, 0);
  return g_strdup_printf ("%" G_GINT64_FORMAT ":%02d", seconds / 60, (int) (seconds % 60));
}

char *
timchat_format_transfer (goffset done, goffset total)
{
  g_autofree char *a = g_format_size (done);
  g_autofree char *b = g_format_size (total);

  /* Translators: upload/download progress, "1.2 MB of 5.0 MB": %1$s is what is done, %2$s the
   * whole. */
  return g_strdup_printf (_ ("%1$s of %2$s"), a, b);
}

gboolean
timchat_format_same_day (gint64 a, gint64 b)
{
  g_autoptr (GDateTime) da = local_time (a);
  g_autoptr (GDateTime) db = local_time (b);

  return da != NULL && db != NULL && g_date_time_get_year (da) == g_date_time_get_year (db) &&
         g_date_time_get_day_of_year (da) == g_date_time_get_day_of_year (db);
}

GStrv
timchat_parse_user_ids (const char *text)
{
  g_autoptr (GString) normalized = g_string_new (text != NULL ? text : "");
  g_autoptr (GStrvBuilder) ids = g_strv_builder_new ();
  g_auto (GStrv) parts = NULL;

  g_string_replace (normalized, "，", ",", 0);
  g_string_replace (normalized, "、", ",", 0);
  g_string_replace (normalized, "；", ",", 0);
  parts = g_strsplit_set (normalized->str, ", ;\t\n", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    if (*parts[i] != '\0')
      g_strv_builder_add (ids, parts[i]);
  return g_strv_builder_end (ids);
}

/* A search match further into a text than this many characters is shown with some words before
 * it. */
#define SNIPPET_LEAD 24

static void
append_escaped (GString *out, const char *text, gsize length)
{
  g_autofree char *escaped = g_markup_escape_text (text, length);

  g_string_append (out, escaped);
}

char *
timchat_search_markup (const char *text, const char *keyword)
{
  g_autofree char *flat = g_strdup (text != NULL ? text : "");
  g_autofree char *needle = g_ascii_strdown (keyword != NULL ? keyword : "", -1);
  g_autofree char *haystack = NULL;
  GString *out = g_string_new (NULL);
  const char *start, *hit;
  gsize needle_len;

  /* One line: a result shows the words around the match. */
  g_strdelimit (flat, "\n\r\t", ' ');
  g_strstrip (needle);
  needle_len = strlen (needle);
  /* ASCII case only, as libtim matches: the byte offsets stay those of the text. */
  haystack = g_ascii_strdown (flat, -1);
  start = haystack;
  hit = needle_len > 0 ? strstr (haystack, needle) : NULL;
  if (hit != NULL && g_utf8_pointer_to_offset (haystack, hit) > SNIPPET_LEAD)
    {
      /* Some words before the match, from the start of a word (Chinese has no spaces: from
       * wherever that is). */
      start = g_utf8_offset_to_pointer (hit, -(SNIPPET_LEAD / 2));
      for (const char *p = start; p < hit && *g_utf8_prev_char (start) != ' ';
           p = g_utf8_next_char (p))
        if (*p == ' ')
          {
            start = p + 1;
            break;
          }
      g_string_append (out, "…");
    }
  while (hit != NULL)
    {
      append_escaped (out, flat + (start - haystack), hit - start);
      g_string_append (out, "<b>");
      append_escaped (out, flat + (hit - haystack), needle_len);
      g_string_append (out, "</b>");
      start = hit + needle_len;
      hit = strstr (start, needle);
    }
  append_escaped (out, flat + (start - haystack), -1);
  return g_string_free (out, FALSE);
}

/* ---- who wrote it ---- */

char *
timchat_format_sender_prefix (TimMessage *message, const char *me)
{
  if (me != NULL && g_strcmp0 (tim_message_get_from (message), me) == 0)
    /* TRANSLATORS: before the user's own message in the conversation list or a search result,
     * as in "You: see you". */
    return g_strdup (_ ("You: "));
  if (tim_message_get_conversation_type (message) == TIM_CONV_GROUP &&
      tim_message_get_elem_type (message) != TIM_ELEM_GROUP_TIP)
    return g_strdup_printf ("%s: ", tim_message_get_sender_name (message));
  return g_strdup ("");
}

/* ---- links ---- */

/* Where a link ends: not at the punctuation after it ("see https://x.org.", "(https://x.org)"),
 * unless a bracket of its own ("https://en.wikipedia.org/wiki/Foo_(bar)"). */
static gsize
trim_link (const char *link, gsize length)
{
  while (length > 0)
    {
      char last = link[length - 1];
      guint opened = 0, closed = 0;

      if (strchr (".,;:!?'\"*", last) == NULL && last != ')' && last != ']')
        break;
      if (last == ')' || last == ']')
        {
          char open = last == ')' ? '(' : '[';

          for (gsize i = 0; i < length; i++)
            opened += link[i] == open, closed += link[i] == last;
          if (opened >= closed)
            break;
        }
      length--;
    }
  return length;
}

char *
timchat_link_markup (const char *text)
{
  static GRegex *links;
  g_autoptr (GMatchInfo) match = NULL;
  GString *out;
  const char *done;

  if (text == NULL || (strstr (text, "://") == NULL && strstr (text, "www.") == NULL))
    return NULL;
  if (g_once_init_enter (&links))
    {
      /* Not inside a word of Latin letters and digits ("xwww.a.org"); Chinese may run right up
       * to it (GRegex's \b counts Han characters as word characters). Up to white space, <, >
       * or a quote mark; CJK punctuation (U+3000 - U+303F, full-width forms) ends it too, as
       * Chinese text runs on after a link without a space. */
      GRegex *compiled = g_regex_new (
          "(?<![A-Za-z0-9_])(?:https?://|www\\.)[^\\s<>\"\\x{3000}-\\x{303F}\\x{FF00}-\\x{FFEF}]+",
          G_REGEX_OPTIMIZE | G_REGEX_CASELESS, 0, NULL);

      g_once_init_leave (&links, compiled);
    }
  if (!g_regex_match (links, text, 0, &match))
    return NULL;
  out = g_string_new (NULL);
  done = text;
  do
    {
      int start, end;
      gsize length;
      g_autofree char *link = NULL;
      g_autofree char *href = NULL;
      g_autofree char *escaped_href = NULL;

      g_match_info_fetch_pos (match, 0, &start, &end);
      length = trim_link (text + start, end - start);
      if (length == 0 || text + start < done)
        continue;
      link = g_strndup (text + start, length);
      href = g_ascii_strncasecmp (link, "www.", 4) == 0 ? g_strconcat ("http://", link, NULL)
                                                        : g_strdup (link);
      escaped_href = g_markup_escape_text (href, -1);
      append_escaped (out, done, text + start - done);
      g_string_append_printf (out, "<a href=\"%s\">", escaped_href);
      append_escaped (out, link, -1);
      g_string_append (out, "</a>");
      done = text + start + length;
    }
  while (g_match_info_next (match, NULL));
  append_escaped (out, done, -1);
  return g_string_free (out, FALSE);
}

const char *
timchat_format_person_name (TimClient *client, const char *user_id)
{
  g_autofree char *conversation_id = tim_conv_make_id (TIM_CONV_C2C, user_id);
  TimConversation *conversation =
      tim_conversation_list_lookup (tim_client_get_conversations (client), conversation_id);

  return conversation != NULL ? tim_conversation_get_name (conversation) : user_id;
}
