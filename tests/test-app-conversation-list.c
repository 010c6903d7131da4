/* test-app-conversation-list.c: a GtkListView with the window's factory pattern over a
 * TimConversationList: rows show name, preview ("You: …", recalled), unread badge ("99+"), pin and
 * an unread mention ("[@Me]", "[@All]"), an unsent draft ("[Draft]");
 * they follow unread, last message and name changes live; a screenshot of the list is written to
 * the build dir and checked not blank. */
#define G_LOG_DOMAIN "test-app-conversation-list"

#include "config.h"

#include <adwaita.h>

#include "tim-conversation-list.h"
#include "tim-json.h"
#include "tim-message-private.h"
#include "test-app-util.h"
#include "tim-test-util.h"
#include "timchat-conversation-row.h"
#include "timchat-resources.h"

#define ME "me"

static void
setup_row (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  gtk_list_item_set_child (item, timchat_conversation_row_new ());
}

static void
bind_row (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  timchat_conversation_row_set_conversation (
      TIMCHAT_CONVERSATION_ROW (gtk_list_item_get_child (item)), gtk_list_item_get_item (item), ME);
}

static void
unbind_row (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  timchat_conversation_row_set_conversation (
      TIMCHAT_CONVERSATION_ROW (gtk_list_item_get_child (item)), NULL, NULL);
}

static TimMessage *
text_message (const char *from, const char *to, TimConvType type, const char *text, gint64 time)
{
  g_autoptr (JsonObject) payload = json_object_new ();
  TimMessage *message;

  json_object_set_string_member (payload, "text", text);
  message = _tim_message_new_outgoing (from, "1", to, type, TIM_ELEM_TEXT, payload, time, 7, 7, 2);
  if (g_strcmp0 (from, ME) != 0)
    message->flow_out = FALSE;
  return message;
}

/* frank's voice message, which the server's list calls "[Voice]" (the SDK's messageForShow): the
 * row says it in the user's words, from the message. */
static TimConversation *
voice_conversation (TimConversationList *list, gint64 time)
{
  g_autoptr (TimConversation) conversation = _tim_conversation_new ("C2Cfrank");
  g_autoptr (JsonObject) payload =
      tim_json_parse_object ("{\"uuid\":\"s\",\"second\":3}", -1, NULL);
  g_autoptr (TimMessage) voice = _tim_message_new_outgoing ("frank", "1", ME, TIM_CONV_C2C,
                                                            TIM_ELEM_SOUND, payload, time, 9, 9, 2);

  voice->flow_out = FALSE;
  _tim_conversation_set_profile (conversation, "Frank", NULL);
  _tim_conversation_set_last_message (conversation, voice, "[Voice]");
  _tim_conversation_set_last_time (conversation, time);
  _tim_conversation_list_upsert (list, conversation);
  return conversation; /* the list holds it */
}

/* A group whose last message is a tip (dave renamed it). */
static TimConversation *
tip_conversation (TimConversationList *list, gint64 time)
{
  g_autoptr (TimConversation) conversation = _tim_conversation_new ("GROUPclimb");
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) payload = tim_json_parse_object (
      "{\"operationType\":6,\"operatorID\":\"dave\",\"newGroupProfile\":{\"groupName\":"
      "\"Climbers\"}}",
      -1, &error);
  g_autoptr (TimMessage) tip = NULL;

  g_assert_no_error (error);
  tip = _tim_message_new_outgoing ("dave", "1", "climb", TIM_CONV_GROUP, TIM_ELEM_GROUP_TIP,
                                   payload, time, 8, 8, 2);
  tip->flow_out = FALSE;
  _tim_conversation_set_profile (conversation, "Climbers", NULL);
  _tim_conversation_set_last_message (conversation, tip, "[Group Notification]");
  _tim_conversation_set_last_time (conversation, time);
  _tim_conversation_list_upsert (list, conversation);
  return conversation; /* the list holds it */
}

