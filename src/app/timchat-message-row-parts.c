/* timchat-message-row-parts.c: the parts of a message row that most rows never show, made the
 * first time a row shows them: the beginning of the conversation, the day separator (the first
 * message of a day), "Unread messages" (the notes its conversation asks for,
 * timchat_message_row_set_notes, in that order), the tip line
 * (group tips, recalled messages), and the sender's name and avatar (the first message of a run
 * in a group). Opening a conversation makes and binds every row on screen before the first
 * frame, and each widget of a row cost its share there (its construction, its CSS node, its
 * accessibility object): a one-to-one text row now has 6 widgets instead of 18 (with the
 * avatar's own four). */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <glib/gi18n.h>

#include "timchat-message-row-private.h"

GtkWidget *
_timchat_message_row_ensure_beginning (TimchatMessageRow *self)
{
  if (self->beginning == NULL)
    {
      self->beginning = gtk_label_new (_ ("Beginning of the conversation"));
      gtk_widget_add_css_class (self->beginning, "dim-label");
      gtk_widget_set_margin_top (self->beginning, 12);
      gtk_widget_insert_after (self->beginning, GTK_WIDGET (self), NULL);
    }
  return self->beginning;
}

GtkWidget *
_timchat_message_row_ensure_unread (TimchatMessageRow *self)
{
  if (self->unread == NULL)
    {
      self->unread = gtk_label_new (_ ("Unread messages"));
      gtk_widget_add_css_class (self->unread, "day-separator");
      gtk_widget_add_css_class (self->unread, "unread-marker");
      gtk_widget_set_margin_bottom (self->unread, 2);
      /* Under the day it is in (the first unread message can be the first of a day), else
       * under the beginning, if there is one (one made later goes first). */
      gtk_widget_insert_after (self->unread, GTK_WIDGET (self),
                               self->day_label != NULL ? GTK_WIDGET (self->day_label)
                                                       : self->beginning);
    }
  return self->unread;
}

GtkLabel *
_timchat_message_row_ensure_day_label (TimchatMessageRow *self)
{
  GtkWidget *label;

  if (self->day_label != NULL)
    return self->day_label;
  label = gtk_label_new (NULL);
  gtk_widget_set_halign (label, GTK_ALIGN_CENTER);
  gtk_widget_set_margin_top (label, 8);
  gtk_widget_set_margin_bottom (label, 4);
  gtk_widget_add_css_class (label, "day-separator");
  /* Under the beginning, above "Unread messages", the tip line and the message (in the order
   * of the row's children). */
  gtk_widget_insert_after (label, GTK_WIDGET (self), self->beginning);
  self->day_label = GTK_LABEL (label);
  return self->day_label;
}

GtkLabel *
_timchat_message_row_ensure_tip_label (TimchatMessageRow *self)
{
  GtkWidget *label;

  if (self->tip_label != NULL)
    return self->tip_label;
  label = gtk_label_new (NULL);
  /* Centred by its text's alignment, not halign (timchat-message-row-layout.c says why). */
  gtk_label_set_xalign (GTK_LABEL (label), 0.5);
  gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_CENTER);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_widget_add_css_class (label, "message-tip");
  /* Right above the message. */
  gtk_widget_insert_before (label, GTK_WIDGET (self), self->column);
  self->tip_label = GTK_LABEL (label);
  return self->tip_label;
}

void
_timchat_message_row_ensure_sender (TimchatMessageRow *self)
{
  GtkWidget *avatar, *label;

  if (self->avatar != NULL)
    return;
  avatar = adw_avatar_new (32, NULL, TRUE);
  gtk_widget_set_valign (avatar, GTK_ALIGN_START);
  /* Over the column's start margin (timchat-message-row-layout.c). */
  gtk_widget_insert_before (avatar, GTK_WIDGET (self), self->column);
  self->avatar = ADW_AVATAR (avatar);

  label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (label, "caption-heading");
  gtk_widget_add_css_class (label, "message-sender");
  gtk_box_prepend (GTK_BOX (self->column), label);
  self->sender_label = GTK_LABEL (label);
}
