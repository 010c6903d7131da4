/* test-app-search-sidebar.c: the sidebar's search in the app, against the real server and real
 * TimClients: it looks in every conversation, a result says where it was written and who wrote it,
 * and taking one opens its conversation at that message; Escape in its entry ends it. Split from
 * test-app-search.c (by theme: the sidebar's search here, the open conversation's search bar in
 * test-app-search-conversation.c) to keep each program short; the key presses and what both look
 * for on screen are in test-app-search-common.c. */
#define G_LOG_DOMAIN "test-app-search-sidebar"

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "test-app-search-common.h"
#include "test-app-util.h"
#include "tim-test-util.h"
#include "timchat-conversation-view-private.h"
#include "timchat-search-results.h"
#include "timchat-window-private.h"

static TimchatFixture *fixture;
static char *base_dir;

/* A row of the list under widget has the focus (not the list itself: the arrows go on from a
 * row). */
static gboolean
row_focused_in (GtkWidget *widget)
{
  GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (widget));

  return focus != NULL && gtk_widget_is_ancestor (focus, widget) && !GTK_IS_LIST_VIEW (focus) &&
         gtk_widget_get_ancestor (focus, GTK_TYPE_LIST_VIEW) != NULL;
}

/* ---- the sidebar's search ---- */

static TimchatSearchResults *
sidebar_results (TimchatWindow *window)
{
  return window->message_results;
}

static guint
n_sidebar_results (TimchatWindow *window)
{
  return g_list_model_get_n_items (timchat_search_results_get_model (sidebar_results (window)));
}

/* Types text in the sidebar's entry and waits for the messages found. */
static void
type_sidebar_search (TimchatWindow *window, const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (window->search_entry), "");
  g_assert_true (tim_test_wait_until (summary_is_blank, sidebar_results (window), 5000));
  gtk_editable_set_text (GTK_EDITABLE (window->search_entry), text);
  g_assert_true (tim_test_wait_until (summary_is_set, sidebar_results (window), 5000));
}

typedef struct
{
  TimchatWindow *window;
  guint want;
} Found;

/* What the window's device has seen: search until what was sent to it has come. */
static gboolean
sidebar_finds (gpointer data)
{
  Found *found = data;

  type_sidebar_search (found->window, "kiwi");
  return n_sidebar_results (found->window) == found->want;
}

static gboolean
lists_message (TimchatSearchResults *results, TimMessage *message)
{
  GListModel *model = timchat_search_results_get_model (results);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr (TimMessage) listed = g_list_model_get_item (model, i);

      if (g_strcmp0 (tim_message_get_id (listed), tim_message_get_id (message)) == 0)
        return TRUE;
    }
  return FALSE;
}

static TimchatConversationView *
window_view (TimchatWindow *window)
{
  return TIMCHAT_CONVERSATION_VIEW (window->conversation_view);
}

static gboolean
view_is_open (gpointer data)
{
  Shown *shown = data;

  return g_strcmp0 (timchat_conversation_view_get_conversation_id (shown->view), shown->id) == 0;
}

/* The sidebar's search finds the messages of every conversation, newest first, each under its
 * conversation's name, the user's own after "You: " and a group member's after their name; the
 * conversations whose name matches come first, under their heading, and none (no heading) when
 * none does. Taking a message opens its conversation at it, even one older than the first page;
 * the search stays. Enter opens the first conversation found, else the first message found. A
 * section that goes with the focus in it gives the focus back to the entry, and Down from there
 * reaches what is left. */
