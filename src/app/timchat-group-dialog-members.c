/* timchat-group-dialog-members.c: what the group dialog does to one member, from the "…" button
 * on the member's row: the owner makes a member an admin or takes the role back, hands the group
 * over to them, mutes them for a while, and removes anyone but itself; an admin mutes and
 * removes plain members. Handing over and
 * removing ask first. And who is online: a
 * green dot on the row, as on a conversation's picture, followed live while the dialog is open
 * (tim_client_subscribe_user_status_async ()). */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <glib/gi18n.h>

#include "timchat-avatar.h"
#include "timchat-dialogs.h"
#include "timchat-format.h"
#include "timchat-group-dialog-private.h"

static gboolean
is_muted (const TimGroupMember *member)
{
  return member->mute_until > g_get_real_time () / G_USEC_PER_SEC;
}

/* Unmute, or how long to mute for: "group.mute" with (user, seconds). */
static GMenuModel *
mute_menu (const TimGroupMember *member)
{
  static const struct
  {
    const char *label;
    guint seconds;
  } choices[] = {
    { N_ ("Mute for 10 _Minutes"), 10 * 60 },
    { N_ ("Mute for 1 _Hour"), 60 * 60 },
    { N_ ("Mute for 1 _Day"), 24 * 60 * 60 },
  };
  GMenu *menu = g_menu_new ();

  if (is_muted (member))
    {
      g_autoptr (GMenuItem) item = g_menu_item_new (_ ("Un_mute"), NULL);

      g_menu_item_set_action_and_target (item, "group.mute", "(su)", member->user_id, 0);
      g_menu_append_item (menu, item);
      return G_MENU_MODEL (menu);
    }
  for (guint i = 0; i < G_N_ELEMENTS (choices); i++)
    {
      g_autoptr (GMenuItem) item = g_menu_item_new (_ (choices[i].label), NULL);

      g_menu_item_set_action_and_target (item, "group.mute", "(su)", member->user_id,
                                         choices[i].seconds);
      g_menu_append_item (menu, item);
    }
  return G_MENU_MODEL (menu);
}

char *
_timchat_group_dialog_member_subtitle (const TimGroupMember *member)
{
  g_autofree char *until = NULL;

  if (!is_muted (member))
    return g_strdup (_timchat_group_dialog_role_text (member->role));
  until = timchat_format_until (member->mute_until);
  /* Translators: a member's role, then until when they may not post ("14:30", "Tue 14:30"). */
  return g_strdup_printf (_ ("%s · Muted until %s"), _timchat_group_dialog_role_text (member->role),
                          until);
}

/* What I may do to this member: the owner sets admins and removes anyone but itself; an admin
 * removes plain members; both mute whom they may remove. NULL when nothing. */
static GMenuModel *
member_menu (const char *my_role, const TimGroupMember *member)
{
  g_autoptr (GMenuModel) mutes = NULL;
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

      g_autoptr (GMenuItem) hand_over = g_menu_item_new (_ ("Make _Owner…"), NULL);

      g_menu_item_set_action_and_target (item, admin ? "group.revoke-admin" : "group.make-admin",
                                         "s", member->user_id);
      g_menu_append_item (menu, item);
      g_menu_item_set_action_and_target (hand_over, "group.make-owner", "s", member->user_id);
      g_menu_append_item (menu, hand_over);
    }
  mutes = mute_menu (member);
  g_menu_append_section (menu, NULL, mutes);
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
  TimClient *client = TIM_CLIENT (source);
  gboolean done;

  if (g_async_result_is_tagged (result, tim_client_set_group_admin_async))
    done = tim_client_set_group_admin_finish (client, result, &error);
  else if (g_async_result_is_tagged (result, tim_client_change_group_owner_async))
    done = tim_client_change_group_owner_finish (client, result, &error);
  else if (g_async_result_is_tagged (result, tim_client_set_group_member_mute_time_async))
    done = tim_client_set_group_member_mute_time_finish (client, result, &error);
  else
    done = tim_client_remove_group_member_finish (client, result, &error);

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
mute_action (GtkWidget *widget, const char *action, GVariant *parameter)
{
  TimchatGroupDialog *self = TIMCHAT_GROUP_DIALOG (widget);
  const char *user;
  guint32 seconds;

  g_variant_get (parameter, "(&su)", &user, &seconds);
  tim_client_set_group_member_mute_time_async (self->client, self->group_id, user, seconds,
                                               self->cancellable, member_changed,
                                               g_object_ref (self));
}

