/* timchat-format.c: local-time formatting shared by the conversation and message rows. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <glib/gi18n.h>

#include "timchat-format.h"

/* Days between the local dates of then and now (0 = same day). */
static int
days_ago (GDateTime *then)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autoptr (GDate) a = g_date_new_dmy (g_date_time_get_day_of_month (then),
                                        g_date_time_get_month (then), g_date_time_get_year (then));
  g_autoptr (GDate) b = g_date_new_dmy (g_date_time_get_day_of_month (now),
                                        g_date_time_get_month (now), g_date_time_get_year (now));

  return g_date_days_between (a, b);
}

char *
timchat_format_clock (gint64 unix_time)
{
  g_autoptr (GDateTime) then = g_date_time_new_from_unix_local (unix_time);

  return then != NULL ? g_date_time_format (then, "%H:%M") : g_strdup ("");
}

char *
timchat_format_list_time (gint64 unix_time)
{
  g_autoptr (GDateTime) then = NULL;
  int days;

  if (unix_time <= 0 || (then = g_date_time_new_from_unix_local (unix_time)) == NULL)
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
  g_autoptr (GDateTime) then = g_date_time_new_from_unix_local (unix_time);
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
  g_autoptr (GDateTime) da = g_date_time_new_from_unix_local (a);
  g_autoptr (GDateTime) db = g_date_time_new_from_unix_local (b);

  return da != NULL && db != NULL && g_date_time_get_year (da) == g_date_time_get_year (db) &&
         g_date_time_get_day_of_year (da) == g_date_time_get_day_of_year (db);
}
