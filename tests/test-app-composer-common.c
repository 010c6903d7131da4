/* test-app-composer-common.c: the helpers that more than one of the composer's test programs
 * (tests/test-app-composer-*.c) use: the accounts every program sets up, a composer in a window
 * of its own and its keys, the messages bob and carol receive, drafts, typing, and the group
 * @-mention list. */
#define G_LOG_DOMAIN "test-app-composer-common"

#include "config.h"

#include <adwaita.h>

#include "test-app-composer-common.h"
#include "test-app-util.h"
#include "tim-test-util.h"
#include "timchat-mention-popover.h"

TimchatFixture *fixture;
char *base_dir;
TimClient *alice;
TimClient *bob;
GPtrArray *bob_got;
guint bob_seen; /* bob_got before this index has been looked at */
TimClient *carol;
GPtrArray *carol_got;
guint carol_seen;
char *mention_group; /* the conversation of alice, bob and carol ("Carol-name") */

/* Widgets */

GtkWidget *
find_type (GtkWidget *root, GType type)
{
  GtkWidget *found = test_app_find_widget (root, test_app_has_type, GSIZE_TO_POINTER (type));
  g_assert_nonnull (found);
  return found;
}

GtkTextBuffer *
buffer_of (TimchatComposer *composer)
{
  return gtk_text_view_get_buffer (
      GTK_TEXT_VIEW (find_type (GTK_WIDGET (composer), GTK_TYPE_TEXT_VIEW)));
}

/* A key press as the text view's key controller sees it. */
gboolean
press (TimchatComposer *composer, guint keyval, GdkModifierType state)
{
  GtkWidget *text_view = find_type (GTK_WIDGET (composer), GTK_TYPE_TEXT_VIEW);
  g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (text_view);
  gboolean handled = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr (GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (g_strcmp0 (gtk_event_controller_get_name (controller), "composer-keys") == 0)
        {
          g_signal_emit_by_name (controller, "key-pressed", keyval, 0, state, &handled);
          return handled;
        }
    }
  g_error ("the composer's key controller is missing");
}

/* A composer for alice's conversation_id, in a window of its own. */
TimchatComposer *
new_composer (const char *conversation_id)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *composer = timchat_composer_new ();

  gtk_window_set_default_size (GTK_WINDOW (window), 520, -1);
  gtk_window_set_child (GTK_WINDOW (window), composer);
  timchat_composer_set_client (TIMCHAT_COMPOSER (composer), alice);
  timchat_composer_set_conversation_id (TIMCHAT_COMPOSER (composer), conversation_id);
  gtk_window_present (GTK_WINDOW (window));
  return TIMCHAT_COMPOSER (composer);
}

void
close_composer (TimchatComposer *composer)
{
  timchat_composer_set_text (composer, "");
  gtk_window_destroy (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (composer))));
}

void
assert_text (TimchatComposer *composer, const char *expected)
{
  g_autofree char *text = timchat_composer_dup_text (composer);
  g_assert_cmpstr (text, ==, expected);
}

/* Messages */

typedef struct
{
  GPtrArray *got;
  guint *seen;
} Inbox;

static gboolean
has_more (gpointer data)
{
  Inbox *inbox = data;

  return inbox->got->len > *inbox->seen;
}

/* The next message got receives of type (others, such as group tips, are skipped). */
TimMessage *
next_of (GPtrArray *got, guint *seen, TimElemType type)
{
  for (;;)
    {
      TimMessage *message;

      if (!tim_test_wait_until (has_more, &(Inbox){ got, seen }, 10000))
        g_error ("no message of type %d was received", type);
      message = got->pdata[(*seen)++];
      if (tim_message_get_elem_type (message) == type)
        return message;
    }
}

TimMessage *
bob_next (TimElemType type)
{
  return next_of (bob_got, &bob_seen, type);
}

/* Nothing was sent before: a marker sent now is the next text bob receives. */
void
assert_nothing_sent (const char *marker)
{
  TimchatComposer *composer = new_composer ("C2Cbob");

  timchat_composer_set_text (composer, marker);
  timchat_composer_send (composer);
  g_assert_cmpstr (tim_message_get_text (bob_next (TIM_ELEM_TEXT)), ==, marker);
  close_composer (composer);
}

gboolean
composer_holds (gpointer data)
{
  Holds *holds = data;
  g_autofree char *text = timchat_composer_dup_text (holds->composer);

  return g_strcmp0 (text, holds->text) == 0;
}

/* The draft of alice's conversation_id, as libtim keeps it, is text (NULL: none). */
gboolean
draft_kept (gpointer data)
{
  Draft *draft = data;
  g_autofree char *kept = tim_client_dup_conversation_draft (alice, draft->conversation_id);

  return g_strcmp0 (kept, draft->text != NULL ? draft->text : "") == 0;
}

