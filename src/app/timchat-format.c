/* timchat-format.c: local-time formatting shared by the conversation and message rows. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <glib/gi18n.h>

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

char *
timchat_format_list_time (gint64 unix_time)
{
  g_autoptr (GDateTime) then = NULL;
  int days;

  if (unix_time <= 0 || (then = local_time (unix_time)) == NULL)
    return g_strdup ("");
  days = days_ago (then);
  if (days <= 0)
    return g_date_time_format (then, "%H:%M");
  if (days < 7)
    return g_date_time_format (then, "%a");
  return g_date_time_format (then, "%x");
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

  /* Translators: upload/download progress, "1.2 MB of 5.0 MB" */
  return g_strdup_printf (_ ("%s of %s"), a, b);
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
