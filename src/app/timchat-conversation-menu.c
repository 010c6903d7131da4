/* timchat-conversation-menu.c: a conversation's context menu in the list, built when it opens:
 * "Mark as Read" only while something is unread (or it is marked so), "Mark as Unread"
 * otherwise, Pin or Unpin and Mute or Unmute as it is (for a group, Stop Receiving Messages too;
 * for a conversation whose messages are not received, only Receive Messages), the folders as
 * they are, and for a person Block or Unblock as they are. Group Notices live on the server's side:
 * they can be read, not pinned or deleted. Every item is a window action on the conversation (or
 * person). */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <glib/gi18n.h>

#include "timchat-conversation-menu.h"

static void
append_item (GMenu *menu, const char *label, const char *action, const char *conversation_id)
{
  g_autoptr (GMenuItem) item = g_menu_item_new (label, NULL);

  g_menu_item_set_action_and_target (item, action, "s", conversation_id);
  g_menu_append_item (menu, item);
}

/* A menu takes "_" for the mark of the key that follows: a folder's name has its own doubled, to
 * show as it is ("to_do", not "todo" with its "d" underlined). */
static char *
escape_underscores (const char *text)
{
  GString *escaped = g_string_new (text);

  g_string_replace (escaped, "_", "__", 0);
  return g_string_free (escaped, FALSE);
}

/* "Folders": the conversation goes in each folder it is not in, out of each it is in, or in a
 * new one. */
static void
append_folders (GMenu *menu, TimConversation *conversation, TimClient *client)
{
  g_autoptr (GMenu) folders_menu = g_menu_new ();
  g_auto (GStrv) folders = tim_client_dup_folders (client);
  const char *id = tim_conversation_get_id (conversation);

  for (guint i = 0; folders[i] != NULL; i++)
    {
      gboolean in = tim_conversation_is_in_folder (conversation, folders[i]);
      g_autofree char *name = escape_underscores (folders[i]);
      /* Translators: a folder's name. */
      g_autofree char *label =
          g_strdup_printf (in ? _ ("Remove from “%s”") : _ ("Add to “%s”"), name);
      g_autoptr (GMenuItem) item = g_menu_item_new (label, NULL);

      g_menu_item_set_action_and_target (item, in ? "win.remove-from-folder" : "win.add-to-folder",
                                         "(ss)", id, folders[i]);
      g_menu_append_item (folders_menu, item);
    }
  append_item (folders_menu, _ ("New _Folder…"), "win.new-folder", id);
  g_menu_append_submenu (menu, _ ("_Folders"), G_MENU_MODEL (folders_menu));
}

GMenuModel *
timchat_conversation_menu_new (TimConversation *conversation, TimClient *client)
{
  GMenu *menu = g_menu_new ();
  const char *id = tim_conversation_get_id (conversation);

  gboolean unread = tim_conversation_get_unread_count (conversation) > 0 ||
                    (tim_conversation_get_marks (conversation) & TIM_CONV_MARK_UNREAD);

  if (unread)
    append_item (menu, _ ("Mark as _Read"), "win.mark-conversation-read", id);
  if (tim_conversation_get_conversation_type (conversation) == TIM_CONV_SYSTEM)
    return G_MENU_MODEL (menu);
  if (!unread)
    append_item (menu, _ ("Mark as U_nread"), "win.mark-conversation-unread", id);
  if (tim_conversation_get_is_pinned (conversation))
    append_item (menu, _ ("Un_pin"), "win.unpin-conversation", id);
  else
    append_item (menu, _ ("_Pin to Top"), "win.pin-conversation", id);
  if (tim_conversation_get_is_discarded (conversation))
    append_item (menu, _ ("Re_ceive Messages"), "win.unmute-conversation", id);
  else if (tim_conversation_get_is_muted (conversation))
    append_item (menu, _ ("Un_mute Notifications"), "win.unmute-conversation", id);
  else
    append_item (menu, _ ("_Mute Notifications"), "win.mute-conversation", id);
  /* A person's messages are stopped by blocking them; a group's by not receiving them. */
  if (tim_conversation_get_conversation_type (conversation) == TIM_CONV_GROUP &&
      !tim_conversation_get_is_discarded (conversation))
    append_item (menu, _ ("_Stop Receiving Messages"), "win.discard-conversation", id);
  if (client != NULL)
    append_folders (menu, conversation, client);
  append_item (menu, _ ("Clear _History…"), "win.clear-history", id);
  append_item (menu, _ ("_Delete Conversation"), "win.delete-conversation", id);
  if (client != NULL && tim_conversation_get_conversation_type (conversation) == TIM_CONV_C2C)
    {
      const char *peer = tim_conversation_get_peer (conversation);

      if (tim_client_is_blocked (client, peer))
        append_item (menu, _ ("_Unblock"), "win.unblock-user", peer);
      else
        append_item (menu, _ ("_Block…"), "win.block-user", peer);
    }
  return G_MENU_MODEL (menu);
}
