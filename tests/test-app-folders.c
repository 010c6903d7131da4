/* test-app-folders.c: folders of conversations in the app, against the real server with a real
 * window and a real libtim device of the same user. A conversation's menu makes a folder with
 * it; the drop-down then shows the folder's conversations only, following the other device's
 * changes; the menu puts a conversation in or out; the folder is renamed and deleted from the
 * drop-down's menu, the list showing everything again; an empty folder says so; a search looks
 * in every conversation; each entry says what is unread in it. */
#define G_LOG_DOMAIN "test-app-folders"

#include "config.h"

#include <adwaita.h>

#include "test-app-util.h"
#include "tim-test-util.h"
#include "timchat-window-private.h"
#include "timchat-window.h"

static TimchatFixture *fixture;
static char *base_dir;

static int
compare_ids (const void *a, const void *b)
{
  return g_strcmp0 (*(char *const *) a, *(char *const *) b);
}

static char *
shown (TimchatWindow *window)
{
  g_auto (GStrv) ids = timchat_window_dup_shown_conversations (window);

  qsort (ids, g_strv_length (ids), sizeof (char *), compare_ids);
  return g_strjoinv (" ", ids);
}

static gboolean
is_badge_of_one (GtkWidget *widget, gconstpointer unused)
{
  return GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, "unread-badge") &&
         g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), "1") == 0 &&
         gtk_widget_get_visible (widget);
}

static gboolean
shows_badge (gpointer dropdown)
{
  return test_app_find_widget (dropdown, is_badge_of_one, NULL) != NULL;
}

static char *
folder_lines (gpointer window)
{
  g_auto (GStrv) lines = timchat_window_dup_folder_lines (window);

  return g_strjoinv ("; ", lines);
}

static void
wait_shown (TimchatWindow *window, const char *want)
{
  tim_test_wait_described ((char *(*) (gpointer)) shown, window, want);
}

/* The labels of the row's Folders submenu, "|"-joined, each checked to name the conversation. */
static char *
folder_menu (TimchatWindow *window, const char *conversation_id)
{
  GtkWidget *row =
      test_app_find_widget (GTK_WIDGET (window), test_app_is_conversation_row, conversation_id);
  g_autoptr (GString) labels = g_string_new (NULL);
  GtkWidget *popover;
  GMenuModel *model;

  g_assert_nonnull (row);
  g_assert_true (gtk_widget_activate_action (row, "conversation-row.menu", NULL));
  test_app_iterate (50);
  popover = test_app_find_widget (row, test_app_has_type, GSIZE_TO_POINTER (GTK_TYPE_POPOVER_MENU));
  g_assert_nonnull (popover);
  model = gtk_popover_menu_get_menu_model (GTK_POPOVER_MENU (popover));
  for (int i = 0; i < g_menu_model_get_n_items (model); i++)
    {
      g_autoptr (GMenuModel) folders = g_menu_model_get_item_link (model, i, G_MENU_LINK_SUBMENU);

      for (int j = 0; folders != NULL && j < g_menu_model_get_n_items (folders); j++)
        {
          g_autofree char *label = NULL;
          g_autoptr (GVariant) target = NULL;

          g_assert_true (
              g_menu_model_get_item_attribute (folders, j, G_MENU_ATTRIBUTE_LABEL, "s", &label));
          target =
              g_menu_model_get_item_attribute_value (folders, j, G_MENU_ATTRIBUTE_TARGET, NULL);
          g_assert_nonnull (target);
          if (g_variant_is_of_type (target, G_VARIANT_TYPE ("(ss)")))
            {
              const char *id = NULL;

              g_variant_get (target, "(&s&s)", &id, NULL);
              g_assert_cmpstr (id, ==, conversation_id);
            }
          else
            g_assert_cmpstr (g_variant_get_string (target, NULL), ==, conversation_id);
          g_string_append_printf (labels, "%s%s", labels->len > 0 ? "|" : "", label);
        }
    }
  gtk_popover_popdown (GTK_POPOVER (popover));
  return g_strdup (labels->str);
}

