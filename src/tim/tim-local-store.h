/* tim-local-store.h: the per-account SQLite cache (WAL) in the user's data dir: messages,
 * conversations, the outbox and sync cursors, so the conversation list and the last screen of a
 * conversation appear before the network answers, and nothing queued is ever lost. */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define TIM_TYPE_LOCAL_STORE (tim_local_store_get_type ())
G_DECLARE_FINAL_TYPE (TimLocalStore, tim_local_store, TIM, LOCAL_STORE, GObject)

/* Opens (creating) DIR/local.db. */
TimLocalStore *tim_local_store_open (const char *dir, GError **error);
/* Removes dir, an account's store, when nothing of the account is in it (no login ever succeeded
 * with it, nothing waits to be sent) and no process has it open: G_IO_ERROR_EXISTS, and
 * G_IO_ERROR_BUSY, otherwise. TRUE as well when dir is not there. */
gboolean tim_local_store_remove_unused (const char *dir, GError **error);

/* Messages are records (JsonObject from _tim_message_to_record) keyed by message ID, ordered
 * within a conversation by sort_key (server order when known, else insertion order). */
gboolean tim_local_store_save_message (TimLocalStore *self, const char *conversation_id,
                                       const char *message_id, gint64 sort_key, JsonObject *record,
                                       GError **error);
/* Newest-first page of records older than before_sort_key (0 = newest). */
GPtrArray *tim_local_store_load_messages (TimLocalStore *self, const char *conversation_id,
                                          gint64 before_sort_key, guint limit);
JsonObject *tim_local_store_load_message (TimLocalStore *self, const char *message_id);
/* The record of conversation_id's message with this sequence (and random, unless 0), the newest
 * if several; NULL if none. */
JsonObject *tim_local_store_find_message (TimLocalStore *self, const char *conversation_id,
                                          gint64 sequence, gint64 random);
guint tim_local_store_count_messages (TimLocalStore *self, const char *conversation_id);
/* Records of the messages whose words contain text (case-insensitive for ASCII), in
 * conversation_id or in all (NULL), newest first, at most limit. */
GPtrArray *tim_local_store_search_messages (TimLocalStore *self, const char *conversation_id,
                                            const char *text, guint limit);
/* Indexes for search up to max_rows more of the messages kept before the index existed (an
 * upgraded store), newest first. TRUE while some remain. */
gboolean tim_local_store_index_for_search (TimLocalStore *self, guint max_rows);
gboolean tim_local_store_delete_message (TimLocalStore *self, const char *message_id,
                                         GError **error);
/* Deletes the messages of conversation_id with sort keys up to max_sort_key (a cleared history). */
gboolean tim_local_store_delete_messages_up_to (TimLocalStore *self, const char *conversation_id,
                                                gint64 max_sort_key, GError **error);

/* Conversations are records too; the whole list loads at start-up. */
gboolean tim_local_store_save_conversation (TimLocalStore *self, const char *conversation_id,
                                            JsonObject *record, GError **error);
gboolean tim_local_store_delete_conversation (TimLocalStore *self, const char *conversation_id,
                                              GError **error);
GPtrArray *tim_local_store_load_conversations (TimLocalStore *self);

/* A conversation's draft; NULL or "" removes it. Records {id, text} of all of them. */
gboolean tim_local_store_set_draft (TimLocalStore *self, const char *conversation_id,
                                    const char *text, GError **error);
char *tim_local_store_load_draft (TimLocalStore *self, const char *conversation_id);
GPtrArray *tim_local_store_load_drafts (TimLocalStore *self);

/* The outbox: messages accepted for sending, in order. An entry stays until the server has
 * acknowledged it (or the user gives up on it); a restart resumes them in order. */
gboolean tim_local_store_outbox_add (TimLocalStore *self, const char *message_id,
                                     const char *conversation_id, JsonObject *options,
                                     GError **error);
gboolean tim_local_store_outbox_remove (TimLocalStore *self, const char *message_id,
                                        GError **error);
/* The end of a send (acknowledged, or failed for good): removes the outbox entry and saves the
 * message's final record in one transaction, so that a crash never leaves one without the other
 * (a record "unSend" that nothing will ever send). */
gboolean tim_local_store_outbox_complete (TimLocalStore *self, const char *message_id,
                                          const char *conversation_id, gint64 sort_key,
                                          JsonObject *record, GError **error);
/* A queued message's new ID (the TinyId it is made of, learned since it was queued): its record,
 * saved as record, and its outbox entry, which keeps its place, are known by new_id from now on,
 * in one transaction. */
gboolean tim_local_store_outbox_rename (TimLocalStore *self, const char *old_id, const char *new_id,
                                        JsonObject *record, GError **error);
/* Marks failed, with code and text, every message record still "unSend" that has no outbox
 * entry (left so by a crash between the two steps of an older version's end of a send), and
 * the conversations' copies of such a last message. Only records with a sort key of at least
 * min_sort_key are looked at: unsent messages sort after all others. Returns how many message
 * records it changed, or -1 with error. */
gint tim_local_store_fail_unsent_orphans (TimLocalStore *self, gint64 min_sort_key, int code,
                                          const char *text, GError **error);
/* (element-type utf8) message IDs, oldest first. */
GPtrArray *tim_local_store_outbox_list (TimLocalStore *self);
JsonObject *tim_local_store_outbox_get_options (TimLocalStore *self, const char *message_id);

/* Moves every change into the database file and empties the WAL: the WAL's older frames still
 * held what a change overwrote (a recalled message), which the database itself zeroes
 * (secure_delete). */
gboolean tim_local_store_scrub (TimLocalStore *self, GError **error);

/* Small key/value settings: the getmsg Cookie, the server upload URL of a half-sent file... */
char *tim_local_store_get_value (TimLocalStore *self, const char *key);
gboolean tim_local_store_set_value (TimLocalStore *self, const char *key, const char *value,
                                    GError **error);

/* Runs func inside one SQLite transaction (committed if it returns TRUE, rolled back otherwise),
 * e.g. a message record and its outbox entry, or a page of synced messages. func may call the
 * functions above; other threads wait until it returns. Nested calls join the outer one. */
typedef gboolean (*TimLocalStoreTransactionFunc) (TimLocalStore *self, gpointer user_data,
                                                  GError **error);
gboolean tim_local_store_run_in_transaction (TimLocalStore *self, TimLocalStoreTransactionFunc func,
                                             gpointer user_data, GError **error);

G_END_DECLS