static void
test_sidebar_all_conversations (void)
{
  g_autofree char *ws = timchat_fixture_ws_url (fixture);
  g_autofree char *usersig = timchat_fixture_usersig (fixture, "cal", 3600);
  g_autoptr (TimClient) dee = tim_test_client_new (fixture, base_dir, "dee");
  g_autoptr (TimClient) eli = tim_test_client_new (fixture, base_dir, "eli");
  g_autoptr (TimMessage) old = NULL;
  g_autoptr (TimMessage) in_group = NULL;
  g_autoptr (TimMessage) own = NULL;
  g_autofree char *group_id = NULL;
  g_autofree char *group_conversation = NULL;
  TimchatWindow *window = timchat_window_new (NULL, "search-all-test", base_dir);
  TimchatSearchResults *results;
  int sidebar_width;
  TimClient *cal;
  Found found;
  Shown shown;

  timchat_test_import_account (fixture, "cal", NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 600);
  gtk_window_present (GTK_WINDOW (window));
  timchat_window_login (window, ws, timchat_fixture_get_sdkappid (fixture), "cal", usersig, FALSE);
  g_assert_true (tim_test_wait_until (test_app_window_ready, window, 10000));
  cal = timchat_window_get_client (window);

  /* Received while the window is logged in: the device has seen them. */
  old = tim_client_create_text_message (dee, "cal", TIM_CONV_C2C, "An old kiwi story");
  g_assert_true (tim_test_send (dee, old, NULL));
  /* More than a page after it: the conversation opens without it. */
  tim_test_send_texts (dee, "cal", 20, "dee filler");
  group_id = tim_test_create_group (dee, "Fruit", (const char *const[]){ "cal", "eli", NULL });
  group_conversation = tim_conv_make_id (TIM_CONV_GROUP, group_id);
  in_group = tim_client_create_text_message (eli, group_id, TIM_CONV_GROUP, "kiwi season");
  g_assert_true (tim_test_send (eli, in_group, NULL));
  own = tim_client_create_text_message (cal, "eli", TIM_CONV_C2C, "kiwi for you, eli");
  g_assert_true (tim_test_send (cal, own, NULL));
  results = sidebar_results (window);
  g_assert_false (gtk_widget_get_visible (window->message_search));
  test_app_wait_frame (window->sidebar);
  sidebar_width = gtk_widget_get_width (window->sidebar);

  /* (a) Every conversation's, newest first, each where and by whom. */
  found = (Found){ window, 3 };
  g_assert_true (tim_test_wait_until (sidebar_finds, &found, 10000));
  g_assert_true (gtk_widget_get_visible (window->message_search));
  g_assert_false (gtk_widget_get_visible (window->conversations_heading));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window->conversation_scroller)));
  /* (Newest first, but these three may share a second: any order.) */
  g_assert_true (lists_message (results, own));
  g_assert_true (lists_message (results, in_group));
  g_assert_true (lists_message (results, old));
  g_assert_true (
      tim_test_wait_until ((gboolean (*) (gpointer)) gtk_widget_get_mapped, results, 5000));
  test_app_wait_frame (GTK_WIDGET (results));
  g_assert_nonnull (test_app_find_widget (GTK_WIDGET (results), is_markup_label,
                                          "You: <b>kiwi</b> for you, eli"));
  g_assert_nonnull (
      test_app_find_widget (GTK_WIDGET (results), is_markup_label, "eli: <b>kiwi</b> season"));
  g_assert_nonnull (
      test_app_find_widget (GTK_WIDGET (results), is_markup_label, "An old <b>kiwi</b> story"));
  g_assert_nonnull (test_app_find_widget (GTK_WIDGET (results), is_shown_text, "Fruit"));
  g_assert_nonnull (test_app_find_widget (GTK_WIDGET (results), is_shown_text, "eli"));
  g_assert_nonnull (test_app_find_widget (GTK_WIDGET (results), is_shown_text, "dee"));
  test_app_screenshot (GTK_WIDGET (window), "search-sidebar.png");
  /* The sidebar keeps its width: what is found does not push the conversation aside. */
  g_assert_cmpint (gtk_widget_get_width (window->sidebar), ==, sidebar_width);

  /* (b) A name that matches: its conversation first, under its heading. */
  type_sidebar_search (window, "Fru");
  g_assert_true (gtk_widget_get_visible (window->conversations_heading));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window->conversation_scroller)));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (window->filtered)), ==, 1);
  /* No message says "Fru": no Messages heading, no "No Messages Found" under the conversation. */
  g_assert_cmpuint (n_sidebar_results (window), ==, 0);
  g_assert_false (gtk_widget_get_visible (window->message_search));
  test_app_screenshot (GTK_WIDGET (window), "search-sidebar-both.png");
  /* Nothing found at all: that is said, under Messages. */
  type_sidebar_search (window, "zyzzyva");
  g_assert_false (gtk_widget_get_visible (window->conversations_heading));
  g_assert_true (gtk_widget_get_visible (window->message_search));
  g_assert_true (test_app_wait_text (window->message_search, "No Messages Found", 2000));
  test_app_wait_frame (window->sidebar);
  g_assert_cmpint (gtk_widget_get_width (window->sidebar), ==, sidebar_width);
  type_sidebar_search (window, "Fru");

  /* Down: into the conversations found. */
  gtk_widget_grab_focus (GTK_WIDGET (window->search_entry));
  g_assert_true (press (GTK_WIDGET (window->search_entry), GDK_KEY_Down, 0));
  g_assert_true (row_focused_in (GTK_WIDGET (window->conversation_list)));
  /* Enter in the entry: that conversation. */
  g_signal_emit_by_name (window->search_entry, "activate");
  g_assert_cmpstr (_timchat_window_get_open_id (window), ==, group_conversation);
  /* Enter at once after typing, before GtkSearchEntry's search-changed (150 ms after the last
   * key: GTK 4.8 says activate first): what was typed, not the first row of the whole list
   * (another conversation, newer). As GtkText does on Enter. */
  timchat_window_close_conversation (window);
  gtk_editable_set_text (GTK_EDITABLE (window->search_entry), "");
  g_assert_true (tim_test_wait_until (summary_is_blank, results, 5000));
  {
    g_autoptr (TimConversation) newest = g_list_model_get_item (G_LIST_MODEL (window->filtered), 0);

    g_assert_cmpstr (tim_conversation_get_id (newest), !=, group_conversation);
  }
  gtk_editable_set_text (GTK_EDITABLE (window->search_entry), "Fru");
  g_signal_emit_by_name (test_app_find_widget (GTK_WIDGET (window->search_entry), test_app_has_type,
                                               GSIZE_TO_POINTER (GTK_TYPE_TEXT)),
                         "activate");
  g_assert_cmpstr (_timchat_window_get_open_id (window), ==, group_conversation);

  /* (c) The oldest message: its conversation opens there, older pages loaded to reach it; the
   * search stays. */
  found = (Found){ window, 3 };
  g_assert_true (sidebar_finds (&found));
  /* Down, with no conversation found: into the messages. */
  gtk_widget_grab_focus (GTK_WIDGET (window->search_entry));
  g_assert_true (press (GTK_WIDGET (window->search_entry), GDK_KEY_Down, 0));
  g_assert_true (row_focused_in (GTK_WIDGET (results)));
  /* Read: it opens at the newest page, not down from the first unread. */
  tim_client_set_message_read_async (cal, "C2Cdee", NULL, NULL, NULL);
  g_assert_true (tim_test_wait_until (
      all_read, tim_conversation_list_lookup (tim_client_get_conversations (cal), "C2Cdee"),
      10000));
  g_assert_true (timchat_search_results_move (results, 2));
  g_assert_true (timchat_search_results_activate_selected (results));
  shown = (Shown){ window_view (window), "C2Cdee" };
  g_assert_true (view_is_open (&shown));
  shown.id = tim_message_get_id (old);
  g_assert_true (tim_test_wait_until (message_shown, &shown, 15000));
  test_app_screenshot (GTK_WIDGET (window), "search-sidebar-went-to.png");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (window->search_entry)), ==, "kiwi");
  g_assert_cmpuint (n_sidebar_results (window), ==, 3);

  /* Emptied: the whole list again, no messages. */
  gtk_editable_set_text (GTK_EDITABLE (window->search_entry), "");
  g_assert_true (tim_test_wait_until (summary_is_blank, results, 5000));
  g_assert_false (gtk_widget_get_visible (window->message_search));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window->conversation_scroller)));
  g_assert_true (gtk_widget_get_vexpand (GTK_WIDGET (window->conversation_scroller)));

  /* (d) Enter at once after typing a word no conversation is named by: the first message found
   * (its conversation opens at it), once libtim has answered (it does from an idle). */
  timchat_window_close_conversation (window);
  gtk_editable_set_text (GTK_EDITABLE (window->search_entry), "season");
  g_signal_emit_by_name (test_app_find_widget (GTK_WIDGET (window->search_entry), test_app_has_type,
                                               GSIZE_TO_POINTER (GTK_TYPE_TEXT)),
                         "activate");
  shown = (Shown){ window_view (window), group_conversation };
  g_assert_true (tim_test_wait_until (view_is_open, &shown, 5000));
  shown.id = tim_message_get_id (in_group);
  g_assert_true (tim_test_wait_until (message_shown, &shown, 5000));

  /* (e) After that message taken, the focus on a conversation found that leaves the list while it
   * has it (deleted from its menu, or on another device): the focus comes back to the entry, and
   * Down from there goes into the messages found, all that is shown. (GTK sent the focus into the
   * conversation's page, and Down from the entry went nowhere: GTK's move went into the section
   * the focus had last been in, hidden.) */
  gtk_widget_grab_focus (GTK_WIDGET (window->search_entry));
  type_sidebar_search (window, "eli");
  /* Laid out: GTK moves the focus by where the rows are. */
  test_app_wait_frame (GTK_WIDGET (window));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (window->filtered)), ==, 1);
  g_assert_true (lists_message (results, own));
  g_assert_true (press (GTK_WIDGET (window->search_entry), GDK_KEY_Down, 0));
  g_assert_true (row_focused_in (GTK_WIDGET (window->conversation_list)));
  {
    g_autoptr (GAsyncResult) deleted = NULL;
    g_autoptr (GError) error = NULL;

    tim_client_delete_conversation_async (cal, "C2Celi", NULL, tim_test_keep_result, &deleted);
    g_assert_true (
        tim_client_delete_conversation_finish (cal, tim_test_wait_result (&deleted), &error));
    g_assert_no_error (error);
  }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (window->filtered)), ==, 0);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window->conversation_scroller)));
  g_assert_true (lists_message (results, own));
  test_app_wait_frame (GTK_WIDGET (window)); /* laid out again, without the row */
  g_assert_true (focus_within (GTK_WIDGET (window->search_entry)));
  g_assert_true (press (GTK_WIDGET (window->search_entry), GDK_KEY_Down, 0));
  g_assert_true (row_focused_in (GTK_WIDGET (results)));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Escape in the sidebar's search entry (a real key press) ends the search, as in the open
 * conversation's search bar: nothing typed, the whole list again, no messages found; the entry
 * keeps the focus, to type another. */
