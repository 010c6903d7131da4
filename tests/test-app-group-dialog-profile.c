/* test-app-group-dialog-profile.c: the group dialog's profile against the real server: a member
 * renames the group, sets its picture and writes its announcement and introduction (shown as
 * written), where the group lets them, and the dialog follows what the owner changes elsewhere
 * (a refused mute-all puts its switch back to the group's state); every member sets their own
 * name in the group. Each is checked on the server through another
 * client. Split from test-app-group-dialog.c (the group dialog, by theme) to keep each program
 * short; one server per program. */
#define G_LOG_DOMAIN "test-app-group-dialog-profile"

#include "config.h"

#include <adwaita.h>

#include "test-app-group-dialog-common.h"
#include "test-app-util.h"
#include "tim-error.h"
#include "tim-test-util.h"
#include "timchat-group-dialog.h"

/* ---------------------------------------------------------------- profile */

static GtkWidget *
name_row_of (GtkWidget *dialog)
{
  return test_app_find_widget (dialog, test_app_has_type, GSIZE_TO_POINTER (ADW_TYPE_ENTRY_ROW));
}

typedef struct
{
  GtkWidget *dialog;
  const char *name;
} DialogNamed;

/* The title and the name row both say name. */
static gboolean
dialog_named (gpointer data)
{
  DialogNamed *named = data;

  return g_strcmp0 (gtk_window_get_title (GTK_WINDOW (named->dialog)), named->name) == 0 &&
         g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (name_row_of (named->dialog))),
                    named->name) == 0;
}

static gboolean
editable (gpointer data)
{
  return gtk_editable_get_editable (GTK_EDITABLE (name_row_of (data)));
}

/* What the conversation of client must show; NULL or FALSE for what does not matter. */
typedef struct
{
  TimClient *client;
  const char *conversation_id;
  const char *name;
  gboolean picture;
  const char *announcement;
  const char *introduction;
  gboolean muted;
} ConversationShows;

static gboolean
wanted (const char *want, const char *got)
{
  return want == NULL || g_strcmp0 (want, got) == 0;
}

static gboolean
conversation_shows (gpointer data)
{
  ConversationShows *shows = data;
  TimConversation *conversation = tim_conversation_list_lookup (
      tim_client_get_conversations (shows->client), shows->conversation_id);
  const char *avatar = conversation != NULL ? tim_conversation_get_avatar (conversation) : NULL;

  return conversation != NULL && wanted (shows->name, tim_conversation_get_name (conversation)) &&
         (!shows->picture || (avatar != NULL && *avatar != '\0')) &&
         wanted (shows->announcement, tim_conversation_get_group_notification (conversation)) &&
         wanted (shows->introduction, tim_conversation_get_group_introduction (conversation)) &&
         (!shows->muted || tim_conversation_get_group_mute_all (conversation));
}

static GtkWidget *
mute_switch_of (GtkWidget *dialog)
{
  return test_app_find_widget (dialog, test_app_has_type, GSIZE_TO_POINTER (GTK_TYPE_SWITCH));
}

static gboolean
switch_on (gpointer data)
{
  return gtk_switch_get_active (GTK_SWITCH (data));
}

static gboolean
editor_shown (gpointer data)
{
  return test_app_find_toplevel (ADW_TYPE_MESSAGE_DIALOG, test_app_is_mapped) != NULL;
}

/* Types text into the announcement's or introduction's editor, and saves. */
static void
edit_text (const char *text)
{
  GtkWindow *editor;

  g_assert_true (tim_test_wait_until (editor_shown, NULL, 5000));
  editor = test_app_find_toplevel (ADW_TYPE_MESSAGE_DIALOG, test_app_is_mapped);
  gtk_text_buffer_set_text (g_object_get_data (G_OBJECT (editor), "buffer"), text, -1);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (editor), "save");
  gtk_window_destroy (editor);
}

static void
rename_in_dialog (GtkWidget *dialog, const char *name)
{
  GtkWidget *row = name_row_of (dialog);

  gtk_editable_set_text (GTK_EDITABLE (row), name);
  g_signal_emit_by_name (row, "apply");
}

