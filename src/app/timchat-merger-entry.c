/* timchat-merger-entry.c: a chat history's message as its viewer lists it. Built in code, not
 * from a template, as the message rows are: the viewer makes one for each row on screen while it
 * scrolls. The content is the bubble's (images, files, videos, audio, nested histories), so a
 * click on a picture or a history asks the viewer, as it asks the conversation view, with the
 * "conversation.view-image" and "conversation.view-history" actions. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "timchat-avatar.h"
#include "timchat-format.h"
#include "timchat-label.h"
#include "timchat-merger-entry.h"
#include "timchat-message-content.h"

struct _TimchatMergerEntry
{
  GtkWidget parent_instance;

  GtkLabel *day_label;
  AdwAvatar *avatar;
  GtkLabel *name_label;
  GtkLabel *time_label;
  GtkWidget *body; /* the name line, then the content */
  GtkWidget *content;

  TimMessage *message;
};

G_DEFINE_FINAL_TYPE (TimchatMergerEntry, timchat_merger_entry, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_MESSAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gint64
entry_time (TimMessage *message)
{
  gint64 time = tim_message_get_time (message);

  return time > 0 ? time : tim_message_get_client_time (message);
}

static void
timchat_merger_entry_dispose (GObject *object)
{
  TimchatMergerEntry *self = TIMCHAT_MERGER_ENTRY (object);
  GtkWidget *child;

  g_clear_object (&self->message);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  self->day_label = self->name_label = self->time_label = NULL;
  self->avatar = NULL;
  self->body = self->content = NULL;
  G_OBJECT_CLASS (timchat_merger_entry_parent_class)->dispose (object);
}

static void
timchat_merger_entry_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_MESSAGE:
      g_value_set_object (value, TIMCHAT_MERGER_ENTRY (object)->message);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
timchat_merger_entry_class_init (TimchatMergerEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = timchat_merger_entry_dispose;
  object_class->get_property = timchat_merger_entry_get_property;
  properties[PROP_MESSAGE] =
      g_param_spec_object ("message", NULL, NULL, TIM_TYPE_MESSAGE,
                           G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "mergerentry");
}

static void
timchat_merger_entry_init (TimchatMergerEntry *self)
{
  GtkWidget *message_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *heading = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *avatar = adw_avatar_new (32, NULL, TRUE);
  GtkWidget *label;

  gtk_orientable_set_orientation (
      GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))), GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                              6);

  label = gtk_label_new (NULL);
  gtk_widget_add_css_class (label, "day-separator");
  gtk_widget_set_margin_top (label, 6);
  gtk_widget_set_visible (label, FALSE);
  gtk_widget_set_parent (label, GTK_WIDGET (self));
  self->day_label = GTK_LABEL (label);

  gtk_widget_set_valign (avatar, GTK_ALIGN_START);
  self->avatar = ADW_AVATAR (avatar);
  gtk_box_append (GTK_BOX (message_box), avatar);

  label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_add_css_class (label, "caption-heading");
  gtk_widget_add_css_class (label, "message-sender");
  self->name_label = GTK_LABEL (label);
  gtk_box_append (GTK_BOX (heading), label);
  label = gtk_label_new (NULL);
  gtk_widget_add_css_class (label, "message-meta");
  self->time_label = GTK_LABEL (label);
  gtk_box_append (GTK_BOX (heading), label);

  self->body = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  gtk_widget_set_hexpand (self->body, TRUE);
  gtk_box_append (GTK_BOX (self->body), heading);
  gtk_box_append (GTK_BOX (message_box), self->body);
  gtk_widget_set_parent (message_box, GTK_WIDGET (self));
}

GtkWidget *
timchat_merger_entry_new (void)
{
  return g_object_new (TIMCHAT_TYPE_MERGER_ENTRY, NULL);
}

void
timchat_merger_entry_bind (TimchatMergerEntry *self, TimMessage *message, TimMessage *previous)
{
  const char *name;
  gboolean new_day;
  g_autofree char *time = NULL;

  g_return_if_fail (TIMCHAT_IS_MERGER_ENTRY (self));
  g_return_if_fail (TIM_IS_MESSAGE (message));

  new_day =
      previous == NULL || !timchat_format_same_day (entry_time (previous), entry_time (message));
  gtk_widget_set_visible (GTK_WIDGET (self->day_label), new_day);
  if (new_day)
    {
      g_autofree char *day = timchat_format_day (entry_time (message));

      timchat_label_set_text (self->day_label, day);
    }
  if (self->message == message)
    return;
  timchat_merger_entry_unbind (self);
  self->message = g_object_ref (message);

  /* The name card in the group it came from, else the nickname, else the user ID. */
  name = tim_message_get_sender_name (message);
  adw_avatar_set_text (self->avatar, name);
  timchat_avatar_set_url (self->avatar, tim_message_get_avatar (message));
  gtk_label_set_text (self->name_label, name);
  time = timchat_format_clock (entry_time (message));
  timchat_label_set_text (self->time_label, time);
  self->content = timchat_message_content_new (message);
  gtk_widget_set_halign (self->content, GTK_ALIGN_START);
  gtk_box_append (GTK_BOX (self->body), self->content);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
}

void
timchat_merger_entry_unbind (TimchatMergerEntry *self)
{
  g_return_if_fail (TIMCHAT_IS_MERGER_ENTRY (self));

  if (self->message == NULL)
    return;
  if (self->content != NULL)
    {
      GtkRoot *root = gtk_widget_get_root (self->content);
      GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

      /* GTK 4.8 keeps using a focused (selectable) label after it is removed. */
      if (focus != NULL &&
          (focus == self->content || gtk_widget_is_ancestor (focus, self->content)))
        gtk_root_set_focus (root, NULL);
      gtk_box_remove (GTK_BOX (self->body), self->content);
      self->content = NULL;
    }
  g_clear_object (&self->message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
}

TimMessage *
timchat_merger_entry_get_message (TimchatMergerEntry *self)
{
  g_return_val_if_fail (TIMCHAT_IS_MERGER_ENTRY (self), NULL);
  return self->message;
}
