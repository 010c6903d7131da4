/* timchat-window-profile.c: "Your Profile": the display name and picture others see with this
 * user's messages, in their conversation list and in their notifications, and the status
 * ("In a meeting") others see under the name while the user is online. The dialog opens at
 * once and fills in the current name and picture when the server answers (the name only if
 * nothing was typed by then). A chosen picture is uploaded and set at once; the name and the
 * status on Save. The sidebar's header shows the name and picture all the while. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <glib/gi18n.h>

#include "timchat-avatar.h"
#include "timchat-dialogs.h"
#include "timchat-window-private.h"

#define AVATAR_SIZE 64

static void
on_profile_saved (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TimchatWindow) self = user_data;
  g_autoptr (GError) error = NULL;

  if (!tim_client_update_my_profile_finish (TIM_CLIENT (source), result, &error))
    timchat_window_show_error (self, error);
  else
    timchat_window_show_toast (self, _ ("Profile saved"));
}

static void
on_status_saved (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TimchatWindow) self = user_data;
  g_autoptr (GError) error = NULL;

  if (!tim_client_set_self_status_finish (TIM_CLIENT (source), result, &error))
    timchat_window_show_error (self, error);
}

static void
on_profile_response (AdwMessageDialog *dialog, const char *response, TimchatWindow *self)
{
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "nick");
  GtkEditable *status_entry = g_object_get_data (G_OBJECT (dialog), "status");
  g_autofree char *nick = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  g_autofree char *status = g_strstrip (g_strdup (gtk_editable_get_text (status_entry)));

  if (!g_str_equal (response, "save") || self->client == NULL)
    return;
  tim_client_update_my_profile_async (self->client, nick, NULL, self->cancellable, on_profile_saved,
                                      g_object_ref (self));
  if (!g_str_equal (status, tim_client_get_self_status (self->client)))
    tim_client_set_self_status_async (self->client, status, self->cancellable, on_status_saved,
                                      g_object_ref (self));
}

/* The dialog is held, so one closed before the answer is no harm. */
static void
on_profile_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GtkWidget) dialog = user_data;
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "nick");
  g_autoptr (GError) error = NULL;
  g_autofree char *nick = NULL;
  g_autofree char *avatar = NULL;

  if (!tim_client_get_my_profile_finish (TIM_CLIENT (source), result, &nick, &avatar, &error))
    {
      g_debug ("Cannot read my profile: %s", error->message);
      return;
    }
  if (*nick != '\0')
    adw_avatar_set_text (g_object_get_data (G_OBJECT (dialog), "avatar"), nick);
  timchat_avatar_set_url (g_object_get_data (G_OBJECT (dialog), "avatar"), avatar);
  if (*gtk_editable_get_text (entry) == '\0')
    {
      gtk_editable_set_text (entry, nick);
      gtk_editable_select_region (entry, 0, -1);
    }
}

/* ---------------------------------------------------------------- the picture */

typedef struct
{
  TimchatWindow *window; /* a ref */
  GWeakRef preview;      /* the dialog's avatar, if it is still open */
} Picture;

static void
picture_free (Picture *picture)
{
  g_object_unref (picture->window);
  g_weak_ref_clear (&picture->preview);
  g_free (picture);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Picture, picture_free)

static void
on_avatar_set (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (Picture) picture = user_data;
  g_autoptr (AdwAvatar) preview = g_weak_ref_get (&picture->preview);
  g_autoptr (GError) error = NULL;
  g_autofree char *url = tim_client_set_my_avatar_finish (TIM_CLIENT (source), result, &error);

  if (url == NULL)
    {
      timchat_window_show_error (picture->window, error);
      return;
    }
  if (preview != NULL)
    timchat_avatar_set_url (preview, url);
  timchat_window_show_toast (picture->window, _ ("Profile picture saved"));
}

static void
set_avatar_file (TimchatWindow *self, GFile *file, AdwAvatar *preview)
{
  Picture *picture;

  if (self->client == NULL)
    return;
  picture = g_new0 (Picture, 1);
  picture->window = g_object_ref (self);
  g_weak_ref_init (&picture->preview, preview);
  tim_client_set_my_avatar_async (self->client, file, self->cancellable, on_avatar_set, picture);
}

