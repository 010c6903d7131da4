/* test-tim-delete-common.h: what both of libtim's delete test programs
 * (tests/test-tim-delete-*.c) use, kept once in test-tim-delete-common.c. */
#pragma once

#include "tim-client.h"

G_BEGIN_DECLS

/* The texts of a conversation's history as client pages it, oldest first, " "-joined. */
char *texts_of (TimClient *client, const char *conversation_id);
/* Loads list's next older page, as a view scrolled to its top would. */
void load_page (TimMessageList *list);
/* The texts of list's messages, in its order, " "-joined. */
char *list_texts (TimMessageList *list);
/* The text of the last message of client's conversation, NULL if none (or no conversation). */
const char *last_text (TimClient *client, const char *conversation_id);
/* How many messages client's device has that say keyword (its local search). */
guint found_here (TimClient *client, const char *keyword);

/* For found_here_is (): client's device has count messages that say keyword. */
typedef struct
{
  TimClient *client;
  const char *keyword;
  guint count;
} Here;

/* A tim_test_wait_until () condition on a Here. */
gboolean found_here_is (gpointer data);

G_END_DECLS
