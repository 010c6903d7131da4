/* test-tim-group-sync-common.h: what both of libtim's group-sync test programs
 * (tests/test-tim-group-sync-*.c) use, kept once in test-tim-group-sync-common.c. */
#pragma once

#include "tim-client.h"

G_BEGIN_DECLS

/* Sends text to the group as from and waits for the answer; *time (if not NULL) the message's
 * time. */
void send_group_text (TimClient *from, const char *group_id, const char *text, gint64 *time);
/* For tim_test_wait_until: the client (a TimClient) is ready. */
gboolean is_ready (gpointer data);

G_END_DECLS
