/* timchat-conversation-view-private.h: what the conversation view's files share: the instance
 * struct (the list and scroll state in timchat-conversation-view.c, the rows in
 * timchat-conversation-view-rows.c, the message actions in
 * timchat-conversation-view-actions.c, sending, paste and drop in
 * timchat-conversation-view-send.c, replies in timchat-conversation-view-reply.c, searching in
 * timchat-conversation-view-search.c, deleting in timchat-conversation-view-delete.c, selection
 * mode in timchat-conversation-view-select.c). Tests read it too. */
#pragma once

#include <adwaita.h>

#include "timchat-conversation-view.h"
#include "timchat-search-results.h"

G_BEGIN_DECLS

/* timchat-conversation-view-notice.c: the bar over the composer that says why messages do not
 * come (a person the user blocked, a conversation whose messages the user does not receive); its
 * template children; following the blocklist and the conversation list. */
void _timchat_conversation_view_class_init_notice (GtkWidgetClass *widget_class);
void _timchat_conversation_view_watch_notice (TimchatConversationView *self);
void _timchat_conversation_view_update_notice (TimchatConversationView *self);

struct _TimchatConversationView
{
  GtkWidget parent_instance;

  /* template */
  GtkScrolledWindow *scroller;
  GtkListView *list_view;
  GtkWidget *composer;
  GtkRevealer *notice_bar; /* "You blocked NAME" and Unblock, or Receive Messages */
  GtkLabel *notice_label;
  GtkWidget *notice_button;
  GtkWidget *new_messages_button;
  AdwButtonContent *new_messages_content;
  GtkSearchBar *search_bar;
  GtkSearchEntry *search_entry;
  GtkLabel *search_count;
  GtkSpinner *search_spinner;
  GtkWidget *search_popup; /* the results' card over the top of the messages */
  TimchatSearchResults *search_results;
  GtkWidget *selection_bar; /* in the composer's place in selection mode */
  GtkLabel *selection_label;
  GtkWidget *forward_button;

  TimClient *client;
  char *conversation_id;
  TimConvType conversation_type;
  TimMessageList *messages;
  GCancellable *cancellable; /* cancelled when the conversation changes or the view goes */
  GHashTable *list_items;    /* the bound GtkListItems */
  GHashTable *unbound_rows;  /* rows GTK unbound, still showing their message until unbind_idle */
  guint unbind_idle;
  GHashTable *uploads;      /* the GCancellable of each send under way, stopped at dispose */
  GtkNativeDialog *chooser; /* the Save As chooser until its response */
  TimMessage *save_message; /* what it saves (kept: another conversation may open meanwhile) */

  /* Opening: the first unread message (NULL when none) and the unread count at open. */
  char *first_unread_id;
  guint unread_at_open;
  guint first_pages_n;         /* items before the opening's page in flight */
  gboolean first_unread_shown; /* scrolled to it once; later pins stay at the bottom */
  gboolean opened;             /* the first page is in and the view has been positioned */
  gboolean open_pinning;       /* ...and is still being brought to the bottom: no older pages */
  TimMessage *show_when_open;  /* to go to once opened (a search result from the window) */

  /* Scrolling. at_bottom is decided by the reader's scrolling, not by the content growing. */
  GtkAdjustment *vadjustment;
  gboolean at_bottom;
  guint pin_frames; /* frames so far in which the view was kept at the bottom */
  guint pin_stable; /* of which the last ones with the same upper */
  double pin_upper;
  guint pin_tick;
  gboolean model_unlaid; /* the list has a new model and has not been laid out with it */
  guint new_count;       /* incoming messages below the view */
  /* When the reader last scrolled (wheel, touch, scrollbar, keys): a move of the view without
   * that is GtkListView re-laying itself out, and does not take the reader off the bottom. */
  gint64 last_reader_scroll_us;
  gboolean loading_older;
  guint media_idle; /* which rows hold their pictures, decided after the layout */

  /* Showing the original a quote leads to: its ID until its row is laid out after the scroll. */
  char *reveal_id;
  guint reveal_tick;
  guint reveal_frames;

  /* Searching: the results' card folded away after one was taken (until the reader types, or
   * goes up or down); the result being looked for in older pages, and that look's cancellable. */
  gboolean search_folded;
  char *seek_id;
  guint seek_pages;
  GCancellable *seek_cancellable;

  /* Selection mode: the messages selected, ID -> TimMessage (kept: the list may let go of them
   * while they are out of view). */
  gboolean selecting;
  GHashTable *selected;
};

/* timchat-conversation-view.c */
void _timchat_conversation_view_scroll_to_bottom (TimchatConversationView *self);
/* timchat-conversation-view-scroll.c: "N new messages" as it is now; the action that goes to
 * the newest; the watches on the list's position and on what the reader does. */
void _timchat_conversation_view_update_new_messages (TimchatConversationView *self);
void _timchat_conversation_view_class_init_scroll (GtkWidgetClass *widget_class);
void _timchat_conversation_view_init_scroll (TimchatConversationView *self);
/* The page older than the oldest shown, unless one is loading or there is none. */
void _timchat_conversation_view_load_older (TimchatConversationView *self);
/* Reads the open conversation (its unread count goes to 0, here and on the server). */
void _timchat_conversation_view_mark_read (TimchatConversationView *self);
/* The reader scrolled (input controllers call it; tests too, before moving the adjustment). */
void _timchat_conversation_view_note_reader_scroll (TimchatConversationView *self);
TimMessage *_timchat_conversation_view_lookup (TimchatConversationView *self,
                                               const char *message_id);
