/* test-app-notifications-common.h: the notification daemon (dunst, on the test's own session
 * bus) as the notification tests (tests/test-app-notifications*.c) see it, kept once in
 * test-app-notifications-common.c. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define DAEMON_NAME "org.freedesktop.Notifications"
#define DAEMON_PATH "/org/freedesktop/Notifications"
#define DUNST_INTERFACE "org.dunstproject.cmd0"

/* Calls dunst's method (on its own interface) and asserts it answered. */
GVariant *daemon_call (GDBusConnection *bus, const char *method, GVariant *args,
                       const char *reply_type);
/* How many notifications the daemon shows now. */
guint displayed (GDBusConnection *bus);
/* Waits until dunst shows `want` notifications; a failure names the caller's line. */
#define wait_displayed(b, w) wait_displayed_at (b, w, __LINE__)
void wait_displayed_at (GDBusConnection *bus, guint want, int line);
/* "summary: body" of each closed notification, newest first. */
GPtrArray *history (GDBusConnection *bus);

typedef struct
{
  GDBusConnection *bus;
  const char *line;
} Line;

/* For tim_test_wait_until: closes what is displayed and looks for line in the history. */
gboolean shows_line (gpointer data);

/* Keeps the button of each notification the process sends through bus, as the daemon gets it
 * (GLib names a button by its action's detailed name, g_action_print_detailed_name ()); until
 * the returned id goes to g_dbus_connection_remove_filter (). */
guint watch_buttons (GDBusConnection *bus);
/* The last notification's button, as watched: (transfer full) */
char *dup_last_button (void);
/* Activates application's action with target over the bus, through org.gtk.Actions as a
 * notification server does (GNOME Shell's, for one the application sent before). */
void activate_over_bus (GDBusConnection *bus, GApplication *application, const char *action,
                        GVariant *target);

G_END_DECLS
