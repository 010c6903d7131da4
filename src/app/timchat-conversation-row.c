/* timchat-conversation-row.c: one conversation in the list. The row follows its conversation
 * (and the last message, for recalls) through notify signals while it is bound, so unread badges,
 * previews and pins change in place without items-changed. Its context menu (secondary click,
 * long press, Menu or Shift+F10) is timchat-conversation-menu.c's. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "tim-text.h"
#include "timchat-avatar.h"
#include "timchat-context-menu.h"
#include "timchat-conversation-row.h"
#include "timchat-conversation-menu.h"
#include "timchat-format.h"
#include "timchat-label.h"
#include "timchat-resources.h"
#include "timchat-window.h"

struct _TimchatConversationRow
{
  GtkWidget parent_instance;

  AdwAvatar *avatar;
  GtkBox *top_box;
  GtkLabel *name_label;
  GtkWidget *pin_icon;       /* made when first pinned */
  GtkWidget *muted_icon;     /* made when first muted */
  GtkWidget *discarded_icon; /* made when its messages are first not received */
  GtkWidget *online_dot;     /* made when the peer is first online */
  GtkLabel *time_label;
  GtkBox *bottom_box;
  GtkLabel *preview_label;
  GtkWidget *mention_label; /* "[@Me]" before the preview, made when first mentioned */
  GtkWidget *draft_label;   /* "[Draft]" before the draft, made when first needed */
  GtkWidget *unread_label;  /* made when first unread */
  GtkWidget *popover;       /* the context menu, made when first opened */

  TimConversation *conversation;
  TimMessage *last_message; /* watched for recalls */
  char *me;
};

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
  g_autofree char *show = render_emoji (tim_conversation_get_message_for_show (self->conversation));
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

/* The pin, the muted bell and the badge are made when a row first needs them: most rows show
 * none, and a row is made for each conversation on screen before the first frame. Icons go
 * after the name. */
static void
show_icon (TimchatConversationRow *self, GtkWidget **icon, const char *icon_name,
           const char *tooltip, gboolean shown)
{
  if (*icon == NULL && shown)
    {
      *icon = gtk_image_new_from_icon_name (icon_name);
      gtk_widget_add_css_class (*icon, "dim-label");
      gtk_widget_set_tooltip_text (*icon, tooltip);
      gtk_box_insert_child_after (self->top_box, *icon, GTK_WIDGET (self->name_label));
    }
  if (*icon != NULL)
    gtk_widget_set_visible (*icon, shown);
}

/* A green dot on a one-to-one peer's picture while they are online, saying their status (their
 * custom one too) to a pointer and to a screen reader. The overlay that holds it is made the
 * first time: most rows never need one. */
static void
show_online (TimchatConversationRow *self, gboolean online, const char *custom_status)
{
  GtkWidget *avatar = GTK_WIDGET (self->avatar);
  GtkWidget *box, *overlay;

  if (self->online_dot == NULL && online)
    {
      box = gtk_widget_get_parent (avatar);
      overlay = gtk_overlay_new ();
      g_object_ref (avatar);
      gtk_box_remove (GTK_BOX (box), avatar);
      gtk_overlay_set_child (GTK_OVERLAY (overlay), avatar);
      g_object_unref (avatar);
      gtk_box_prepend (GTK_BOX (box), overlay);
      self->online_dot = timchat_online_dot_new ();
      gtk_widget_set_halign (self->online_dot, GTK_ALIGN_END);
      gtk_widget_set_valign (self->online_dot, GTK_ALIGN_END);
      gtk_overlay_add_overlay (GTK_OVERLAY (overlay), self->online_dot);
    }
  if (self->online_dot == NULL)
    return;
  gtk_widget_set_visible (self->online_dot, online);
  timchat_online_dot_set_status (self->online_dot, custom_status);
}

/* The count, or an empty badge (a dot) for a conversation marked unread with nothing unread
 * (markConversation: it stays until the conversation is read, on any device). */
