/* timchat-window.c: the main window: its pages, the header that names the open conversation,
 * toasts and errors, and opening and closing conversations. Signing in is
 * timchat-window-login.c's, the actions timchat-window-actions.c's. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <glib/gi18n.h>

#include "timchat-conversation-view.h"
#include "timchat-resources.h"
#include "timchat-application.h"
#include "timchat-settings.h"
#include "timchat-context-menu.h"
#include "timchat-conversation-menu.h"
#include "timchat-dialogs.h"
#include "timchat-window-private.h"

G_DEFINE_FINAL_TYPE (TimchatWindow, timchat_window, ADW_TYPE_APPLICATION_WINDOW)

/* ---------------------------------------------------------------- errors */

void
timchat_window_show_toast (TimchatWindow *self, const char *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, timchat_toast_new (text));
}

void
timchat_window_add_toast (TimchatWindow *self, AdwToast *toast)
{
  g_return_if_fail (TIMCHAT_IS_WINDOW (self));
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

void
timchat_window_show_error (TimchatWindow *self, const GError *error)
{
  g_autofree char *text = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  text = timchat_describe_error (error);
  timchat_window_show_toast (self, text);
}

/* ---------------------------------------------------------------- conversation list */

static void
on_conversation_activated (TimchatWindow *self, guint position)
{
  g_autoptr (TimConversation) conversation =
      g_list_model_get_item (G_LIST_MODEL (self->filtered), position);

  if (conversation != NULL)
    timchat_window_open_conversation (self, tim_conversation_get_id (conversation));
}

/* Hovering a row selects it (GTK's single-click mode shows so what a click would open), as do the
 * arrow keys; once the pointer or the focus leaves the list, the open conversation is selected
 * again. */
static void
on_conversation_list_left (TimchatWindow *self)
{
  _timchat_window_select_open_conversation (self);
}

static void
on_back_clicked (TimchatWindow *self)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

/* The header stops following the open conversation. */
static void
clear_header (TimchatWindow *self)
{
  if (self->titled_conversation != NULL)
    g_signal_handlers_disconnect_by_data (self->titled_conversation, self);
  g_clear_object (&self->titled_conversation);
  adw_window_title_set_subtitle (self->conversation_title, "");
  if (self->conversation_menu_button != NULL) /* NULL in a second dispose */
    gtk_widget_set_visible (GTK_WIDGET (self->conversation_menu_button), FALSE);
}

/* The header's menu is the list row's menu of the open conversation, made as it opens so that it
 * says what the conversation is now (Mute or Unmute, its folders): in a narrow window the list is
 * not on screen, and this is the only way to it. */
static void
build_conversation_menu (GtkMenuButton *button, gpointer user_data)
{
  TimchatWindow *self = user_data;
  g_autoptr (GMenuModel) model = NULL;
  GtkPopover *popover = gtk_menu_button_get_popover (button);

  if (self->titled_conversation == NULL)
    return;
  model = timchat_conversation_menu_new (self->titled_conversation, self->client);
  /* One popover, its model replaced: a new one each time would be made and laid out again. */
  if (popover != NULL)
    gtk_popover_menu_set_menu_model (GTK_POPOVER_MENU (popover), model);
  else
    gtk_menu_button_set_menu_model (button, model);
}

/* The open conversation's name (a group's can come after its first message) and, under it as
 * other chat apps show it: "typing…", else "online" while the peer is (TimConversation:
 * peer-status) with their status if they set one, else nothing. */
static void
update_header (TimchatWindow *self)
{
  TimConversation *conversation = self->titled_conversation;
  const char *custom = tim_conversation_get_peer_custom_status (conversation);
  g_autofree char *online = NULL;

  adw_window_title_set_title (self->conversation_title, tim_conversation_get_name (conversation));
  if (tim_conversation_get_peer_typing (conversation))
    adw_window_title_set_subtitle (self->conversation_title, _ ("typing…"));
  else if (tim_conversation_get_peer_status (conversation) != TIM_USER_STATUS_ONLINE)
    adw_window_title_set_subtitle (self->conversation_title, "");
  else if (*custom == '\0')
    adw_window_title_set_subtitle (self->conversation_title, C_ ("peer status", "online"));
  else
    {
      /* Translators: under a person's name: they are online, and their status says %s. */
      online = g_strdup_printf (C_ ("peer status", "online · %s"), custom);
      adw_window_title_set_subtitle (self->conversation_title, online);
    }
}

/* The header follows conversation from now on. */
void
_timchat_window_follow_in_header (TimchatWindow *self, TimConversation *conversation)
{
  static const char *const shown[] = { "notify::name", "notify::peer-typing", "notify::peer-status",
                                       "notify::peer-custom-status" };

  clear_header (self);
  self->titled_conversation = g_object_ref (conversation);
  for (guint i = 0; i < G_N_ELEMENTS (shown); i++)
    g_signal_connect_swapped (conversation, shown[i], G_CALLBACK (update_header), self);
  update_header (self);
  gtk_widget_set_visible (GTK_WIDGET (self->conversation_menu_button), TRUE);
}

void
timchat_window_open_conversation (TimchatWindow *self, const char *conversation_id)
{
  TimConversation *conversation =
      tim_conversation_list_lookup (tim_client_get_conversations (self->client), conversation_id);
  const char *peer = NULL;

  tim_conv_parse_id (conversation_id, &peer);
  if (self->conversation_view == NULL)
    {
      self->conversation_view = timchat_conversation_view_new (self->client);
      gtk_stack_add_named (self->content_stack, self->conversation_view, "conversation");
    }
  timchat_conversation_view_set_conversation_id (
      TIMCHAT_CONVERSATION_VIEW (self->conversation_view), conversation_id);
  if (conversation != NULL)
    _timchat_window_follow_in_header (self, conversation);
  else
    {
      /* Not in the list until its first message: on_conversations_updated () follows it then. */
      clear_header (self);
      adw_window_title_set_title (self->conversation_title, peer);
    }
  self->open_is_listed = conversation != NULL;
  gtk_widget_set_visible (self->group_info_button,
                          tim_conv_parse_id (conversation_id, NULL) == TIM_CONV_GROUP);
  gtk_widget_set_visible (self->search_messages_button, TRUE);
  gtk_stack_set_visible_child_name (self->content_stack, "conversation");
  adw_leaflet_set_visible_child (self->leaflet, self->content);
  _timchat_window_select_open_conversation (self);
  timchat_conversation_view_focus_start (TIMCHAT_CONVERSATION_VIEW (self->conversation_view));
}

const char *
_timchat_window_get_open_id (TimchatWindow *self)
{
  return self->conversation_view != NULL ? timchat_conversation_view_get_conversation_id (
                                               TIMCHAT_CONVERSATION_VIEW (self->conversation_view))
                                         : NULL;
}

/* Not the client's user alone: after a refused first login it still names one while the window
 * shows the welcome page, where a conversation opened (Ctrl+N) would not be seen. */
gboolean
_timchat_window_is_chatting (TimchatWindow *self)
{
  return self->client != NULL && tim_client_get_user (self->client) != NULL &&
         g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "chat") == 0;
}

