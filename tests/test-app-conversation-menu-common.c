/* test-app-conversation-menu-common.c: the helpers that more than one of the conversation menu's
 * test programs (tests/test-app-conversation-menu-*.c) use: the server and the test's directory,
 * waiting for the list, a conversation menu's labels, what the server says, the icons of a row and
 * a group's unread message. */
#define G_LOG_DOMAIN "test-app-conversation-menu-common"

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "test-app-conversation-menu-common.h"
#include "test-app-util.h"
#include "tim-test-util.h"
#include "timchat-test-util.h"

TimchatFixture *fixture;
char *base_dir;

static gboolean
list_shows (gpointer data)
{
  Expect *expect = data;
  TimConversation *conversation = tim_conversation_list_lookup (
      tim_client_get_conversations (timchat_window_get_client (expect->window)),
      expect->conversation_id);

  if (expect->unread == G_MAXUINT)
    return conversation == NULL &&
           test_app_find_widget (GTK_WIDGET (expect->window), test_app_is_conversation_row,
                                 expect->conversation_id) == NULL;
  return conversation != NULL &&
         tim_conversation_get_unread_count (conversation) == expect->unread &&
         test_app_find_widget (GTK_WIDGET (expect->window), test_app_is_conversation_row,
                               expect->conversation_id);
}

void
wait_list (TimchatWindow *window, const char *conversation_id, guint unread)
{
  Expect expect = { window, conversation_id, unread };

  if (!tim_test_wait_until (list_shows, &expect, 10000))
    g_error ("the list does not show %s with %u unread", conversation_id, unread);
}

/* The items' labels of a conversation's menu (model), "|"-joined; each item is a window action
 * on the conversation (or its person). */
char *
model_labels (GMenuModel *model, const char *conversation_id)
{
  g_autoptr (GString) labels = g_string_new (NULL);

  test_app_assert_access_keys_unique (model);
  for (int i = 0; i < g_menu_model_get_n_items (model); i++)
    {
      g_autofree char *label = NULL;
      g_autofree char *action = NULL;
      g_autofree char *target = NULL;
      g_autoptr (GMenuModel) submenu = g_menu_model_get_item_link (model, i, G_MENU_LINK_SUBMENU);

      g_assert_true (
          g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_LABEL, "s", &label));
      /* A submenu (Folders) is its label and ">": test-app-folders looks inside. */
      if (submenu != NULL)
        {
          g_string_append_printf (labels, "%s%s>", labels->len > 0 ? "|" : "", label);
          continue;
        }
      g_assert_true (
          g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_ACTION, "s", &action));
      g_assert_true (
          g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_TARGET, "s", &target));
      g_assert_true (g_str_has_prefix (action, "win."));
      /* Blocking is of the person: their user ID; the rest are of the conversation. */
      if (g_str_has_suffix (action, "block-user"))
        g_assert_cmpstr (target, ==, conversation_id + strlen ("C2C"));
      else
        g_assert_cmpstr (target, ==, conversation_id);
      g_string_append_printf (labels, "%s%s", labels->len > 0 ? "|" : "", label);
    }
  return g_strdup (labels->str);
}

/* Opens the row's context menu as the Menu key does; returns its items' labels, "|"-joined. */
char *
menu_labels (TimchatWindow *window, const char *conversation_id)
{
  GtkWidget *row =
      test_app_find_widget (GTK_WIDGET (window), test_app_is_conversation_row, conversation_id);
  GtkWidget *popover;
  char *labels;

  g_assert_nonnull (row);
  g_assert_true (gtk_widget_activate_action (row, "conversation-row.menu", NULL));
  test_app_iterate (50);
  popover = test_app_find_widget (row, test_app_has_type, GSIZE_TO_POINTER (GTK_TYPE_POPOVER_MENU));
  g_assert_nonnull (popover);
  g_assert_true (gtk_widget_get_visible (popover));
  labels =
      model_labels (gtk_popover_menu_get_menu_model (GTK_POPOVER_MENU (popover)), conversation_id);
  gtk_popover_popdown (GTK_POPOVER (popover));
  return labels;
}

/* What the server says, seen by a new device of user that logs in now (a store of its own, under
 * base_dir so that it goes with the test). */
TimConversation *
server_conversation (TimClient **device, const char *user, const char *conversation_id)
{
  static guint devices;
  g_autofree char *dir = g_strdup_printf ("%s/device-%u", base_dir, ++devices);

  g_clear_object (device);
  *device = tim_test_client_new (fixture, dir, user);
  return tim_conversation_list_lookup (tim_client_get_conversations (*device), conversation_id);
}

/* The icon with tooltip the row of conversation_id shows, or NULL while it shows none. */
GtkWidget *
icon_shown (TimchatWindow *window, const char *conversation_id, const char *tooltip)
{
  GtkWidget *row =
      test_app_find_widget (GTK_WIDGET (window), test_app_is_conversation_row, conversation_id);
  GtkWidget *icon = row != NULL ? test_app_find_widget (row, test_app_has_tooltip, tooltip) : NULL;

  return icon != NULL && gtk_widget_get_visible (icon) ? icon : NULL;
}

/* The group expect->conversation_id has its message ("hi all") in, unread (the count is not
 * known in advance: tips count too). */
gboolean
group_unread (gpointer data)
{
  Expect *expect = data;
  TimConversation *conversation = tim_conversation_list_lookup (
      tim_client_get_conversations (timchat_window_get_client (expect->window)),
      expect->conversation_id);
  TimMessage *last = conversation != NULL ? tim_conversation_get_last_message (conversation) : NULL;

  return last != NULL && g_strcmp0 (tim_message_get_text (last), "hi all") == 0 &&
         tim_conversation_get_unread_count (conversation) > 0;
}
