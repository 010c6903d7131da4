/* timchat-hub.c: user ID -> live sessions. Only logged-in sessions are registered. */
#define G_LOG_DOMAIN "timchat-server"

#include "config.h"

#include "tim-frame.h"
#include "timchat-hub.h"
#include "timchat-session.h"

struct _TimchatHub
{
  GObject parent_instance;

  /* user -> GPtrArray of TimchatSession (weak: sessions remove themselves) */
  GHashTable *sessions_by_user;
  TimchatStore *store; /* unowned: the server owns both */
  gint64 push_seq;     /* one counter for all pushes, so a frame is encoded once */
  /* held->len at each timchat_hub_hold_pushes () not yet released, innermost last */
  GArray *hold_marks;
  GPtrArray *held; /* PendingPush, in order, while a hold lasts */
};

G_DEFINE_FINAL_TYPE (TimchatHub, timchat_hub, G_TYPE_OBJECT)

enum
{
  SIGNAL_STATUS_CHANGED,
  N_SIGNALS,
};

static guint signals[N_SIGNALS];

static void
timchat_hub_finalize (GObject *object)
{
  TimchatHub *self = TIMCHAT_HUB (object);

  g_clear_pointer (&self->sessions_by_user, g_hash_table_unref);
  g_clear_pointer (&self->held, g_ptr_array_unref);
  g_clear_pointer (&self->hold_marks, g_array_unref);
  G_OBJECT_CLASS (timchat_hub_parent_class)->finalize (object);
}

