/* timchat-group-dialog-profile.c: the group's picture, name, announcement, introduction and
 * mute-all at the top of the group dialog. They follow the group's conversation, so a change made
 * by another member shows as its tip arrives. Who may change the first four (any member of a
 * Private group, the owner and admins of the others) gets the Choose… button, an editable name
 * whose apply button renames the group, and the texts' Edit buttons, and the same may add
 * members (the dialog's Add Members); mute-all's switch is the owner's and admins'. Below them each
 * member sets the name the group shows for them (their name card). */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <glib/gi18n.h>

#include "timchat-avatar.h"
#include "timchat-dialogs.h"
#include "timchat-group-dialog-private.h"

static void
toast (TimchatGroupDialog *self, const char *text)
{
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), timchat_toast_new (text));
}

#define SHOWN_KEY "timchat-shown"

/* Shows text in an entry row without offering to apply it: its apply button shows for what the
 * user typed, not for what the server said. The rows are shown again whenever the members are,
 * which is also when one of them comes or goes online, or when the group's picture changes: a
 * text the row showed already leaves it as it is, or what the user is typing there would be put
 * back to what the group has. A new text (a change made elsewhere) is shown. */
static void
show_entry_text (AdwEntryRow *row, const char *text)
{
  gboolean editable = gtk_editable_get_editable (GTK_EDITABLE (row));

  text = text != NULL ? text : "";
  if (g_strcmp0 (g_object_get_data (G_OBJECT (row), SHOWN_KEY), text) == 0)
    {
      adw_entry_row_set_show_apply_button (row, editable);
      return;
    }
  g_object_set_data_full (G_OBJECT (row), SHOWN_KEY, g_strdup (text), g_free);
  adw_entry_row_set_show_apply_button (row, FALSE);
  gtk_editable_set_text (GTK_EDITABLE (row), text);
  adw_entry_row_set_show_apply_button (row, editable);
}

/* The row shows what the group has the next time, as typed or not (a change of it done, or
 * refused). */
static void
forget_entry_text (AdwEntryRow *row)
{
  g_object_set_data (G_OBJECT (row), SHOWN_KEY, NULL);
}

static void
show_text (AdwActionRow *row, const char *text)
{
  if (text == NULL || *text == '\0')
    /* Translators: the Announcement or Introduction row's text when the group has none. */
    text = _ ("None");
  adw_action_row_set_subtitle (row, text);
}

/* The texts and the switch say what the group has, as far as the dialog knows it. Before its
 * profile has come (or when it could not be read) the switch is off, as it showed at opening, and
 * the profile puts it right when it comes: a refused mute-all comes back here whichever came
 * first, so the switch is never left where the user moved it. */
static void
show_group_info (TimchatGroupDialog *self)
{
  gboolean mute_all =
      self->conversation != NULL && tim_conversation_get_group_mute_all (self->conversation);

  if (self->conversation != NULL)
    {
      show_text (self->announcement_row,
                 tim_conversation_get_group_notification (self->conversation));
      show_text (self->introduction_row,
                 tim_conversation_get_group_introduction (self->conversation));
    }
  self->showing_mute = TRUE;
  gtk_switch_set_active (self->mute_switch, mute_all);
  self->showing_mute = FALSE;
}

static void
on_profile_changed (TimchatGroupDialog *self)
{
  const char *name = tim_conversation_get_name (self->conversation);

  gtk_window_set_title (GTK_WINDOW (self), name);
  adw_avatar_set_text (self->group_avatar, name);
  timchat_avatar_set_url (self->group_avatar, tim_conversation_get_avatar (self->conversation));
  show_entry_text (self->name_row, name);
}

