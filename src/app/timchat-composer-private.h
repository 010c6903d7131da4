/* timchat-composer-private.h: what timchat-composer.c shares with timchat-composer-send.c
 * (sending, keys), timchat-composer-attach.c (file choosers), timchat-composer-mentions.c
 * (@-mentions in groups), timchat-composer-drafts.c, timchat-composer-edit.c (editing a sent
 * message) and timchat-composer-reply.c (replying to a message). */
#pragma once

#include "timchat-composer.h"
#include "tim-voice-recorder.h"
#include "timchat-mention-popover.h"

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
  guint draft_save_timeout; /* keeps the draft once typing pauses */
  guint resize_idle;
  TimConversation *group;          /* the open group's conversation, watched for mute-all */
  guint mute_over_timeout;         /* when the user's own mute in it runs out */
  char *restriction;               /* why the user cannot post in it now, or NULL */
  GCancellable *group_cancellable; /* its profile's fetch */

  TimchatMentionPopover *mention_popover;
  GtkTextMark *mention_at;    /* the "@" being completed */
  gboolean mention_wanted;    /* typing left the cursor after that "@": show what matches */
  gboolean mention_dismissed; /* Escape on that "@": not again until another "@" is typed */
  gboolean program_sets_text; /* the program, not the user, is setting the text */
  GHashTable *mentions;       /* user ID -> the name inserted as "@name" */
  guint mention_focus_idle;   /* check_focus () after the text lost the focus */

  GtkRevealer *edit_bar;   /* "Editing message", the original text, Cancel Editing */
  GtkLabel *edit_original; /* the original text on one line */
  TimMessage *editing;     /* the sent message being edited; NULL when not editing */
  char *kept_draft;        /* what was typed before the edit, back after it */

  GtkRevealer *reply_bar;   /* "Replying to NAME", the original on one line, Cancel Reply */
  GtkLabel *reply_title;    /* "Replying to NAME" */
  GtkLabel *reply_abstract; /* the original on one line */
  TimMessage *replying;     /* what the next message sent quotes; NULL when not replying */

  GtkRevealer *record_bar;    /* the dot, the time, the level, Discard and Send */
  GtkWidget *attach_button;   /* hidden with send_button while the bar is shown */
  GtkLabel *record_time;      /* "0:07" */
  GtkLevelBar *record_level;  /* how loud, now */
  TimVoiceRecorder *recorder; /* the voice message being recorded; NULL when none */
  char *recording_for;        /* the conversation it was started in */
  char *recording_path;       /* its file */
  guint max_recording_ms;     /* a voice message this long sends itself */
};

/* The target and type of the open conversation; FALSE when nothing can be sent (no
 * conversation, or a group muted for all of which the user is a plain member). */
gboolean _timchat_composer_get_target (TimchatComposer *self, TimConvType *type,
                                       const char **target);
GtkTextBuffer *_timchat_composer_get_buffer (TimchatComposer *self);
gboolean _timchat_composer_is_blank (const char *text);
/* Enables what can be done now (send, attach...) and shows the placeholder when empty. */
void _timchat_composer_update_state (TimchatComposer *self);
/* timchat-composer.c: TimchatComposer:restriction becomes restriction (NULL: the user may post);
 * the text is read-only while there is one. */
void _timchat_composer_set_restriction (TimchatComposer *self, const char *restriction);
/* timchat-composer-drafts.c: keeps (or forgets, when blank) the open conversation's draft; its
 * draft ("" when none). */
void _timchat_composer_save_draft (TimchatComposer *self);
/* timchat-composer.c: why a send or an edit failed, in the window's toast. */
void _timchat_composer_show_error (TimchatComposer *self, const GError *error);
char *_timchat_composer_load_draft (TimchatComposer *self);
void _timchat_composer_drafts_init (TimchatComposer *self);
/* first and second on two lines; either alone when the other is empty or NULL. */
char *_timchat_composer_join_lines (const char *first, const char *second);

gboolean _timchat_composer_key_pressed (GtkEventControllerKey *controller, guint keyval,
                                        guint keycode, GdkModifierType state,
                                        TimchatComposer *self);

/* timchat-composer-send.c: the placeholder says when only a group's owner and admins may post
 * (mute-all); the open group's profile is fetched for it. Called when the conversation or the
 * client changes, and with neither on dispose. */
void _timchat_composer_watch_group (TimchatComposer *self);

/* timchat-composer-mentions.c: "@" in a group opens the member list; the members chosen are
 * remembered until sent. */
