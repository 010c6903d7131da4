/* test-app-window-dialogs.c: the window's dialogs for people and conversations: New
 * Conversation and New Group, Your Profile (name, status, picture) and the own profile in the
 * sidebar's header following another device, Forward (its toast's Open only for its account), and
 * all of them going with a kick.
 * Separate from the window's other programs (test-app-window-*.c): what these dialogs make on the
 * server. */
#define G_LOG_DOMAIN "test-app-window-dialogs"

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "test-app-util.h"
#include "tim-test-util.h"
#include "timchat-blocked-dialog.h"
#include "timchat-conversation-view.h"
#include "timchat-forward-dialog.h"
#include "timchat-forwarding.h"
#include "timchat-group-dialog.h"
#include "timchat-join-dialog.h"
#include "timchat-merger-viewer.h"
#include "timchat-preview-sheet.h"
#include "timchat-test-util.h"
#include "timchat-window-private.h"

static TimchatFixture *fixture;
static char *base_dir;

/* The conversation the window shows, or NULL. */
static const char *
shown_conversation (TimchatWindow *window)
{
  GtkWidget *view = test_app_conversation_view (window);

  return view != NULL && gtk_widget_get_mapped (view)
             ? timchat_conversation_view_get_conversation_id (TIMCHAT_CONVERSATION_VIEW (view))
             : NULL;
}

static gboolean
shows_group (gpointer data)
{
  return g_str_has_prefix (shown_conversation (data) ? shown_conversation (data) : "", "GROUP");
}

static gboolean
shows_bob (gpointer data)
{
  return g_strcmp0 (shown_conversation (data), "C2Cbob") == 0;
}

/* New Conversation opens a C2C conversation with a valid user ID and refuses an invalid one;
 * New Group creates a group on the server (members separated by any comma) and opens it. */