static TimConversation *
conversation_new (TimConversationList *list, const char *id, const char *name, const char *from,
                  const char *text, gint64 time, guint unread, gboolean pinned)
{
  g_autoptr (TimConversation) conversation = _tim_conversation_new (id);
  TimConvType type = g_str_has_prefix (id, "GROUP") ? TIM_CONV_GROUP : TIM_CONV_C2C;
  g_autoptr (TimMessage) message =
      text_message (from, tim_conversation_get_peer (conversation), type, text, time);

  _tim_conversation_set_profile (conversation, name, NULL);
  _tim_conversation_set_last_message (conversation, message, text);
  _tim_conversation_set_last_time (conversation, time);
  _tim_conversation_set_unread_count (conversation, unread);
  _tim_conversation_set_is_pinned (conversation, pinned);
  _tim_conversation_list_upsert (list, conversation);
  return conversation; /* the list holds it */
}

static void
collect (GtkWidget *widget, GType type, GPtrArray *out)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    g_ptr_array_add (out, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect (child, type, out);
}

static GtkWidget *
row_for (GtkWidget *list_view, TimConversation *conversation)
{
  g_autoptr (GPtrArray) rows = g_ptr_array_new ();

  collect (list_view, TIMCHAT_TYPE_CONVERSATION_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    if (timchat_conversation_row_get_conversation (g_ptr_array_index (rows, i)) == conversation)
      return g_ptr_array_index (rows, i);
  return NULL;
}

static gboolean
shown (GtkWidget *widget)
{
  for (; widget != NULL; widget = gtk_widget_get_parent (widget))
    if (!gtk_widget_get_visible (widget))
      return FALSE;
  return TRUE;
}

/* Texts of the row's shown labels, " | "-joined in tree order. */
static char *
row_text (GtkWidget *row)
{
  g_autoptr (GPtrArray) labels = g_ptr_array_new ();
  GString *text = g_string_new (NULL);

  collect (row, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (shown (g_ptr_array_index (labels, i)))
      g_string_append_printf (text, "%s%s", text->len > 0 ? " | " : "",
                              gtk_label_get_text (g_ptr_array_index (labels, i)));
  return g_string_free (text, FALSE);
}

static gboolean
pin_shown (GtkWidget *row)
{
  g_autoptr (GPtrArray) images = g_ptr_array_new ();

  collect (row, GTK_TYPE_IMAGE, images);
  for (guint i = 0; i < images->len; i++)
    if (g_strcmp0 (gtk_image_get_icon_name (g_ptr_array_index (images, i)), "view-pin-symbolic") ==
            0 &&
        shown (g_ptr_array_index (images, i)))
      return TRUE;
  return FALSE;
}

typedef struct
{
  GtkWidget *view;
  TimConversation *conversation;
  const char *text;   /* found in the row's text, or NULL */
  const char *suffix; /* the row's text ends with it, or NULL */
  gboolean pinned;
} RowWait;

static gboolean
row_shows (gpointer data)
{
  RowWait *wait = data;
  GtkWidget *row = row_for (wait->view, wait->conversation);
  g_autofree char *text = row != NULL ? row_text (row) : NULL;

  return text != NULL && (wait->text == NULL || strstr (text, wait->text) != NULL) &&
         (wait->suffix == NULL || g_str_has_suffix (text, wait->suffix)) &&
         (!wait->pinned || pin_shown (row));
}

/* Rows are made, bound and updated over frames: wait for what the assertions then check, rather
 * than for a fixed time that a loaded machine may not give the list. */
static void
wait_row (GtkWidget *view, TimConversation *conversation, const char *text, const char *suffix,
          gboolean pinned)
{
  RowWait wait = { view, conversation, text, suffix, pinned };

  g_assert_true (tim_test_wait_until (row_shows, &wait, 10000));
}

static void
save_screenshot (GtkWidget *window, const char *name)
{
  g_autoptr (GdkTexture) texture = test_app_render (window);
  int width = gdk_texture_get_width (texture), height = gdk_texture_get_height (texture);
  g_autofree char *path = g_build_filename (
      g_getenv ("TIMCHAT_BUILD_DIR") != NULL ? g_getenv ("TIMCHAT_BUILD_DIR") : ".", name, NULL);
  gsize stride = width * 4;
  g_autofree guchar *pixels = NULL;
  guint distinct = 0;

  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s (%dx%d)", path, width, height);
  pixels = g_malloc (stride * height);
  gdk_texture_download (texture, pixels, stride);
  for (gsize i = 4; i < stride * height; i += 4)
    distinct += memcmp (pixels + i, pixels, 4) != 0;
  g_assert_cmpuint (distinct, >, (guint) (width * height / 50));
}

static void
test_list (void)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autoptr (TimConversationList) list = _tim_conversation_list_new ();
  TimConversation *bob, *carol, *team, *dave, *erin, *climbers, *notices, *frank;
  g_autoptr (GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  GtkWidget *window = gtk_window_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *view;
  g_autofree char *text = NULL;

  bob = conversation_new (list, "C2Cbob", "Bob", "bob", "See you [Grin]", now - 60, 3, FALSE);
  carol = conversation_new (list, "C2Ccarol", "Carol", ME, "On my way", now - 3600, 0, TRUE);
  team = conversation_new (list, "GROUPteam", "The Team", "dave", "Standup moved", now - 86400 * 2,
                           150, FALSE);
  dave =
      conversation_new (list, "C2Cdave", "Dave", "dave", "Old news", now - 86400 * 30, 99, FALSE);
  erin = conversation_new (list, "C2Cerin", "Erin", "erin", "deleted", now - 120, 0, FALSE);
  _tim_message_set_revoked (tim_conversation_get_last_message (erin), "erin");
  climbers = tip_conversation (list, now - 30);
  frank = voice_conversation (list, now - 20);
  notices = conversation_new (list, "@TIM#SYSTEM", NULL, "@TIM#SYSTEM", "[Group System Message]",
                              now - 40, 0, FALSE);

  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row), NULL);
  view = gtk_list_view_new (
      GTK_SELECTION_MODEL (gtk_single_selection_new (G_LIST_MODEL (g_object_ref (list)))),
      g_object_ref (factory));
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), view);
  gtk_window_set_child (GTK_WINDOW (window), scrolled);
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 420);
  gtk_window_present (GTK_WINDOW (window));
  wait_row (view, bob, "See you", " | 3", FALSE);
  wait_row (view, carol, "You: On my way", NULL, TRUE);
  wait_row (view, team, NULL, " | 99+", FALSE);
  wait_row (view, dave, NULL, " | 99", FALSE);
  wait_row (view, erin, "recalled a message", NULL, FALSE);
  wait_row (view, frank, "[Voice Message]", NULL, FALSE);
  /* The server's notices: named, and a bell instead of initials. */
  wait_row (view, notices, NULL, NULL, FALSE);
  {
    g_autofree char *notices_text = row_text (row_for (view, notices));
    AdwAvatar *avatar = ADW_AVATAR (test_app_find_widget (
        row_for (view, notices), test_app_has_type, GSIZE_TO_POINTER (ADW_TYPE_AVATAR)));

    g_assert_nonnull (strstr (notices_text, "Group Notices"));
    g_assert_false (adw_avatar_get_show_initials (avatar));
    g_assert_cmpstr (adw_avatar_get_icon_name (avatar), ==,
                     "preferences-system-notifications-symbolic");
    g_assert_true (adw_avatar_get_show_initials (ADW_AVATAR (test_app_find_widget (
        row_for (view, bob), test_app_has_type, GSIZE_TO_POINTER (ADW_TYPE_AVATAR)))));
  }
  /* A tip in words, as the conversation shows it, not the SDK's "[Group Notification]". */
  wait_row (view, climbers, "dave renamed the group to “Climbers”", NULL, FALSE);
  /* One about me, to me. */
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (JsonObject) payload = tim_json_parse_object (
        "{\"operationType\":4,\"operatorID\":\"dave\",\"userIDList\":[\"" ME "\"]}", -1, &error);
    g_autoptr (TimMessage) tip = _tim_message_new_outgoing (
        "dave", "1", "climb", TIM_CONV_GROUP, TIM_ELEM_GROUP_TIP, payload, now - 20, 9, 9, 2);

    g_assert_no_error (error);
    tip->flow_out = FALSE;
    _tim_conversation_set_last_message (climbers, tip, "[Group Notification]");
    wait_row (view, climbers, "You are now an admin", NULL, FALSE);
  }

  /* Pinned first, then newest first. */
  g_assert_true (g_list_model_get_item (G_LIST_MODEL (list), 0) == (gpointer) carol);
  g_object_unref (carol);

  text = row_text (row_for (view, bob));
  g_test_message ("bob: %s", text);
  g_assert_nonnull (strstr (text, "Bob"));
  g_assert_nonnull (strstr (text, "See you 😁"));
  g_assert_nonnull (strstr (text, " | 3"));
  g_assert_null (strstr (text, "You:"));
  g_assert_false (pin_shown (row_for (view, bob)));
  g_clear_pointer (&text, g_free);

  text = row_text (row_for (view, carol));
  g_test_message ("carol: %s", text);
  g_assert_nonnull (strstr (text, "You: On my way"));
  g_assert_true (pin_shown (row_for (view, carol)));
  /* No badge at 0: the last label is the preview. */
  g_assert_true (g_str_has_suffix (text, "You: On my way"));
  g_clear_pointer (&text, g_free);

  text = row_text (row_for (view, team));
  g_test_message ("team: %s", text);
  g_assert_nonnull (strstr (text, "Standup moved"));
  g_assert_true (g_str_has_suffix (text, " | 99+"));
  g_clear_pointer (&text, g_free);

  text = row_text (row_for (view, dave));
  g_assert_true (g_str_has_suffix (text, " | 99"));
  g_clear_pointer (&text, g_free);

  text = row_text (row_for (view, erin));
  g_assert_nonnull (strstr (text, "Erin recalled a message"));
  g_clear_pointer (&text, g_free);

  /* Live: unread, the last message and the name change without rebinding. */
  _tim_conversation_set_unread_count (bob, 0);
  wait_row (view, bob, NULL, "See you 😁", FALSE);
  text = row_text (row_for (view, bob));
  g_assert_true (g_str_has_suffix (text, "See you 😁"));
  g_clear_pointer (&text, g_free);
  _tim_conversation_set_unread_count (bob, 7);
  _tim_conversation_set_profile (bob, "Bobby", NULL);
  {
    g_autoptr (TimMessage) reply = text_message (ME, "bob", TIM_CONV_C2C, "Sure", now);

    _tim_conversation_set_last_message (bob, reply, "Sure");
    _tim_conversation_set_last_time (bob, now);
  }
  wait_row (view, bob, "You: Sure", " | 7", FALSE);
  text = row_text (row_for (view, bob));
  g_test_message ("bob after: %s", text);
  g_assert_nonnull (strstr (text, "Bobby"));
  g_assert_nonnull (strstr (text, "You: Sure"));
  g_assert_true (g_str_has_suffix (text, " | 7"));
  g_clear_pointer (&text, g_free);
  /* The peer typing goes over a draft while it lasts. */
  _tim_conversation_set_draft_text (bob, "for bob");
  wait_row (view, bob, "| [Draft] | for bob", " | 7", FALSE);
  _tim_conversation_set_peer_typing (bob, TRUE, 60000);
  wait_row (view, bob, "| typing… | 7", NULL, FALSE);
  text = row_text (row_for (view, bob));
  g_assert_null (strstr (text, "[Draft]"));
  g_clear_pointer (&text, g_free);
  _tim_conversation_set_peer_typing (bob, FALSE, 0);
  wait_row (view, bob, "| [Draft] | for bob", " | 7", FALSE);
  _tim_conversation_set_draft_text (bob, NULL);
  wait_row (view, bob, "| You: Sure | 7", NULL, FALSE);
  /* The recall of the shown last message. */
  _tim_message_set_revoked (tim_conversation_get_last_message (bob), ME);
  wait_row (view, bob, "You recalled a message", NULL, FALSE);
  text = row_text (row_for (view, bob));
  g_assert_nonnull (strstr (text, "You recalled a message"));
  g_clear_pointer (&text, g_free);
  /* An unread mention stands before the preview, @me over @all; reading the group clears it. */
  _tim_conversation_set_group_at_type (team, TIM_GROUP_AT_ALL);
  wait_row (view, team, "[@All] | dave: Standup moved", NULL, FALSE);
  _tim_conversation_set_group_at_type (team, TIM_GROUP_AT_ALL | TIM_GROUP_AT_ME);
  wait_row (view, team, "[@Me] | dave: Standup moved", NULL, FALSE);
  save_screenshot (window, "test-app-conversation-list-mention.png");
  /* An unsent draft shows instead of the last message, on one line, after the mention. */
  _tim_conversation_set_draft_text (team, "plan [Grin]\nline two");
  wait_row (view, team, "[@Me] | [Draft] | plan 😁 line two", NULL, FALSE);
  save_screenshot (window, "test-app-conversation-list-draft.png");
  _tim_conversation_set_draft_text (team, "");
  wait_row (view, team, "[@Me] | dave: Standup moved", NULL, FALSE);
  _tim_conversation_set_unread_count (team, 0);
  wait_row (view, team, "The Team", NULL, FALSE);
  text = row_text (row_for (view, team));
  g_test_message ("team read: %s", text);
  g_assert_null (strstr (text, "[@"));
  g_assert_cmpint (tim_conversation_get_group_at_type (team), ==, TIM_GROUP_AT_NONE);
  g_clear_pointer (&text, g_free);
  /* Pinning shows the pin. */
  _tim_conversation_set_is_pinned (team, TRUE);
  _tim_conversation_list_upsert (list, team);
  wait_row (view, team, NULL, NULL, TRUE);
  g_assert_true (pin_shown (row_for (view, team)));

  save_screenshot (window, "test-app-conversation-list.png");
  gtk_window_destroy (GTK_WINDOW (window));
  test_app_iterate (50);
}