static void
test_sidebar_escape (void)
{
  g_autoptr (TimClient) gil = tim_test_client_new (fixture, base_dir, "gil");
  TimchatWindow *window = test_app_logged_in_window (fixture, base_dir, "hob", NULL);
  GtkWidget *entry = GTK_WIDGET (window->search_entry);

  tim_test_send_text (gil, "hob", "a plum pie");
  test_app_wait_conversation (window, "C2Cgil");
  type_sidebar_search (window, "plum");
  g_assert_true (tim_test_wait_until (summary_is_set, sidebar_results (window), 5000));
  g_assert_true (gtk_widget_get_visible (window->message_search));
  g_assert_true (gtk_widget_grab_focus (entry));
  test_app_press_key (entry, GDK_KEY_Escape, 0);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");
  g_assert_true (tim_test_wait_until (summary_is_blank, sidebar_results (window), 5000));
  g_assert_false (gtk_widget_get_visible (window->message_search));
  g_assert_true (test_app_has_conversation (window, "C2Cgil"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (window->filtered)), ==, 1);
  g_assert_true (focus_within (entry));
  gtk_window_destroy (GTK_WINDOW (window));
}

typedef struct
{
  TimchatWindow *window;
  const char *conversation_id;
  const char *name;
} Named;

static gboolean
conversation_named (gpointer data)
{
  Named *named = data;
  TimConversation *conversation = tim_conversation_list_lookup (
      tim_client_get_conversations (timchat_window_get_client (named->window)),
      named->conversation_id);

  return conversation != NULL &&
         g_strcmp0 (tim_conversation_get_name (conversation), named->name) == 0;
}