static void
timchat_hub_class_init (TimchatHubClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = timchat_hub_finalize;

  /* A user's first session logged in (TIM_USER_STATUS_ONLINE), or their last one went: closed
   * (TIM_USER_STATUS_OFFLINE) or logged out (TIM_USER_STATUS_UNLOGINED). */
  signals[SIGNAL_STATUS_CHANGED] =
      g_signal_new ("status-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                    NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_INT);
}

static void
timchat_hub_init (TimchatHub *self)
{
  self->sessions_by_user =
      g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
  self->held = g_ptr_array_new ();
  self->hold_marks = g_array_new (FALSE, FALSE, sizeof (guint));
}

TimchatHub *
timchat_hub_new (TimchatStore *store)
{
  TimchatHub *self = g_object_new (TIMCHAT_TYPE_HUB, NULL);

  self->store = store;
  return self;
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
  if (g_ptr_array_find (list, session, NULL))
    return;
  g_ptr_array_add (list, session);
  if (list->len == 1)
    g_signal_emit (self, signals[SIGNAL_STATUS_CHANGED], 0, user, TIM_USER_STATUS_ONLINE);
}

static void
remove_session (TimchatHub *self, TimchatSession *session, TimUserStatus status_after)
{
  g_autofree char *user = g_strdup (timchat_session_get_user (session));
  GPtrArray *list;

  if (user == NULL || (list = g_hash_table_lookup (self->sessions_by_user, user)) == NULL ||
      !g_ptr_array_remove_fast (list, session))
    return;
  if (list->len > 0)
    return;
  g_hash_table_remove (self->sessions_by_user, user);
  g_signal_emit (self, signals[SIGNAL_STATUS_CHANGED], 0, user, status_after);
}

void
timchat_hub_remove (TimchatHub *self, TimchatSession *session)
{
  remove_session (self, session, TIM_USER_STATUS_OFFLINE);
}

void
timchat_hub_logout (TimchatHub *self, TimchatSession *session)
{
  remove_session (self, session, TIM_USER_STATUS_UNLOGINED);
}

typedef struct
{
  GPtrArray *sessions; /* owned references */
  GBytes *frame;
} PendingPush;

static void
deliver (gboolean committed, gpointer user_data)
{
  PendingPush *push = user_data;

  if (committed)
    for (guint i = 0; i < push->sessions->len; i++)
      timchat_session_send_frame (push->sessions->pdata[i], push->frame);
  g_ptr_array_unref (push->sessions);
  g_bytes_unref (push->frame);
  g_free (push);
}

/* (transfer full) (nullable): the sessions of users but except; NULL if there are none. */
static GPtrArray *
collect_sessions (TimchatHub *self, const char *const *users, guint n_users, TimchatSession *except)
{
  GPtrArray *sessions = NULL;

  for (guint u = 0; u < n_users; u++)
    {
      GPtrArray *list = g_hash_table_lookup (self->sessions_by_user, users[u]);

      for (guint i = 0; list != NULL && i < list->len; i++)
        if (list->pdata[i] != except)
          {
            if (sessions == NULL)
              sessions = g_ptr_array_new_with_free_func (g_object_unref);
            g_ptr_array_add (sessions, g_object_ref (list->pdata[i]));
          }
    }
  return sessions;
}

static guint
queue_push (TimchatHub *self, GPtrArray *sessions, GBytes *frame)
{
  PendingPush *push = g_new0 (PendingPush, 1);
  guint sent = sessions->len;

  push->sessions = sessions;
  push->frame = frame;
  if (self->hold_marks->len > 0)
    g_ptr_array_add (self->held, push);
  else
    timchat_store_after_commit (self->store, deliver, push);
  return sent;
}

void
timchat_hub_hold_pushes (TimchatHub *self)
{
  g_array_append_val (self->hold_marks, self->held->len);
}

void
timchat_hub_drop_held_pushes (TimchatHub *self)
{
  guint mark;

  g_return_if_fail (self->hold_marks->len > 0);
  mark = g_array_index (self->hold_marks, guint, self->hold_marks->len - 1);
  /* Delivered with FALSE, a push is freed unsent. */
  for (guint i = mark; i < self->held->len; i++)
    deliver (FALSE, self->held->pdata[i]);
  g_ptr_array_set_size (self->held, mark);
}

void
timchat_hub_release_pushes (TimchatHub *self)
{
  g_return_if_fail (self->hold_marks->len > 0);
  g_array_set_size (self->hold_marks, self->hold_marks->len - 1);
  if (self->hold_marks->len > 0)
    return;
  /* Each still waits for the commit of what it tells (delivered with FALSE, it is dropped). */
  for (guint i = 0; i < self->held->len; i++)
    timchat_store_after_commit (self->store, deliver, self->held->pdata[i]);
  g_ptr_array_set_size (self->held, 0);
}

guint
timchat_hub_push_many (TimchatHub *self, const char *const *users, guint n_users,
                       const char *servcmd, JsonObject *body, TimchatSession *except)
{
  GPtrArray *sessions = collect_sessions (self, users, n_users, except);
  g_autoptr (TimFrame) frame = NULL;

  if (sessions == NULL)
    return 0;
  /* Encoded once for every socket that gets it. */
  frame = tim_frame_new (servcmd, ++self->push_seq, body);
  return queue_push (self, sessions, tim_frame_to_bytes (frame));
}

gboolean
timchat_hub_has_sessions (TimchatHub *self, const char *user, TimchatSession *except)
{
  GPtrArray *list = g_hash_table_lookup (self->sessions_by_user, user);

  return list != NULL && (list->len > 1 || (list->len == 1 && list->pdata[0] != except));
}

guint
timchat_hub_push_json (TimchatHub *self, const char *user, const char *servcmd,
                       const char *body_json, TimchatSession *except)
{
  GPtrArray *sessions = collect_sessions (self, &user, 1, except);

  if (sessions == NULL)
    return 0;
  return queue_push (self, sessions,
                     tim_frame_bytes_from_json (servcmd, ++self->push_seq, body_json));
}

guint
timchat_hub_push (TimchatHub *self, const char *user, const char *servcmd, JsonObject *body,
                  TimchatSession *except)
{
  return timchat_hub_push_many (self, &user, 1, servcmd, body, except);
}

GPtrArray *
timchat_hub_get_sessions (TimchatHub *self, const char *user)
{
  GPtrArray *list = g_hash_table_lookup (self->sessions_by_user, user);

  return list != NULL ? g_ptr_array_copy (list, NULL, NULL) : g_ptr_array_new ();
}