/* A member of a Private group renames it, gives it a picture and writes its announcement and
 * introduction from the dialog; the owner's conversation shows them all, and the dialog follows
 * the owner's next rename and mute-all. An empty name is refused in plain words. In a Public
 * group a plain member changes none of it; its owner mutes everyone from the switch. */
static void
test_profile (void)
{
  const char *members[] = { "bea", NULL };
  g_autoptr (TimClient) ada = tim_test_client_new (fixture, base_dir, "ada");
  g_autoptr (TimClient) bea = tim_test_client_new (fixture, base_dir, "bea");
  g_autofree char *group_id = tim_test_create_group (ada, "Crew", members);
  g_autofree char *conversation_id = g_strconcat ("GROUP", group_id, NULL);
  g_autoptr (GFile) png = test_app_write_png (base_dir, "crew.png", 256, 256);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *public_id = NULL;
  GtkWidget *dialog = timchat_group_dialog_new (NULL, bea, group_id);
  GtkWidget *choose;

  gtk_window_present (GTK_WINDOW (dialog));
  g_assert_true (tim_test_wait_until (editable, dialog, 10000));
  g_assert_true (tim_test_wait_until (dialog_named, &(DialogNamed){ dialog, "Crew" }, 10000));
  choose = test_app_find_widget (dialog, test_app_has_action, "group.choose-picture");
  g_assert_true (gtk_widget_get_visible (choose));

  rename_in_dialog (dialog, "Night Crew");
  g_assert_true (test_app_wait_text (dialog, "Group renamed", 10000));
  g_assert_true (tim_test_wait_until (dialog_named, &(DialogNamed){ dialog, "Night Crew" }, 10000));
  g_assert_true (tim_test_wait_until (
      conversation_shows, &(ConversationShows){ ada, conversation_id, "Night Crew" }, 10000));

  rename_in_dialog (dialog, " ");
  g_assert_true (test_app_wait_text (dialog, "A group needs a name", 10000));
  g_assert_true (tim_test_wait_until (dialog_named, &(DialogNamed){ dialog, "Night Crew" }, 10000));

  /* Through the file chooser (GTK's own dialog here: no portal in the test session). */
  g_assert_true (gtk_widget_activate_action (dialog, "group.choose-picture", NULL));
  test_app_choose_file (png);
  g_assert_true (test_app_wait_text (dialog, "Group picture saved", 10000));
  g_assert_true (tim_test_wait_until (test_app_shows_avatar_picture, dialog, 10000));
  g_assert_true (tim_test_wait_until (
      conversation_shows, &(ConversationShows){ ada, conversation_id, .picture = TRUE }, 10000));
  test_app_screenshot (dialog, "group-dialog-profile.png");

  /* Any member of this Private group writes the announcement and the introduction; only
   * managers mute. */
  g_assert_true (gtk_widget_get_visible (
      test_app_find_widget (dialog, test_app_has_tooltip, "Edit the Announcement")));
  g_assert_false (gtk_widget_get_sensitive (mute_switch_of (dialog)));
  g_assert_true (gtk_widget_activate_action (dialog, "group.edit-text", "s", "announcement"));
  edit_text ("  Ship on Friday\n");
  g_assert_true (test_app_wait_text (dialog, "Announcement saved", 10000));
  g_assert_true (test_app_wait_text (dialog, "Ship on Friday", 10000));
  g_assert_true (tim_test_wait_until (
      conversation_shows,
      &(ConversationShows){ ada, conversation_id, .announcement = "Ship on Friday" }, 10000));
  g_assert_true (gtk_widget_get_visible (
      test_app_find_widget (dialog, test_app_has_tooltip, "Edit the Introduction")));
  g_assert_true (gtk_widget_activate_action (dialog, "group.edit-text", "s", "introduction"));
  edit_text ("We ship things.");
  g_assert_true (test_app_wait_text (dialog, "Introduction saved", 10000));
  g_assert_true (test_app_wait_text (dialog, "We ship things.", 10000));
  g_assert_true (tim_test_wait_until (
      conversation_shows,
      &(ConversationShows){ ada, conversation_id, .introduction = "We ship things." }, 10000));

  /* The owner renames it elsewhere: the open dialog follows. */
  tim_client_update_group_profile_async (ada, group_id, "Day Crew", NULL, NULL, NULL, NULL,
                                         tim_test_keep_result, &result);
  g_assert_true (
      tim_client_update_group_profile_finish (ada, tim_test_wait_result (&result), &error));
  g_assert_no_error (error);
  g_assert_true (tim_test_wait_until (dialog_named, &(DialogNamed){ dialog, "Day Crew" }, 10000));
  /* And mutes everyone: the member's switch shows it. */
  g_assert_true (tim_test_set_group_mute_all (ada, group_id, TRUE, &error));
  g_assert_true (tim_test_wait_until (switch_on, mute_switch_of (dialog), 10000));
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* A Public group: the owner's and admins' to change. */
  g_clear_object (&result);
  tim_client_create_group_async (ada, "Town", "Public", members, NULL, tim_test_keep_result,
                                 &result);
  public_id = tim_client_create_group_finish (ada, tim_test_wait_result (&result), &error);
  g_assert_no_error (error);
  dialog = timchat_group_dialog_new (NULL, bea, public_id);
  gtk_window_present (GTK_WINDOW (dialog));
  wait_lines (dialog, "ada (Owner); bea (you) (Member)");
  g_assert_true (tim_test_wait_until (dialog_named, &(DialogNamed){ dialog, "Town" }, 10000));
  test_app_iterate (200);
  g_assert_false (editable (dialog));
  g_assert_false (add_members_shown (dialog));
  g_assert_false (gtk_widget_get_visible (
      test_app_find_widget (dialog, test_app_has_action, "group.choose-picture")));
  g_assert_false (gtk_widget_get_visible (
      test_app_find_widget (dialog, test_app_has_tooltip, "Edit the Announcement")));
  g_assert_false (gtk_widget_get_visible (
      test_app_find_widget (dialog, test_app_has_tooltip, "Edit the Introduction")));
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* Its owner mutes everyone from the switch; the member's conversation knows. */
  dialog = timchat_group_dialog_new (NULL, ada, public_id);
  gtk_window_present (GTK_WINDOW (dialog));
  wait_lines (dialog, "ada (you) (Owner); bea (Member)");
  g_assert_true (gtk_widget_get_sensitive (mute_switch_of (dialog)));
  gtk_switch_set_active (GTK_SWITCH (mute_switch_of (dialog)), TRUE);
  g_assert_true (test_app_wait_text (dialog, "All members muted", 10000));
  g_free (conversation_id);
  conversation_id = g_strconcat ("GROUP", public_id, NULL);
  g_assert_true (tim_test_wait_until (
      conversation_shows, &(ConversationShows){ bea, conversation_id, .muted = TRUE }, 10000));
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static gboolean
switch_off (gpointer data)
{
  return !gtk_switch_get_active (GTK_SWITCH (data));
}

/* A mute-all the server refuses puts the switch back to what the group is, whether or not the
 * dialog has its profile by then. Refused before it (here the profile never comes: the user is
 * not in the group, as when removed just before opening it), the switch shows what it showed
 * before it was moved, off; it was left on, where the user put it. Refused after it (a plain
 * member's try), the switch shows the group's mute-all, on. */
static void
test_mute_all_refused (void)
{
  const char *members[] = { "lou", NULL };
  g_autoptr (TimClient) kit = tim_test_client_new (fixture, base_dir, "kit");
  g_autoptr (TimClient) lou = tim_test_client_new (fixture, base_dir, "lou");
  g_autoptr (TimClient) max = tim_test_client_new (fixture, base_dir, "max");
  const char *refused = tim_error_text (TIM_ERROR_GROUP_PERMISSION);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *group_id = NULL;
  GtkWidget *dialog;
  GtkWidget *mute;

  tim_client_create_group_async (kit, "Hall", "Public", members, NULL, tim_test_keep_result,
                                 &result);
  group_id = tim_client_create_group_finish (kit, tim_test_wait_result (&result), &error);
  g_assert_no_error (error);

  dialog = timchat_group_dialog_new (NULL, max, group_id);
  gtk_window_present (GTK_WINDOW (dialog));
  mute = mute_switch_of (dialog);
  /* Moved before anything of the group came. */
  gtk_switch_set_active (GTK_SWITCH (mute), TRUE);
  g_assert_true (test_app_wait_text (dialog, refused, 10000));
  g_assert_true (tim_test_wait_until (switch_off, mute, 10000));
  gtk_window_destroy (GTK_WINDOW (dialog));

  g_assert_true (tim_test_set_group_mute_all (kit, group_id, TRUE, &error));
  g_assert_no_error (error);
  dialog = timchat_group_dialog_new (NULL, lou, group_id);
  gtk_window_present (GTK_WINDOW (dialog));
  mute = mute_switch_of (dialog);
  wait_lines (dialog, "kit (Owner); lou (you) (Member)");
  g_assert_true (tim_test_wait_until (switch_on, mute, 10000));
  gtk_switch_set_active (GTK_SWITCH (mute), FALSE);
  g_assert_true (test_app_wait_text (dialog, refused, 10000));
  g_assert_true (tim_test_wait_until (switch_on, mute, 10000));
  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* The announcement and the introduction are what members wrote, shown as written: "&" and "<"
 * are text, not markup ("Fish & Chips" is no markup at all, "<b>" would turn the rest bold). */
static void
test_texts_as_written (void)
{
  const char *members[] = { "bea", NULL };
  const char *announcement = "Fish & Chips <Friday> at 5";
  const char *introduction = "We <b>ship</b> things";
  g_autoptr (TimClient) ada = tim_test_client_new (fixture, base_dir, "ada");
  g_autoptr (TimClient) bea = tim_test_client_new (fixture, base_dir, "bea");
  g_autofree char *group_id = tim_test_create_group (ada, "Chippy", members);
  g_autofree char *conversation_id = g_strconcat ("GROUP", group_id, NULL);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  GtkWidget *dialog;

  tim_client_update_group_profile_async (ada, group_id, NULL, introduction, announcement, NULL,
                                         NULL, tim_test_keep_result, &result);
  g_assert_true (
      tim_client_update_group_profile_finish (ada, tim_test_wait_result (&result), &error));
  g_assert_no_error (error);
  g_assert_true (
      tim_test_wait_until (conversation_shows,
                           &(ConversationShows){ bea, conversation_id, .announcement = announcement,
                                                 .introduction = introduction },
                           10000));

  dialog = timchat_group_dialog_new (NULL, bea, group_id);
  gtk_window_present (GTK_WINDOW (dialog));
  g_assert_true (tim_test_wait_until (dialog_named, &(DialogNamed){ dialog, "Chippy" }, 10000));
  g_assert_true (test_app_wait_text (dialog, announcement, 10000));
  g_assert_true (test_app_wait_text (dialog, introduction, 10000));
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static gboolean
is_name_card_row (GtkWidget *widget, gconstpointer unused)
{
  return ADW_IS_ENTRY_ROW (widget) &&
         g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)),
                    "Your Name in This Group") == 0;
}

