/* timchat-conversation-row-marks.c: what a conversation row shows besides its name, time and
 * preview: the pin, muted and not-receiving icons, the online dot, the unread badge (or dot),
 * the "[@Me]" mention and the "[Draft]" mark. Each is made the first time a row needs it: most
 * rows never show most of them, and the list starts faster without them. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "timchat-conversation-row-private.h"
#include "timchat-label.h"
#include "timchat-avatar.h"

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

void
_timchat_conversation_row_show_marks (TimchatConversationRow *self, gboolean draft_shown)
{
  gboolean discarded = tim_conversation_get_is_discarded (self->conversation);

  show_icon (self, &self->pin_icon, "view-pin-symbolic", _ ("Pinned"),
             tim_conversation_get_is_pinned (self->conversation));
  show_icon (self, &self->muted_icon, "notifications-disabled-symbolic", _ ("Muted"),
             tim_conversation_get_is_muted (self->conversation) && !discarded);
  show_icon (self, &self->discarded_icon, "action-unavailable-symbolic",
             _ ("Not receiving messages"), discarded);
  show_online (self,
               tim_conversation_get_peer_status (self->conversation) == TIM_USER_STATUS_ONLINE,
               tim_conversation_get_peer_custom_status (self->conversation));
  show_mention (self, tim_conversation_get_group_at_type (self->conversation));
  show_draft_mark (self, draft_shown);
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
