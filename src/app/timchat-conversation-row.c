/* timchat-conversation-row.c: one conversation in the list. The row follows its conversation
 * (and the last message, for recalls) through notify signals while it is bound, so unread badges,
 * previews and pins change in place without items-changed. Its context menu (secondary click,
 * long press, Menu or Shift+F10) is timchat-conversation-menu.c's; the icons, dot, badge and
 * marks beside the name and preview are timchat-conversation-row-marks.c's. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "tim-text.h"
#include "timchat-avatar.h"
#include "timchat-context-menu.h"
#include "timchat-conversation-row-private.h"
#include "timchat-conversation-menu.h"
#include "timchat-format.h"
#include "timchat-label.h"
#include "timchat-resources.h"
#include "timchat-window.h"

G_DEFINE_FINAL_TYPE (TimchatConversationRow, timchat_conversation_row, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_CONVERSATION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* "[Grin] ok" -> "😁 ok": previews show emoji the way the bubble does. */
static char *
render_emoji (const char *text)
{
  g_autoptr (GPtrArray) segments = tim_text_parse (text != NULL ? text : "");
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < segments->len; i++)
    {
      TimTextSegment *segment = g_ptr_array_index (segments, i);

      g_string_append (out,
                       segment->kind == TIM_TEXT_SEGMENT_EMOJI ? segment->emoji : segment->text);
    }
  return g_string_free (out, FALSE);
}

static const char *
sender_name (TimchatConversationRow *self, TimMessage *message)
{
  if (tim_conversation_get_conversation_type (self->conversation) == TIM_CONV_C2C)
    return tim_conversation_get_name (self->conversation);
  return tim_message_get_sender_name (message);
}

static gboolean
shows_draft (TimchatConversationRow *self)
{
  return !tim_conversation_get_peer_typing (self->conversation) &&
         *tim_conversation_get_draft_text (self->conversation) != '\0';
}

static char *
dup_preview (TimchatConversationRow *self)
{
  TimMessage *last = tim_conversation_get_last_message (self->conversation);
  /* The last message in the user's words; the conversation's messageForShow is the SDK's English
   * for when the message itself is not known. */
  g_autofree char *summary = last != NULL ? tim_message_dup_summary (last) : NULL;
  g_autofree char *show = render_emoji (
      summary != NULL ? summary : tim_conversation_get_message_for_show (self->conversation));
  g_autofree char *prefix = NULL;
  gboolean mine;

  /* Telegram's way: the peer typing takes the preview's place while it lasts. */
  if (tim_conversation_get_peer_typing (self->conversation))
    return g_strdup (_ ("typing…"));
  /* Then what the user began writing here (after "[Draft]"), on one line. */
  if (shows_draft (self))
    return g_strdelimit (render_emoji (tim_conversation_get_draft_text (self->conversation)), "\n",
                         ' ');
  if (last == NULL)
    return g_steal_pointer (&show);
  /* A tip or a notice in words, as the conversation shows it, not "[Group Notification]". */
  if (!tim_message_get_is_revoked (last))
    {
      g_autofree char *tip = tim_message_dup_tip_text_for (last, self->me);

      if (tip != NULL)
        return g_steal_pointer (&tip);
    }
  mine = self->me != NULL && g_strcmp0 (tim_message_get_from (last), self->me) == 0;
  if (tim_message_get_is_revoked (last))
    return mine ? g_strdup (_ ("You recalled a message"))
                : g_strdup_printf (_ ("%s recalled a message"), sender_name (self, last));
  prefix = timchat_format_sender_prefix (last, self->me);
  return g_strconcat (prefix, show, NULL);
}

static void update (TimchatConversationRow *self);

static void
last_message_notify_cb (TimMessage *message, GParamSpec *pspec, TimchatConversationRow *self)
{
  update (self);
}

static void
watch_last_message (TimchatConversationRow *self, TimMessage *message)
{
  if (self->last_message == message)
    return;
  if (self->last_message != NULL)
    g_signal_handlers_disconnect_by_data (self->last_message, self);
  g_set_object (&self->last_message, message);
  if (message != NULL)
    g_signal_connect_object (message, "notify::is-revoked", G_CALLBACK (last_message_notify_cb),
                             self, 0);
}

static void
update (TimchatConversationRow *self)
{
  g_autofree char *preview = NULL;
  g_autofree char *time = NULL;

  if (self->conversation == NULL)
    return;
  watch_last_message (self, tim_conversation_get_last_message (self->conversation));
  adw_avatar_set_text (self->avatar, tim_conversation_get_name (self->conversation));
  /* Group Notices are nobody's: a bell, not initials. */
  adw_avatar_set_show_initials (
      self->avatar, tim_conversation_get_conversation_type (self->conversation) != TIM_CONV_SYSTEM);
  adw_avatar_set_icon_name (self->avatar, "preferences-system-notifications-symbolic");
  timchat_avatar_set_url (self->avatar, tim_conversation_get_avatar (self->conversation));
  timchat_label_set_text (self->name_label, tim_conversation_get_name (self->conversation));
  preview = dup_preview (self);
  timchat_label_set_text (self->preview_label, preview);
  if (tim_conversation_get_peer_typing (self->conversation))
    gtk_widget_add_css_class (GTK_WIDGET (self->preview_label), "typing");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->preview_label), "typing");
  time = timchat_format_list_time (tim_conversation_get_last_time (self->conversation));
  timchat_label_set_text (self->time_label, time);
  _timchat_conversation_row_show_marks (self, shows_draft (self));
}

