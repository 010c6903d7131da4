/* test-app-group-dialog.c: the group dialog against the real server. The window shows its Group
 * Members button for groups only and opens the dialog from it; the dialog renames the group and
 * sets its picture for whom may (and follows a rename made elsewhere); it lists the members
 * owner first and offers what the user's role allows: the owner adds members (and hears who
 * could not be added), makes one an admin, removes one and dismisses the group; a member
 * manages nobody and leaves; every member sets their own name in the group. Each is checked on
 * the server through another client. */
#define G_LOG_DOMAIN "test-app-group-dialog"

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "test-app-util.h"
#include "tim-error.h"
#include "tim-test-util.h"
#include "timchat-composer.h"
#include "timchat-conversation-view.h"
#include "timchat-format.h"
#include "timchat-group-dialog.h"
#include "timchat-test-util.h"
#include "timchat-window.h"

static TimchatFixture *fixture;
static char *base_dir;

/* The member lines joined by "; ", NULL before they are loaded. */
static char *
member_lines (gpointer dialog)
{
  g_auto (GStrv) got = timchat_group_dialog_dup_member_lines (dialog);

  return got != NULL ? g_strjoinv ("; ", got) : NULL;
}

static void
wait_lines (GtkWidget *dialog, const char *want)
{
  tim_test_wait_described (member_lines, dialog, want);
}

static gboolean
shows_button (GtkWidget *dialog, const char *label)
{
  GtkWidget *button = test_app_find_widget (dialog, test_app_has_button_label, label);

  return button != NULL && gtk_widget_get_visible (button);
}

static gboolean
group_dialog_gone (gpointer data)
{
  return test_app_find_toplevel (TIMCHAT_TYPE_GROUP_DIALOG, test_app_is_mapped) == NULL;
}

static gboolean
view_closed (gpointer data)
{
  GtkWidget *view = test_app_conversation_view (data);

  return view == NULL || !gtk_widget_get_mapped (view);
}

static gboolean
is_insensitive (gpointer widget)
{
  return !gtk_widget_get_sensitive (widget);
}

static void
set_mute_all (TimClient *owner, const char *group_id, gboolean mute_all)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;

  tim_client_set_group_mute_all_async (owner, group_id, mute_all, NULL, tim_test_keep_result,
                                       &result);
  g_assert_true (
      tim_client_set_group_mute_all_finish (owner, tim_test_wait_result (&result), &error));
  g_assert_no_error (error);
}

static gboolean
has_css_class (GtkWidget *widget, gconstpointer name)
{
  return gtk_widget_has_css_class (widget, name);
}

typedef struct
{
  TimchatWindow *window;
  const char *text; /* NULL: no notice */
} Notice;

/* The bar over the open conversation's composer says notice->text (and offers nothing: there is
 * nothing to do about a mute), and the composer's text is read-only; or, for NULL, the bar is
 * down and the text editable. */
static gboolean
notice_says (gpointer data)
{
  Notice *notice = data;
  GtkWidget *view = test_app_conversation_view (notice->window);
  GtkWidget *bar = test_app_find_widget (view, has_css_class, "composer-notice");
  GtkWidget *label =
      test_app_find_widget (bar, test_app_has_type, GSIZE_TO_POINTER (GTK_TYPE_LABEL));
  GtkWidget *button =
      test_app_find_widget (bar, test_app_has_type, GSIZE_TO_POINTER (GTK_TYPE_BUTTON));
  GtkWidget *text =
      test_app_find_widget (view, test_app_has_type, GSIZE_TO_POINTER (GTK_TYPE_TEXT_VIEW));
  gboolean shown = gtk_revealer_get_reveal_child (GTK_REVEALER (bar));

  if (notice->text == NULL)
    return !shown && gtk_text_view_get_editable (GTK_TEXT_VIEW (text));
  return shown && g_strcmp0 (gtk_label_get_text (GTK_LABEL (label)), notice->text) == 0 &&
         !gtk_widget_get_visible (button) && !gtk_text_view_get_editable (GTK_TEXT_VIEW (text));
}

/* The window: the button for groups only; it opens the dialog over the window; the composer says
 * when only the owner and admins may post. Removed from the group, the window closes the
 * conversation. */