gboolean
timchat_window_is_chatting_as (TimchatWindow *self, const char *user)
{
  g_return_val_if_fail (TIMCHAT_IS_WINDOW (self), FALSE);

  return _timchat_window_is_chatting (self) &&
         g_strcmp0 (tim_client_get_user (self->client), user) == 0;
}

/* Back to "No Conversation Open", as after a start: the open conversation was deleted. */
void
timchat_window_close_conversation (TimchatWindow *self)
{
  clear_header (self);
  adw_window_title_set_title (self->conversation_title, "");
  gtk_widget_set_visible (self->group_info_button, FALSE);
  gtk_widget_set_visible (self->search_messages_button, FALSE);
  self->open_is_listed = FALSE;
  if (self->conversation_view != NULL)
    timchat_conversation_view_set_conversation_id (
        TIMCHAT_CONVERSATION_VIEW (self->conversation_view), NULL);
  gtk_stack_set_visible_child_name (self->content_stack, "none");
  adw_leaflet_set_visible_child (self->leaflet, self->sidebar);
  _timchat_window_select_open_conversation (self);
}

/* ---------------------------------------------------------------- object */

/* Whether window was opened over parent: transient for it, or for a window opened over it (a
 * question over the group dialog, a picture over a chat history's viewer). */
static gboolean
is_over (GtkWindow *window, GtkWindow *parent)
{
  for (GtkWindow *under = gtk_window_get_transient_for (window); under != NULL;
       under = gtk_window_get_transient_for (under))
    if (under == parent)
      return TRUE;
  return FALSE;
}

