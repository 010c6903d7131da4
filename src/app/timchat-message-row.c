/* timchat-message-row.c: one message in the timeline. The row shell (day separator, sender,
 * bubble, time, receipt) lives here, its sending state in timchat-message-row-state.c, its parts
 * made on first use in -parts.c, their placing in -layout.c, the context menu in -menu.c, the
 * selection mode's check button in -select.c; the bubble's content comes from
 * timchat_message_content_new, a reply's quote above it from timchat_message_quote_new.
 * Everything follows the message's notify signals while bound. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "timchat-avatar.h"
#include "timchat-format.h"
#include "timchat-label.h"
#include "timchat-media-picture.h"
#include "timchat-message-content.h"
#include "timchat-message-quote.h"
#include "timchat-message-row-private.h"
#include "timchat-resources.h"

/* Consecutive messages from one sender merge when closer than this (and on the same day). */
#define GROUPING_SECONDS (5 * 60)
/* The avatar (32 px, timchat-message-row-parts.c) and the space between it and the bubble. */
#define AVATAR_ROOM (32 + 8)
/* Space above the first message of a run (none between the messages of a run). */
#define FIRST_OF_RUN_TOP 6

G_DEFINE_FINAL_TYPE (TimchatMessageRow, timchat_message_row, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_MESSAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define is_mine _timchat_message_row_is_mine
#define message_time _timchat_message_row_time
#define is_tip _timchat_message_row_is_tip

static char *
dup_tip_text (TimchatMessageRow *self, TimMessage *message)
{
  const char *revoker = tim_message_get_revoker (message);

  if (tim_message_get_is_revoked (message))
    {
      if (is_mine (message) && (revoker == NULL || *revoker == '\0' ||
                                g_strcmp0 (revoker, tim_message_get_from (message)) == 0))
        return g_strdup (_ ("You recalled a message"));
      return g_strdup_printf (_ ("%s recalled a message"),
                              revoker != NULL && *revoker != '\0' &&
                                      g_strcmp0 (revoker, tim_message_get_from (message)) != 0
                                  ? revoker
                                  : tim_message_get_sender_name (message));
    }
  return tim_message_dup_tip_text_for (message, self->me);
}

/* The pictures of the content (an image, a video's thumbnail) load only while active. */
static void
apply_media_active (GtkWidget *widget, gboolean active)
{
  if (TIMCHAT_IS_MEDIA_PICTURE (widget))
    {
      timchat_media_picture_set_active (TIMCHAT_MEDIA_PICTURE (widget), active);
      return;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    apply_media_active (child, active);
}

static void
remove_part (TimchatMessageRow *self, GtkWidget **part)
{
  GtkRoot *root;
  GtkWidget *focus;

  if (*part == NULL)
    return;
  /* GTK 4.8 keeps using a focused (selectable) label after it is removed: drop focus first. */
  root = gtk_widget_get_root (*part);
  focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  if (focus != NULL && (focus == *part || gtk_widget_is_ancestor (focus, *part)))
    gtk_root_set_focus (root, NULL);
  gtk_box_remove (GTK_BOX (self->bubble), *part);
  *part = NULL;
}

static void
remove_content (TimchatMessageRow *self)
{
  remove_part (self, &self->quote);
  remove_part (self, &self->content);
}

/* Sender and avatar: what depends on the message above (a run from one sender shows them once). */
static void
update_grouping (TimchatMessageRow *self)
{
  gboolean mine = is_mine (self->message);
  gboolean show_sender = self->is_group && !mine && self->first_of_run;

  /* In groups others' messages keep the avatar's room, so the bubbles of a run line up under the
   * first, whose avatar sits over that margin (timchat-message-row-layout.c says why not a
   * horizontal box). */
  gtk_widget_set_margin_start (self->column, self->is_group && !mine ? AVATAR_ROOM : 0);
  if (show_sender)
    _timchat_message_row_ensure_sender (self);
  if (self->avatar == NULL)
    return;
  gtk_widget_set_visible (GTK_WIDGET (self->avatar), show_sender);
  gtk_widget_set_visible (GTK_WIDGET (self->sender_label), show_sender);
  /* Only where shown: an avatar's text makes its initials' layout even when hidden. */
  if (show_sender)
    {
      adw_avatar_set_text (self->avatar, tim_message_get_sender_name (self->message));
      timchat_avatar_set_url (self->avatar, tim_message_get_avatar (self->message));
      gtk_label_set_text (self->sender_label, tim_message_get_sender_name (self->message));
    }
}

/* Layout and content: what changes with is-revoked and payload. */
static void
update_content (TimchatMessageRow *self)
{
  TimMessage *message = self->message;
  gboolean mine = is_mine (message);

  remove_content (self);
  /* A message that mentions the user by name stands out in the run, as in the list (a recall
   * forgets whom it mentioned). */
  if (!mine && tim_message_get_group_at_type (message, self->me) & TIM_GROUP_AT_ME)
    gtk_widget_add_css_class (self->bubble, "mentions-me");
  else
    gtk_widget_remove_css_class (self->bubble, "mentions-me");
  if (self->tip_label != NULL)
    gtk_widget_set_visible (GTK_WIDGET (self->tip_label), is_tip (message));
  _timchat_message_row_update_application (self);
  gtk_widget_set_visible (self->column, !is_tip (message));
  if (is_tip (message))
    {
      g_autofree char *text = dup_tip_text (self, message);

      gtk_label_set_text (_timchat_message_row_ensure_tip_label (self), text);
      return;
    }

  if (self->align_end != mine)
    {
      self->align_end = mine;
      gtk_widget_queue_allocate (GTK_WIDGET (self));
    }
  if (mine)
    gtk_widget_add_css_class (self->bubble, "outgoing");
  else
    gtk_widget_remove_css_class (self->bubble, "outgoing");
  update_grouping (self);

  self->content = timchat_message_content_new (message);
  if (self->media_inactive)
    apply_media_active (self->content, FALSE);
  gtk_box_prepend (GTK_BOX (self->bubble), self->content);
  /* A reply: the quote above what it says. */
  self->quote = timchat_message_quote_new (message);
  if (self->quote != NULL)
    gtk_box_prepend (GTK_BOX (self->bubble), self->quote);
}

static void
message_notify_cb (TimMessage *message, GParamSpec *pspec, TimchatMessageRow *self)
{
  const char *name = g_param_spec_get_name (pspec);

  if (g_str_equal (name, "is-revoked") || g_str_equal (name, "payload") ||
      g_str_equal (name, "nick") || g_str_equal (name, "cloud-custom-data"))
    update_content (self);
  _timchat_message_row_update_state (self);
  /* Sent at last, failed or recalled: whether it can be selected changed. */
  if (self->selecting)
    _timchat_message_row_update_check (self);
}

/* ---------------------------------------------------------------- object */

static void
timchat_message_row_dispose (GObject *object)
{
  TimchatMessageRow *self = TIMCHAT_MESSAGE_ROW (object);
  GtkWidget *child;

  timchat_message_row_unbind (self);
  _timchat_message_row_stop_flash (self);
  g_clear_pointer (&self->me, g_free);
  g_clear_pointer (&self->popover, gtk_widget_unparent);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  self->column = self->bubble = self->footer = self->upload_box = self->error_box = NULL;
  self->check = self->application = NULL;
  self->beginning = self->unread = NULL;
  self->day_label = self->tip_label = self->sender_label = self->receipt_label = NULL;
  self->time_label = self->upload_label = self->error_label = self->edited_label = NULL;
  self->avatar = NULL;
  self->status_icon = NULL;
  self->upload_bar = NULL;
  G_OBJECT_CLASS (timchat_message_row_parent_class)->dispose (object);
}

static void
timchat_message_row_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_MESSAGE:
      g_value_set_object (value, TIMCHAT_MESSAGE_ROW (object)->message);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static GtkSizeRequestMode
get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
timchat_message_row_class_init (TimchatMessageRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  timchat_ensure_resources ();
  object_class->dispose = timchat_message_row_dispose;
  object_class->get_property = timchat_message_row_get_property;

  properties[PROP_MESSAGE] =
      g_param_spec_object ("message", NULL, NULL, TIM_TYPE_MESSAGE,
                           G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  _timchat_message_row_class_init_menu (widget_class);
  widget_class->measure = _timchat_message_row_measure;
  widget_class->size_allocate = _timchat_message_row_allocate;
  widget_class->get_request_mode = get_request_mode;
  gtk_widget_class_set_css_name (widget_class, "messagerow");
}

static void
timchat_message_row_init (TimchatMessageRow *self)
{
  /* Built here rather than from a .ui template: GtkBuilder took ~80 µs of the ~180 µs it took to
   * make a row, and an opening conversation makes ~15 before its first frame. Only what every
   * message shows; the rest is made when first shown (timchat-message-row-parts.c). */
  self->column = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  self->bubble = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  gtk_widget_add_css_class (self->bubble, "message-bubble");
  self->footer = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  gtk_widget_set_halign (self->footer, GTK_ALIGN_END);
  self->time_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->time_label), "message-meta");
  gtk_box_append (GTK_BOX (self->footer), GTK_WIDGET (self->time_label));
  gtk_box_append (GTK_BOX (self->bubble), self->footer);
  gtk_box_append (GTK_BOX (self->column), self->bubble);
  gtk_widget_set_parent (self->column, GTK_WIDGET (self));

  _timchat_message_row_init_menu (self);
}

/* The day separator above the message: shown on the first message of a day. */
static void
set_day (TimchatMessageRow *self, TimMessage *message, gboolean new_day)
{
  if (self->day_label != NULL)
    gtk_widget_set_visible (GTK_WIDGET (self->day_label), new_day);
  if (new_day)
    {
      g_autofree char *day = timchat_format_day (message_time (message));
      GtkLabel *label = _timchat_message_row_ensure_day_label (self);

      timchat_label_set_text (label, day);
    }
}

GtkWidget *
timchat_message_row_new (void)
{
  return g_object_new (TIMCHAT_TYPE_MESSAGE_ROW, NULL);
}

void
timchat_message_row_bind (TimchatMessageRow *self, TimMessage *message, TimMessage *previous,
                          gboolean is_group, int recall_seconds)
{
  gboolean new_day, first_of_run;

  g_return_if_fail (TIMCHAT_IS_MESSAGE_ROW (self));
  g_return_if_fail (TIM_IS_MESSAGE (message));
  g_return_if_fail (previous == NULL || TIM_IS_MESSAGE (previous));

  new_day = previous == NULL ||
            !timchat_format_same_day (message_time (previous), message_time (message));
  first_of_run = new_day || is_tip (previous) ||
                 g_strcmp0 (tim_message_get_from (previous), tim_message_get_from (message)) != 0 ||
                 ABS (message_time (message) - message_time (previous)) >= GROUPING_SECONDS;
  self->recall_seconds = recall_seconds;
  set_day (self, message, new_day);
  if (self->top != (first_of_run ? FIRST_OF_RUN_TOP : 0))
    {
      self->top = first_of_run ? FIRST_OF_RUN_TOP : 0;
      gtk_widget_queue_resize (GTK_WIDGET (self));
    }

  /* Bound again to the message it shows (GTK 4.8 re-binds every row whose position moved, e.g.
   * all ~200 bound rows when an older page is prepended): keep the content, whose text would
   * otherwise be made and shaped again; only what depends on the message above can change. */
  if (self->message == message && self->is_group == is_group)
    {
      if (self->first_of_run != first_of_run)
        {
          self->first_of_run = first_of_run;
          if (!is_tip (message))
            update_grouping (self);
        }
      return;
    }

  timchat_message_row_unbind (self);
  self->message = g_object_ref (message);
  self->is_group = is_group;
  self->first_of_run = first_of_run;

  g_signal_connect_object (message, "notify", G_CALLBACK (message_notify_cb), self, 0);
  update_content (self);
  _timchat_message_row_update_state (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
}

void
timchat_message_row_unbind (TimchatMessageRow *self)
{
  g_return_if_fail (TIMCHAT_IS_MESSAGE_ROW (self));

  if (self->message == NULL)
    return;
  if (self->popover != NULL)
    gtk_popover_popdown (GTK_POPOVER (self->popover));
  _timchat_message_row_stop_flash (self);
  g_signal_handlers_disconnect_by_data (self->message, self);
  remove_content (self);
  g_clear_object (&self->message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
}

void
timchat_message_row_set_notes (TimchatMessageRow *self, gboolean beginning, gboolean unread)
{
  g_return_if_fail (TIMCHAT_IS_MESSAGE_ROW (self));

  if (beginning || self->beginning != NULL)
    gtk_widget_set_visible (_timchat_message_row_ensure_beginning (self), beginning);
  if (unread || self->unread != NULL)
    gtk_widget_set_visible (_timchat_message_row_ensure_unread (self), unread);
}

void
timchat_message_row_set_media_active (TimchatMessageRow *self, gboolean active)
{
  g_return_if_fail (TIMCHAT_IS_MESSAGE_ROW (self));

  if (self->media_inactive == !active)
    return;
  self->media_inactive = !active;
  if (self->content != NULL)
    apply_media_active (self->content, active);
}

void
timchat_message_row_set_me (TimchatMessageRow *self, const char *me)
{
  g_return_if_fail (TIMCHAT_IS_MESSAGE_ROW (self));

  if (g_strcmp0 (self->me, me) == 0)
    return;
  g_free (self->me);
  self->me = g_strdup (me);
}

TimMessage *
timchat_message_row_get_message (TimchatMessageRow *self)
{
  g_return_val_if_fail (TIMCHAT_IS_MESSAGE_ROW (self), NULL);
  return self->message;
}