static void
test_window_button (void)
{
  const char *members[] = { "uma", NULL };
  g_autoptr (JsonObject) imported =
      timchat_test_rest (fixture, "im_open_login_svc/account_import", "{\"UserID\":\"uma\"}", NULL);
  g_autoptr (TimClient) tom = tim_test_client_new (fixture, base_dir, "tom");
  g_autofree char *group_id = tim_test_create_group (tom, "Crew", members);
  g_autofree char *conversation_id = g_strconcat ("GROUP", group_id, NULL);
  g_autofree char *ws = timchat_fixture_ws_url (fixture);
  g_autofree char *usersig = timchat_fixture_usersig (fixture, "uma", 3600);
  TimchatWindow *window = NULL;
  GtkWidget *button, *send_button;
  TimchatComposer *composer;
  GtkWindow *dialog;

  set_mute_all (tom, group_id, TRUE);
  window = timchat_window_new (NULL, "group-dialog-test", base_dir);
  gtk_window_present (GTK_WINDOW (window));
  timchat_window_login (window, ws, timchat_fixture_get_sdkappid (fixture), "uma", usersig, FALSE);
  g_assert_true (tim_test_wait_until (test_app_window_ready, window, 10000));
  test_app_wait_conversation (window, conversation_id);
  button = test_app_find_widget (GTK_WIDGET (window), test_app_has_action, "win.group-info");
  g_assert_nonnull (button);

  timchat_window_open_conversation (window, "C2Ctom");
  g_assert_false (gtk_widget_get_visible (button));
  timchat_window_open_conversation (window, conversation_id);
  g_assert_true (gtk_widget_get_visible (button));
  /* The group was muted before uma came: her composer says who may post and sends nothing, even
   * with text in it; the owner unmutes it, and she may. */
  g_assert_true (
      test_app_wait_text (GTK_WIDGET (window), "Only the owner and admins can post", 10000));
  /* The bar over the composer says so too, and the text cannot be typed into meanwhile. */
  g_assert_true (tim_test_wait_until (
      notice_says, &(Notice){ window, "Only the owner and admins can send messages here" }, 10000));
  test_app_screenshot (GTK_WIDGET (window), "muted-for-all-composer");
  composer = TIMCHAT_COMPOSER (test_app_composer (GTK_WIDGET (window)));
  timchat_composer_set_text (composer, "may I?");
  send_button = test_app_find_widget (GTK_WIDGET (window), test_app_has_action, "composer.send");
  g_assert_true (tim_test_wait_until (is_insensitive, send_button, 10000));
  /* Enter neither: the text stays for later. */
  timchat_composer_send (composer);
  g_assert_false (timchat_composer_can_send (composer));
  {
    g_autofree char *kept = timchat_composer_dup_text (composer);

    g_assert_cmpstr (kept, ==, "may I?");
  }
  set_mute_all (tom, group_id, FALSE);
  g_assert_true (test_app_wait_text (GTK_WIDGET (window), "Message", 10000));
  g_assert_true (tim_test_wait_until (notice_says, &(Notice){ window, NULL }, 10000));
  g_assert_true (gtk_widget_get_sensitive (send_button));
  g_assert_true (timchat_composer_can_send (composer));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.group-info", NULL));
  dialog = test_app_find_toplevel (TIMCHAT_TYPE_GROUP_DIALOG, test_app_is_mapped);
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_transient_for (dialog) == GTK_WINDOW (window));
  g_assert_cmpstr (gtk_window_get_title (dialog), ==, "Crew");
  wait_lines (GTK_WIDGET (dialog), "tom (Owner); uma (you) (Member)");
  gtk_window_destroy (dialog);

  /* A tip about uma alone speaks to her in her view (the list's row too, but that is not it). */
  {
    g_autoptr (GAsyncResult) result = NULL;
    g_autoptr (GError) error = NULL;

    tim_client_set_group_admin_async (tom, group_id, "uma", TRUE, NULL, tim_test_keep_result,
                                      &result);
    g_assert_true (tim_client_set_group_admin_finish (tom, tim_test_wait_result (&result), &error));
    g_assert_no_error (error);
  }
  g_assert_true (
      test_app_wait_text (test_app_conversation_view (window), "You are now an admin", 10000));

  /* Removed by the owner while looking at it: the group leaves the list and the view closes. */
  {
    g_autoptr (GAsyncResult) result = NULL;
    g_autoptr (GError) error = NULL;

    tim_client_remove_group_member_async (tom, group_id, "uma", NULL, tim_test_keep_result,
                                          &result);
    g_assert_true (
        tim_client_remove_group_member_finish (tom, tim_test_wait_result (&result), &error));
    g_assert_no_error (error);
  }
  g_assert_true (tim_test_wait_until (view_closed, window, 10000));
  g_assert_false (test_app_has_conversation (window, conversation_id));
  gtk_window_destroy (GTK_WINDOW (window));
}