static void
on_confirm_response (AdwMessageDialog *dialog, const char *response, TimchatGroupDialog *self)
{
  const char *user = g_object_get_data (G_OBJECT (dialog), "user");

  if (g_str_equal (response, "remove"))
    tim_client_remove_group_member_async (self->client, self->group_id, user, self->cancellable,
                                          member_changed, g_object_ref (self));
  else if (g_str_equal (response, "hand-over"))
    tim_client_change_group_owner_async (self->client, self->group_id, user, self->cancellable,
                                         member_changed, g_object_ref (self));
}

/* Removing a member and handing the group over ask first. */
static void
confirm_action (GtkWidget *widget, const char *action, GVariant *parameter)
{
  TimchatGroupDialog *self = TIMCHAT_GROUP_DIALOG (widget);
  const char *user = g_variant_get_string (parameter, NULL);
  const TimGroupMember *member = _timchat_group_dialog_find_member (self, user);
  const char *name = member != NULL ? tim_group_member_get_name (member) : user;
  gboolean hand_over = g_str_equal (action, "group.make-owner");
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  if (hand_over)
    {
      /* Translators: %1$s is the group, %2$s a member. */
      heading = g_strdup_printf (_ ("Hand “%1$s” over to %2$s?"),
                                 _timchat_group_dialog_get_name (self), name);
      /* Translators: %s is a member. */
      body = g_strdup_printf (
          _ ("%s will own the group, and you will be a plain member of it, free to leave."), name);
      dialog = timchat_confirm_dialog_new (GTK_WINDOW (self), heading, body, "hand-over",
                                           _ ("_Hand Over"));
    }
  else
    {
      /* Translators: %1$s is a user, %2$s the group. */
      heading = g_strdup_printf (_ ("Remove %1$s from “%2$s”?"), name,
                                 _timchat_group_dialog_get_name (self));
      dialog =
          timchat_confirm_dialog_new (GTK_WINDOW (self), heading, NULL, "remove", _ ("_Remove"));
    }
  g_object_set_data_full (G_OBJECT (dialog), "user", g_strdup (user), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_confirm_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---------------------------------------------------------------- who is online */

/* The server tells the status of 500 users an ask; a bigger group shows its first 500. Of those,
 * the first 100 (a subscription's most) are followed while the dialog is open: the others' dots
 * are as loaded, unless the client follows them anyway (a one-to-one peer). */
#define MAX_ASKED 500
#define MAX_FOLLOWED 100

static void
statuses_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TimchatGroupDialog) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) infos =
      tim_client_get_user_status_finish (TIM_CLIENT (source), result, &error);

  /* A server without user status, or the dialog gone: nobody is shown online. */
  if (infos == NULL)
    return;
  g_clear_pointer (&self->online, g_hash_table_unref);
  self->online = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; i < infos->len; i++)
    {
      TimUserStatusInfo *info = infos->pdata[i];

      if (info->status == TIM_USER_STATUS_ONLINE)
        g_hash_table_replace (self->online, g_strdup (info->user_id),
                              g_strdup (info->custom_status));
    }
  _timchat_group_dialog_show_members (self);
}

/* What the client hears of a member it follows: subscribed to, or a one-to-one peer. */
static void
on_user_status (TimClient *client, const char *user_id, TimUserStatus status,
                const char *custom_status, TimchatGroupDialog *self)
{
  const char *shown = NULL;
  gboolean shown_online;

  if (self->online == NULL || _timchat_group_dialog_find_member (self, user_id) == NULL)
    return;
  shown_online = g_hash_table_lookup_extended (self->online, user_id, NULL, (gpointer *) &shown);
  if (status == TIM_USER_STATUS_ONLINE && !(shown_online && g_str_equal (shown, custom_status)))
    g_hash_table_replace (self->online, g_strdup (user_id), g_strdup (custom_status));
  else if (status != TIM_USER_STATUS_ONLINE && shown_online)
    g_hash_table_remove (self->online, user_id);
  else
    return;
  _timchat_group_dialog_show_members (self);
}