/* The target of the main menu's item for action (its sections searched), which must have one. */
static GVariant *
main_menu_target (TimchatWindow *window, const char *action)
{
  GMenuModel *menu = window->primary_menu;

  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autoptr (GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);

      for (int j = 0; section != NULL && j < g_menu_model_get_n_items (section); j++)
        {
          g_autofree char *name = NULL;

          if (g_menu_model_get_item_attribute (section, j, G_MENU_ATTRIBUTE_ACTION, "s", &name) &&
              g_str_equal (name, action))
            {
              GVariant *target =
                  g_menu_model_get_item_attribute_value (section, j, G_MENU_ATTRIBUTE_TARGET, NULL);

              g_assert_nonnull (target);
              return target;
            }
        }
    }
  g_error ("the main menu has no item for %s", action);
}

static gboolean
has_folders (gpointer data)
{
  g_auto (GStrv) folders = tim_client_dup_folders (data);

  return folders[0] != NULL;
}

static gboolean
has_no_folders (gpointer data)
{
  return !has_folders (data);
}

static void
set_in_folder (TimClient *device, const char *conversation_id, const char *folder)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  const char *ids[] = { conversation_id, NULL };

  tim_client_set_in_folder_async (device, ids, folder, TRUE, NULL, tim_test_keep_result, &result);
  g_assert_true (tim_client_set_in_folder_finish (device, tim_test_wait_result (&result), &error));
  g_assert_no_error (error);
}