static TimClient *
client_with_nick (const char *user, const char *nick)
{
  timchat_test_import_account (fixture, user, nick);
  return tim_test_client_new (fixture, base_dir, user);
}

/* Members are named by their nicknames (wes has one), else by their IDs. */
static void
test_owner_adds_and_dismisses (void)
{
  const char *members[] = { "vic", NULL };
  g_autoptr (TimClient) val = tim_test_client_new (fixture, base_dir, "val");
  g_autoptr (TimClient) vic = tim_test_client_new (fixture, base_dir, "vic");
  g_autoptr (TimClient) wes = client_with_nick ("wes", "Wes W.");
  g_autofree char *group_id = tim_test_create_group (val, "Crew", members);
  g_autofree char *on_server = NULL;
  g_autoptr (GError) error = NULL;
  GtkWidget *dialog = timchat_group_dialog_new (NULL, val, group_id);

  gtk_window_present (GTK_WINDOW (dialog));
  wait_lines (dialog, "val (you) (Owner); vic (Member)");
  g_assert_true (shows_button (dialog, "_Dismiss Group"));
  g_assert_false (shows_button (dialog, "_Leave Group"));
  g_assert_true (gtk_widget_get_visible (
      test_app_find_widget (dialog, test_app_has_action, "group.add-members")));

  /* Any comma separates; who could not be added is named. */
  g_assert_true (gtk_widget_activate_action (dialog, "group.add-members", NULL));
  test_app_answer_dialog ("add", (const char *[]){ "entry", "wes， nobody-at-all", NULL });
  wait_lines (dialog, "val (you) (Owner); vic (Member); Wes W. (Member)");
  g_assert_true (test_app_wait_text (dialog, "Not added: nobody-at-all", 10000));
  /* A group nobody wrote in yet: its name is fetched for the title. */
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==, "Crew");
  g_assert_cmpstr ((on_server = tim_test_group_members (vic, group_id, &error)), ==,
                   "val:Owner vic:Member wes:Member");
  test_app_screenshot (dialog, "group-dialog.png");

  /* The owner's "…" on a member: make admin, remove (asks first). */
  g_assert_nonnull (test_app_find_widget (dialog, test_app_has_tooltip, "Actions for vic"));
  g_assert_null (test_app_find_widget (dialog, test_app_has_tooltip, "Actions for val (you)"));
  g_assert_true (gtk_widget_activate_action (dialog, "group.make-admin", "s", "vic"));
  wait_lines (dialog, "val (you) (Owner); vic (Admin); Wes W. (Member)");
  g_assert_nonnull (test_app_find_widget (dialog, test_app_has_tooltip, "Actions for Wes W."));
  g_assert_true (gtk_widget_activate_action (dialog, "group.remove", "s", "wes"));
  g_assert_cmpstr (adw_message_dialog_get_heading (
                       ADW_MESSAGE_DIALOG (test_app_find_toplevel (ADW_TYPE_MESSAGE_DIALOG, NULL))),
                   ==, "Remove Wes W. from “Crew”?");
  test_app_answer_dialog ("remove", NULL);
  wait_lines (dialog, "val (you) (Owner); vic (Admin)");
  g_clear_pointer (&on_server, g_free);
  g_assert_cmpstr ((on_server = tim_test_group_members (vic, group_id, &error)), ==,
                   "val:Owner vic:Admin");

  /* Dismissing asks first: Cancel keeps the group. */
  g_assert_true (gtk_widget_activate_action (dialog, "group.dismiss", NULL));
  test_app_answer_dialog ("cancel", NULL);
  test_app_iterate (200);
  g_assert_true (gtk_widget_get_mapped (dialog));
  g_assert_true (gtk_widget_activate_action (dialog, "group.dismiss", NULL));
  test_app_answer_dialog ("dismiss", NULL);
  g_assert_true (tim_test_wait_until (group_dialog_gone, NULL, 10000));
  g_assert_null (tim_test_group_members (vic, group_id, &error));
  g_assert_error (error, TIM_ERROR, TIM_ERROR_GROUP_NOT_FOUND);
}

