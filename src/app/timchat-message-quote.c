/* timchat-message-quote.c: the quote block of a reply (what libtim's tim_message_dup_reply finds):
 * the quoted sender in bold, the original's abstract dimmed on at most two lines, a left accent
 * border (style.css). It is a flat button: a click, Enter or Space shows the original
 * ("conversation.show-original" with its ID), and a screen reader says "Reply to NAME: ABSTRACT".
 * Made only for replies, so other rows have no widget more. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <glib/gi18n.h>

#include "timchat-message-content.h"
#include "timchat-message-quote.h"

/* As wide as a short reply needs, at most: a long abstract wraps and ellipsizes within it
 * instead of stretching the bubble to the row. */
#define MAX_WIDTH_CHARS 40
#define MAX_LINES 2

static GtkWidget *
label_new (const char *text, const char *css_class, int lines)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (label), MAX_WIDTH_CHARS);
  if (lines > 1)
    {
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_lines (GTK_LABEL (label), lines);
    }
  else
    gtk_label_set_single_line_mode (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, css_class);
  return label;
}

GtkWidget *
timchat_message_quote_new (TimMessage *message)
{
  g_autofree char *id = NULL;
  g_autofree char *sender = NULL;
  g_autofree char *abstract = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *name = NULL;
  GtkWidget *button, *box, *sender_label, *abstract_label;

  g_return_val_if_fail (TIM_IS_MESSAGE (message), NULL);

  if (!tim_message_dup_reply (message, &id, &sender, &abstract))
    return NULL;
  shown = timchat_message_content_dup_shown_text (abstract, NULL);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  sender_label = label_new (sender, "caption-heading", 1);
  gtk_widget_set_visible (sender_label, *sender != '\0');
  gtk_box_append (GTK_BOX (box), sender_label);
  abstract_label = label_new (shown, "caption", MAX_LINES);
  gtk_widget_add_css_class (abstract_label, "dim-label");
  gtk_box_append (GTK_BOX (box), abstract_label);

  button = gtk_button_new ();
  gtk_button_set_child (GTK_BUTTON (button), box);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_add_css_class (button, "message-quote");
  /* A click on the quote shows the original; it does not take the focus from the composer. */
  gtk_widget_set_focus_on_click (button, FALSE);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "conversation.show-original");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", id);
  /* GTK 4.8 names a button from a GtkLabel child only, not from a box of them. */
  /* Translators: the name of a reply's quote for screen readers: %1$s is the quoted message's
   * sender, %2$s its text. */
  name = *sender != '\0' ? g_strdup_printf (_ ("Reply to %1$s: %2$s"), sender, shown)
                         : g_strdup_printf (_ ("Reply to: %s"), shown);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  timchat_message_content_set_tooltip (button, _ ("Show the original message"));
  return button;
}