void
_timchat_window_close_windows_over (TimchatWindow *self)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  g_autoptr (GPtrArray) over = g_ptr_array_new ();

  /* Listed first, then closed: closing one unsets the transient parent of those over it (unless
   * they go with it), which would hide them from the walk up. */
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      GtkWindow *window = g_list_model_get_item (toplevels, i);

      if (is_over (window, GTK_WINDOW (self)))
        g_ptr_array_add (over, window);
      else
        g_object_unref (window);
    }
  /* The newest first: a question goes (and is let go of) before the dialog it was asked over,
   * which it still points to until then. One destroyed with its parent meanwhile is not
   * realized, and gtk_window_close () leaves it. */
  for (guint i = over->len; i > 0; i--)
    {
      gtk_window_close (over->pdata[i - 1]);
      g_object_unref (over->pdata[i - 1]);
    }
}

/* Logged in, a closed window may only hide (timchat_application_keeps_running ()): the client
 * stays connected, messages keep arriving and notifying (the window is not active, so nothing is
 * read), and launching TimChat or a notification presents it again as it was. Its dialogs and
 * viewers close, as they would with it. GtkApplication holds the application for every window
 * it has, shown or not, so the process stays. */
static gboolean
timchat_window_close_request (GtkWindow *window)
{
  TimchatWindow *self = TIMCHAT_WINDOW (window);
  GtkApplication *application = gtk_window_get_application (window);

  /* Logged out, or kicked out (the welcome page again): there is nothing to keep running for. */
  if (self->client == NULL ||
      g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "chat") != 0 ||
      !TIMCHAT_IS_APPLICATION (application) ||
      !timchat_application_keeps_running (TIMCHAT_APPLICATION (application)))
    return GTK_WINDOW_CLASS (timchat_window_parent_class)->close_request (window);
  _timchat_window_close_windows_over (self);
  gtk_widget_set_visible (GTK_WIDGET (window), FALSE);
  return TRUE;
}

static void
timchat_window_dispose (GObject *object)
{
  TimchatWindow *self = TIMCHAT_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  _timchat_window_stop_filling (self);
  clear_header (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), TIMCHAT_TYPE_WINDOW);
  self->welcome = NULL; /* the stack held it */
  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);
  g_clear_object (&self->shown);
  g_clear_object (&self->filtered);
  g_clear_object (&self->folder_filter);
  g_clear_handle_id (&self->folder_recount, g_source_remove);
  g_clear_object (&self->filter);
  g_clear_object (&self->notifier);
  g_clear_object (&self->badge);
  g_clear_object (&self->client);
  g_clear_object (&self->local_server);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (timchat_window_parent_class)->dispose (object);
}

static void
timchat_window_finalize (GObject *object)
{
  TimchatWindow *self = TIMCHAT_WINDOW (object);

  g_free (self->account);
  g_free (self->data_dir);
  G_OBJECT_CLASS (timchat_window_parent_class)->finalize (object);
}

