/* tim-limits.h: numbers both sides agree on (see tim-sdk-facts.md §6). */
#pragma once

#define TIM_MAX_MSG_BODY_BYTES (12 * 1024)
/* A message's OfflinePushInfo as JSON: an APNs payload's 4 KB (tim-rest-facts.md §4.1), which is
 * what it becomes. */
#define TIM_MAX_OFFLINE_PUSH_BYTES 4096
#define TIM_MAX_FRAME_BYTES (256 * 1024)
#define TIM_MAX_USERSIG_INFLATED 4096
#define TIM_MAX_USERID_BYTES 32
#define TIM_MAX_GROUPID_BYTES 48
/* A group's texts (tim-rest-facts.md §5.0). */
#define TIM_MAX_GROUP_NAME_BYTES 30
#define TIM_MAX_GROUP_INTRODUCTION_BYTES 240
#define TIM_MAX_GROUP_NOTIFICATION_BYTES 300
/* A member's name in a group (NameCard, tim-rest-facts.md §5). */
#define TIM_MAX_NAME_CARD_BYTES 50
/* A user's custom status (the SDK's setSelfStatus): the vendor's 100 bytes. */
#define TIM_MAX_CUSTOM_STATUS_BYTES 100
/* A profile's fields (tim-rest-facts.md §3.7): a string value, a Location (the newer pages'
 * 16 bytes; an older page says 500), a custom field's key (after Tag_Profile_Custom_). The
 * vendor's custom fields are the ones configured in its console; with no console, a user may
 * have at most TIM_MAX_PROFILE_CUSTOM_FIELDS of them (ours, as the facts record no number). */
#define TIM_MAX_PROFILE_VALUE_BYTES 500
#define TIM_MAX_PROFILE_LOCATION_BYTES 16
#define TIM_MAX_PROFILE_CUSTOM_KEY_BYTES 8
#define TIM_MAX_PROFILE_CUSTOM_FIELDS 20
/* A group's FaceUrl. The vendor allows 100 bytes; ours are the server's own upload URLs, which
 * pass 100 with a host name over ~35 characters, so we allow what a profile picture may have
 * (docs/protocol.md, "Differs"). */
#define TIM_MAX_GROUP_FACE_URL_BYTES 500
/* A merged message (TIMRelayElem): over this many bytes of JSON, its list of messages goes up
 * first (im_long_msg.save_relay_json_msg) and the message carries only the key (tim-js-sdk
 * 2.27.6: 11,264, UTF-8). At most TIM_MAX_MERGER_MESSAGES in one list: our limit, as the facts
 * record none. */
#define TIM_MERGER_INLINE_MAX_BYTES 11264
#define TIM_MAX_MERGER_MESSAGES 300
/* The length of the key our server gives such a list (hex), which the message then carries. */
#define TIM_RELAY_KEY_LENGTH 32
#define TIM_MESSAGE_LIST_MAX_COUNT 15
#define TIM_ROAM_MAX_COUNT 15
#define TIM_GROUP_HISTORY_MAX_COUNT 21
#define TIM_IMAGE_MAX_BYTES (20 * 1024 * 1024) /* strictly less than */
#define TIM_AUDIO_MAX_BYTES (20 * 1024 * 1024)
#define TIM_VIDEO_MAX_BYTES (100 * 1024 * 1024)
#define TIM_FILE_MAX_BYTES (100 * 1024 * 1024)
#define TIM_THUMB_SHORT_SIDE 198
#define TIM_LARGE_SHORT_SIDE 720
#define TIM_DEFAULT_RECALL_SECONDS 120
#define TIM_DEFAULT_RETENTION_DAYS 7
#define TIM_DEFAULT_GROUP_RATE 40
#define TIM_DEFAULT_HELLO_INTERVAL 120
#define TIM_DEFAULT_CONVERSATION_PAGE 100
#define TIM_SYSTEM_TINYID G_GUINT64_CONSTANT (144115198244471703)
#define TIM_SYSTEM_CONVERSATION_ID "@TIM#SYSTEM"

typedef enum
{
  TIM_PRIORITY_HIGH = 1,
  TIM_PRIORITY_NORMAL = 2,
  TIM_PRIORITY_LOW = 3,
  TIM_PRIORITY_LOWEST = 4,
} TimPriority;
