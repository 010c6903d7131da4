/* timchat-group-dialog-members.c: what the group dialog does to one member, from the "…" button
 * on the member's row: the owner makes a member an admin or takes the role back, and removes
 * anyone but itself; an admin removes plain members. Removing asks first. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <glib/gi18n.h>

#include "timchat-dialogs.h"
#include "timchat-group-dialog-private.h"

/* What I may do to this member: the owner sets admins and removes anyone but itself; an admin
 * removes plain members. NULL when nothing. */
static GMenuModel *
member_menu (const char *my_role, const TimGroupMember *member)
{
  GMenu *menu;

  if (g_strcmp0 (member->role, "Owner") == 0 ||
      !(g_strcmp0 (my_role, "Owner") == 0 ||
        (g_strcmp0 (my_role, "Admin") == 0 && g_strcmp0 (member->role, "Member") == 0)))
    return NULL;
  menu = g_menu_new ();
  if (g_strcmp0 (my_role, "Owner") == 0)
    {
      gboolean admin = g_strcmp0 (member->role, "Admin") == 0;
      g_autoptr (GMenuItem) item =
          g_menu_item_new (admin ? _ ("Remove _Admin Role") : _ ("Make _Admin"), NULL);

      g_menu_item_set_action_and_target (item, admin ? "group.revoke-admin" : "group.make-admin",
                                         "s", member->user_id);
      g_menu_append_item (menu, item);
    }
  {
    g_autoptr (GMenuItem) item = g_menu_item_new (_ ("_Remove from Group"), NULL);

    g_menu_item_set_action_and_target (item, "group.remove", "s", member->user_id);
    g_menu_append_item (menu, item);
  }
  return G_MENU_MODEL (menu);
}

static GtkWidget *
member_menu_button (GMenuModel *menu, const char *title)
{
  GtkWidget *button = gtk_menu_button_new ();
  /* Translators: the accessible name of the "…" button on a member's row; %s is the member. */
  g_autofree char *label = g_strdup_printf (_ ("Actions for %s"), title);

  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "view-more-symbolic");
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (button), menu);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
  return button;
}

GtkWidget *
_timchat_group_dialog_member_actions (const char *my_role, const TimGroupMember *member,
                                      const char *title)
{
  g_autoptr (GMenuModel) menu = member_menu (my_role, member);

  return menu != NULL ? member_menu_button (menu, title) : NULL;
}

/* ---------------------------------------------------------------- one member */

static void
member_changed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TimchatGroupDialog) self = user_data;
  g_autoptr (GError) error = NULL;
  gboolean done = g_async_result_is_tagged (result, tim_client_set_group_admin_async)
                      ? tim_client_set_group_admin_finish (TIM_CLIENT (source), result, &error)
                      : tim_client_remove_group_member_finish (TIM_CLIENT (source), result, &error);

  if (!done)
    _timchat_group_dialog_toast_error (self, error);
  _timchat_group_dialog_load_members (self);
}

static void
admin_action (GtkWidget *widget, const char *action, GVariant *parameter)
{
  TimchatGroupDialog *self = TIMCHAT_GROUP_DIALOG (widget);

  tim_client_set_group_admin_async (self->client, self->group_id,
                                    g_variant_get_string (parameter, NULL),
                                    g_str_equal (action, "group.make-admin"), self->cancellable,
                                    member_changed, g_object_ref (self));
}

static void
on_remove_response (AdwMessageDialog *dialog, const char *response, TimchatGroupDialog *self)
{
  if (g_str_equal (response, "remove"))
    tim_client_remove_group_member_async (self->client, self->group_id,
                                          g_object_get_data (G_OBJECT (dialog), "user"),
                                          self->cancellable, member_changed, g_object_ref (self));
}

static void
remove_action (GtkWidget *widget, const char *action, GVariant *parameter)
{
  TimchatGroupDialog *self = TIMCHAT_GROUP_DIALOG (widget);
  const char *user = g_variant_get_string (parameter, NULL);
  const TimGroupMember *member = _timchat_group_dialog_find_member (self, user);
  /* Translators: the first %s is a user, the second the group. */
  g_autofree char *heading = g_strdup_printf (
      _ ("Remove %s from “%s”?"), member != NULL ? tim_group_member_get_name (member) : user,
      _timchat_group_dialog_get_name (self));
  GtkWidget *dialog =
      timchat_confirm_dialog_new (GTK_WINDOW (self), heading, NULL, "remove", _ ("_Remove"));

  g_object_set_data_full (G_OBJECT (dialog), "user", g_strdup (user), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_remove_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
_timchat_group_dialog_class_init_members (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "group.make-admin", "s", admin_action);
  gtk_widget_class_install_action (widget_class, "group.revoke-admin", "s", admin_action);
  gtk_widget_class_install_action (widget_class, "group.remove", "s", remove_action);
}
