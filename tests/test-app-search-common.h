/* test-app-search-common.h: what both of the app's search test programs
 * (tests/test-app-search-conversation.c and -sidebar.c) use, kept once in
 * test-app-search-common.c. */
#pragma once

#include <adwaita.h>

#include "timchat-conversation-view.h"

G_BEGIN_DECLS

/* Keys */

/* A key press at the window's focus widget; TRUE when something took it. */
gboolean press (GtkWidget *any, guint keyval, GdkModifierType mods);
/* The focus is widget or inside it. */
gboolean focus_within (GtkWidget *widget);

/* For tim_test_wait_until: the TimConversation data has no unread message. */
gboolean all_read (gpointer data);
/* For tim_test_wait_until: the TimchatSearchResults data says nothing, or something. */
gboolean summary_is_blank (gpointer data);
gboolean summary_is_set (gpointer data);

/* Matches for test_app_find_widget. */
/* A label on screen under root says text. */
gboolean is_shown_text (GtkWidget *widget, gconstpointer text);
/* A label on screen whose markup is markup. */
gboolean is_markup_label (GtkWidget *widget, gconstpointer markup);

typedef struct
{
  TimchatConversationView *view;
  const char *id;
} Shown;

/* The message's row: inside the viewport, the focus in it, highlighted. */
gboolean message_shown (gpointer data);

G_END_DECLS