void
_timchat_group_dialog_unfollow_members (TimchatGroupDialog *self)
{
  if (self->followed != NULL && self->client != NULL)
    tim_client_unsubscribe_user_status (self->client, (const char *const *) self->followed);
  g_clear_pointer (&self->followed, g_strfreev);
}

void
_timchat_group_dialog_load_presence (TimchatGroupDialog *self)
{
  g_autoptr (GStrvBuilder) asked = g_strv_builder_new ();
  g_autoptr (GStrvBuilder) followed = g_strv_builder_new ();
  g_auto (GStrv) user_ids = NULL;
  const char *me = tim_client_get_user (self->client);
  guint n_followed = 0;

  _timchat_group_dialog_unfollow_members (self);
  if (self->members == NULL || self->members->len == 0)
    return;
  for (guint i = 0; i < self->members->len && i < MAX_ASKED; i++)
    {
      const char *user_id = ((const TimGroupMember *) self->members->pdata[i])->user_id;

      g_strv_builder_add (asked, user_id);
      if (n_followed < MAX_FOLLOWED && g_strcmp0 (user_id, me) != 0)
        {
          g_strv_builder_add (followed, user_id);
          n_followed++;
        }
    }
  user_ids = g_strv_builder_end (asked);
  self->followed = g_strv_builder_end (followed);
  if (g_signal_handler_find (self->client, G_SIGNAL_MATCH_FUNC | G_SIGNAL_MATCH_DATA, 0, 0, NULL,
                             on_user_status, self) == 0)
    g_signal_connect_object (self->client, "user-status-updated", G_CALLBACK (on_user_status), self,
                             0);
  /* Followed before the ask, on the same connection: no change falls between the two. Not
   * cancelled with the dialog, whose closing unsubscribes instead. */
  if (n_followed > 0)
    tim_client_subscribe_user_status_async (self->client, (const char *const *) self->followed,
                                            NULL, NULL, NULL);
  else
    g_clear_pointer (&self->followed, g_strfreev);
  tim_client_get_user_status_async (self->client, (const char *const *) user_ids, self->cancellable,
                                    statuses_loaded, g_object_ref (self));
}

GtkWidget *
_timchat_group_dialog_presence_dot (TimchatGroupDialog *self, const TimGroupMember *member)
{
  const char *custom_status = NULL;
  GtkWidget *dot;

  if (self->online == NULL || !g_hash_table_lookup_extended (self->online, member->user_id, NULL,
                                                             (gpointer *) &custom_status))
    return NULL;
  dot = timchat_online_dot_new ();
  gtk_widget_set_valign (dot, GTK_ALIGN_CENTER);
  timchat_online_dot_set_status (dot, custom_status);
  return dot;
}

GStrv
timchat_group_dialog_dup_online_titles (TimchatGroupDialog *self)
{
  g_autoptr (GStrvBuilder) titles = g_strv_builder_new ();

  g_return_val_if_fail (TIMCHAT_IS_GROUP_DIALOG (self), NULL);

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->member_list)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (ADW_IS_PREFERENCES_ROW (row) && g_object_get_data (G_OBJECT (row), "online-dot") != NULL)
      g_strv_builder_add (titles, adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));
  return g_strv_builder_end (titles);
}

void
_timchat_group_dialog_class_init_members (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "group.make-admin", "s", admin_action);
  gtk_widget_class_install_action (widget_class, "group.revoke-admin", "s", admin_action);
  gtk_widget_class_install_action (widget_class, "group.remove", "s", confirm_action);
  gtk_widget_class_install_action (widget_class, "group.make-owner", "s", confirm_action);
  gtk_widget_class_install_action (widget_class, "group.mute", "(su)", mute_action);
}
