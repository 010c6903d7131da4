/* test-app-composer-common.h: what more than one of the composer's test programs
 * (tests/test-app-composer-*.c) use, kept once in test-app-composer-common.c. */
#pragma once

#include <adwaita.h>

#include "tim-client.h"
#include "timchat-fixture.h"
#include "timchat-composer.h"

G_BEGIN_DECLS

/* The accounts each program's main () logs in; bob's and carol's received messages. */
extern TimchatFixture *fixture;
extern char *base_dir;
extern TimClient *alice;
extern TimClient *bob;
extern GPtrArray *bob_got;
extern guint bob_seen; /* bob_got before this index has been looked at */
extern TimClient *carol;
extern GPtrArray *carol_got;
extern guint carol_seen;
extern char *mention_group; /* the conversation of alice, bob and carol ("Carol-name") */

/* Widgets */

/* The widget of type under root (asserted). */
GtkWidget *find_type (GtkWidget *root, GType type);
/* The composer's text buffer. */
GtkTextBuffer *buffer_of (TimchatComposer *composer);
/* A key press as the text view's key controller sees it. */
gboolean press (TimchatComposer *composer, guint keyval, GdkModifierType state);
/* A composer for alice's conversation_id, in a window of its own. */
TimchatComposer *new_composer (const char *conversation_id);
void close_composer (TimchatComposer *composer);
void assert_text (TimchatComposer *composer, const char *expected);

/* Messages */

/* The next message got receives of type (others, such as group tips, are skipped). */
TimMessage *next_of (GPtrArray *got, guint *seen, TimElemType type);
TimMessage *bob_next (TimElemType type);
/* Nothing was sent before: a marker sent now is the next text bob receives. */
void assert_nothing_sent (const char *marker);

/* For tim_test_wait_until: the composer holds text. */
typedef struct
{
  TimchatComposer *composer;
  const char *text;
} Holds;

gboolean composer_holds (gpointer data);

/* For tim_test_wait_until: the draft of alice's conversation_id, as libtim keeps it, is text
 * (NULL: none). */
typedef struct
{
  const char *conversation_id;
  const char *text;
} Draft;

gboolean draft_kept (gpointer data);

/* What a user types: one character at a time, as the text view puts a typed one in. */
void type (TimchatComposer *composer, const char *text);

/* @-mentions */

/* The composer's mention list. */
GtkWidget *popover_of (TimchatComposer *composer);
/* Waits until the popover is open with these rows (the members arrive from the server). */
void assert_lists (GtkWidget *popover, const char *want);
void assert_closed (GtkWidget *popover);
void assert_at_users (TimMessage *message, const char *const *want);
/* A group of alice (the owner), bob and carol, whose name in it is "Carol-name". */
const char *group_with_carol (void);
gboolean is_laid_out (gpointer widget);
/* A composer for group_with_carol (), laid out and focused. */
TimchatComposer *new_group_composer (void);

/* Each program's main (): the window system, the server, alice, bob and carol (what bob and
 * carol receive collected); then the tests, and everything gone again (the status). */
void test_composer_init (int *argc, char ***argv);
int test_composer_run (void);

G_END_DECLS
