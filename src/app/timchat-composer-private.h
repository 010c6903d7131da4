/* timchat-composer-private.h: what timchat-composer.c shares with timchat-composer-send.c
 * (sending, keys) and timchat-composer-attach.c (file choosers). */
#pragma once

#include "timchat-composer.h"

G_BEGIN_DECLS

struct _TimchatComposer
{
  GtkWidget parent_instance;

  GtkScrolledWindow *scroller;
  GtkTextView *text_view;
  GtkLabel *placeholder;
  GtkMenuButton *priority_button;
  GtkWidget *send_button;

  TimClient *client;
  char *conversation_id;
  TimPriority priority;
  GSettings *settings;
  GKeyFile *drafts; /* group: the account's user ID; key: conversation ID */
  char *drafts_path;
  guint resize_idle;
  TimConversation *group;          /* the open group's conversation, watched for mute-all */
  GCancellable *group_cancellable; /* its profile's fetch */
};

/* The target and type of the open conversation; FALSE when nothing can be sent (no
 * conversation, or a group muted for all of which the user is a plain member). */
gboolean _timchat_composer_get_target (TimchatComposer *self, TimConvType *type,
                                       const char **target);
GtkTextBuffer *_timchat_composer_get_buffer (TimchatComposer *self);
gboolean _timchat_composer_is_blank (const char *text);
/* Enables what can be done now (send, attach...) and shows the placeholder when empty. */
void _timchat_composer_update_state (TimchatComposer *self);
/* Keeps (or forgets, when blank) the open conversation's draft. */
void _timchat_composer_save_draft (TimchatComposer *self);

gboolean _timchat_composer_key_pressed (GtkEventControllerKey *controller, guint keyval,
                                        guint keycode, GdkModifierType state,
                                        TimchatComposer *self);

/* timchat-composer-send.c: the placeholder says when only a group's owner and admins may post
 * (mute-all); the open group's profile is fetched for it. Called when the conversation or the
 * client changes, and with neither on dispose. */
void _timchat_composer_watch_group (TimchatComposer *self);

/* Opens the chooser for kind (image, video, sound or file) transient for the composer's window. */
void _timchat_composer_open_chooser (TimchatComposer *self, TimElemType kind);
/* Closes a chooser still open (dispose). */
void _timchat_composer_close_chooser (TimchatComposer *self);
/* "file-chosen"'s default: the ancestor conversation view sends the file. */
void _timchat_composer_real_file_chosen (TimchatComposer *self, GFile *file, TimElemType kind);

G_END_DECLS