void _timchat_conversation_view_show_error (TimchatConversationView *self, const GError *error);
/* timchat-conversation-view-rows.c */
void _timchat_conversation_view_init_rows (TimchatConversationView *self);
/* The bound row showing message_id, or NULL (not bound: off the rows GTK keeps around the view). */
GtkWidget *_timchat_conversation_view_row_of (TimchatConversationView *self,
                                              const char *message_id);
/* Binds the row showing message at position again (the item above it changed). */
void _timchat_conversation_view_rebind (TimchatConversationView *self, TimMessage *message,
                                        guint position);
/* Unbinds now the rows GTK unbound and did not bind again (otherwise done in an idle). */
void _timchat_conversation_view_finish_unbinds (TimchatConversationView *self);
/* The "Beginning" and "Unread messages" labels of the rows on screen, after a change. */
void _timchat_conversation_view_redecorate (TimchatConversationView *self);
/* Rows near the viewport load their pictures, the others drop them; after the next layout. */
void _timchat_conversation_view_queue_media_update (TimchatConversationView *self);
/* timchat-conversation-view-actions.c */
void _timchat_conversation_view_class_init_actions (GtkWidgetClass *widget_class);
/* Enter or a double click on a message opens what it holds (an image, a file). */
void _timchat_conversation_view_init_activation (TimchatConversationView *self);
void _timchat_conversation_view_save_to (TimchatConversationView *self, TimMessage *message,
                                         GFile *destination);

/* timchat-conversation-view-send.c */
void _timchat_conversation_view_class_init_send (GtkWidgetClass *widget_class);
void _timchat_conversation_view_init_send (TimchatConversationView *self);
void _timchat_conversation_view_send (TimchatConversationView *self, TimMessage *message);
void _timchat_conversation_view_resend (TimchatConversationView *self, TimMessage *message);
/* Paste as Ctrl+V does when the clipboard holds an image or files; FALSE when it holds neither. */
gboolean _timchat_conversation_view_paste_media (TimchatConversationView *self);

/* timchat-conversation-view-reply.c: "conversation.reply" (the composer's reply mode),
 * "conversation.show-original" (scroll to a quoted message and highlight it) and Ctrl+R on the
 * message in focus. */
void _timchat_conversation_view_class_init_reply (GtkWidgetClass *widget_class);
void _timchat_conversation_view_init_reply (TimchatConversationView *self);
/* Stops looking for an original to show (the conversation closes). */
void _timchat_conversation_view_stop_reveal (TimchatConversationView *self);
/* Scrolls to message_id, gives its row the focus and highlights it; FALSE (nothing done) when
 * the view's list does not have it. */
gboolean _timchat_conversation_view_reveal (TimchatConversationView *self, const char *message_id);
/* A toast in the window's overlay (or a log message when the view has none). */
void _timchat_conversation_view_toast (TimchatConversationView *self, const char *text);

/* timchat-conversation-view-search.c: Ctrl+F, the search bar and its results. */
void _timchat_conversation_view_class_init_search (GtkWidgetClass *widget_class);
void _timchat_conversation_view_init_search (TimchatConversationView *self);
/* Closes the search (the conversation closes) without moving the focus. */
void _timchat_conversation_view_stop_search (TimchatConversationView *self);

/* timchat-conversation-view-delete.c: "conversation.delete" (a message's Delete for Me…). */
void _timchat_conversation_view_class_init_delete (GtkWidgetClass *widget_class);
/* Asks whether to delete messages for the user, then deletes them (from_selection: and leaves
 * selection mode). */
void _timchat_conversation_view_confirm_delete (TimchatConversationView *self, GPtrArray *messages,
                                                gboolean from_selection);

/* timchat-conversation-view-application.c: "conversation.accept-application" and
 * "conversation.refuse-application" (an application's notice; declining asks the reason). */
void _timchat_conversation_view_class_init_application (GtkWidgetClass *widget_class);

/* timchat-conversation-view-select.c: selection mode ("conversation.select" from a message's
 * menu): a check button on each message that can be selected, the composer replaced by a bar
 * with "N Selected", Forward… (one by one or as a chat history), Delete for Me… and Cancel;
 * Escape or another conversation leaves it. */
void _timchat_conversation_view_class_init_select (GtkWidgetClass *widget_class);
void _timchat_conversation_view_init_select (TimchatConversationView *self);
void _timchat_conversation_view_stop_selecting (TimchatConversationView *self);
/* The list took messages out (deleted here or elsewhere): "N Selected" counts again. */
void _timchat_conversation_view_update_selection (TimchatConversationView *self);
gboolean _timchat_conversation_view_is_selected (TimchatConversationView *self,
                                                 TimMessage *message);
/* Enter or a double click on a message in selection mode. */
void _timchat_conversation_view_toggle_selected (TimchatConversationView *self,
                                                 TimMessage *message);
/* The messages selected, as the list shows them (oldest first), (transfer container). */
GPtrArray *_timchat_conversation_view_dup_selected (TimchatConversationView *self);

/* FALSE for the Group Notices conversation, which nobody can write to. */
gboolean _timchat_conversation_view_can_send (TimchatConversationView *self);

G_END_DECLS
