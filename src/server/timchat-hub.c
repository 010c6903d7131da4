/* timchat-hub.c: user ID -> live sessions. Only logged-in sessions are registered. */
#define G_LOG_DOMAIN "timchat-server"

#include "config.h"

#include "timchat-hub.h"
#include "timchat-session.h"

struct _TimchatHub
{
  GObject parent_instance;

  GHashTable *
      sessions_by_user; /* user -> GPtrArray of TimchatSession (weak: sessions remove themselves) */
  guint n_sessions;
};

G_DEFINE_FINAL_TYPE (TimchatHub, timchat_hub, G_TYPE_OBJECT)

static void
timchat_hub_finalize (GObject *object)
{
  TimchatHub *self = TIMCHAT_HUB (object);

  g_clear_pointer (&self->sessions_by_user, g_hash_table_unref);
  G_OBJECT_CLASS (timchat_hub_parent_class)->finalize (object);
}

static void
timchat_hub_class_init (TimchatHubClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = timchat_hub_finalize;
}

static void
timchat_hub_init (TimchatHub *self)
{
  self->sessions_by_user =
      g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
}

TimchatHub *
timchat_hub_new (void)
{
  return g_object_new (TIMCHAT_TYPE_HUB, NULL);
}

void
timchat_hub_add (TimchatHub *self, TimchatSession *session)
{
  const char *user = timchat_session_get_user (session);
  GPtrArray *list = g_hash_table_lookup (self->sessions_by_user, user);

  if (list == NULL)
    {
      list = g_ptr_array_new ();
      g_hash_table_insert (self->sessions_by_user, g_strdup (user), list);
    }
  if (!g_ptr_array_find (list, session, NULL))
    {
      g_ptr_array_add (list, session);
      self->n_sessions++;
    }
}

void
timchat_hub_remove (TimchatHub *self, TimchatSession *session)
{
  const char *user = timchat_session_get_user (session);
  GPtrArray *list;

  if (user == NULL || (list = g_hash_table_lookup (self->sessions_by_user, user)) == NULL)
    return;
  if (g_ptr_array_remove_fast (list, session))
    self->n_sessions--;
  if (list->len == 0)
    g_hash_table_remove (self->sessions_by_user, user);
}

guint
timchat_hub_push (TimchatHub *self, const char *user, const char *servcmd, JsonObject *body,
                  TimchatSession *except)
{
  GPtrArray *list = g_hash_table_lookup (self->sessions_by_user, user);
  guint sent = 0;

  if (list == NULL)
    return 0;
  for (guint i = 0; i < list->len; i++)
    {
      TimchatSession *session = list->pdata[i];

      if (session == except)
        continue;
      timchat_session_push (session, servcmd, body);
      sent++;
    }
  return sent;
}

gboolean
timchat_hub_is_online (TimchatHub *self, const char *user)
{
  return g_hash_table_contains (self->sessions_by_user, user);
}

GPtrArray *
timchat_hub_get_sessions (TimchatHub *self, const char *user)
{
  GPtrArray *list = g_hash_table_lookup (self->sessions_by_user, user);

  return list != NULL ? g_ptr_array_copy (list, NULL, NULL) : g_ptr_array_new ();
}

GPtrArray *
timchat_hub_get_all (TimchatHub *self)
{
  GPtrArray *all = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->sessions_by_user);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_extend (all, value, NULL, NULL);
  return all;
}

guint
timchat_hub_get_n_sessions (TimchatHub *self)
{
  return self->n_sessions;
}
