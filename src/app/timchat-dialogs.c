/* timchat-dialogs.c: see timchat-dialogs.h. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <glib/gi18n.h>

#include "tim-error.h"
#include "timchat-dialogs.h"

GtkWidget *
timchat_form_entry_new (const char *hint)
{
  GtkWidget *entry = gtk_entry_new ();

  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), hint);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, hint, -1);
  /* Enter in the form answers it as its default button does (timchat_form_dialog_new ()). */
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  return entry;
}

GtkWidget *
timchat_form_dialog_new (GtkWindow *parent, const char *heading, const char *body, GtkWidget *form,
                         const char *accept, const char *accept_label)
{
  GtkWidget *dialog = adw_message_dialog_new (parent, heading, body);

  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), form);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _ ("_Cancel"), accept,
                                    accept_label, NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), accept,
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), accept);
  return dialog;
}

static void
on_required_changed (GtkEditable *entry, GtkWidget *dialog)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  const char *response = g_object_get_data (G_OBJECT (entry), "timchat-required-for");

  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), response, *text != '\0');
}

void
timchat_form_dialog_require_text (GtkWidget *dialog, const char *accept, GtkWidget *entry)
{
  g_object_set_data_full (G_OBJECT (entry), "timchat-required-for", g_strdup (accept), g_free);
  g_signal_connect_object (entry, "changed", G_CALLBACK (on_required_changed), dialog, 0);
  on_required_changed (GTK_EDITABLE (entry), dialog);
}

GtkWidget *
timchat_decline_dialog_new (GtkWindow *parent)
{
  GtkWidget *reason = timchat_form_entry_new (_ ("Reason (optional)"));
  GtkWidget *dialog = timchat_form_dialog_new (
      parent, _ ("Decline This Request?"), _ ("The person who asked is told, with your reason."),
      reason, "decline", _ ("_Decline"));

  g_object_set_data (G_OBJECT (dialog), "reason", reason);
  return dialog;
}

const char *
timchat_decline_dialog_get_reason (GtkWidget *dialog)
{
  return gtk_editable_get_text (GTK_EDITABLE (g_object_get_data (G_OBJECT (dialog), "reason")));
}

GtkWidget *
timchat_confirm_dialog_new (GtkWindow *parent, const char *heading, const char *body,
                            const char *accept, const char *accept_label)
{
  GtkWidget *dialog = adw_message_dialog_new (parent, heading, body);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _ ("_Cancel"), accept,
                                    accept_label, NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), accept,
                                              ADW_RESPONSE_DESTRUCTIVE);
  /* A slip of Enter must not do what cannot be undone. */
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  return dialog;
}

AdwToast *
timchat_toast_new (const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text != NULL ? text : "", -1);

  return adw_toast_new (escaped);
}

GtkWidget *
timchat_find_descendant (GtkWidget *widget, GType type)
{
  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);

  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = timchat_find_descendant (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
name_close_buttons (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_BUTTON (child) &&
          g_strcmp0 (gtk_button_get_icon_name (GTK_BUTTON (child)), "window-close-symbolic") == 0)
        gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        /* Translators: the button that closes a notice at the
                                         * bottom of the window, as a screen reader says it */
                                        _ ("Dismiss"), -1);
      name_close_buttons (child);
    }
}

static void
on_overlay_children_changed (GListModel *children, guint position, guint removed, guint added,
                             gpointer user_data)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr (GtkWidget) child = g_list_model_get_item (children, i);

      /* Only toasts: the overlay's other child is the whole window's content. */
      if (g_str_equal (G_OBJECT_TYPE_NAME (child), "AdwToastWidget"))
        name_close_buttons (child);
    }
}

void
timchat_toast_overlay_name_buttons (AdwToastOverlay *overlay)
{
  GListModel *children = gtk_widget_observe_children (GTK_WIDGET (overlay));

  g_signal_connect (children, "items-changed", G_CALLBACK (on_overlay_children_changed), NULL);
  g_object_set_data_full (G_OBJECT (overlay), "timchat-toast-children", children, g_object_unref);
}

char *
timchat_describe_error (const GError *error)
{
  /* The code is for whoever reads the log (a bug report, the server's own log): to the person
   * using the app a number says nothing that the words do not. */
  g_message ("Error %s %d: %s", g_quark_to_string (error->domain), error->code, error->message);
  /* Which parameter, and what is wrong with it, is in the message (libtim's own words for what
   * it refuses before sending). */
  if (g_error_matches (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER) && *error->message != '\0')
    return g_strdup (error->message);
  if (error->domain == TIM_ERROR &&
      g_strcmp0 (tim_error_text (error->code), _ ("Unknown error")) != 0)
    return g_strdup (tim_error_text (error->code));
  return g_strdup (error->message);
}

/* ---------------------------------------------------------------- a picture */

typedef struct
{
  TimchatPictureChosen chosen;
  gpointer user_data;
  GDestroyNotify destroy;
} PictureRequest;

static void
on_picture_response (GtkNativeDialog *chooser, int response, gpointer data)
{
  PictureRequest *request = data;
  g_autoptr (GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))) != NULL)
    request->chosen (file, request->user_data);
  if (request->destroy != NULL)
    request->destroy (request->user_data);
  g_free (request);
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

void
timchat_choose_picture (GtkWindow *parent, const char *title, TimchatPictureChosen chosen,
                        gpointer user_data, GDestroyNotify destroy)
{
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new (
      title, parent, GTK_FILE_CHOOSER_ACTION_OPEN, _ ("_Choose"), _ ("_Cancel"));
  g_autoptr (GtkFileFilter) images = gtk_file_filter_new ();
  PictureRequest *request = g_new0 (PictureRequest, 1);

  request->chosen = chosen;
  request->user_data = user_data;
  request->destroy = destroy;
  gtk_file_filter_set_name (images, _ ("Images"));
  gtk_file_filter_add_mime_type (images, "image/*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), images);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_picture_response), request);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}