void
_timchat_group_dialog_show_profile (TimchatGroupDialog *self, TimConversation *conversation)
{
  if (self->conversation != conversation)
    {
      if (self->conversation != NULL)
        g_signal_handlers_disconnect_by_data (self->conversation, self);
      g_set_object (&self->conversation, conversation);
      g_signal_connect_object (conversation, "notify::name", G_CALLBACK (on_profile_changed), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (conversation, "notify::avatar", G_CALLBACK (on_profile_changed),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (conversation, "notify::group-notification",
                               G_CALLBACK (show_group_info), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (conversation, "notify::group-introduction",
                               G_CALLBACK (show_group_info), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (conversation, "notify::group-mute-all", G_CALLBACK (show_group_info),
                               self, G_CONNECT_SWAPPED);
    }
  on_profile_changed (self);
  show_group_info (self);
  _timchat_group_dialog_update_editable (self);
}

void
_timchat_group_dialog_update_editable (TimchatGroupDialog *self)
{
  const TimGroupMember *me = _timchat_group_dialog_find_me (self);
  const char *type =
      self->conversation != NULL ? tim_conversation_get_group_type (self->conversation) : NULL;
  gboolean anyone = g_strcmp0 (type, "Private") == 0 || g_strcmp0 (type, "Work") == 0;
  gboolean manager =
      me != NULL && (g_strcmp0 (me->role, "Owner") == 0 || g_strcmp0 (me->role, "Admin") == 0);
  gboolean may = me != NULL && (anyone || manager);

  gtk_editable_set_editable (GTK_EDITABLE (self->name_row), may);
  adw_entry_row_set_show_apply_button (self->name_row, may);
  gtk_widget_set_visible (self->picture_button, may);
  gtk_widget_set_visible (self->announcement_button, may);
  gtk_widget_set_visible (self->introduction_button, may);
  /* The server lets any member of a Work group invite, as the vendor's does (no approval);
   * elsewhere only managers add. */
  gtk_widget_set_visible (self->add_button, may);
  gtk_widget_set_sensitive (GTK_WIDGET (self->mute_switch), manager);
  gtk_editable_set_editable (GTK_EDITABLE (self->name_card_row), me != NULL);
  show_entry_text (self->name_card_row, me != NULL ? me->name_card : NULL);
}

/* ---------------------------------------------------------------- changes */

typedef struct
{
  TimchatGroupDialog *dialog; /* a ref */
  const char *done;           /* the toast for success */
} Change;

static void
on_changed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autofree Change *change = user_data;
  g_autoptr (TimchatGroupDialog) self = change->dialog;
  TimClient *client = TIM_CLIENT (source);
  g_autoptr (GError) error = NULL;
  gboolean name_card =
      g_async_result_is_tagged (result, tim_client_set_group_member_name_card_async);
  gboolean done;

  if (name_card)
    done = tim_client_set_group_member_name_card_finish (client, result, &error);
  else if (g_async_result_is_tagged (result, tim_client_set_group_mute_all_async))
    done = tim_client_set_group_mute_all_finish (client, result, &error);
  else
    done = tim_client_update_group_profile_finish (client, result, &error);
  if (!done)
    {
      _timchat_group_dialog_toast_error (self, error);
      /* Back to what the group has. */
      forget_entry_text (self->name_row);
      forget_entry_text (self->name_card_row);
      if (self->conversation != NULL)
        show_entry_text (self->name_row, tim_conversation_get_name (self->conversation));
      show_group_info (self);
      _timchat_group_dialog_update_editable (self);
      return;
    }
  toast (self, change->done);
  /* The member list names the user by it; reloading shows it there and in the row. */
  if (name_card)
    {
      forget_entry_text (self->name_card_row);
      _timchat_group_dialog_load_members (self);
    }
}

static Change *
change_new (TimchatGroupDialog *self, const char *done)
{
  Change *change = g_new0 (Change, 1);

  change->dialog = g_object_ref (self);
  change->done = done;
  return change;
}

static void
update_profile (TimchatGroupDialog *self, const char *name, const char *introduction,
                const char *notification, GFile *picture, const char *done)
{
  tim_client_update_group_profile_async (self->client, self->group_id, name, introduction,
                                         notification, picture, self->cancellable, on_changed,
                                         change_new (self, done));
}

static void
on_name_apply (TimchatGroupDialog *self)
{
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->name_row));

  update_profile (self, name, NULL, NULL, NULL, _ ("Group renamed"));
}

static void
on_name_card_apply (TimchatGroupDialog *self)
{
  g_autofree char *name_card =
      g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_card_row))));

  tim_client_set_group_member_name_card_async (
      self->client, self->group_id, NULL, name_card, self->cancellable, on_changed,
      change_new (self, *name_card != '\0' ? _ ("Your name in the group is saved")
                                           : _ ("The group shows your nickname again")));
}