static void
conversation_notify_cb (TimConversation *conversation, GParamSpec *pspec,
                        TimchatConversationRow *self)
{
  update (self);
}

/* ---------------------------------------------------------------- context menu */

static void
open_menu (TimchatConversationRow *self, double x, double y)
{
  g_autoptr (GMenuModel) model = NULL;
  GtkRoot *root;

  if (self->conversation == NULL)
    return;
  root = gtk_widget_get_root (GTK_WIDGET (self));
  model = timchat_conversation_menu_new (
      self->conversation,
      TIMCHAT_IS_WINDOW (root) ? timchat_window_get_client (TIMCHAT_WINDOW (root)) : NULL);
  if (g_menu_model_get_n_items (model) == 0)
    return;
  timchat_context_menu_popup (GTK_WIDGET (self), &self->popover, model, x, y);
}

static void
menu_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  open_menu (TIMCHAT_CONVERSATION_ROW (widget), gtk_widget_get_width (widget) / 2.0,
             gtk_widget_get_height (widget));
}

static void
open_at (GtkWidget *widget, double x, double y)
{
  open_menu (TIMCHAT_CONVERSATION_ROW (widget), x, y);
}

/* ---------------------------------------------------------------- object */

static void
timchat_conversation_row_dispose (GObject *object)
{
  TimchatConversationRow *self = TIMCHAT_CONVERSATION_ROW (object);
  GtkWidget *child;

  timchat_conversation_row_set_conversation (self, NULL, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), TIMCHAT_TYPE_CONVERSATION_ROW);
  self->pin_icon = NULL; /* held by the boxes */
  self->muted_icon = NULL;
  self->unread_label = NULL;
  self->draft_label = NULL;
  self->popover = NULL; /* a child: unparented below */
  /* The template's top box is not a bound child: unparent what is left. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (timchat_conversation_row_parent_class)->dispose (object);
}

static void
timchat_conversation_row_get_property (GObject *object, guint prop_id, GValue *value,
                                       GParamSpec *pspec)
{
  TimchatConversationRow *self = TIMCHAT_CONVERSATION_ROW (object);

  switch (prop_id)
    {
    case PROP_CONVERSATION:
      g_value_set_object (value, self->conversation);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
timchat_conversation_row_class_init (TimchatConversationRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  timchat_ensure_resources ();
  object_class->dispose = timchat_conversation_row_dispose;
  object_class->get_property = timchat_conversation_row_get_property;

  properties[PROP_CONVERSATION] =
      g_param_spec_object ("conversation", NULL, NULL, TIM_TYPE_CONVERSATION,
                           G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/example/TimChat/timchat-conversation-row.ui");
  gtk_widget_class_bind_template_child (widget_class, TimchatConversationRow, avatar);
  gtk_widget_class_bind_template_child (widget_class, TimchatConversationRow, top_box);
  gtk_widget_class_bind_template_child (widget_class, TimchatConversationRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, TimchatConversationRow, time_label);
  gtk_widget_class_bind_template_child (widget_class, TimchatConversationRow, bottom_box);
  gtk_widget_class_bind_template_child (widget_class, TimchatConversationRow, preview_label);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "conversationrow");
  gtk_widget_class_install_action (widget_class, "conversation-row.menu", NULL, menu_action);
}

static void
timchat_conversation_row_init (TimchatConversationRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  timchat_context_menu_add_gestures (GTK_WIDGET (self), open_at);
}

GtkWidget *
timchat_conversation_row_new (void)
{
  return g_object_new (TIMCHAT_TYPE_CONVERSATION_ROW, NULL);
}

TimConversation *
timchat_conversation_row_get_conversation (TimchatConversationRow *self)
{
  g_return_val_if_fail (TIMCHAT_IS_CONVERSATION_ROW (self), NULL);
  return self->conversation;
}

void
timchat_conversation_row_set_conversation (TimchatConversationRow *self,
                                           TimConversation *conversation, const char *me)
{
  g_return_if_fail (TIMCHAT_IS_CONVERSATION_ROW (self));
  g_return_if_fail (conversation == NULL || TIM_IS_CONVERSATION (conversation));

  g_free (self->me);
  self->me = g_strdup (me);
  if (self->conversation == conversation)
    {
      update (self);
      return;
    }
  if (self->conversation != NULL)
    g_signal_handlers_disconnect_by_data (self->conversation, self);
  watch_last_message (self, NULL);
  g_set_object (&self->conversation, conversation);
  if (conversation != NULL)
    {
      g_signal_connect_object (conversation, "notify", G_CALLBACK (conversation_notify_cb), self,
                               0);
      update (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONVERSATION]);
}

/* What the search looks in: the name shown, and the user or group ID (a contact whose nickname
 * is nothing like their ID is found by either). */
static char *
searched_text (gpointer item, const char *name, const char *peer, gpointer user_data)
{
  return g_strjoin ("\n", name != NULL ? name : "", peer != NULL ? peer : "", NULL);
}

GtkStringFilter *
timchat_conversation_row_new_search_filter (void)
{
  GtkExpression *searched[2];

  searched[0] = gtk_property_expression_new (TIM_TYPE_CONVERSATION, NULL, "name");
  searched[1] = gtk_property_expression_new (TIM_TYPE_CONVERSATION, NULL, "peer");
  return gtk_string_filter_new (gtk_cclosure_expression_new (
      G_TYPE_STRING, NULL, 2, searched, G_CALLBACK (searched_text), NULL, NULL));
}
