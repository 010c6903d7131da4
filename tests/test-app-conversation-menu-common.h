/* test-app-conversation-menu-common.h: what more than one of the conversation menu's test programs
 * (tests/test-app-conversation-menu-*.c) use, kept once in test-app-conversation-menu-common.c. */
#pragma once

#include <adwaita.h>

#include "tim-client.h"
#include "timchat-fixture.h"
#include "timchat-window.h"

G_BEGIN_DECLS

/* The real server, and the test's directory (each program's main () makes both). */
extern TimchatFixture *fixture;
extern char *base_dir;

typedef struct
{
  TimchatWindow *window;
  const char *conversation_id;
  guint unread; /* G_MAXUINT: absent from the list */
} Expect;

/* Waits (10 s) until the window's list shows conversation_id with unread unread messages
 * (G_MAXUINT: until it is gone from the list). */
void wait_list (TimchatWindow *window, const char *conversation_id, guint unread);
/* The items' labels of a conversation's menu (model), "|"-joined; each item is a window action
 * on the conversation (or its person). */
char *model_labels (GMenuModel *model, const char *conversation_id);
/* Opens the row's context menu as the Menu key does; returns its items' labels, "|"-joined. */
char *menu_labels (TimchatWindow *window, const char *conversation_id);
/* What the server says, seen by a new device of user that logs in now (a store of its own, under
 * base_dir so that it goes with the test). */
TimConversation *server_conversation (TimClient **device, const char *user,
                                      const char *conversation_id);
/* The icon with tooltip the row of conversation_id shows, or NULL while it shows none. */
GtkWidget *icon_shown (TimchatWindow *window, const char *conversation_id, const char *tooltip);
/* For tim_test_wait_until: the group expect->conversation_id has its message ("hi all") in,
 * unread (the count is not known in advance: tips count too). */
gboolean group_unread (gpointer data);

G_END_DECLS