static void
on_picture_chosen (GFile *file, gpointer user_data)
{
  update_profile (user_data, NULL, NULL, NULL, file, _ ("Group picture saved"));
}

static void
choose_picture_action (GtkWidget *widget, const char *action, GVariant *parameter)
{
  timchat_choose_picture (GTK_WINDOW (widget), _ ("Choose a Group Picture"), on_picture_chosen,
                          g_object_ref (widget), g_object_unref);
}

/* ---------------------------------------------------------------- texts and mute-all */

/* The two longer texts of a group, each edited in a text view of its own dialog. */
static gboolean
is_announcement (const char *field)
{
  return g_str_equal (field, "announcement");
}

static void
on_text_response (AdwMessageDialog *dialog, const char *response, TimchatGroupDialog *self)
{
  GtkTextBuffer *buffer = g_object_get_data (G_OBJECT (dialog), "buffer");
  const char *field = g_object_get_data (G_OBJECT (dialog), "field");
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  if (!g_str_equal (response, "save"))
    return;
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
  if (is_announcement (field))
    update_profile (self, NULL, NULL, text, NULL, _ ("Announcement saved"));
  else
    update_profile (self, NULL, text, NULL, NULL, _ ("Introduction saved"));
}

/* group.edit-text ("announcement" or "introduction"). */
static void
edit_text_action (GtkWidget *widget, const char *action, GVariant *parameter)
{
  TimchatGroupDialog *self = TIMCHAT_GROUP_DIALOG (widget);
  const char *field = g_variant_get_string (parameter, NULL);
  gboolean announcement = is_announcement (field);
  const char *current = NULL;
  GtkWidget *view = gtk_text_view_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  GtkWidget *dialog;

  if (self->conversation != NULL)
    current = announcement ? tim_conversation_get_group_notification (self->conversation)
                           : tim_conversation_get_group_introduction (self->conversation);
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_buffer_set_text (buffer, current != NULL ? current : "", -1);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), view);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), 120);
  gtk_widget_add_css_class (scrolled, "card");
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  announcement ? _ ("Announcement") : _ ("Introduction"), -1);
  dialog = timchat_form_dialog_new (
      GTK_WINDOW (self), announcement ? _ ("Group Announcement") : _ ("Group Introduction"),
      announcement ? _ ("Every member sees it in the group’s details.")
                   : _ ("What the group is about, for its members and those it invites."),
      scrolled, "save", _ ("_Save"));
  g_object_set_data (G_OBJECT (dialog), "buffer", buffer);
  g_object_set_data (G_OBJECT (dialog), "field",
                     (gpointer) (announcement ? "announcement" : "introduction"));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_text_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (view);
}

static void
on_mute_switched (TimchatGroupDialog *self)
{
  gboolean mute_all = gtk_switch_get_active (self->mute_switch);

  if (self->showing_mute)
    return;
  tim_client_set_group_mute_all_async (
      self->client, self->group_id, mute_all, self->cancellable, on_changed,
      change_new (self, mute_all ? _ ("All members muted") : _ ("Everyone can post again")));
}

void
_timchat_group_dialog_class_init_profile (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_child (widget_class, TimchatGroupDialog, group_avatar);
  gtk_widget_class_bind_template_child (widget_class, TimchatGroupDialog, picture_button);
  gtk_widget_class_bind_template_child (widget_class, TimchatGroupDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, TimchatGroupDialog, announcement_row);
  gtk_widget_class_bind_template_child (widget_class, TimchatGroupDialog, announcement_button);
  gtk_widget_class_bind_template_child (widget_class, TimchatGroupDialog, introduction_row);
  gtk_widget_class_bind_template_child (widget_class, TimchatGroupDialog, introduction_button);
  gtk_widget_class_bind_template_child (widget_class, TimchatGroupDialog, mute_switch);
  gtk_widget_class_bind_template_child (widget_class, TimchatGroupDialog, name_card_row);
  gtk_widget_class_bind_template_callback (widget_class, on_name_card_apply);
  gtk_widget_class_bind_template_callback (widget_class, on_name_apply);
  gtk_widget_class_bind_template_callback (widget_class, on_mute_switched);
  gtk_widget_class_install_action (widget_class, "group.edit-text", "s", edit_text_action);
  gtk_widget_class_install_action (widget_class, "group.choose-picture", NULL,
                                   choose_picture_action);
}