void _timchat_composer_mentions_init (TimchatComposer *self);
/* timchat-composer-typing.c: "typing…" for the peer while the user types; stop tells the peer the
 * user stopped (leaving the conversation). */
void _timchat_composer_typing_init (TimchatComposer *self);
void _timchat_composer_typing_stop (TimchatComposer *self);
/* The conversation or the client changed: forgets the remembered mentions and the members. */
void _timchat_composer_mentions_reset (TimchatComposer *self);
/* Puts text in the composer as the program, not as typing: no member list opens. */
void _timchat_composer_replace_text (TimchatComposer *self, const char *text);
/* The keys of the open member list (Up, Down, Enter, Tab, Escape); FALSE when not for it. */
gboolean _timchat_composer_mentions_key (TimchatComposer *self, guint keyval, GdkModifierType mods);
/* The user IDs (TIM_AT_ALL for everyone) of the remembered mentions whose "@name" text still
 * holds, in the order of the text, each once; NULL when none. */
GStrv _timchat_composer_mentions_in (TimchatComposer *self, const char *text);
/* Forgets the remembered mentions (after sending). */
void _timchat_composer_mentions_forget (TimchatComposer *self);
/* The remembered mentions (user ID -> name), forgotten here: a text being sent keeps them. */
GHashTable *_timchat_composer_mentions_take (TimchatComposer *self);
/* Remembers mentions again (a refused text back in the composer), with those there now. */
void _timchat_composer_mentions_give_back (TimchatComposer *self, GHashTable *mentions);

/* timchat-composer-edit.c: edit mode. Its template children and the "composer.cancel-edit"
 * action (after the template is set); what dispose lets go of. */
void _timchat_composer_class_init_edit (GtkWidgetClass *widget_class);
void _timchat_composer_edit_dispose (TimchatComposer *self);
/* Saves the edit (what Enter and the send button do then). */
void _timchat_composer_save_edit (TimchatComposer *self);
/* Escape leaves edit mode; Up in an empty composer edits the last own text. FALSE when not for
 * edit mode. */
gboolean _timchat_composer_edit_key (TimchatComposer *self, guint keyval, GdkModifierType mods);
/* The send button as "Send" or, in edit mode, "Save". */
void _timchat_composer_edit_update_button (TimchatComposer *self);
/* Adds text to conversation_id's kept draft (on a new line after what is there), as when it was
 * typed into it: an edit that failed after the composer moved to another conversation. */
void _timchat_composer_add_to_draft (TimchatComposer *self, const char *conversation_id,
                                     const char *text);

/* timchat-composer-reply.c: reply mode. Its template children and the "composer.cancel-reply"
 * action; what dispose lets go of. */
void _timchat_composer_class_init_reply (GtkWidgetClass *widget_class);
void _timchat_composer_reply_dispose (TimchatComposer *self);
/* Escape leaves reply mode; FALSE when not for it. */
gboolean _timchat_composer_reply_key (TimchatComposer *self, guint keyval, GdkModifierType mods);
/* When replying and message (unsent) is of the open conversation: makes it quote the original,
 * leaves reply mode and returns the original (a new reference); else NULL. */
TimMessage *_timchat_composer_take_reply (TimchatComposer *self, TimMessage *message);

/* timchat-composer-record.c: voice messages. Its template children and actions
 * ("composer.record-voice", "composer.send-recording", "composer.discard-recording"); the state
 * at init; what dispose lets go of. */
void _timchat_composer_class_init_record (GtkWidgetClass *widget_class);
void _timchat_composer_record_init (TimchatComposer *self);
void _timchat_composer_record_dispose (TimchatComposer *self);
/* Escape drops the recording; FALSE when not recording. */
gboolean _timchat_composer_record_key (TimchatComposer *self, guint keyval, GdkModifierType mods);
/* Drops the recording, if any, and its file (another conversation opens). */
void _timchat_composer_discard_recording (TimchatComposer *self);

/* Opens the chooser for kind (image, video, sound or file) transient for the composer's window. */
void _timchat_composer_open_chooser (TimchatComposer *self, TimElemType kind);
/* Closes a chooser still open (dispose, another conversation opens). */
void _timchat_composer_close_chooser (TimchatComposer *self);
/* "file-chosen"'s default: the ancestor conversation view sends the file. */
void _timchat_composer_real_file_chosen (TimchatComposer *self, GFile *file, TimElemType kind);

G_END_DECLS
