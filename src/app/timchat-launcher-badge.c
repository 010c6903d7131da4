/* timchat-launcher-badge.c: the unread count on TimChat's icon, through the Unity LauncherEntry
 * API that Ubuntu's dock, Dash to Dock and KDE Plasma's task manager read (GNOME Shell's own dash
 * shows no counts): the signal com.canonical.Unity.LauncherEntry.Update on the session bus when
 * the count changes, and its Query method for a dock that starts later. The count is libtim's
 * total unread (the SDK's getTotalUnreadMessageCount: muted conversations and the group notices
 * left out), plus one for each conversation marked unread with nothing unread in it; at 0 there
 * is no badge. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include "timchat-launcher-badge.h"

#define INTERFACE "com.canonical.Unity.LauncherEntry"

struct _TimchatLauncherBadge
{
  GObject parent_instance;

  GDBusConnection *bus;
  char *app_uri; /* "application://org.example.TimChat.desktop" */
  char *object_path;
  guint registration;
  TimConversationList *conversations;
  guint count;
};

G_DEFINE_FINAL_TYPE (TimchatLauncherBadge, timchat_launcher_badge, G_TYPE_OBJECT)

static const char introspection_xml[] =
    "<node><interface name='" INTERFACE "'>"
    "<method name='Query'><arg type='s' name='app_uri' direction='out'/>"
    "<arg type='a{sv}' name='properties' direction='out'/></method>"
    "<signal name='Update'><arg type='s' name='app_uri'/><arg type='a{sv}' name='properties'/>"
    "</signal></interface></node>";

static GVariant *
dup_properties (TimchatLauncherBadge *self)
{
  GVariantBuilder properties;

  g_variant_builder_init (&properties, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&properties, "{sv}", "count", g_variant_new_int64 (self->count));
  g_variant_builder_add (&properties, "{sv}", "count-visible",
                         g_variant_new_boolean (self->count > 0));
  return g_variant_builder_end (&properties);
}

static void
emit_update (TimchatLauncherBadge *self)
{
  g_autoptr (GError) error = NULL;

  if (!g_dbus_connection_emit_signal (
          self->bus, NULL, self->object_path, INTERFACE, "Update",
          g_variant_new ("(s@a{sv})", self->app_uri, dup_properties (self)), &error))
    g_debug ("No launcher badge: %s", error->message);
}

static void
set_count (TimchatLauncherBadge *self, guint count)
{
  if (self->count == count)
    return;
  self->count = count;
  emit_update (self);
}

/* Unread messages, and one for each conversation marked unread without any (as Telegram and
 * WeChat count what the user asked to come back to). */
static guint
count_of (TimConversationList *conversations)
{
  return tim_conversation_list_get_total_unread (conversations) +
         tim_conversation_list_get_marked_unread (conversations);
}

static void
on_total_unread (TimConversationList *conversations, GParamSpec *pspec, TimchatLauncherBadge *self)
{
  set_count (self, count_of (conversations));
}

static void
on_method_call (GDBusConnection *bus, const char *sender, const char *object_path,
                const char *interface_name, const char *method_name, GVariant *parameters,
                GDBusMethodInvocation *invocation, gpointer user_data)
{
  TimchatLauncherBadge *self = user_data;

  g_dbus_method_invocation_return_value (
      invocation, g_variant_new ("(s@a{sv})", self->app_uri, dup_properties (self)));
}

static const GDBusInterfaceVTable vtable = { on_method_call, NULL, NULL, { 0 } };

static void
timchat_launcher_badge_dispose (GObject *object)
{
  TimchatLauncherBadge *self = TIMCHAT_LAUNCHER_BADGE (object);

  if (self->conversations != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->conversations, self);
      g_clear_object (&self->conversations);
      set_count (self, 0);
    }
  if (self->registration != 0)
    g_dbus_connection_unregister_object (self->bus, self->registration);
  self->registration = 0;
  g_clear_object (&self->bus);
  G_OBJECT_CLASS (timchat_launcher_badge_parent_class)->dispose (object);
}

static void
timchat_launcher_badge_finalize (GObject *object)
{
  TimchatLauncherBadge *self = TIMCHAT_LAUNCHER_BADGE (object);

  g_free (self->app_uri);
  g_free (self->object_path);
  G_OBJECT_CLASS (timchat_launcher_badge_parent_class)->finalize (object);
}

static void
timchat_launcher_badge_class_init (TimchatLauncherBadgeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = timchat_launcher_badge_dispose;
  object_class->finalize = timchat_launcher_badge_finalize;
}

static void
timchat_launcher_badge_init (TimchatLauncherBadge *self)
{
}

TimchatLauncherBadge *
timchat_launcher_badge_new (GDBusConnection *bus, const char *desktop_id,
                            TimConversationList *conversations)
{
  g_autoptr (GDBusNodeInfo) node = g_dbus_node_info_new_for_xml (introspection_xml, NULL);
  g_autoptr (GError) error = NULL;
  TimchatLauncherBadge *self;

  g_return_val_if_fail (G_IS_DBUS_CONNECTION (bus), NULL);
  g_return_val_if_fail (desktop_id != NULL, NULL);
  g_return_val_if_fail (TIM_IS_CONVERSATION_LIST (conversations), NULL);

  self = g_object_new (TIMCHAT_TYPE_LAUNCHER_BADGE, NULL);
  self->bus = g_object_ref (bus);
  self->app_uri = g_strconcat ("application://", desktop_id, NULL);
  /* libunity's path: one object per application (the hash of its URI). */
  self->object_path =
      g_strdup_printf ("/com/canonical/unity/launcherentry/%u", g_str_hash (self->app_uri));
  self->registration = g_dbus_connection_register_object (
      bus, self->object_path, node->interfaces[0], &vtable, self, NULL, &error);
  /* Another badge of this process has the path: the signals still go out. */
  if (self->registration == 0)
    g_debug ("No launcher entry to query: %s", error->message);
  self->conversations = g_object_ref (conversations);
  g_signal_connect (conversations, "notify::total-unread", G_CALLBACK (on_total_unread), self);
  g_signal_connect (conversations, "notify::marked-unread", G_CALLBACK (on_total_unread), self);
  self->count = count_of (conversations);
  if (self->count > 0)
    emit_update (self);
  return self;
}
