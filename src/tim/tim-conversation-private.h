/* tim-conversation-private.h: TimConversation's fields and properties, shared by the files
 * that make up the class (tim-conversation.c and its -group, -peer and -settings parts). */
#pragma once

#include "tim-conversation.h"

G_BEGIN_DECLS

struct _TimConversation
{
  GObject parent_instance;

  char *id;
  TimConvType type;
  char *peer;
  guint unread_count;
  TimMessage *last_message;
  gint64 last_time;
  char *message_for_show;
  gboolean is_pinned;
  guint64 marks;
  guint64 arrival;   /* set by the list: which last message came most recently */
  gint64 newest_seq; /* a group's newest sequence heard of (list, pushes, pages); not kept */
  gint64 listed_seq; /* a group's NextMsgSeq in the last joined-group list taken; not kept */
  char *profile_name;
  char *avatar;
  gint64 peer_read_time;
  char *group_type;
  char *group_introduction;
  char *group_notification;
  gboolean group_mute_all;
  char *group_self_role;
  gint64 group_self_mute_until;
  const char *remind_type; /* an interned TIM_REMIND_* */
  TimGroupAtType group_at_type;
  gboolean peer_typing;
  TimUserStatus peer_status;
  char *peer_custom_status;
  guint peer_typing_expiry; /* the source that clears peer_typing */
  char *draft_text;         /* "" when none */
  GStrv folders;            /* the names of the user's folders it is in, never NULL */
  char *custom_data;        /* setConversationCustomData's, "" when none */
};

typedef enum
{
  PROP_0,
  PROP_ID,
  PROP_CONVERSATION_TYPE,
  PROP_PEER,
  PROP_UNREAD_COUNT,
  PROP_LAST_MESSAGE,
  PROP_LAST_TIME,
  PROP_MESSAGE_FOR_SHOW,
  PROP_IS_PINNED,
  PROP_MARKS,
  PROP_NAME,
  PROP_AVATAR,
  PROP_PEER_READ_TIME,
  PROP_GROUP_TYPE,
  PROP_GROUP_INTRODUCTION,
  PROP_GROUP_NOTIFICATION,
  PROP_GROUP_MUTE_ALL,
  PROP_GROUP_SELF_ROLE,
  PROP_GROUP_SELF_MUTE_UNTIL,
  PROP_MESSAGE_REMIND_TYPE,
  PROP_GROUP_AT_TYPE,
  PROP_PEER_TYPING,
  PROP_PEER_STATUS,
  PROP_PEER_CUSTOM_STATUS,
  PROP_DRAFT_TEXT,
  PROP_FOLDERS,
  PROP_CUSTOM_DATA,
  N_PROPS
} TimConversationProp;

/* Notifies prop (a TimConversationProp). */
void _tim_conversation_notify (TimConversation *self, guint prop);
/* Sets *field to a copy of value and notifies prop, only when they differ. */
void _tim_conversation_set_string (TimConversation *self, char **field, const char *value,
                                   guint prop);

G_END_DECLS