/* What a user types: one character at a time, as the text view puts a typed one in. */
void
type (TimchatComposer *composer, const char *text)
{
  GtkTextBuffer *buffer = buffer_of (composer);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gtk_text_buffer_begin_user_action (buffer);
      gtk_text_buffer_insert_interactive_at_cursor (buffer, p, g_utf8_next_char (p) - p, TRUE);
      gtk_text_buffer_end_user_action (buffer);
    }
}

GtkWidget *
popover_of (TimchatComposer *composer)
{
  return find_type (GTK_WIDGET (composer), TIMCHAT_TYPE_MENTION_POPOVER);
}

static GListModel *
rows_of (GtkWidget *popover)
{
  return G_LIST_MODEL (
      gtk_list_view_get_model (GTK_LIST_VIEW (find_type (popover, GTK_TYPE_LIST_VIEW))));
}

/* The user IDs of the rows, "," between, while the popover is open; NULL when closed. */
static char *
listed (GtkWidget *popover)
{
  GListModel *rows = rows_of (popover);
  g_autoptr (GStrvBuilder) ids = g_strv_builder_new ();
  g_auto (GStrv) strv = NULL;

  if (!gtk_widget_get_visible (popover))
    return NULL;
  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr (GtkStringObject) row = g_list_model_get_item (rows, i);

      g_strv_builder_add (ids, gtk_string_object_get_string (row));
    }
  strv = g_strv_builder_end (ids);
  return g_strjoinv (",", strv);
}

typedef struct
{
  GtkWidget *popover;
  const char *want;
} Listing;

static gboolean
lists (gpointer data)
{
  Listing *listing = data;
  g_autofree char *rows = listed (listing->popover);

  return g_strcmp0 (rows, listing->want) == 0;
}

/* Waits until the popover is open with these rows (the members arrive from the server). */
void
assert_lists (GtkWidget *popover, const char *want)
{
  if (!tim_test_wait_until (lists, &(Listing){ popover, want }, 10000))
    {
      g_autofree char *rows = listed (popover);
      g_error ("the mention list shows %s, not %s", rows != NULL ? rows : "(closed)", want);
    }
}

void
assert_closed (GtkWidget *popover)
{
  test_app_iterate (200);
  g_assert_false (gtk_widget_get_visible (popover));
}

void
assert_at_users (TimMessage *message, const char *const *want)
{
  const char *const *got = tim_message_get_at_user_list (message);

  if (want == NULL)
    g_assert_null (got);
  else
    g_assert_true (got != NULL && g_strv_equal (got, want));
}

/* A group of alice (the owner), bob and carol, whose name in it is "Carol-name". */
const char *
group_with_carol (void)
{
  const char *const members[] = { "bob", "carol", NULL };
  g_autofree char *group_id = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;

  if (mention_group != NULL)
    return mention_group;
  group_id = tim_test_create_group (alice, "Mentions", members);
  tim_client_set_group_member_name_card_async (alice, group_id, "carol", "Carol-name", NULL,
                                               tim_test_keep_result, &result);
  g_assert_true (
      tim_client_set_group_member_name_card_finish (alice, tim_test_wait_result (&result), &error));
  g_assert_no_error (error);
  mention_group = tim_conv_make_id (TIM_CONV_GROUP, group_id);
  return mention_group;
}

gboolean
is_laid_out (gpointer widget)
{
  return gtk_widget_get_width (widget) > 0;
}

/* Where the list points needs the composer on screen: the user sees it before typing. */
TimchatComposer *
new_group_composer (void)
{
  TimchatComposer *composer = new_composer (group_with_carol ());

  g_assert_true (tim_test_wait_until (is_laid_out, composer, 5000));
  g_assert_true (timchat_composer_focus_text (composer));
  return composer;
}

void
test_composer_init (int *argc, char ***argv)
{
  test_app_init (argc, argv, TRUE);
  fixture = timchat_fixture_new (NULL);
  base_dir = tim_test_make_dir ();
  alice = tim_test_client_new (fixture, base_dir, "alice");
  bob = tim_test_client_new (fixture, base_dir, "bob");
  bob_got = g_ptr_array_new_with_free_func (g_object_unref);
  tim_test_collect (bob, "message-received", bob_got);
  carol = tim_test_client_new (fixture, base_dir, "carol");
  carol_got = g_ptr_array_new_with_free_func (g_object_unref);
  tim_test_collect (carol, "message-received", carol_got);
}

int
test_composer_run (void)
{
  int status = g_test_run ();

  g_clear_object (&alice);
  g_clear_object (&bob);
  g_ptr_array_unref (bob_got);
  g_clear_object (&carol);
  g_ptr_array_unref (carol_got);
  g_free (mention_group);
  tim_test_remove_dir (base_dir);
  timchat_fixture_free (fixture);
  return status;
}
