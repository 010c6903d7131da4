/* test-app-rows-common.h: what more than one of TimchatMessageRow's test programs
 * (tests/test-app-rows-*.c) use, kept once in test-app-rows-common.c. */
#pragma once

#include <adwaita.h>

#include "tim-message.h"
#include "timchat-message-row.h"

G_BEGIN_DECLS

typedef struct
{
  GPtrArray *activated; /* "name:ID" */
} Recorder;

/* What the "conversation" actions of window_new's windows were activated with; the program's
 * main () makes and frees the array. */
extern Recorder recorder;

/* A window with a "conversation" action group whose actions the recorder records. */
GtkWidget *window_new (void);
/* A row bound to message in a shown window (the window owns it). */
TimchatMessageRow *show_row (TimMessage *message, TimMessage *previous, gboolean is_group,
                             int recall_seconds);
void close_row (TimchatMessageRow *row);
/* Visible: the widget and every ancestor up to the row. */
gboolean shown (GtkWidget *widget);
/* The shown widgets of type under widget (itself included), in tree order, added to out. */
void collect (GtkWidget *widget, GType type, GPtrArray *out);
/* The first shown widget of type under root, or NULL. */
GtkWidget *find_type (gpointer root, GType type);
/* A shown label whose text is text (or contains it when partial). */
GtkLabel *find_label (gpointer root, const char *text, gboolean partial);
/* A shown button labelled label (any button when label is NULL). */
GtkWidget *find_button (gpointer root, const char *label);
/* Own messages come from "me"; others from "bob" (nick "Bob"). */
TimMessage *message_new (TimElemType type, const char *payload_json, gboolean mine,
                         TimConvType conv, gint64 time);
/* The time now, in seconds. */
gint64 now (void);

G_END_DECLS
