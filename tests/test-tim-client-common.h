/* test-tim-client-common.h: what more than one of TimClient's test programs
 * (tests/test-tim-client-*.c) use, kept once in test-tim-client-common.c. */
#pragma once

#include "tim-client.h"

G_BEGIN_DECLS

/* Waits (10 s) until messages holds want of them; an error otherwise. */
void wait_count (GPtrArray *messages, guint want);
/* A GAsyncReadyCallback: keeps result as source's "result" data and sets the gboolean
 * user_data. Keeps the result on its source: the test drops it at its end (forget_result ()), or
 * the client and its result hold each other for good, and the client, connected and syncing
 * through the later tests, reports into what its test freed. */
void on_done_flag (GObject *source, GAsyncResult *result, gpointer user_data);
/* Drops the result on_done_flag () kept on client. */
void forget_result (TimClient *client);

/* A conversation of a client's list, for the tim_test_wait_until () conditions below. */
typedef struct
{
  TimClient *client;
  const char *conversation_id;
} Listed;

TimConversation *listed_conversation (Listed *listed);
/* For tim_test_wait_until: the client lists the conversation (a Listed). */
gboolean lists_conversation (gpointer data);
/* tim_client_set_message_remind_type_async (), waited for; its outcome. */
gboolean set_remind (TimClient *client, const char *conversation_id, const char *remind_type,
                     GError **error);
/* The remind type of a conversation the client lists (asserted). */
const char *remind_of (TimClient *client, const char *conversation_id);

G_END_DECLS
