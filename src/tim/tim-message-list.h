/* tim-message-list.h: the messages of one conversation as a GListModel, oldest first. Older
 * pages are inserted at the top on request; new messages are appended; items never reorder.
 * Only the messages used last stay in memory; the others are reloaded when asked for. */
#pragma once

#include "tim-message.h"

G_BEGIN_DECLS

#define TIM_TYPE_MESSAGE_LIST (tim_message_list_get_type ())
G_DECLARE_FINAL_TYPE (TimMessageList, tim_message_list, TIM, MESSAGE_LIST, GObject)

const char *tim_message_list_get_conversation_id (TimMessageList *self);
/* TRUE once the beginning of the conversation is in the model. */
gboolean tim_message_list_get_is_completed (TimMessageList *self);
gboolean tim_message_list_get_is_loading (TimMessageList *self);
/* Loads the next older page (at most 15) and inserts it at the top in one items-changed. */
void tim_message_list_load_older_async (TimMessageList *self, GCancellable *cancellable,
                                        GAsyncReadyCallback callback, gpointer user_data);
gboolean tim_message_list_load_older_finish (TimMessageList *self, GAsyncResult *result,
                                             GError **error);
TimMessage *tim_message_list_lookup (TimMessageList *self, const char *message_id);

/* Private to libtim. The loader gets the ID of the oldest message in the model (NULL when it is
 * empty) and the list's own cancellable; loader_finish returns the page oldest first (transfer
 * full, with g_object_unref as the free function) or NULL with an error. A load_older call made
 * while a load is in flight joins it. */
typedef void (*TimMessageListLoader) (TimMessageList *list, const char *next_req_message_id,
                                      GCancellable *cancellable, GAsyncReadyCallback callback,
                                      gpointer user_data);
typedef GPtrArray *(*TimMessageListLoaderFinish) (GAsyncResult *result, char **next_req_message_id,
                                                  gboolean *is_completed, GError **error);
TimMessageList *_tim_message_list_new (const char *conversation_id, TimMessageListLoader loader,
                                       TimMessageListLoaderFinish loader_finish,
                                       gpointer loader_data);
gpointer _tim_message_list_get_loader_data (TimMessageList *self);
/* The client lets go of the list (at a logout, or in its dispose), which the app may keep: from
 * now on the list holds every message it has (those it had let go of are read back now, while
 * the loader's data can still do it), never calls its loader or reload again, and answers a load
 * in flight and every later one "not logged in" (TIM_ERROR_NOT_LOGGED_IN), as the client answers
 * a call after a logout. */
void _tim_message_list_detach (TimMessageList *self);
/* Lets the list hold at most max_held messages (the most recently used; 0 = all), letting go of
 * the others when can_reload (may be NULL) allows it. reload returns the message with that ID
 * (transfer full; the live instance if there is one) or NULL. */
typedef TimMessage *(*TimMessageListReload) (TimMessageList *list, const char *message_id);
typedef gboolean (*TimMessageListCanReload) (TimMessageList *list, TimMessage *message);
void _tim_message_list_set_reload (TimMessageList *self, guint max_held,
                                   TimMessageListReload reload, TimMessageListCanReload can_reload);
/* How many messages the list holds now (tests, benchmarks). */
guint _tim_message_list_get_n_held (TimMessageList *self);
/* Appends (or, for a message already present by ID, leaves it: no duplicate). Returns TRUE if
 * it was added. Batches of appends emit one items-changed. */
gboolean _tim_message_list_append (TimMessageList *self, TimMessage *message);
guint _tim_message_list_append_many (TimMessageList *self, GPtrArray *messages);
/* The message with old_id is known by new_id from now on (its place stays). */
void _tim_message_list_rename (TimMessageList *self, const char *old_id, const char *new_id);
/* Takes the message with message_id out of the list (deleted). FALSE if it was not there. */
gboolean _tim_message_list_remove (TimMessageList *self, const char *message_id);
/* Takes out every acknowledged message with a server sequence up to server_seq (a cleared
 * history: they are the oldest), in one items-changed. Returns how many. */
guint _tim_message_list_remove_up_to (TimMessageList *self, gint64 server_seq);
void _tim_message_list_prepend_page (TimMessageList *self, GPtrArray *older_oldest_first,
                                     gboolean is_completed);
/* Takes out what the server acknowledged (what is still being sent stays, last) and loads the
 * newest page again, for messages that reached the conversation without reaching the list (the
 * user discarded them). A load in flight is for what was taken out: its page is dropped. */
void _tim_message_list_reload (TimMessageList *self);

G_END_DECLS
