/* tim-msg-control.h: a message's SendMsgControl (tim-sdk-facts.md §6: sendMessage's
 * messageControlInfo; tim-rest-facts.md §4.1, §5): whether it counts as unread and whether it
 * becomes its conversation's last message, on a send and on a received message. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  TIM_MSG_CONTROL_NONE = 0,
  /* "NoUnread", the SDK's excludedFromUnreadCount: it never counts as unread. */
  TIM_MSG_CONTROL_NO_UNREAD = 1 << 0,
  /* "NoLastMsg", the SDK's excludedFromLastMessage: it is never its conversation's last message,
   * nor moves the conversation in the list. */
  TIM_MSG_CONTROL_NO_LAST_MSG = 1 << 1,
} TimMsgControl;

/* The flags a send's SendMsgControl array names. Other words (NoMsgCheck, WithMuteNotifications)
 * name nothing we do and are passed over; NULL is none. Fails with TIM_ERROR_INVALID_PARAMETER,
 * naming the entry, when an entry is not a string. */
gboolean tim_msg_control_parse (JsonArray *control, TimMsgControl *flags, GError **error);
/* The SendMsgControl a send carries: ["NoUnread","NoLastMsg"] or part of it; NULL for none. */
JsonArray *tim_msg_control_new_send (TimMsgControl flags);
/* The SendMsgControl on a received message (push, sync, history) as the Web SDK reads it:
 * {"NoUnread":1,"NoLastMsg":1} or part of it, which its key map turns into
 * messageControlInfo.excludedFromUnreadCount/excludedFromLastMessage (it checks === 1); NULL for
 * none. */
JsonObject *tim_msg_control_new_received (TimMsgControl flags);
/* The flags of a message item's SendMsgControl member, in either form; none when absent. */
TimMsgControl tim_msg_control_from_item (JsonObject *item);

G_END_DECLS