static void
timchat_window_class_init (TimchatWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  timchat_ensure_resources ();

  object_class->dispose = timchat_window_dispose;
  object_class->finalize = timchat_window_finalize;
  GTK_WINDOW_CLASS (klass)->close_request = timchat_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/example/TimChat/timchat-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TimchatWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TimchatWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, TimchatWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, TimchatWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, TimchatWindow, content);
  gtk_widget_class_bind_template_child (widget_class, TimchatWindow, sidebar_title);
  gtk_widget_class_bind_template_child (widget_class, TimchatWindow, own_avatar);
  gtk_widget_class_bind_template_child (widget_class, TimchatWindow, conversation_title);
  gtk_widget_class_bind_template_child (widget_class, TimchatWindow, group_info_button);
  gtk_widget_class_bind_template_child (widget_class, TimchatWindow, search_messages_button);
  gtk_widget_class_bind_template_child (widget_class, TimchatWindow, conversation_menu_button);
  gtk_widget_class_bind_template_child (widget_class, TimchatWindow, network_revealer);
  gtk_widget_class_bind_template_child (widget_class, TimchatWindow, list_stack);
  gtk_widget_class_bind_template_child (widget_class, TimchatWindow, conversation_list);
  gtk_widget_class_bind_template_child (widget_class, TimchatWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, TimchatWindow, no_conversation_page);
  gtk_widget_class_bind_template_child (widget_class, TimchatWindow, primary_menu_button);
  gtk_widget_class_bind_template_child (widget_class, TimchatWindow, primary_menu);
  gtk_widget_class_bind_template_callback (widget_class, on_conversation_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_back_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_conversation_list_left);

  _timchat_window_install_actions (widget_class);
  _timchat_window_class_init_search (widget_class);
  _timchat_window_class_init_folders (widget_class);
}

/* The empty pane's words and icon come with the second frame: its big title font is ~5 ms of the
 * first frame (loading and shaping a face at that size), its SVG icon more (librsvg's first use,
 * and the icon theme told of our resource path), and the pane shows nothing anyone waits for. The
 * icon is symbolic, as on the other empty pages. */
static gboolean
name_empty_pane (GtkWidget *widget, GdkFrameClock *clock, gpointer user_data)
{
  gboolean *first_frame_done = user_data;

  if (!*first_frame_done)
    {
      *first_frame_done = TRUE;
      return G_SOURCE_CONTINUE;
    }
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (widget), timchat_ensure_app_symbolic_icon ());
  adw_status_page_set_title (ADW_STATUS_PAGE (widget), _ ("No Conversation Open"));
  adw_status_page_set_description (ADW_STATUS_PAGE (widget), _ ("Pick one on the left"));
  return G_SOURCE_REMOVE;
}

static void
timchat_window_init (TimchatWindow *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  _timchat_window_init_actions (self);
  _timchat_window_init_search (self);
  _timchat_window_init_folders (self);
  timchat_toast_overlay_name_buttons (self->toast_overlay);
  timchat_context_menu_bind_list_keys (self->conversation_list, "conversation-row.menu");
  gtk_menu_button_set_create_popup_func (self->conversation_menu_button, build_conversation_menu,
                                         self, NULL);
  gtk_widget_add_tick_callback (GTK_WIDGET (self->no_conversation_page), name_empty_pane,
                                g_new0 (gboolean, 1), g_free);
}

TimchatWindow *
timchat_window_new (AdwApplication *application, const char *account, const char *data_dir)
{
  TimchatWindow *self = g_object_new (TIMCHAT_TYPE_WINDOW, "application", application, NULL);
  g_autofree char *title = NULL;

  self->account = g_strdup (account != NULL ? account : "default");
  self->data_dir = g_strdup (data_dir);
  timchat_settings_track_window (GTK_WINDOW (self));
  if (account != NULL)
    {
      title = g_strdup_printf (_ ("TimChat — %s"), account);
      gtk_window_set_title (GTK_WINDOW (self), title);
    }
  _timchat_window_load_login (self);
  return self;
}