typedef struct
{
  GtkWidget *row;
  const char *text;
} RowSays;

static gboolean
row_says (gpointer data)
{
  RowSays *says = data;

  return gtk_editable_get_editable (GTK_EDITABLE (says->row)) &&
         g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (says->row)), says->text) == 0;
}

/* A member names themselves in the group: the member list says it, the owner's next message from
 * them is signed with it, and clearing it brings their nickname back. A name over 50 bytes is
 * refused in plain words and the row goes back to the name the group has. */
static void
test_name_card (void)
{
  const char *members[] = { "dan", NULL };
  g_autoptr (TimClient) cal = tim_test_client_new (fixture, base_dir, "cal");
  g_autoptr (TimClient) dan = client_with_nick ("dan", "Dan D.");
  g_autofree char *group_id = tim_test_create_group (cal, "Band", members);
  g_autoptr (TimMessage) hello = NULL;
  g_autoptr (TimMessage) received = NULL;
  GtkWidget *dialog = timchat_group_dialog_new (NULL, dan, group_id);
  GtkWidget *row;

  gtk_window_present (GTK_WINDOW (dialog));
  wait_lines (dialog, "cal (Owner); Dan D. (you) (Member)");
  row = test_app_find_widget (dialog, is_name_card_row, NULL);
  g_assert_nonnull (row);
  g_assert_true (tim_test_wait_until (row_says, &(RowSays){ row, "" }, 10000));

  gtk_editable_set_text (GTK_EDITABLE (row), " Drummer ");
  g_signal_emit_by_name (row, "apply");
  g_assert_true (test_app_wait_text (dialog, "Your name in the group is saved", 10000));
  wait_lines (dialog, "cal (Owner); Drummer (you) (Member)");
  g_assert_true (tim_test_wait_until (row_says, &(RowSays){ row, "Drummer" }, 10000));
  hello = tim_client_create_text_message (dan, group_id, TIM_CONV_GROUP, "one two");
  received = tim_test_send_and_receive (dan, cal, hello);
  g_assert_cmpstr (tim_message_get_sender_name (received), ==, "Drummer");
  test_app_screenshot (dialog, "group-dialog-name-card.png");

  gtk_editable_set_text (GTK_EDITABLE (row),
                         "0123456789012345678901234567890123456789012345678901");
  g_signal_emit_by_name (row, "apply");
  g_assert_true (test_app_wait_text (dialog, "A name in a group is at most 50 bytes long", 10000));
  g_assert_true (tim_test_wait_until (row_says, &(RowSays){ row, "Drummer" }, 10000));

  gtk_editable_set_text (GTK_EDITABLE (row), "");
  g_signal_emit_by_name (row, "apply");
  g_assert_true (test_app_wait_text (dialog, "The group shows your nickname again", 10000));
  wait_lines (dialog, "cal (Owner); Dan D. (you) (Member)");
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static gboolean
only_me_online (gpointer dialog)
{
  g_auto (GStrv) titles = timchat_group_dialog_dup_online_titles (dialog);

  return g_strv_length (titles) == 1 && g_str_equal (titles[0], "fay (you)");
}

/* What a member is typing as their name in the group stays there while the others come and go:
 * the dialog shows its members again when one of them goes offline, and that put the name the
 * group has back over what was typed. Applied, it is saved as typed. */
static void
test_name_card_typing_kept (void)
{
  const char *members[] = { "fay", NULL };
  g_autoptr (TimClient) eli = tim_test_client_new (fixture, base_dir, "eli");
  g_autoptr (TimClient) fay = tim_test_client_new (fixture, base_dir, "fay");
  g_autofree char *group_id = tim_test_create_group (eli, "Choir", members);
  GtkWidget *dialog = timchat_group_dialog_new (NULL, fay, group_id);
  GtkWidget *row;

  gtk_window_present (GTK_WINDOW (dialog));
  wait_lines (dialog, "eli (Owner); fay (you) (Member)");
  row = test_app_find_widget (dialog, is_name_card_row, NULL);
  g_assert_true (tim_test_wait_until (row_says, &(RowSays){ row, "" }, 10000));
  gtk_editable_set_text (GTK_EDITABLE (row), "Alto");

  tim_client_logout (eli);
  g_assert_true (tim_test_wait_until (only_me_online, dialog, 10000));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "Alto");
  g_signal_emit_by_name (row, "apply");
  g_assert_true (test_app_wait_text (dialog, "Your name in the group is saved", 10000));
  wait_lines (dialog, "eli (Owner); Alto (you) (Member)");
  gtk_window_destroy (GTK_WINDOW (dialog));
}

int
main (int argc, char **argv)
{
  test_app_init (&argc, &argv, TRUE);
  fixture = timchat_fixture_new (NULL);
  base_dir = tim_test_make_dir ();
  g_test_add_func ("/app/group-dialog/profile", test_profile);
  g_test_add_func ("/app/group-dialog/mute-all-refused", test_mute_all_refused);
  g_test_add_func ("/app/group-dialog/texts-as-written", test_texts_as_written);
  g_test_add_func ("/app/group-dialog/name-card", test_name_card);
  g_test_add_func ("/app/group-dialog/name-card-typing-kept", test_name_card_typing_kept);
  return test_app_run (fixture, base_dir);
}
