/* timchat-emoji-picker.h: the composer's emoji popover: our "[Grin]"-style tokens drawn as their
 * Unicode emoji, and a "Stickers" tab of face messages. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define TIMCHAT_TYPE_EMOJI_PICKER (timchat_emoji_picker_get_type ())
G_DECLARE_FINAL_TYPE (TimchatEmojiPicker, timchat_emoji_picker, TIMCHAT, EMOJI_PICKER, GtkPopover)

/* Signals: "emoji-picked" (const char *token), "sticker-picked" (int index). */
GtkWidget *timchat_emoji_picker_new (void);
/* The stickers a face message's index stands for (NULL past the end), and the data sent with
 * it ("tt00", "tt01", ... as the seed's face messages). */
const char *timchat_emoji_picker_sticker_emoji (int index);
char *timchat_emoji_picker_sticker_data (int index);

G_END_DECLS