/* Whether the "…" button named tooltip offers action (in a section of its menu too). */
static gboolean
offers (GtkWidget *dialog, const char *tooltip, const char *action)
{
  GtkWidget *button = test_app_find_widget (dialog, test_app_has_tooltip, tooltip);

  return button != NULL &&
         test_app_menu_offers (gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (button)), action);
}

static gboolean
add_members_shown (gpointer dialog)
{
  GtkWidget *button = test_app_find_widget (dialog, test_app_has_action, "group.add-members");

  return button != NULL && gtk_widget_get_visible (button);
}

/* The owner's "…" on a member hands the group over (asking first, Cancel keeping it): the owner
 * is a plain member then, who may leave and manages nobody. */
static void
test_hand_over (void)
{
  const char *members[] = { "ivo", NULL };
  g_autoptr (TimClient) han = tim_test_client_new (fixture, base_dir, "han");
  g_autoptr (TimClient) ivo = tim_test_client_new (fixture, base_dir, "ivo");
  g_autofree char *group_id = tim_test_create_group (han, "Crew", members);
  g_autofree char *on_server = NULL;
  g_autoptr (GError) error = NULL;
  GtkWidget *dialog = timchat_group_dialog_new (NULL, han, group_id);

  gtk_window_present (GTK_WINDOW (dialog));
  wait_lines (dialog, "han (you) (Owner); ivo (Member)");
  g_assert_true (offers (dialog, "Actions for ivo", "group.make-owner"));
  g_assert_true (gtk_widget_activate_action (dialog, "group.make-owner", "s", "ivo"));
  g_assert_cmpstr (adw_message_dialog_get_heading (
                       ADW_MESSAGE_DIALOG (test_app_find_toplevel (ADW_TYPE_MESSAGE_DIALOG, NULL))),
                   ==, "Hand “Crew” over to ivo?");
  test_app_answer_dialog ("cancel", NULL);
  test_app_iterate (200);
  g_assert_cmpstr ((on_server = tim_test_group_members (ivo, group_id, &error)), ==,
                   "han:Owner ivo:Member");

  g_assert_true (gtk_widget_activate_action (dialog, "group.make-owner", "s", "ivo"));
  test_app_answer_dialog ("hand-over", NULL);
  wait_lines (dialog, "ivo (Owner); han (you) (Member)");
  g_assert_true (shows_button (dialog, "_Leave Group"));
  g_assert_false (shows_button (dialog, "_Dismiss Group"));
  g_assert_null (test_app_find_widget (dialog, test_app_has_tooltip, "Actions for ivo"));
  g_clear_pointer (&on_server, g_free);
  g_assert_cmpstr ((on_server = tim_test_group_members (ivo, group_id, &error)), ==,
                   "ivo:Owner han:Member");
  test_app_close (dialog);
}

/* A plain member of a Work (Private) group adds members, as the server lets them; manages
 * nobody, and leaves. */
