/* test-app-util.h: what the GTK widget tests (tests/test-app-*.c) share: start-up, waiting on the
 * main loop, finding widgets, screenshots and small pictures on disk. */
#pragma once

#include <adwaita.h>

#include "timchat-fixture.h"
#include "timchat-test-util.h"
#include "timchat-window.h"

G_BEGIN_DECLS

/* gtk_test_init and adw_init; with_css also loads the app's style.css, as AdwApplication would,
 * so screenshots show it. */
void test_app_init (int *argc, char ***argv, gboolean with_css);

/* g_test_run, then removes base_dir and frees fixture (either may be NULL): the status. */
int test_app_run (TimchatFixture *fixture, char *base_dir);

/* Iterates the main context for ms without blocking (busy). */
void test_app_iterate (guint ms);

/* Waits (up to 5 s) until widget's window has drawn a frame, laid out first: what a check of
 * sizes or positions needs after a change, on a machine however busy. */
void test_app_wait_frame (GtkWidget *widget);

/* content as the child of a new window, presented; returns content. */
GtkWidget *test_app_show (GtkWidget *content);
/* Destroys the window widget is in, and lets the main loop settle. */
void test_app_close (GtkWidget *widget);

/* The first widget in root's tree (root included, depth first) for which match returns TRUE. */
GtkWidget *test_app_find_widget (GtkWidget *root, gboolean (*match) (GtkWidget *, gconstpointer),
                                 gconstpointer data);
/* The first toplevel window of type for which also (NULL: any) returns TRUE, e.g.
 * gtk_widget_get_mapped; the list of toplevels keeps it. */
GtkWindow *test_app_find_toplevel (GType type, gboolean (*also) (GtkWidget *));
/* An `also` for test_app_find_toplevel (): the window is on screen. */
gboolean test_app_is_mapped (GtkWidget *widget);
/* Matches for test_app_find_widget: data is a GType (GSIZE_TO_POINTER), a tooltip, the action
 * name of a button, the label of a button (mnemonic underscores included), or a label's text. */
gboolean test_app_has_type (GtkWidget *widget, gconstpointer type);
gboolean test_app_has_tooltip (GtkWidget *widget, gconstpointer tooltip);
gboolean test_app_has_action (GtkWidget *widget, gconstpointer action);
gboolean test_app_has_button_label (GtkWidget *widget, gconstpointer label);
gboolean test_app_has_text (GtkWidget *widget, gconstpointer text);
/* An AdwAvatar showing a picture (not initials); data is unused. */
gboolean test_app_avatar_has_picture (GtkWidget *widget, gconstpointer unused);
/* Whether an AdwAvatar under root (a GtkWidget) shows a picture: for tim_test_wait_until. */
gboolean test_app_shows_avatar_picture (gpointer root);
/* Iterates until a label under root says text (at most timeout_ms); returns whether one does. */
gboolean test_app_wait_text (GtkWidget *root, const char *text, guint timeout_ms);
/* How many toplevel windows are of type and (when also is not NULL) pass also. */
guint test_app_count_toplevels (GType type, gboolean (*also) (GtkWidget *));

/* The AdwMessageDialog on screen (waits up to 5 s for one). */
AdwMessageDialog *test_app_wait_message_dialog (void);
/* Answers the AdwMessageDialog that is open (waits up to 5 s for one): sets its entries (key,
 * text pairs: the data keys the app gave them), then gives response and closes it, as a click
 * on a button does. */
void test_app_answer_dialog (const char *response, const char *const *entries);
/* Waits for the file chooser (GTK's own dialog: the tests run without a portal), picks file in
 * it and accepts. */
void test_app_choose_file (GFile *file);

/* Presses and releases keyval (with Shift when mods has it: no other modifier) on the X server,
 * through XTest, as a keyboard does: GTK gets real key events, which go to the focus widget of
 * widget's window (given the input focus first) and through every controller on the way. */
void test_app_press_key (GtkWidget *widget, guint keyval, GdkModifierType mods);

/* The widget (in a realized native) rendered at its size. */
GdkTexture *test_app_render (GtkWidget *widget);
/* A PNG of widget named name in $TIMCHAT_SCREENSHOT_DIR, after 400 ms to settle; nothing when
 * that is not set. */
void test_app_screenshot (GtkWidget *widget, const char *name);

/* For tim_test_wait_until: the TimchatWindow's client is logged in and ready. */
gboolean test_app_window_ready (gpointer window);
/* A window (900×640) logged in as user (an account made for it, with nick, NULL for none), under
 * base_dir, its client ready. */
TimchatWindow *test_app_logged_in_window (TimchatFixture *fixture, const char *base_dir,
                                          const char *user, const char *nick);
/* Whether the window's client lists conversation_id; wait_conversation waits (10 s) until it
 * does. */
gboolean test_app_has_conversation (TimchatWindow *window, const char *conversation_id);
void test_app_wait_conversation (TimchatWindow *window, const char *conversation_id);
/* The window's conversation view. */
GtkWidget *test_app_conversation_view (TimchatWindow *window);
/* The composer under root (a conversation view, a window). */
GtkWidget *test_app_composer (GtkWidget *root);
/* The forward dialog on screen, or NULL; for tim_test_wait_until: whether there is one. */
GtkWindow *test_app_forward_dialog (void);
gboolean test_app_forward_dialog_shown (gpointer unused);
/* Asserts that no two items a menu shows together (its sections are one menu, each submenu
 * another) have the same access key (the letter after "_"): GTK moves the focus between such
 * items instead of activating one, so a keyboard user cannot reach either by its key. */
void test_app_assert_access_keys_unique (GMenuModel *menu);
/* Whether menu (its sections and submenus too) has an item for action. */
gboolean test_app_menu_offers (GMenuModel *menu, const char *action);
/* For test_app_find_widget: a TimchatConversationRow showing the conversation_id (a string). */
gboolean test_app_is_conversation_row (GtkWidget *widget, gconstpointer conversation_id);

/* What widget's clipboard holds as a picture, read as another app would (transfer full); NULL
 * when it holds none, or after 5 s. */
GdkTexture *test_app_read_clipboard_texture (GtkWidget *widget);

/* dunst on bus, configured by config (written into dir), once it has the notifications' name:
 * the desktop's notification daemon for a test with a real application. */
GSubprocess *test_app_start_notification_daemon (GDBusConnection *bus, const char *dir,
                                                 const char *config);

/* A width x height PNG filled with blue (0x3584e4) at dir/name. */
GFile *test_app_write_png (const char *dir, const char *name, int width, int height);

G_END_DECLS
