/* test-app-notifications-common.c: the notification daemon as the notification tests see it:
 * what it shows, what it keeps in its history, the buttons the app asked it for, and an action
 * activated the way a notification server does it. */
#define G_LOG_DOMAIN "test-app-notifications-common"

#include "config.h"

#include "test-app-notifications-common.h"
#include "tim-test-util.h"

GVariant *
daemon_call (GDBusConnection *bus, const char *method, GVariant *args, const char *reply_type)
{
  g_autoptr (GError) error = NULL;
  GVariant *reply = g_dbus_connection_call_sync (bus, DAEMON_NAME, DAEMON_PATH, DUNST_INTERFACE,
                                                 method, args, G_VARIANT_TYPE (reply_type),
                                                 G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);

  g_assert_no_error (error);
  return reply;
}

guint
displayed (GDBusConnection *bus)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) reply = g_dbus_connection_call_sync (
      bus, DAEMON_NAME, DAEMON_PATH, "org.freedesktop.DBus.Properties", "Get",
      g_variant_new ("(ss)", DUNST_INTERFACE, "displayedLength"), G_VARIANT_TYPE ("(v)"),
      G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_autoptr (GVariant) value = NULL;

  g_assert_no_error (error);
  g_variant_get (reply, "(v)", &value);
  return g_variant_get_uint32 (value);
}

typedef struct
{
  GDBusConnection *bus;
  guint want;
} Displayed;

static gboolean
displays (gpointer data)
{
  Displayed *d = data;

  return displayed (d->bus) == d->want;
}

void
wait_displayed_at (GDBusConnection *bus, guint want, int line)
{
  Displayed d = { bus, want };

  if (!tim_test_wait_until (displays, &d, 10000))
    g_error ("line %d: dunst shows %u notifications, not %u", line, displayed (bus), want);
}

GPtrArray *
history (GDBusConnection *bus)
{
  g_autoptr (GVariant) reply = daemon_call (bus, "NotificationListHistory", NULL, "(aa{sv})");
  g_autoptr (GVariantIter) iter = NULL;
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
  GVariant *entry;

  g_variant_get (reply, "(aa{sv})", &iter);
  while ((entry = g_variant_iter_next_value (iter)) != NULL)
    {
      const char *summary = "", *body = "";

      g_variant_lookup (entry, "summary", "&s", &summary);
      g_variant_lookup (entry, "body", "&s", &body);
      g_ptr_array_add (lines, g_strdup_printf ("%s: %s", summary, body));
      g_variant_unref (entry);
    }
  return lines;
}

gboolean
shows_line (gpointer data)
{
  Line *l = data;
  g_autoptr (GPtrArray) lines = NULL;

  g_variant_unref (daemon_call (l->bus, "NotificationCloseAll", NULL, "()"));
  lines = history (l->bus);
  return g_ptr_array_find_with_equal_func (lines, l->line, g_str_equal, NULL);
}

/* Written by GDBus's worker thread, which runs the filter. */
static GMutex buttons_lock;
static char *last_button;

/* Notify's actions are pairs of key and label: "default" for the notification's own action, a
 * detailed action name for each button. */
static GDBusMessage *
on_message (GDBusConnection *bus, GDBusMessage *message, gboolean incoming, gpointer user_data)
{
  GVariant *body = g_dbus_message_get_body (message);
  g_autoptr (GVariant) actions = NULL;

  if (incoming || g_dbus_message_get_message_type (message) != G_DBUS_MESSAGE_TYPE_METHOD_CALL ||
      g_strcmp0 (g_dbus_message_get_interface (message), DAEMON_NAME) != 0 ||
      g_strcmp0 (g_dbus_message_get_member (message), "Notify") != 0 || body == NULL ||
      !g_variant_is_of_type (body, G_VARIANT_TYPE ("(susssasa{sv}i)")))
    return message;
  actions = g_variant_get_child_value (body, 5);
  for (gsize i = 0; i + 1 < g_variant_n_children (actions); i += 2)
    {
      const char *key = NULL;

      g_variant_get_child (actions, i, "&s", &key);
      if (g_str_equal (key, "default"))
        continue;
      g_mutex_lock (&buttons_lock);
      g_free (last_button);
      last_button = g_strdup (key);
      g_mutex_unlock (&buttons_lock);
    }
  return message;
}

guint
watch_buttons (GDBusConnection *bus)
{
  return g_dbus_connection_add_filter (bus, on_message, NULL, NULL);
}

char *
dup_last_button (void)
{
  char *button;

  g_mutex_lock (&buttons_lock);
  button = g_strdup (last_button);
  g_mutex_unlock (&buttons_lock);
  return button;
}

void
activate_over_bus (GDBusConnection *bus, GApplication *application, const char *action,
                   GVariant *target)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) done = NULL;
  g_autoptr (GVariant) reply = NULL;
  GVariantBuilder parameter;

  g_variant_builder_init (&parameter, G_VARIANT_TYPE ("av"));
  if (target != NULL)
    g_variant_builder_add (&parameter, "v", target);
  /* Asynchronous: the application answers from this thread's main context. */
  g_dbus_connection_call (bus, g_application_get_application_id (application),
                          g_application_get_dbus_object_path (application), "org.gtk.Actions",
                          "Activate", g_variant_new ("(sava{sv})", action, &parameter, NULL),
                          G_VARIANT_TYPE ("()"), G_DBUS_CALL_FLAGS_NONE, -1, NULL,
                          tim_test_keep_result, &done);
  reply = g_dbus_connection_call_finish (bus, tim_test_wait_result (&done), &error);
  g_assert_no_error (error);
}