static void
test_member_leaves (void)
{
  const char *members[] = { "xia", "yan", NULL };
  g_autoptr (JsonObject) imported =
      timchat_test_rest (fixture, "im_open_login_svc/account_import", "{\"UserID\":\"yan\"}", NULL);
  g_autoptr (JsonObject) imported_zed =
      timchat_test_rest (fixture, "im_open_login_svc/account_import", "{\"UserID\":\"zed\"}", NULL);
  g_autoptr (TimClient) xavier = tim_test_client_new (fixture, base_dir, "xavier");
  g_autoptr (TimClient) xia = tim_test_client_new (fixture, base_dir, "xia");
  g_autofree char *group_id = tim_test_create_group (xavier, "Crew", members);
  g_autofree char *on_server = NULL;
  g_autoptr (GError) error = NULL;
  GtkWidget *dialog = timchat_group_dialog_new (NULL, xia, group_id);

  gtk_window_present (GTK_WINDOW (dialog));
  wait_lines (dialog, "xavier (Owner); xia (you) (Member); yan (Member)");
  g_assert_true (shows_button (dialog, "_Leave Group"));
  g_assert_false (shows_button (dialog, "_Dismiss Group"));
  g_assert_true (tim_test_wait_until (add_members_shown, dialog, 10000));
  g_assert_true (gtk_widget_activate_action (dialog, "group.add-members", NULL));
  test_app_answer_dialog ("add", (const char *[]){ "entry", "zed", NULL });
  wait_lines (dialog, "xavier (Owner); xia (you) (Member); yan (Member); zed (Member)");
  g_assert_cmpstr ((on_server = tim_test_group_members (xavier, group_id, &error)), ==,
                   "xavier:Owner xia:Member yan:Member zed:Member");
  g_clear_pointer (&on_server, g_free);
  /* A plain member manages nobody. */
  g_assert_null (test_app_find_widget (dialog, test_app_has_tooltip, "Actions for yan"));

  g_assert_true (gtk_widget_activate_action (dialog, "group.leave", NULL));
  test_app_answer_dialog ("leave", NULL);
  g_assert_true (tim_test_wait_until (group_dialog_gone, NULL, 10000));
  g_assert_cmpstr ((on_server = tim_test_group_members (xavier, group_id, &error)), ==,
                   "xavier:Owner yan:Member zed:Member");
}

/* ---------------------------------------------------------------- who is online */

typedef struct
{
  TimchatGroupDialog *dialog;
  const char *want;
} Online;

static gboolean
shows_online (gpointer data)
{
  Online *online = data;
  g_auto (GStrv) titles = timchat_group_dialog_dup_online_titles (online->dialog);
  g_autofree char *joined = g_strjoinv ("; ", titles);

  return g_str_equal (joined, online->want);
}

/* client has a one-to-one conversation with ona and knows she is online. */
static gboolean
follows_ona (gpointer client)
{
  TimConversation *conversation =
      tim_conversation_list_lookup (tim_client_get_conversations (client), "C2Cona");

  return conversation != NULL &&
         tim_conversation_get_peer_status (conversation) == TIM_USER_STATUS_ONLINE;
}

static gboolean
shows_busy (gpointer dialog)
{
  return test_app_find_widget (dialog, test_app_has_tooltip, "Online · Busy") != NULL;
}

/* Who the client hears of, a word each. */
static void
on_status_told (TimClient *client, const char *user_id, TimUserStatus status,
                const char *custom_status, GString *told)
{
  g_string_append_printf (told, "%s ", user_id);
}

typedef struct
{
  TimClient *client;
  const char *user_id;
} Unlogined;

static gboolean
is_unlogined (gpointer data)
{
  Unlogined *asked = data;

  return tim_test_user_status (asked->client, asked->user_id) == TIM_USER_STATUS_UNLOGINED;
}

/* A green dot on the rows of the members online (the user among them); one who goes, followed
 * as a one-to-one peer, loses it; one never logged in has none until they come, followed while
 * the dialog is open, with their custom status; one who goes after the dialog closed is no
 * longer followed. */