static void
on_avatar_chosen (GFile *file, gpointer user_data)
{
  GtkWidget *dialog = user_data;

  set_avatar_file (g_object_get_data (G_OBJECT (dialog), "window"), file,
                   g_object_get_data (G_OBJECT (dialog), "avatar"));
}

static void
on_choose_clicked (GtkButton *button, GtkWidget *dialog)
{
  timchat_choose_picture (GTK_WINDOW (dialog), _ ("Choose a Profile Picture"), on_avatar_chosen,
                          g_object_ref (dialog), g_object_unref);
}

/* ---------------------------------------------------------------- the header */

/* Who is logged in, said where it always shows: the own nickname under the sidebar's title (the
 * user ID while there is none, and a pointer over a nickname shows the ID) and the own avatar
 * beside it, as libtim has them now. TimClient:nick and :avatar are read at each login and
 * follow this device's changes and the user's other devices', so the header never asks the
 * server itself. */
static void
show_own_profile (TimchatWindow *self)
{
  const char *user = tim_client_get_user (self->client);
  const char *nick = tim_client_get_nick (self->client);
  const char *name = *nick != '\0' ? nick : user;

  adw_window_title_set_subtitle (self->sidebar_title, name != NULL ? name : "");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->sidebar_title), *nick != '\0' ? user : NULL);
  adw_avatar_set_text (self->own_avatar, name);
  timchat_avatar_set_url (self->own_avatar, tim_client_get_avatar (self->client));
}

void
_timchat_window_follow_own_profile (TimchatWindow *self)
{
  static const char *const shown[] = { "notify::user", "notify::nick", "notify::avatar" };

  for (guint i = 0; i < G_N_ELEMENTS (shown); i++)
    g_signal_connect_object (self->client, shown[i], G_CALLBACK (show_own_profile), self,
                             G_CONNECT_SWAPPED);
  show_own_profile (self);
}

/* ---------------------------------------------------------------- the dialog */

void
_timchat_window_edit_profile (GtkWidget *widget, const char *action, GVariant *parameter)
{
  TimchatWindow *self = TIMCHAT_WINDOW (widget);
  const char *user = self->client != NULL ? tim_client_get_user (self->client) : NULL;
  g_autofree char *body = NULL;
  GtkWidget *dialog, *form, *avatar, *choose, *entry, *status;

  if (user == NULL)
    return;
  form = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  avatar = adw_avatar_new (AVATAR_SIZE, user, TRUE);
  choose = gtk_button_new_with_mnemonic (_ ("Choose _Picture…"));
  gtk_widget_set_halign (choose, GTK_ALIGN_CENTER);
  entry = timchat_form_entry_new (_ ("Display name"));
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  /* Translators: the placeholder of the custom status, as in "In a meeting". */
  status = timchat_form_entry_new (_ ("Status, such as “In a meeting”"));
  gtk_entry_set_activates_default (GTK_ENTRY (status), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (status), tim_client_get_self_status (self->client));
  gtk_box_append (GTK_BOX (form), avatar);
  gtk_box_append (GTK_BOX (form), choose);
  gtk_box_append (GTK_BOX (form), entry);
  gtk_box_append (GTK_BOX (form), status);
  /* Translators: %s is the user's ID, which shows when there is no display name. */
  body = g_strdup_printf (_ ("The name others see with your messages. Leave it empty to show "
                             "your user ID, “%s”. Your status shows under your name while you "
                             "are online."),
                          user);
  dialog = timchat_form_dialog_new (GTK_WINDOW (self), _ ("Your Profile"), body, form, "save",
                                    _ ("_Save"));
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  g_object_set_data (G_OBJECT (dialog), "nick", entry);
  g_object_set_data (G_OBJECT (dialog), "status", status);
  g_object_set_data (G_OBJECT (dialog), "avatar", avatar);
  g_object_set_data_full (G_OBJECT (dialog), "window", g_object_ref (self), g_object_unref);
  g_signal_connect (dialog, "response", G_CALLBACK (on_profile_response), self);
  g_signal_connect (choose, "clicked", G_CALLBACK (on_choose_clicked), dialog);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
  tim_client_get_my_profile_async (self->client, self->cancellable, on_profile_loaded,
                                   g_object_ref (dialog));
}
