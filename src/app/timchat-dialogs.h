/* timchat-dialogs.h: the small dialogs the window and the group dialog share: a form in a
 * message dialog, an entry named by its hint, a question with a destructive answer, a picture's
 * file chooser, how an error or a notice is put in a toast, and how GTK's inner widgets are
 * found to name them. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* An entry whose hint is its placeholder and its accessible name (a placeholder alone is no
 * name for a screen reader: GTK 4.8 would announce "GtkEntry"). */
GtkWidget *timchat_form_entry_new (const char *hint);
/* A message dialog around form, answered with Cancel or accept (the suggested response, and the
 * default one: Enter in an entry of the form gives it). */
GtkWidget *timchat_form_dialog_new (GtkWindow *parent, const char *heading, const char *body,
                                    GtkWidget *form, const char *accept, const char *accept_label);
/* accept (and Enter) only once entry has more than spaces: a message dialog closes on any answer,
 * so what would only come back as an error is not offered (a folder without a name). */
void timchat_form_dialog_require_text (GtkWidget *dialog, const char *accept, GtkWidget *entry);
/* "Decline This Request?" (to join a group), with an entry for what the person who asked reads
 * (the dialog's data "reason"); answered "decline" or Cancel. get_reason is what was typed. */
GtkWidget *timchat_decline_dialog_new (GtkWindow *parent);
const char *timchat_decline_dialog_get_reason (GtkWidget *dialog);
/* A question answered with Cancel (the default) or accept, shown as destructive. */
GtkWidget *timchat_confirm_dialog_new (GtkWindow *parent, const char *heading, const char *body,
                                       const char *accept, const char *accept_label);

/* Asks for one picture with the native file chooser (the portal's in Flatpak), modal over
 * parent; chosen gets the file, and is not called on Cancel. destroy frees user_data either way. */
typedef void (*TimchatPictureChosen) (GFile *file, gpointer user_data);
void timchat_choose_picture (GtkWindow *parent, const char *title, TimchatPictureChosen chosen,
                             gpointer user_data, GDestroyNotify destroy);

/* A toast saying text as it is (a toast's title is markup in libadwaita 1.2: "&" or "<" in a
 * name or an error would break it). */
AdwToast *timchat_toast_new (const char *text);
/* Names each toast's close button for screen readers as overlay shows it: libadwaita 1.2 leaves
 * that icon-only button without a name ("button" is all a screen reader says). */
void timchat_toast_overlay_name_buttons (AdwToastOverlay *overlay);
/* The first widget of type under widget (widget included), depth first: for the parts GTK and
 * libadwaita build inside their own widgets and keep to themselves (a toast overlay, a search
 * button), which want a name for screen readers. */
GtkWidget *timchat_find_descendant (GtkWidget *widget, GType type);
/* An error in our own words: the sentence for a TIM code, else its message; no code. The code
 * (and the server's ErrorInfo, in the message) goes to the log, with g_message (). */
char *timchat_describe_error (const GError *error);

G_END_DECLS
