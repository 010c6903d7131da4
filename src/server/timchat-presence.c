/* timchat-presence.c: online status from the hub's sessions, custom statuses, and followers. */
#define G_LOG_DOMAIN "timchat-server"

#include "config.h"

#include <string.h>

#include "timchat-presence.h"

/* The push's Event: ours (the vendor's is not recorded; the SDK goes by the UserStatusList key). */
#define EVENT_USER_STATUS 20

struct _TimchatPresence
{
  GObject parent_instance;

  TimchatHub *hub;         /* a ref */
  GHashTable *last_status; /* user -> TimUserStatus since their last session went */
  GHashTable *custom;      /* user -> custom status ("" cleared) set since they came online */
  GHashTable *followers;   /* target -> set of followers */
  GHashTable *followed;    /* follower -> set of targets */
};

G_DEFINE_FINAL_TYPE (TimchatPresence, timchat_presence, G_TYPE_OBJECT)

static GHashTable *
new_set (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

JsonObject *
timchat_presence_status_json (TimchatPresence *self, const char *user)
{
  const char *custom = timchat_presence_get_custom_status (self, user);
  /* The SDK sends it as text and reads it as base64 (its own decoder, then UTF-8). */
  g_autofree char *encoded = g_base64_encode ((const guchar *) custom, strlen (custom));
  JsonObject *item = json_object_new ();

  json_object_set_string_member (item, "To_Account", user);
  json_object_set_int_member (item, "Status", timchat_presence_get_status (self, user));
  json_object_set_string_member (item, "CustomStatus", encoded);
  /* Ours: whether a device of the user set one (perhaps "", cleared) since they came online, so
   * that a device coming back takes a cleared status rather than set its old one again. */
  json_object_set_int_member (item, "CustomStatusSet",
                              g_hash_table_contains (self->custom, user) ? 1 : 0);
  return item;
}

/* To user's followers, and for a custom status to user's own sessions too (their other devices
 * show it; coming online or going, the user has no other session to tell). */
static void
tell (TimchatPresence *self, const char *user, gboolean to_self)
{
  GHashTable *followers = g_hash_table_lookup (self->followers, user);
  g_autoptr (GPtrArray) users = g_ptr_array_new ();
  g_autoptr (JsonObject) body = NULL;
  JsonArray *events, *items;
  JsonObject *entry;
  GHashTableIter iter;
  gpointer follower;

  if (to_self)
    g_ptr_array_add (users, (gpointer) user);
  if (followers != NULL)
    {
      g_hash_table_iter_init (&iter, followers);
      while (g_hash_table_iter_next (&iter, &follower, NULL))
        if (!g_str_equal (follower, user))
          g_ptr_array_add (users, follower);
    }
  if (users->len == 0)
    return;
  items = json_array_new ();
  json_array_add_object_element (items, timchat_presence_status_json (self, user));
  entry = json_object_new ();
  json_object_set_int_member (entry, "Event", EVENT_USER_STATUS);
  json_object_set_array_member (entry, "UserStatusList", items);
  events = json_array_new ();
  json_array_add_object_element (events, entry);
  body = json_object_new ();
  json_object_set_array_member (body, "EventArray", events);
  timchat_hub_push_many (self->hub, (const char *const *) users->pdata, users->len,
                         TIMCHAT_PUSH_SERVCMD, body, NULL);
}

static void
on_status_changed (TimchatHub *hub, const char *user, int status, TimchatPresence *self)
{
  if (status == TIM_USER_STATUS_ONLINE)
    g_hash_table_remove (self->last_status, user);
  else
    {
      g_hash_table_insert (self->last_status, g_strdup (user), GINT_TO_POINTER (status));
      g_hash_table_remove (self->custom, user);
    }
  tell (self, user, FALSE);
  /* Logged out: whom they followed is forgotten with the login. */
  if (status == TIM_USER_STATUS_UNLOGINED)
    timchat_presence_unfollow (self, user, NULL);
}

static void
timchat_presence_dispose (GObject *object)
{
  TimchatPresence *self = TIMCHAT_PRESENCE (object);

  if (self->hub != NULL)
    g_signal_handlers_disconnect_by_data (self->hub, self);
  g_clear_object (&self->hub);
  G_OBJECT_CLASS (timchat_presence_parent_class)->dispose (object);
}

static void
timchat_presence_finalize (GObject *object)
{
  TimchatPresence *self = TIMCHAT_PRESENCE (object);

  g_clear_pointer (&self->last_status, g_hash_table_unref);
  g_clear_pointer (&self->custom, g_hash_table_unref);
  g_clear_pointer (&self->followers, g_hash_table_unref);
  g_clear_pointer (&self->followed, g_hash_table_unref);
  G_OBJECT_CLASS (timchat_presence_parent_class)->finalize (object);
}

static void
timchat_presence_class_init (TimchatPresenceClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = timchat_presence_dispose;
  G_OBJECT_CLASS (klass)->finalize = timchat_presence_finalize;
}

static void
timchat_presence_init (TimchatPresence *self)
{
  self->last_status = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->custom = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->followers =
      g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_hash_table_unref);
  self->followed =
      g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_hash_table_unref);
}