static void
test_online (void)
{
  const char *members[] = { "ona", "ole", NULL };
  g_autoptr (JsonObject) imported =
      timchat_test_rest (fixture, "im_open_login_svc/account_import", "{\"UserID\":\"ole\"}", NULL);
  g_autoptr (TimClient) oz = tim_test_client_new (fixture, base_dir, "oz");
  g_autoptr (TimClient) ona = tim_test_client_new (fixture, base_dir, "ona");
  g_autoptr (TimClient) ole = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GString) told = g_string_new ("");
  g_autofree char *group_id = tim_test_create_group (oz, "Who is here", members);
  GtkWidget *dialog;

  /* ona writes to oz first: oz then follows her. */
  tim_test_send_text (ona, "oz", "hi oz");
  g_assert_true (tim_test_wait_until (follows_ona, oz, 5000));
  dialog = timchat_group_dialog_new (NULL, oz, group_id);
  gtk_window_set_default_size (GTK_WINDOW (dialog), 420, 820);
  gtk_window_present (GTK_WINDOW (dialog));
  wait_lines (dialog, "oz (you) (Owner); ole (Member); ona (Member)");
  g_assert_true (tim_test_wait_until (
      shows_online, &(Online){ TIMCHAT_GROUP_DIALOG (dialog), "oz (you); ona" }, 5000));
  g_assert_nonnull (test_app_find_widget (dialog, test_app_has_tooltip, "Online"));
  test_app_screenshot (dialog, "group-dialog-online.png");

  g_clear_object (&ona);
  g_assert_true (tim_test_wait_until (
      shows_online, &(Online){ TIMCHAT_GROUP_DIALOG (dialog), "oz (you)" }, 5000));

  /* ole, no peer of oz's, comes and sets a status. */
  ole = tim_test_client_new (fixture, base_dir, "ole");
  g_assert_true (tim_test_wait_until (
      shows_online, &(Online){ TIMCHAT_GROUP_DIALOG (dialog), "oz (you); ole" }, 5000));
  tim_client_set_self_status_async (ole, "Busy", NULL, tim_test_keep_result, &result);
  g_assert_true (tim_client_set_self_status_finish (ole, tim_test_wait_result (&result), NULL));
  g_assert_true (tim_test_wait_until (shows_busy, dialog, 5000));
  test_app_close (dialog);

  /* Closed: ole is followed no more. ona, a peer, comes back; once the server has ole logged
   * out, oz has heard all it would of her. */
  tim_test_user_status (oz, "ona");
  g_signal_connect (oz, "user-status-updated", G_CALLBACK (on_status_told), told);
  tim_client_logout (ole);
  ona = tim_test_client_new (fixture, base_dir, "ona");
  g_assert_true (tim_test_wait_until (is_unlogined, &(Unlogined){ ona, "ole" }, 5000));
  g_assert_true (tim_test_wait_until (follows_ona, oz, 5000));
  tim_test_user_status (oz, "ona");
  g_assert_cmpstr (told->str, ==, "ona ");
}

/* ---------------------------------------------------------------- muting a member */

typedef struct
{
  GtkWidget *dialog;
  const char *part;
} LinePart;

static gboolean
lists_part (gpointer data)
{
  LinePart *wanted = data;
  g_auto (GStrv) lines =
      timchat_group_dialog_dup_member_lines (TIMCHAT_GROUP_DIALOG (wanted->dialog));
  g_autofree char *joined = lines != NULL ? g_strjoinv ("; ", lines) : g_strdup ("");

  return strstr (joined, wanted->part) != NULL;
}

typedef struct
{
  TimchatWindow *window;
  const char *conversation_id;
} Placeholder;

/* The composer's placeholder says the user is muted until their mute's time. */
static gboolean
says_muted (gpointer data)
{
  Placeholder *wanted = data;
  TimConversation *conversation = tim_conversation_list_lookup (
      tim_client_get_conversations (timchat_window_get_client (wanted->window)),
      wanted->conversation_id);
  gint64 until =
      conversation != NULL ? tim_conversation_get_group_self_mute_until (conversation) : 0;
  g_autofree char *when = until > 0 ? timchat_format_until (until) : NULL;
  g_autofree char *text = when != NULL ? g_strdup_printf ("You are muted until %s", when) : NULL;

  return text != NULL &&
         test_app_find_widget (GTK_WIDGET (wanted->window), test_app_has_text, text) != NULL;
}