static void
test_new_conversation_and_group (void)
{
  g_autofree char *ws = timchat_fixture_ws_url (fixture);
  g_autofree char *usersig = timchat_fixture_usersig (fixture, "dora", 3600);
  g_autofree char *query = NULL;
  g_autoptr (JsonObject) members = NULL;
  g_autoptr (GString) names = g_string_new (NULL);
  JsonArray *list;
  TimchatWindow *window;

  for (guint i = 0; i < 3; i++)
    {
      const char *users[] = { "dora", "bob", "carol" };
      g_autofree char *import = g_strdup_printf ("{\"UserID\":\"%s\"}", users[i]);

      json_object_unref (
          timchat_test_rest (fixture, "im_open_login_svc/account_import", import, NULL));
    }
  window = timchat_window_new (NULL, "dialogs-test", base_dir);
  gtk_window_present (GTK_WINDOW (window));
  timchat_window_login (window, ws, timchat_fixture_get_sdkappid (fixture), "dora", usersig, FALSE);
  g_assert_true (tim_test_wait_until (test_app_window_ready, window, 10000));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.new-conversation", NULL);
  test_app_answer_dialog ("open", (const char *[]){ "entry", "bob", NULL });
  g_assert_true (tim_test_wait_until (shows_bob, window, 5000));

  /* Not a user ID: nothing opens. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.new-conversation", NULL);
  test_app_answer_dialog ("open", (const char *[]){ "entry", "no spaces\nor newlines", NULL });
  test_app_iterate (50);
  g_assert_cmpstr (shown_conversation (window), ==, "C2Cbob");

  /* Enter (a real key press) in the form creates the group: Create is the default. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.new-group", NULL);
  {
    AdwMessageDialog *dialog = test_app_wait_message_dialog ();
    GtkWidget *members_entry = g_object_get_data (G_OBJECT (dialog), "members");

    g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "create");
    gtk_editable_set_text (GTK_EDITABLE (g_object_get_data (G_OBJECT (dialog), "name")), "Team");
    gtk_editable_set_text (GTK_EDITABLE (members_entry), "bob，carol");
    g_assert_true (gtk_widget_grab_focus (members_entry));
    test_app_press_key (members_entry, GDK_KEY_Return, 0);
  }
  g_assert_true (tim_test_wait_until (shows_group, window, 10000));
  query = g_strdup_printf ("{\"GroupId\":\"%s\"}", shown_conversation (window) + 5);
  members = timchat_test_rest (fixture, "group_open_http_svc/get_group_member_info", query, NULL);
  list = json_object_get_array_member (members, "MemberList");
  for (guint i = 0; i < json_array_get_length (list); i++)
    g_string_append_printf (
        names, "%s ",
        json_object_get_string_member (json_array_get_object_element (list, i), "Member_Account"));
  g_assert_cmpstr (names->str, ==, "dora bob carol ");

  gtk_window_destroy (GTK_WINDOW (window));
}

/* ---------------------------------------------------------------- who is logged in */

/* The avatar in the sidebar's header (over the conversation list), or NULL. */
static AdwAvatar *
own_avatar (TimchatWindow *window)
{
  GtkWidget *header =
      gtk_widget_get_ancestor (GTK_WIDGET (window->sidebar_title), ADW_TYPE_HEADER_BAR);

  return ADW_AVATAR (
      test_app_find_widget (header, test_app_has_type, GSIZE_TO_POINTER (ADW_TYPE_AVATAR)));
}

typedef struct
{
  TimchatWindow *window;
  const char *name; /* what the header says under "TimChat" and the avatar's initials */
  gboolean picture; /* the avatar shows a picture */
} Shown;

static gboolean
header_shows (gpointer data)
{
  Shown *shown = data;
  AdwAvatar *avatar = own_avatar (shown->window);

  return g_strcmp0 (adw_window_title_get_subtitle (shown->window->sidebar_title), shown->name) ==
             0 &&
         avatar != NULL && g_strcmp0 (adw_avatar_get_text (avatar), shown->name) == 0 &&
         (adw_avatar_get_custom_image (avatar) != NULL) == shown->picture;
}

/* quinn's row in the list shows a picture. */
static gboolean
row_shows_picture (gpointer window)
{
  GtkWidget *row = test_app_find_widget (window, test_app_is_conversation_row, "C2Cquinn");

  return row != NULL && test_app_shows_avatar_picture (row);
}

static GtkEditable *
profile_entry (void)
{
  GtkWindow *dialog = test_app_find_toplevel (ADW_TYPE_MESSAGE_DIALOG, gtk_widget_get_visible);

  return dialog != NULL ? g_object_get_data (G_OBJECT (dialog), "nick") : NULL;
}

static gboolean
profile_prefilled (gpointer expected)
{
  GtkEditable *entry = profile_entry ();

  return entry != NULL && g_strcmp0 (gtk_editable_get_text (entry), expected) == 0;
}

static gboolean
self_status_saved (gpointer window)
{
  return g_str_equal (tim_client_get_self_status (timchat_window_get_client (window)), "Lunch 🍜");
}

/* Your Profile sets the display name others see (trimmed) and the status (trimmed), opens again
 * with both, and says why it refuses a name that is too long; a chosen picture is set, and a
 * peer's shows in the list. */
static void
test_profile (void)
{
  g_autofree char *ws = timchat_fixture_ws_url (fixture);
  g_autofree char *usersig = timchat_fixture_usersig (fixture, "pia", 3600);
  g_autofree char *too_long = g_strnfill (501, 'p');
  g_autoptr (GFile) picture = test_app_write_png (base_dir, "pia.png", 300, 300);
  g_autoptr (JsonObject) profile = NULL;
  TimchatWindow *window = timchat_window_new (NULL, "profile-test", base_dir);

  gtk_window_present (GTK_WINDOW (window));
  timchat_window_login (window, ws, timchat_fixture_get_sdkappid (fixture), "pia", usersig, FALSE);
  g_assert_true (tim_test_wait_until (test_app_window_ready, window, 10000));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.edit-profile", NULL);
  test_app_answer_dialog (
      "save", (const char *[]){ "nick", "  Pia Paulsen ", "status", " Lunch 🍜 ", NULL });
  g_assert_true (test_app_wait_text (GTK_WIDGET (window), "Profile saved", 5000));
  g_assert_true (
      tim_test_wait_until (header_shows, &(Shown){ window, "Pia Paulsen", FALSE }, 10000));
  g_assert_true (tim_test_wait_until (self_status_saved, window, 5000));
  profile =
      timchat_test_rest (fixture, "profile/portrait_get",
                         "{\"To_Account\":[\"pia\"],\"TagList\":[\"Tag_Profile_IM_Nick\"]}", NULL);
  g_assert_cmpstr (timchat_test_json_get_string (profile, "UserProfileItem.0.ProfileItem.0.Value"),
                   ==, "Pia Paulsen");

  /* Again: it opens with the name, and a name over 500 bytes gets the reason. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.edit-profile", NULL);
  g_assert_true (tim_test_wait_until (profile_prefilled, "Pia Paulsen", 5000));
  g_assert_cmpstr (
      gtk_editable_get_text (g_object_get_data (
          G_OBJECT (test_app_find_toplevel (ADW_TYPE_MESSAGE_DIALOG, gtk_widget_get_visible)),
          "status")),
      ==, "Lunch 🍜");
  test_app_screenshot (
      GTK_WIDGET (test_app_find_toplevel (ADW_TYPE_MESSAGE_DIALOG, gtk_widget_get_visible)),
      "profile-dialog.png");
  test_app_answer_dialog ("save", (const char *[]){ "nick", too_long, NULL });
  g_assert_true (test_app_wait_text (GTK_WIDGET (window), "The profile value is too long", 5000));

  /* A picture (the file chooser's answer) is uploaded and set; a peer's picture shows in the
   * conversation list once pia writes to them (a message from them would want a notification
   * daemon, which this test has none of). */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.edit-profile", NULL);
  {
    GtkWindow *dialog = test_app_find_toplevel (ADW_TYPE_MESSAGE_DIALOG, gtk_widget_get_visible);

    g_signal_emit_by_name (
        test_app_find_widget (GTK_WIDGET (dialog), test_app_has_button_label, "Choose _Picture…"),
        "clicked");
  }
  test_app_choose_file (picture);
  test_app_answer_dialog ("cancel", NULL);
  g_assert_true (test_app_wait_text (GTK_WIDGET (window), "Profile picture saved", 10000));
  /* The sidebar's header has it at once, as it has the name since Save. */
  g_assert_true (
      tim_test_wait_until (header_shows, &(Shown){ window, "Pia Paulsen", TRUE }, 10000));
  {
    g_autoptr (TimClient) quinn = tim_test_client_new (fixture, base_dir, "quinn");
    TimClient *pia = timchat_window_get_client (window);
    g_autoptr (TimMessage) hello =
        tim_client_create_text_message (pia, "quinn", TIM_CONV_C2C, "Nice picture");
    g_autoptr (GAsyncResult) result = NULL;
    g_autoptr (GError) error = NULL;
    g_autofree char *url = NULL;

    tim_client_set_my_avatar_async (quinn, picture, NULL, tim_test_keep_result, &result);
    url = tim_client_set_my_avatar_finish (quinn, tim_test_wait_result (&result), &error);
    g_assert_no_error (error);
    g_assert_true (tim_test_send (pia, hello, &error));
    g_assert_true (tim_test_wait_until (row_shows_picture, window, 10000));
    test_app_screenshot (GTK_WIDGET (window), "window-avatar.png");
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

/* client (another device) sets its user's nickname. */
static void
rename_on (TimClient *client, const char *nick)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;

  tim_client_update_my_profile_async (client, nick, NULL, NULL, tim_test_keep_result, &result);
  tim_client_update_my_profile_finish (client, tim_test_wait_result (&result), &error);
  g_assert_no_error (error);
}

/* The sidebar's header says who is logged in: the own nickname (the user ID without one) and
 * avatar, from the login on, and follows a change made on another of the user's devices at
 * once, without a new login. */
static void
test_own_profile_in_header (void)
{
  g_autofree char *phone_dir = g_build_filename (base_dir, "nia-phone", NULL);
  g_autoptr (GFile) picture = test_app_write_png (base_dir, "nia.png", 200, 200);
  TimchatWindow *window = test_app_logged_in_window (fixture, base_dir, "nia", "Nia Nilsen");
  g_autoptr (TimClient) phone = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *url = NULL;

  g_assert_true (
      tim_test_wait_until (header_shows, &(Shown){ window, "Nia Nilsen", FALSE }, 10000));

  /* Renamed, and a picture set, on her phone. */
  phone = tim_test_client_new (fixture, phone_dir, "nia");
  rename_on (phone, "Nia N.");
  g_assert_true (tim_test_wait_until (header_shows, &(Shown){ window, "Nia N.", FALSE }, 10000));
  tim_client_set_my_avatar_async (phone, picture, NULL, tim_test_keep_result, &result);
  url = tim_client_set_my_avatar_finish (phone, tim_test_wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_true (tim_test_wait_until (header_shows, &(Shown){ window, "Nia N.", TRUE }, 10000));
  test_app_screenshot (GTK_WIDGET (window), "own-profile-header.png");

  /* The name cleared: the user ID. */
  rename_on (phone, "");
  g_assert_true (tim_test_wait_until (header_shows, &(Shown){ window, "nia", TRUE }, 10000));
  tim_client_logout (phone);
  gtk_window_destroy (GTK_WINDOW (window));
}

static char *
forward_names (void)
{
  g_auto (GStrv) names =
      timchat_forward_dialog_dup_names (TIMCHAT_FORWARD_DIALOG (test_app_forward_dialog ()));

  return g_strjoinv (", ", names);
}

/* forward_names () for tim_test_wait_described (). */
static char *
describe_forward_names (gpointer unused)
{
  return forward_names ();
}

static gboolean
shows_forwarded_toast (gpointer window)
{
  return test_app_find_widget (window, test_app_has_text, "Forwarded to Lunch Club") != NULL;
}

static gboolean
has_text_lunch (gpointer data)
{
  GPtrArray *got = data;

  for (guint i = 0; i < got->len; i++)
    if (g_strcmp0 (tim_message_get_text (got->pdata[i]), "Lunch at one?") == 0 &&
        g_strcmp0 (tim_message_get_from (got->pdata[i]), "fia") == 0)
      return TRUE;
  return FALSE;
}

static gboolean
lists_notices (gpointer client)
{
  return tim_conversation_list_lookup (tim_client_get_conversations (client),
                                       TIM_SYSTEM_CONVERSATION_ID) != NULL;
}

/* Forward… on a message: the dialog lists the conversations but the Group Notices, its search
 * narrows them and Enter forwards to the first; the group's member gets the message from the
 * user, and the toast's Open opens the group. */
static void
test_forward (void)
{
  const char *members[] = { "fia", NULL };
  g_autofree char *ws = timchat_fixture_ws_url (fixture);
  g_autofree char *usersig = timchat_fixture_usersig (fixture, "fia", 3600);
  g_autoptr (TimClient) gus = tim_test_client_new (fixture, base_dir, "gus");
  g_autofree char *group_id = NULL;
  g_autofree char *group = NULL;
  g_autoptr (TimMessage) sent =
      tim_client_create_text_message (gus, "fia", TIM_CONV_C2C, "Lunch at one?");
  g_autoptr (GPtrArray) got = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GError) error = NULL;
  g_autofree char *names = NULL;
  TimchatWindow *window = timchat_window_new (NULL, "forward-test", base_dir);
  GtkWidget *view, *search, *open;

  gtk_window_present (GTK_WINDOW (window));
  timchat_window_login (window, ws, timchat_fixture_get_sdkappid (fixture), "fia", usersig, FALSE);
  g_assert_true (tim_test_wait_until (test_app_window_ready, window, 10000));
  /* Added while online: the notice of it lists the Group Notices too. */
  group_id = tim_test_create_group (gus, "Lunch Club", members);
  group = g_strconcat ("GROUP", group_id, NULL);
  g_assert_true (tim_test_send (gus, sent, &error));
  g_assert_true (tim_test_wait_until (lists_notices, timchat_window_get_client (window), 10000));
  timchat_window_open_conversation (window, "C2Cgus");
  view = test_app_conversation_view (window);
  g_assert_true (test_app_wait_text (view, "Lunch at one?", 10000));

  g_assert_true (
      gtk_widget_activate_action (view, "conversation.forward", "s", tim_message_get_id (sent)));
  g_assert_true (tim_test_wait_until (test_app_forward_dialog_shown, NULL, 5000));
  names = forward_names ();
  g_assert_nonnull (strstr (names, "Lunch Club"));
  g_assert_nonnull (strstr (names, "gus"));
  g_assert_null (strstr (names, "Group Notices"));
  search = test_app_find_widget (GTK_WIDGET (test_app_forward_dialog ()), test_app_has_type,
                                 GSIZE_TO_POINTER (GTK_TYPE_SEARCH_ENTRY));
  gtk_editable_set_text (GTK_EDITABLE (search), "lunch");
  /* The search entry waits a little before it searches: until it has, on a machine however busy. */
  tim_test_wait_described (describe_forward_names, NULL, "Lunch Club");
  test_app_screenshot (GTK_WIDGET (test_app_forward_dialog ()), "forward-dialog.png");

  tim_test_collect (gus, "message-received", got);
  g_signal_emit_by_name (search, "activate");
  g_assert_true (tim_test_wait_until (has_text_lunch, got, 10000));
  g_assert_null (test_app_forward_dialog ());
  g_assert_true (tim_test_wait_until (shows_forwarded_toast, window, 10000));
  open = test_app_find_widget (GTK_WIDGET (window), test_app_has_button_label, "_Open");
  gtk_widget_activate (open);
  g_assert_true (tim_test_wait_until (shows_group, window, 10000));
  g_assert_cmpstr (shown_conversation (window), ==, group);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A forward's toast, Open, once another account has logged in in the window (the toast stays a
 * few seconds): the conversation it named was the first account's, and Open opened it in the new
 * one's (its own conversation with that peer). The toast was for an account no longer there: it
 * does nothing. */
static void
test_forwarded_open_other_account (void)
{
  g_autofree char *ws = timchat_fixture_ws_url (fixture);
  g_autofree char *ivy_sig = timchat_fixture_usersig (fixture, "ivy", 3600);
  g_autofree char *ida_sig = timchat_fixture_usersig (fixture, "ida", 3600);
  g_autoptr (TimClient) ian = tim_test_client_new (fixture, base_dir, "ian");
  g_autoptr (GPtrArray) forwarded = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GError) error = NULL;
  TimchatWindow *window = timchat_window_new (NULL, "forward-open-other-test", base_dir);
  TimClient *ivy;
  GtkWidget *open;

  timchat_test_import_account (fixture, "ida", NULL);
  gtk_window_present (GTK_WINDOW (window));
  timchat_window_login (window, ws, timchat_fixture_get_sdkappid (fixture), "ivy", ivy_sig, FALSE);
  g_assert_true (tim_test_wait_until (test_app_window_ready, window, 10000));
  ivy = timchat_window_get_client (window);
  g_ptr_array_add (forwarded, tim_client_create_text_message (ivy, "ian", TIM_CONV_C2C, "Hi ian"));
  g_assert_true (tim_test_send (ivy, forwarded->pdata[0], &error));
  test_app_wait_conversation (window, "C2Cian");
  timchat_forward_messages (
      GTK_WINDOW (window), ivy, forwarded, TIMCHAT_FORWARD_ONE_BY_ONE,
      tim_conversation_list_lookup (tim_client_get_conversations (ivy), "C2Cian"));
  g_assert_true (test_app_wait_text (GTK_WIDGET (window), "Forwarded to ian", 10000));

  timchat_window_login (window, ws, timchat_fixture_get_sdkappid (fixture), "ida", ida_sig, FALSE);
  g_assert_true (tim_test_wait_until (test_app_window_ready, window, 10000));
  open = test_app_find_widget (GTK_WIDGET (window), test_app_has_button_label, "_Open");
  g_assert_nonnull (open);
  gtk_widget_activate (open);
  test_app_iterate (600);
  g_assert_null (shown_conversation (window));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The windows opened over window, each kind with how many are on screen: the group dialog and a
 * question over it, Your Profile, Blocked People, Join a Group, and, in a conversation, Forward,
 * a chat history's viewer, a picture's preview sheet and the attach chooser. */
static const struct
{
  GType (*get_type) (void);
  guint opened;
} over_window[] = {
  { timchat_group_dialog_get_type, 1 },   { adw_message_dialog_get_type, 2 },
  { timchat_blocked_dialog_get_type, 1 }, { timchat_join_dialog_get_type, 1 },
  { timchat_forward_dialog_get_type, 1 }, { timchat_merger_viewer_get_type, 1 },
  { timchat_preview_sheet_get_type, 1 },  { gtk_file_chooser_dialog_get_type, 1 },
};

/* Kicked out (an administrator's kick), as after Log Out: what was opened for the account goes
 * with it. The welcome page came back under them, and they stayed over it, acting on a client
 * logged out (or showing the account's people and history to whoever came to the screen). */
static void
test_kick_closes_dialogs (void)
{
  const char *members[] = { "kia", NULL };
  TimchatWindow *window = test_app_logged_in_window (fixture, base_dir, "kia", NULL);
  g_autoptr (TimClient) kit = tim_test_client_new (fixture, base_dir, "kit");
  g_autofree char *group_id = tim_test_create_group (kit, "Kick Club", members);
  g_autofree char *group = g_strconcat ("GROUP", group_id, NULL);
  g_autoptr (TimMessage) said = tim_client_create_text_message (kit, "kia", TIM_CONV_C2C, "Hi kia");
  g_autoptr (GPtrArray) talk = g_ptr_array_new ();
  g_autoptr (TimMessage) merged = NULL;
  g_autoptr (GFile) png = test_app_write_png (base_dir, "kick.png", 32, 32);
  g_autoptr (GdkTexture) texture = gdk_texture_new_from_file (png, NULL);
  g_autoptr (JsonObject) kicked = NULL;
  g_autoptr (GError) error = NULL;
  GtkWidget *view;

  g_assert_true (tim_test_send (kit, said, &error));
  g_ptr_array_add (talk, said);
  merged = tim_client_create_merger_message (kit, "kia", TIM_CONV_C2C, talk, "Kit's talk", NULL,
                                             NULL, &error);
  g_assert_true (tim_test_send (kit, merged, &error));
  timchat_window_open_conversation (window, group);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.group-info", NULL));
  g_assert_true (gtk_widget_activate_action (
      GTK_WIDGET (test_app_find_toplevel (TIMCHAT_TYPE_GROUP_DIALOG, NULL)), "group.leave", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.edit-profile", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-blocked", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.join-group", NULL));
  timchat_window_open_conversation (window, "C2Ckit");
  view = test_app_conversation_view (window);
  g_assert_true (test_app_wait_text (view, "Kit's talk", 10000));
  g_assert_true (
      gtk_widget_activate_action (view, "conversation.forward", "s", tim_message_get_id (said)));
  g_assert_true (gtk_widget_activate_action (view, "conversation.view-history", "s",
                                             tim_message_get_id (merged)));
  timchat_conversation_view_preview_texture (TIMCHAT_CONVERSATION_VIEW (view), texture);
  g_assert_true (
      gtk_widget_activate_action (test_app_composer (view), "composer.attach", "s", "file"));
  test_app_iterate (500);
  for (guint i = 0; i < G_N_ELEMENTS (over_window); i++)
    g_assert_cmpuint (test_app_count_toplevels (over_window[i].get_type (), test_app_is_mapped), ==,
                      over_window[i].opened);

  kicked = timchat_test_rest (fixture, "im_open_login_svc/kick", "{\"UserID\":\"kia\"}", NULL);
  g_assert_cmpint (json_object_get_int_member (kicked, "ErrorCode"), ==, 0);
  g_assert_true (
      test_app_wait_text (GTK_WIDGET (window), "You were logged out by the server", 10000));
  test_app_iterate (300);
  for (guint i = 0; i < G_N_ELEMENTS (over_window); i++)
    g_assert_cmpuint (test_app_count_toplevels (over_window[i].get_type (), test_app_is_mapped), ==,
                      0);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char **argv)
{
  test_app_init (&argc, &argv, FALSE);
  fixture = timchat_fixture_new (NULL);
  base_dir = tim_test_make_dir ();
  g_test_add_func ("/app/window/new-conversation-and-group", test_new_conversation_and_group);
  g_test_add_func ("/app/window/profile", test_profile);
  g_test_add_func ("/app/window/own-profile-in-header", test_own_profile_in_header);
  g_test_add_func ("/app/window/forward", test_forward);
  g_test_add_func ("/app/window/forwarded-open-other-account", test_forwarded_open_other_account);
  g_test_add_func ("/app/window/kick-closes-dialogs", test_kick_closes_dialogs);
  return test_app_run (fixture, base_dir);
}