TimchatPresence *
timchat_presence_new (TimchatHub *hub)
{
  TimchatPresence *self = g_object_new (TIMCHAT_TYPE_PRESENCE, NULL);

  self->hub = g_object_ref (hub);
  g_signal_connect (hub, "status-changed", G_CALLBACK (on_status_changed), self);
  return self;
}

TimUserStatus
timchat_presence_get_status (TimchatPresence *self, const char *user)
{
  gpointer last;

  if (timchat_hub_has_sessions (self->hub, user, NULL))
    return TIM_USER_STATUS_ONLINE;
  last = g_hash_table_lookup (self->last_status, user);
  return last != NULL ? GPOINTER_TO_INT (last) : TIM_USER_STATUS_UNLOGINED;
}

const char *
timchat_presence_get_custom_status (TimchatPresence *self, const char *user)
{
  const char *custom = g_hash_table_lookup (self->custom, user);

  return custom != NULL ? custom : "";
}

void
timchat_presence_set_custom_status (TimchatPresence *self, const char *user,
                                    const char *custom_status)
{
  gboolean changed;

  if (custom_status == NULL)
    custom_status = "";
  if (timchat_presence_get_status (self, user) != TIM_USER_STATUS_ONLINE)
    return;
  /* Kept even when "": cleared is not the same as never set (CustomStatusSet). */
  changed = !g_str_equal (custom_status, timchat_presence_get_custom_status (self, user));
  g_hash_table_insert (self->custom, g_strdup (user), g_strdup (custom_status));
  if (changed)
    tell (self, user, TRUE);
}

static GHashTable *
set_for (GHashTable *sets, const char *key)
{
  GHashTable *set = g_hash_table_lookup (sets, key);

  if (set == NULL)
    {
      set = new_set ();
      g_hash_table_insert (sets, g_strdup (key), set);
    }
  return set;
}

gboolean
timchat_presence_follow (TimchatPresence *self, const char *follower, const char *target)
{
  GHashTable *targets = set_for (self->followed, follower);

  if (g_hash_table_contains (targets, target))
    return TRUE;
  if (g_hash_table_size (targets) >= TIMCHAT_PRESENCE_MAX_FOLLOWED)
    return FALSE;
  g_hash_table_add (targets, g_strdup (target));
  g_hash_table_add (set_for (self->followers, target), g_strdup (follower));
  return TRUE;
}

static void
drop_follower (TimchatPresence *self, const char *follower, const char *target)
{
  GHashTable *followers = g_hash_table_lookup (self->followers, target);

  if (followers != NULL && g_hash_table_remove (followers, follower) &&
      g_hash_table_size (followers) == 0)
    g_hash_table_remove (self->followers, target);
}

void
timchat_presence_unfollow (TimchatPresence *self, const char *follower, const char *target)
{
  GHashTable *targets = g_hash_table_lookup (self->followed, follower);
  GHashTableIter iter;
  gpointer each;

  if (targets == NULL)
    return;
  if (target != NULL)
    {
      if (g_hash_table_remove (targets, target))
        drop_follower (self, follower, target);
    }
  else
    {
      g_hash_table_iter_init (&iter, targets);
      while (g_hash_table_iter_next (&iter, &each, NULL))
        drop_follower (self, follower, each);
      g_hash_table_remove_all (targets);
    }
  if (g_hash_table_size (targets) == 0)
    g_hash_table_remove (self->followed, follower);
}

void
timchat_presence_forget (TimchatPresence *self, const char *user)
{
  /* Being away keeps one's following (the user comes back to it); being deleted does not: it
   * would reach whoever is given the ID next. */
  timchat_presence_unfollow (self, user, NULL);
  g_hash_table_remove (self->last_status, user);
  g_hash_table_remove (self->custom, user);
}
