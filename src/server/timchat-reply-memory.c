/* timchat-reply-memory.c: answers kept by (ticket, servcmd, seq) for a short while, oldest out
 * first. */
#define G_LOG_DOMAIN "timchat-server"

#include "config.h"

#include <string.h>

#include "timchat-reply-memory.h"

/* The SDK gives a request 15 s before it fails it (tim-sdk-facts.md §9.3), and sends it again
 * only while it waits: past twice that, nobody asks again. */
#define KEEP_US (30 * G_USEC_PER_SEC)
/* An answer this big is a read (a history or list page), which a resend may just as well read
 * again: not worth the memory. What a write answers is far smaller. */
#define MAX_REPLY_BYTES (8 * 1024)
/* All answers kept, together: past this the oldest go first (a flood of requests then only
 * costs the others their second answer, which is how it was before). */
#define MAX_TOTAL_BYTES (32 * 1024 * 1024)

typedef struct
{
  char *key; /* owned here; the table's key is the same string */
  GBytes *reply;
  gint64 at_us;
  GList link; /* in oldest_first; data is this Kept */
  gsize cost; /* bytes it holds, the answer and the bookkeeping */
} Kept;

struct _TimchatReplyMemory
{
  GObject parent_instance;

  GHashTable *by_key;  /* key -> Kept (owned by the queue) */
  GQueue oldest_first; /* of Kept, by their own link */
  gsize total_bytes;   /* the cost of them all */
};

G_DEFINE_FINAL_TYPE (TimchatReplyMemory, timchat_reply_memory, G_TYPE_OBJECT)

static void
kept_free (Kept *kept)
{
  g_free (kept->key);
  g_bytes_unref (kept->reply);
  g_free (kept);
}

/* The ticket is random text without control characters; the separator cannot occur in it. */
static char *
make_key (const char *a2, const char *servcmd, gint64 seq)
{
  return g_strdup_printf ("%s\n%s\n%" G_GINT64_FORMAT, a2, servcmd, seq);
}

static void
drop (TimchatReplyMemory *self, Kept *kept)
{
  g_hash_table_remove (self->by_key, kept->key);
  g_queue_unlink (&self->oldest_first, &kept->link);
  self->total_bytes -= kept->cost;
  kept_free (kept);
}

static void
drop_expired (TimchatReplyMemory *self, gint64 now_us)
{
  Kept *oldest;

  while ((oldest = g_queue_peek_head (&self->oldest_first)) != NULL &&
         (now_us - oldest->at_us > KEEP_US || self->total_bytes > MAX_TOTAL_BYTES))
    drop (self, oldest);
}

static void
timchat_reply_memory_finalize (GObject *object)
{
  TimchatReplyMemory *self = TIMCHAT_REPLY_MEMORY (object);

  while (!g_queue_is_empty (&self->oldest_first))
    drop (self, g_queue_peek_head (&self->oldest_first));
  g_hash_table_unref (self->by_key);
  G_OBJECT_CLASS (timchat_reply_memory_parent_class)->finalize (object);
}

static void
timchat_reply_memory_class_init (TimchatReplyMemoryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = timchat_reply_memory_finalize;
}

static void
timchat_reply_memory_init (TimchatReplyMemory *self)
{
  self->by_key = g_hash_table_new (g_str_hash, g_str_equal);
  g_queue_init (&self->oldest_first);
}

TimchatReplyMemory *
timchat_reply_memory_new (void)
{
  return g_object_new (TIMCHAT_TYPE_REPLY_MEMORY, NULL);
}

void
timchat_reply_memory_remember (TimchatReplyMemory *self, const char *a2, const char *servcmd,
                               gint64 seq, GBytes *reply)
{
  gint64 now_us = g_get_monotonic_time ();
  Kept *kept;

  g_return_if_fail (TIMCHAT_IS_REPLY_MEMORY (self));

  drop_expired (self, now_us);
  if (a2 == NULL || servcmd == NULL || g_bytes_get_size (reply) > MAX_REPLY_BYTES)
    return;
  kept = g_new0 (Kept, 1);
  kept->key = make_key (a2, servcmd, seq);
  kept->reply = g_bytes_ref (reply);
  kept->at_us = now_us;
  kept->link.data = kept;
  /* 64: about what the hash table's slot and the GBytes take besides. */
  kept->cost = g_bytes_get_size (reply) + strlen (kept->key) + sizeof (Kept) + 64;
  /* The same request answered again is kept once, as new. */
  if (g_hash_table_contains (self->by_key, kept->key))
    drop (self, g_hash_table_lookup (self->by_key, kept->key));
  g_hash_table_insert (self->by_key, kept->key, kept);
  g_queue_push_tail_link (&self->oldest_first, &kept->link);
  self->total_bytes += kept->cost;
}

GBytes *
timchat_reply_memory_recall (TimchatReplyMemory *self, const char *a2, const char *servcmd,
                             gint64 seq)
{
  g_autofree char *key = NULL;
  Kept *kept;

  g_return_val_if_fail (TIMCHAT_IS_REPLY_MEMORY (self), NULL);

  drop_expired (self, g_get_monotonic_time ());
  if (a2 == NULL || servcmd == NULL || g_hash_table_size (self->by_key) == 0)
    return NULL;
  key = make_key (a2, servcmd, seq);
  kept = g_hash_table_lookup (self->by_key, key);
  return kept != NULL ? g_bytes_ref (kept->reply) : NULL;
}

void
timchat_reply_memory_forget (TimchatReplyMemory *self, const char *a2, const char *servcmd,
                             gint64 seq)
{
  g_autofree char *key = NULL;
  Kept *kept;

  g_return_if_fail (TIMCHAT_IS_REPLY_MEMORY (self));

  if (a2 == NULL || servcmd == NULL)
    return;
  key = make_key (a2, servcmd, seq);
  kept = g_hash_table_lookup (self->by_key, key);
  if (kept != NULL)
    drop (self, kept);
}