static void
show_unread (TimchatConversationRow *self, guint unread, gboolean marked)
{
  g_autofree char *count = NULL;
  gboolean shown = unread > 0 || marked;

  if (self->unread_label == NULL && shown)
    {
      self->unread_label = gtk_label_new (NULL);
      gtk_widget_set_valign (self->unread_label, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (self->unread_label, "unread-badge");
      gtk_box_append (self->bottom_box, self->unread_label);
    }
  if (self->unread_label == NULL)
    return;
  gtk_widget_set_visible (self->unread_label, shown);
  count = unread == 0   ? g_strdup ("")
          : unread > 99 ? g_strdup ("99+")
                        : g_strdup_printf ("%u", unread);
  timchat_label_set_text (GTK_LABEL (self->unread_label), count);
  gtk_widget_set_tooltip_text (self->unread_label,
                               unread == 0 && marked ? _ ("Marked as unread") : NULL);
  if (unread == 0)
    {
      gtk_widget_add_css_class (self->unread_label, "marked");
      /* The dot has no text: a screen reader says this instead. */
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->unread_label),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _ ("Marked as unread"), -1);
    }
  else
    {
      gtk_widget_remove_css_class (self->unread_label, "marked");
      /* Its text again (GTK 4.8 names a label whose name was reset by its type, "GtkLabel"). */
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->unread_label),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, count, -1);
    }
}

/* An unread mention stands out before the preview, as "[@Me]" or "[@All]" (the SDK's
 * groupAtInfoList; it goes when the group is read). */
static void
show_mention (TimchatConversationRow *self, TimGroupAtType at)
{
  if (self->mention_label == NULL && at != TIM_GROUP_AT_NONE)
    {
      self->mention_label = gtk_label_new (NULL);
      gtk_widget_add_css_class (self->mention_label, "mention-mark");
      gtk_box_prepend (self->bottom_box, self->mention_label);
    }
  if (self->mention_label == NULL)
    return;
  gtk_widget_set_visible (self->mention_label, at != TIM_GROUP_AT_NONE);
  /* Translators: before a group's last message in the conversation list: someone mentioned
   * the user (first) or everyone (second). Keep them short. */
  timchat_label_set_text (GTK_LABEL (self->mention_label),
                          (at & TIM_GROUP_AT_ME) ? _ ("[@Me]") : _ ("[@All]"));
  gtk_widget_set_tooltip_text (self->mention_label, (at & TIM_GROUP_AT_ME)
                                                        ? _ ("You were mentioned")
                                                        : _ ("Everyone was mentioned"));
}

/* WeChat's way: an unsent draft shows instead of the last message, after "[Draft]". */
static void
show_draft_mark (TimchatConversationRow *self, gboolean shown)
{
  if (self->draft_label == NULL && shown)
    {
      /* Translators: before the unsent text of a conversation in the list. Keep it short. */
      self->draft_label = gtk_label_new (_ ("[Draft]"));
      gtk_widget_add_css_class (self->draft_label, "draft-mark");
      gtk_box_insert_child_after (self->bottom_box, self->draft_label, self->mention_label);
    }
  if (self->draft_label != NULL)
    gtk_widget_set_visible (self->draft_label, shown);
}

static void
update (TimchatConversationRow *self)
{
  g_autofree char *preview = NULL;
  g_autofree char *time = NULL;
  gboolean discarded;

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
  show_icon (self, &self->pin_icon, "view-pin-symbolic", _ ("Pinned"),
             tim_conversation_get_is_pinned (self->conversation));
  discarded = g_strcmp0 (tim_conversation_get_message_remind_type (self->conversation),
                         TIM_REMIND_DISCARD) == 0;
  show_icon (self, &self->muted_icon, "notifications-disabled-symbolic", _ ("Muted"),
             tim_conversation_get_is_muted (self->conversation) && !discarded);
  show_icon (self, &self->discarded_icon, "action-unavailable-symbolic",
             _ ("Not receiving messages"), discarded);
  show_online (self,
               tim_conversation_get_peer_status (self->conversation) == TIM_USER_STATUS_ONLINE,
               tim_conversation_get_peer_custom_status (self->conversation));
  show_mention (self, tim_conversation_get_group_at_type (self->conversation));
  show_draft_mark (self, shows_draft (self));
  show_unread (self, tim_conversation_get_unread_count (self->conversation),
               (tim_conversation_get_marks (self->conversation) & TIM_CONV_MARK_UNREAD) != 0);
  /* A muted conversation's count is there to see, not to call for attention. */
  if (self->unread_label != NULL)
    {
      if (tim_conversation_get_is_muted (self->conversation))
        gtk_widget_add_css_class (self->unread_label, "muted");
      else
        gtk_widget_remove_css_class (self->unread_label, "muted");
    }
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