/* The muted member's bar over the composer says until when, as the composer's text does. */
static gboolean
notice_says_muted (gpointer data)
{
  Placeholder *wanted = data;
  TimConversation *conversation = tim_conversation_list_lookup (
      tim_client_get_conversations (timchat_window_get_client (wanted->window)),
      wanted->conversation_id);
  gint64 until =
      conversation != NULL ? tim_conversation_get_group_self_mute_until (conversation) : 0;
  g_autofree char *when = until > 0 ? timchat_format_until (until) : NULL;
  g_autofree char *text =
      when != NULL ? g_strdup_printf ("You are muted in this group until %s", when) : NULL;

  return text != NULL && notice_says (&(Notice){ wanted->window, text });
}

/* The owner mutes a member from their row's menu: the row says until when; the member's composer
 * says they are muted (the bar over it too, and its text is read-only) and sends nothing;
 * unmuted (or when a short mute runs out by itself) it is "Message" again, and editable. */
static void
test_mute (void)
{
  const char *members[] = { "vi", NULL };
  TimchatWindow *window = test_app_logged_in_window (fixture, base_dir, "vi", NULL);
  g_autoptr (TimClient) wu = tim_test_client_new (fixture, base_dir, "wu");
  g_autofree char *group_id = tim_test_create_group (wu, "Hush", members);
  g_autofree char *conversation_id = g_strconcat ("GROUP", group_id, NULL);
  GtkWidget *dialog = timchat_group_dialog_new (NULL, wu, group_id);
  GtkWidget *send_button;
  TimchatComposer *composer;

  gtk_window_present (GTK_WINDOW (dialog));
  wait_lines (dialog, "wu (you) (Owner); vi (Member)");
  g_assert_true (offers (dialog, "Actions for vi", "group.mute"));
  test_app_wait_conversation (window, conversation_id);
  timchat_window_open_conversation (window, conversation_id);

  g_assert_true (gtk_widget_activate_action (dialog, "group.mute", "(su)", "vi", 600));
  g_assert_true (
      tim_test_wait_until (lists_part, &(LinePart){ dialog, "vi (Member · Muted until " }, 10000));
  g_assert_true (
      tim_test_wait_until (says_muted, &(Placeholder){ window, conversation_id }, 10000));
  composer = TIMCHAT_COMPOSER (test_app_composer (GTK_WIDGET (window)));
  timchat_composer_set_text (composer, "let me speak");
  send_button = test_app_find_widget (GTK_WIDGET (window), test_app_has_action, "composer.send");
  g_assert_true (tim_test_wait_until (is_insensitive, send_button, 10000));
  g_assert_true (
      tim_test_wait_until (notice_says_muted, &(Placeholder){ window, conversation_id }, 10000));
  test_app_screenshot (GTK_WIDGET (window), "muted-composer.png");

  g_assert_true (gtk_widget_activate_action (dialog, "group.mute", "(su)", "vi", 0));
  wait_lines (dialog, "wu (you) (Owner); vi (Member)");
  g_assert_true (test_app_wait_text (GTK_WIDGET (window), "Message", 10000));
  g_assert_true (tim_test_wait_until (notice_says, &(Notice){ window, NULL }, 10000));
  g_assert_true (gtk_widget_get_sensitive (send_button));

  /* A mute of a second ends by itself. */
  g_assert_true (gtk_widget_activate_action (dialog, "group.mute", "(su)", "vi", 1));
  g_assert_true (
      tim_test_wait_until (says_muted, &(Placeholder){ window, conversation_id }, 10000));
  g_assert_true (test_app_wait_text (GTK_WIDGET (window), "Message", 10000));
  g_assert_true (tim_test_wait_until (notice_says, &(Notice){ window, NULL }, 10000));
  test_app_close (dialog);
  test_app_close (GTK_WIDGET (window));
}

/* A mute that ends on a later day says which day, not a time that reads as today's ("Muted
 * until 12:00" at noon, for tomorrow's noon). The tests' zone has it about noon now. */