static void
test_folders (void)
{
  g_autofree char *phone_dir = g_build_filename (base_dir, "phone", NULL);
  TimchatWindow *window = test_app_logged_in_window (fixture, base_dir, "fio", NULL);
  TimClient *fio = timchat_window_get_client (window);
  g_autoptr (TimClient) gil = tim_test_client_new (fixture, base_dir, "gil");
  g_autoptr (TimClient) hana = tim_test_client_new (fixture, base_dir, "hana");
  g_autoptr (TimClient) phone = NULL;
  g_autofree char *menu = NULL;

  tim_test_send_text (gil, "fio", "hi");
  tim_test_send_text (hana, "fio", "hello");
  wait_shown (window, "C2Cgil C2Chana");
  phone = tim_test_client_new (fixture, phone_dir, "fio");
  g_assert_false (gtk_widget_get_visible (window->folder_bar));
  g_assert_cmpstr ((menu = folder_menu (window, "C2Cgil")), ==, "New _Folder…");
  g_clear_pointer (&menu, g_free);

  /* A folder made from gil's menu: the drop-down comes; chosen, it shows gil only. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.new-folder", "s", "C2Cgil"));
  test_app_answer_dialog ("create", (const char *[]){ "name", "Work", NULL });
  g_assert_true (tim_test_wait_until (has_folders, fio, 10000));
  g_assert_true (gtk_widget_get_visible (window->folder_bar));
  /* Each entry with what is unread in it; reading gil's conversation takes his away. */
  tim_test_wait_described (folder_lines, window, "All Conversations 2; Work 1");
  timchat_window_open_conversation (window, "C2Cgil");
  tim_test_wait_described (folder_lines, window, "All Conversations 1; Work 0");
  /* The entry shown, "All Conversations", wears its badge. */
  g_assert_true (tim_test_wait_until (shows_badge, window->folder_dropdown, 5000));
  test_app_screenshot (GTK_WIDGET (window), "folders-counts.png");
  g_assert_cmpstr ((menu = folder_menu (window, "C2Cgil")), ==, "Remove from “Work”|New _Folder…");
  g_clear_pointer (&menu, g_free);
  g_assert_cmpstr ((menu = folder_menu (window, "C2Chana")), ==, "Add to “Work”|New _Folder…");
  g_clear_pointer (&menu, g_free);
  gtk_drop_down_set_selected (window->folder_dropdown, 1);
  wait_shown (window, "C2Cgil");
  test_app_screenshot (GTK_WIDGET (window), "folders.png");
  /* A search looks in every conversation; cleared, the folder is shown again. */
  gtk_editable_set_text (GTK_EDITABLE (window->search_entry), "hana");
  wait_shown (window, "C2Chana");
  gtk_editable_set_text (GTK_EDITABLE (window->search_entry), "");
  wait_shown (window, "C2Cgil");

  /* An empty one, from the main menu (with the target the menu gives the action): the dialog
   * says so; Create waits for a name, and Enter (a real key press) in the name creates it.
   * Chosen, it says it is empty. */
  {
    g_autoptr (GVariant) target = main_menu_target (window, "win.new-folder");
    AdwMessageDialog *dialog;
    GtkWidget *name;

    g_assert_true (
        gtk_widget_activate_action_variant (GTK_WIDGET (window), "win.new-folder", target));
    dialog = test_app_wait_message_dialog ();
    g_assert_true (g_str_has_prefix (adw_message_dialog_get_body (dialog),
                                     "A folder shows only the conversations you put in it"));
    g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "create");
    g_assert_false (adw_message_dialog_get_response_enabled (dialog, "create"));
    name = g_object_get_data (G_OBJECT (dialog), "name");
    gtk_editable_set_text (GTK_EDITABLE (name), "  ");
    g_assert_false (adw_message_dialog_get_response_enabled (dialog, "create"));
    gtk_editable_set_text (GTK_EDITABLE (name), "Later");
    g_assert_true (adw_message_dialog_get_response_enabled (dialog, "create"));
    g_assert_true (gtk_widget_grab_focus (name));
    test_app_press_key (name, GDK_KEY_Return, 0);
  }
  for (guint tries = 0;
       tries < 100 &&
       g_list_model_get_n_items (G_LIST_MODEL (_timchat_window_get_folder_names (window))) < 3;
       tries++)
    test_app_iterate (100);
  g_assert_cmpstr (gtk_string_list_get_string (_timchat_window_get_folder_names (window), 2), ==,
                   "Later");
  g_assert_cmpuint (gtk_drop_down_get_selected (window->folder_dropdown), ==, 1);
  gtk_drop_down_set_selected (window->folder_dropdown, 2);
  wait_shown (window, "");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->list_stack), ==, "empty-folder");
  gtk_drop_down_set_selected (window->folder_dropdown, 1);
  wait_shown (window, "C2Cgil");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->list_stack), ==, "list");

  /* The other device puts hana in: here too. Taken out of it here, gil goes. */
  set_in_folder (phone, "C2Chana", "Work");
  wait_shown (window, "C2Cgil C2Chana");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.remove-from-folder", "(ss)",
                                             "C2Cgil", "Work"));
  wait_shown (window, "C2Chana");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.add-to-folder", "(ss)",
                                             "C2Cgil", "Work"));
  wait_shown (window, "C2Cgil C2Chana");

  /* Renamed: still the one shown. Deleted: everything shown, the drop-down gone. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.rename-folder", NULL));
  test_app_answer_dialog ("rename", (const char *[]){ "name", "Office", NULL });
  {
    g_auto (GStrv) folders = NULL;

    for (guint tries = 0; tries < 100; tries++)
      {
        g_clear_pointer (&folders, g_strfreev);
        folders = tim_client_dup_folders (fio);
        if (g_strv_contains ((const char *const *) folders, "Office"))
          break;
        test_app_iterate (100);
      }
    g_assert_true (g_strv_contains ((const char *const *) folders, "Office"));
  }
  g_assert_cmpuint (gtk_drop_down_get_selected (window->folder_dropdown), ==, 1);
  g_assert_cmpstr (gtk_string_list_get_string (_timchat_window_get_folder_names (window), 1), ==,
                   "Office");
  tim_test_send_text (hana, "fio", "still here?");
  wait_shown (window, "C2Cgil C2Chana");
  /* Renamed on the other device: still the one shown, by its new name. */
  {
    g_autoptr (GAsyncResult) result = NULL;
    g_autoptr (GError) error = NULL;

    tim_client_rename_folder_async (phone, "Office", "Desk", NULL, tim_test_keep_result, &result);
    g_assert_true (tim_client_rename_folder_finish (phone, tim_test_wait_result (&result), &error));
    g_assert_no_error (error);
  }
  for (guint tries = 0;
       tries < 100 &&
       g_strcmp0 (gtk_string_list_get_string (_timchat_window_get_folder_names (window), 1),
                  "Desk") != 0;
       tries++)
    test_app_iterate (100);
  g_assert_cmpstr (gtk_string_list_get_string (_timchat_window_get_folder_names (window), 1), ==,
                   "Desk");
  g_assert_cmpuint (gtk_drop_down_get_selected (window->folder_dropdown), ==, 1);
  wait_shown (window, "C2Cgil C2Chana");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.delete-folder", NULL));
  test_app_answer_dialog ("delete", NULL);
  for (guint tries = 0;
       tries < 100 &&
       g_list_model_get_n_items (G_LIST_MODEL (_timchat_window_get_folder_names (window))) > 2;
       tries++)
    test_app_iterate (100);
  g_assert_cmpstr (gtk_string_list_get_string (_timchat_window_get_folder_names (window), 1), ==,
                   "Later");
  wait_shown (window, "C2Cgil C2Chana");
  g_assert_cmpuint (gtk_drop_down_get_selected (window->folder_dropdown), ==, 0);
  g_assert_true (gtk_widget_get_visible (window->folder_bar));
  /* The last one deleted: the drop-down goes. */
  gtk_drop_down_set_selected (window->folder_dropdown, 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.delete-folder", NULL));
  test_app_answer_dialog ("delete", NULL);
  g_assert_true (tim_test_wait_until (has_no_folders, fio, 10000));
  g_assert_false (gtk_widget_get_visible (window->folder_bar));
  wait_shown (window, "C2Cgil C2Chana");
  test_app_close (GTK_WIDGET (window));
}