static void
test_row_unbind (void)
{
  g_autoptr (TimConversationList) list = _tim_conversation_list_new ();
  TimConversation *conversation =
      conversation_new (list, "C2Cfrank", "Frank", "frank", "hey", 1000, 1, FALSE);
  GtkWidget *row = g_object_ref_sink (timchat_conversation_row_new ());

  timchat_conversation_row_set_conversation (TIMCHAT_CONVERSATION_ROW (row), conversation, ME);
  g_assert_true (timchat_conversation_row_get_conversation (TIMCHAT_CONVERSATION_ROW (row)) ==
                 conversation);
  timchat_conversation_row_set_conversation (TIMCHAT_CONVERSATION_ROW (row), NULL, NULL);
  g_assert_null (timchat_conversation_row_get_conversation (TIMCHAT_CONVERSATION_ROW (row)));
  g_assert_cmpuint (g_signal_handlers_disconnect_matched (conversation, G_SIGNAL_MATCH_DATA, 0, 0,
                                                          NULL, NULL, row),
                    ==, 0);
  timchat_conversation_row_set_conversation (TIMCHAT_CONVERSATION_ROW (row), conversation, ME);
  g_assert_finalize_object (row);
  _tim_conversation_set_unread_count (conversation, 2);
}

int
main (int argc, char **argv)
{
  /* What AdwApplication does for the app: our style.css from the resource base path. */
  test_app_init (&argc, &argv, TRUE);
  g_test_add_func ("/app/conversation-list/rows", test_list);
  g_test_add_func ("/app/conversation-list/unbind", test_row_unbind);
  return g_test_run ();
}