static void
test_mute_for_a_day (void)
{
  const char *members[] = { "rue", NULL };
  g_autoptr (TimClient) sol = tim_test_client_new (fixture, base_dir, "sol");
  g_autofree char *group_id = NULL;
  GtkWidget *dialog = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autoptr (GDateTime) tomorrow = g_date_time_add_days (now, 1);
  g_autofree char *day = g_date_time_format (tomorrow, "%a");
  /* The day, then the clock: the mute ends at a moment of that day. */
  g_autofree char *want = g_strdup_printf ("rue (Member · Muted until %s ", day);

  timchat_test_import_account (fixture, "rue", NULL);
  group_id = tim_test_create_group (sol, "Calm", members);
  dialog = timchat_group_dialog_new (NULL, sol, group_id);
  gtk_window_present (GTK_WINDOW (dialog));
  wait_lines (dialog, "sol (you) (Owner); rue (Member)");
  g_assert_true (gtk_widget_activate_action (dialog, "group.mute", "(su)", "rue", 24 * 60 * 60));
  g_assert_true (tim_test_wait_until (lists_part, &(LinePart){ dialog, want }, 10000));
  test_app_close (dialog);
}

/* Done on the owner's other device: a member added, then muted; the open dialog's list follows
 * without being reopened. */
static void
test_follows_elsewhere (void)
{
  const char *members[] = { "bo", NULL };
  g_autofree char *phone_dir = g_build_filename (base_dir, "al-phone", NULL);
  g_autoptr (JsonObject) imported =
      timchat_test_rest (fixture, "im_open_login_svc/account_import", "{\"UserID\":\"cy\"}", NULL);
  g_autoptr (TimClient) al = tim_test_client_new (fixture, base_dir, "al");
  g_autoptr (TimClient) al_phone = tim_test_client_new (fixture, phone_dir, "al");
  g_autoptr (TimClient) bo = tim_test_client_new (fixture, base_dir, "bo");
  g_autofree char *group_id = tim_test_create_group (al, "Team", members);
  GtkWidget *dialog = timchat_group_dialog_new (NULL, al, group_id);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;

  gtk_window_present (GTK_WINDOW (dialog));
  wait_lines (dialog, "al (you) (Owner); bo (Member)");
  tim_client_add_group_members_async (al_phone, group_id, (const char *const[]){ "cy", NULL }, NULL,
                                      tim_test_keep_result, &result);
  g_assert_true (
      tim_client_add_group_members_finish (al_phone, tim_test_wait_result (&result), NULL, &error));
  g_assert_no_error (error);
  wait_lines (dialog, "al (you) (Owner); bo (Member); cy (Member)");
  g_clear_object (&result);
  tim_client_set_group_member_mute_time_async (al_phone, group_id, "bo", 600, NULL,
                                               tim_test_keep_result, &result);
  g_assert_true (tim_client_set_group_member_mute_time_finish (
      al_phone, tim_test_wait_result (&result), &error));
  g_assert_true (
      tim_test_wait_until (lists_part, &(LinePart){ dialog, "bo (Member · Muted until " }, 10000));
  test_app_close (dialog);
}

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
  g_clear_object (&result);
  tim_client_set_group_mute_all_async (ada, group_id, TRUE, NULL, tim_test_keep_result, &result);
  g_assert_true (
      tim_client_set_group_mute_all_finish (ada, tim_test_wait_result (&result), &error));
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

int
main (int argc, char **argv)
{
  test_app_init (&argc, &argv, TRUE);
  fixture = timchat_fixture_new (NULL);
  base_dir = tim_test_make_dir ();
  g_test_add_func ("/app/group-dialog/window-button", test_window_button);
  g_test_add_func ("/app/group-dialog/owner-adds-and-dismisses", test_owner_adds_and_dismisses);
  g_test_add_func ("/app/group-dialog/member-leaves", test_member_leaves);
  g_test_add_func ("/app/group-dialog/hand-over", test_hand_over);
  g_test_add_func ("/app/group-dialog/mute", test_mute);
  g_test_add_func ("/app/group-dialog/mute-for-a-day", test_mute_for_a_day);
  g_test_add_func ("/app/group-dialog/follows-elsewhere", test_follows_elsewhere);
  g_test_add_func ("/app/group-dialog/online", test_online);
  g_test_add_func ("/app/group-dialog/profile", test_profile);
  g_test_add_func ("/app/group-dialog/texts-as-written", test_texts_as_written);
  g_test_add_func ("/app/group-dialog/name-card", test_name_card);
  return test_app_run (fixture, base_dir);
}