static gboolean
filtered_has_one (gpointer window)
{
  return g_list_model_get_n_items (G_LIST_MODEL (TIMCHAT_WINDOW (window)->filtered)) == 1;
}

static gboolean
filtered_is_empty (gpointer window)
{
  return g_list_model_get_n_items (G_LIST_MODEL (TIMCHAT_WINDOW (window)->filtered)) == 0;
}

static void
rename_group (TimClient *owner, const char *group_id, const char *name)
{
  GAsyncResult *result = NULL;

  tim_client_update_group_profile_async (owner, group_id, name, NULL, NULL, NULL, NULL,
                                         tim_test_keep_result, &result);
  g_assert_true (
      tim_client_update_group_profile_finish (owner, tim_test_wait_result (&result), NULL));
}

/* A conversation renamed while a search is typed (here a group, by its owner) is found by its new
 * name and no longer by its old one: the filter over the conversation list took it again. It kept
 * its place as it was, shown under a name that no longer matched, or hidden under one that did,
 * until the search changed. */
static void
test_sidebar_renamed_conversation (void)
{
  g_autoptr (TimClient) ivy = tim_test_client_new (fixture, base_dir, "ivy");
  TimchatWindow *window = test_app_logged_in_window (fixture, base_dir, "jon", NULL);
  g_autofree char *group_id =
      tim_test_create_group (ivy, "Fig Tree", (const char *const[]){ "jon", NULL });
  g_autofree char *conversation_id = tim_conv_make_id (TIM_CONV_GROUP, group_id);
  g_autoptr (TimMessage) hello =
      tim_client_create_text_message (ivy, group_id, TIM_CONV_GROUP, "hello");
  Named named = { window, conversation_id, "Fig Tree" };

  g_assert_true (tim_test_send (ivy, hello, NULL));
  test_app_wait_conversation (window, conversation_id);
  g_assert_true (tim_test_wait_until (conversation_named, &named, 10000));

  type_sidebar_search (window, "Kiwi");
  g_assert_true (filtered_is_empty (window));
  rename_group (ivy, group_id, "Kiwi Grove");
  named.name = "Kiwi Grove";
  g_assert_true (tim_test_wait_until (conversation_named, &named, 10000));
  g_assert_true (tim_test_wait_until (filtered_has_one, window, 2000));

  rename_group (ivy, group_id, "Lime Grove");
  named.name = "Lime Grove";
  g_assert_true (tim_test_wait_until (conversation_named, &named, 10000));
  g_assert_true (tim_test_wait_until (filtered_is_empty, window, 2000));
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char **argv)
{
  test_app_init (&argc, &argv, TRUE);
  fixture = timchat_fixture_new (NULL);
  base_dir = tim_test_make_dir ();
  g_test_add_func ("/app/search/sidebar-all-conversations", test_sidebar_all_conversations);
  g_test_add_func ("/app/search/sidebar-escape", test_sidebar_escape);
  g_test_add_func ("/app/search/sidebar-renamed-conversation", test_sidebar_renamed_conversation);
  return test_app_run (fixture, base_dir);
}