typedef struct
{
  TimClient *client;
  const char *conversation_id;
  const char *folder;
} InFolder;

static gboolean
is_in_folder (gpointer data)
{
  InFolder *in = data;
  TimConversation *conversation =
      tim_conversation_list_lookup (tim_client_get_conversations (in->client), in->conversation_id);

  return conversation != NULL && tim_conversation_is_in_folder (conversation, in->folder);
}

/* A folder's name in a conversation's menu is shown as it is: a menu takes "_" for the mark of
 * the key that follows, and "to_do" read "Remove from “to_do”", its "d" underlined. */
static void
test_name_in_menu (void)
{
  g_autofree char *phone_dir = g_build_filename (base_dir, "kit-phone", NULL);
  TimchatWindow *window = test_app_logged_in_window (fixture, base_dir, "kit", NULL);
  g_autoptr (TimClient) lou = tim_test_client_new (fixture, base_dir, "lou");
  g_autoptr (TimClient) phone = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  GtkWidget *row, *popover;

  tim_test_send_text (lou, "kit", "hi");
  wait_shown (window, "C2Clou");
  phone = tim_test_client_new (fixture, phone_dir, "kit");
  tim_client_create_folder_async (phone, "to_do", NULL, NULL, tim_test_keep_result, &result);
  g_assert_true (tim_client_create_folder_finish (phone, tim_test_wait_result (&result), &error));
  g_assert_no_error (error);
  set_in_folder (phone, "C2Clou", "to_do");
  g_assert_true (tim_test_wait_until (
      is_in_folder, &(InFolder){ timchat_window_get_client (window), "C2Clou", "to_do" }, 10000));

  row = test_app_find_widget (GTK_WIDGET (window), test_app_is_conversation_row, "C2Clou");
  g_assert_nonnull (row);
  g_assert_true (gtk_widget_activate_action (row, "conversation-row.menu", NULL));
  test_app_iterate (50);
  popover = test_app_find_widget (row, test_app_has_type, GSIZE_TO_POINTER (GTK_TYPE_POPOVER_MENU));
  g_assert_nonnull (popover);
  g_assert_nonnull (test_app_find_widget (popover, test_app_has_text, "Remove from “to_do”"));
  gtk_popover_popdown (GTK_POPOVER (popover));
  test_app_close (GTK_WIDGET (window));
}

int
main (int argc, char **argv)
{
  test_app_init (&argc, &argv, TRUE);
  base_dir = tim_test_make_dir ();
  fixture = timchat_fixture_new (NULL);
  g_test_add_func ("/app/folders/folders", test_folders);
  g_test_add_func ("/app/folders/name-in-menu", test_name_in_menu);
  return test_app_run (fixture, base_dir);
}
