/* timchat-window.c: the main window. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <glib/gi18n.h>

#include "tim-error.h"
#include "timchat-conversation-row.h"
#include "timchat-conversation-view.h"
#include "timchat-credentials.h"
#include "timchat-local-server.h"
#include "timchat-notifier.h"
#include "timchat-resources.h"
#include "timchat-settings.h"
#include "timchat-shortcuts.h"
#include "timchat-welcome.h"
#include "timchat-window.h"

struct _TimchatWindow
{
  AdwApplicationWindow parent_instance;

  AdwToastOverlay *toast_overlay;
  GtkStack *main_stack;
  TimchatWelcome *welcome; /* made when first shown: NULL until then */
  AdwLeaflet *leaflet;
  GtkWidget *sidebar;
  GtkWidget *content;
  AdwWindowTitle *sidebar_title;
  AdwWindowTitle *conversation_title;
  GtkRevealer *network_revealer;
  GtkSearchEntry *search_entry;
  GtkStack *list_stack;
  GtkListView *conversation_list;
  GtkStack *content_stack;
  AdwStatusPage *no_conversation_page;
  GtkMenuButton *primary_menu_button;
  GMenuModel *primary_menu;

  char *account;
  char *data_dir;
  TimClient *client;
  TimchatLocalServer *local_server;
  TimchatNotifier *notifier;
  GtkWidget *conversation_view;
  GtkStringFilter *filter;
  GtkFilterListModel *filtered;
  GtkSliceListModel *shown; /* the first rows of filtered while the list fills in */
  guint fill_tick;
  guint fill_frames;
  GCancellable *cancellable;
  gboolean remember;
};

G_DEFINE_FINAL_TYPE (TimchatWindow, timchat_window, ADW_TYPE_APPLICATION_WINDOW)

static void show_welcome (TimchatWindow *self);
static void set_welcome_busy (TimchatWindow *self, gboolean busy);

/* ---------------------------------------------------------------- errors */

void
timchat_window_show_toast (TimchatWindow *self, const char *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

void
timchat_window_show_error (TimchatWindow *self, const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* Our own words for TIM codes; the server's ErrorInfo is for logs. */
  if (error->domain == TIM_ERROR &&
      g_strcmp0 (tim_error_text (error->code), _ ("Unknown error")) != 0)
    {
      g_autofree char *text =
          g_strdup_printf ("%s (%d)", tim_error_text (error->code), error->code);
      g_debug ("%s", error->message);
      timchat_window_show_toast (self, text);
    }
  else
    timchat_window_show_toast (self, error->message);
}

/* ---------------------------------------------------------------- conversation list */

static void
setup_row (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  gtk_list_item_set_child (item, timchat_conversation_row_new ());
}

static void
bind_row (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  TimchatWindow *self = TIMCHAT_WINDOW (user_data);

  timchat_conversation_row_set_conversation (
      TIMCHAT_CONVERSATION_ROW (gtk_list_item_get_child (item)), gtk_list_item_get_item (item),
      tim_client_get_user (self->client));
}

static void
unbind_row (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  timchat_conversation_row_set_conversation (
      TIMCHAT_CONVERSATION_ROW (gtk_list_item_get_child (item)), NULL, NULL);
}

static void
update_list_page (TimchatWindow *self)
{
  gboolean empty = g_list_model_get_n_items (G_LIST_MODEL (self->filtered)) == 0 &&
                   gtk_editable_get_text (GTK_EDITABLE (self->search_entry))[0] == '\0';

  gtk_stack_set_visible_child_name (self->list_stack, empty ? "empty" : "list");
}

static void
on_search_changed (TimchatWindow *self)
{
  gtk_string_filter_set_search (self->filter,
                                gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

static void
on_conversation_activated (TimchatWindow *self, guint position)
{
  g_autoptr (TimConversation) conversation =
      g_list_model_get_item (G_LIST_MODEL (self->filtered), position);

  if (conversation != NULL)
    timchat_window_open_conversation (self, tim_conversation_get_id (conversation));
}

static void
on_back_clicked (TimchatWindow *self)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
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
  adw_window_title_set_title (self->conversation_title,
                              conversation != NULL ? tim_conversation_get_name (conversation)
                                                   : peer);
  gtk_stack_set_visible_child_name (self->content_stack, "conversation");
  adw_leaflet_set_visible_child (self->leaflet, self->content);
}

/* ---------------------------------------------------------------- client */

static void
on_net_state (TimClient *client, TimNetState state, TimchatWindow *self)
{
  /* Honest, not spinning: while we wait we say so. */
  gtk_revealer_set_reveal_child (self->network_revealer, tim_client_get_user (client) != NULL &&
                                                             state != TIM_NET_STATE_CONNECTED);
}

static void
on_client_error (TimClient *client, GError *error, TimchatWindow *self)
{
  timchat_window_show_error (self, error);
}

static void
on_kicked_out (TimClient *client, const char *type, TimchatWindow *self)
{
  timchat_window_show_toast (self, g_str_equal (type, "userSigExpired")
                                       ? _ ("Your login expired; please log in again")
                                       : _ ("You were logged out by the server"));
  show_welcome (self);
}

static void
on_items_changed (GListModel *model, guint position, guint removed, guint added,
                  TimchatWindow *self)
{
  update_list_page (self);
}

/* GtkListView (4.8) makes a row widget for each of the first 200 items at once: for a long
 * conversation list that was most of the time before the first frame. The first frame gets a
 * screenful (rows are at least ROW_MIN_HEIGHT high, under ~LIST_TOP of header bar and search
 * entry); the rest comes FILL_STEP rows per frame after it. */
#define ROW_MIN_HEIGHT 52
#define LIST_TOP 90
#define FILL_STEP 24

static guint
screenful_of_rows (TimchatWindow *self)
{
  int width = 0, height = 0;

  /* Both out arguments: GTK 4.8 writes the width without checking. */
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  return MAX (height, 480) > LIST_TOP ? (MAX (height, 480) - LIST_TOP) / ROW_MIN_HEIGHT + 1 : 8;
}

static gboolean
fill_list (GtkWidget *widget, GdkFrameClock *clock, gpointer user_data)
{
  TimchatWindow *self = user_data;
  guint size = gtk_slice_list_model_get_size (self->shown);

  if (self->fill_frames++ == 0)
    return G_SOURCE_CONTINUE; /* this is the first frame: not yet */
  if (size < g_list_model_get_n_items (G_LIST_MODEL (self->filtered)))
    {
      gtk_slice_list_model_set_size (self->shown, size + FILL_STEP);
      return G_SOURCE_CONTINUE;
    }
  gtk_slice_list_model_set_size (self->shown, G_MAXUINT);
  self->fill_tick = 0;
  return G_SOURCE_REMOVE;
}

static void
stop_filling (TimchatWindow *self)
{
  if (self->fill_tick != 0 && self->conversation_list != NULL)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self->conversation_list), self->fill_tick);
  self->fill_tick = 0;
}

static void
attach_client (TimchatWindow *self, const char *server_url, guint64 sdkappid)
{
  g_autoptr (GtkSelectionModel) selection = NULL;
  GtkListItemFactory *factory;
  GtkExpression *name;

  if (self->client != NULL)
    {
      tim_client_logout (self->client);
      g_signal_handlers_disconnect_by_data (self->client, self);
      g_clear_object (&self->client);
    }
  self->client = tim_client_new (server_url, sdkappid, self->data_dir);
  g_clear_object (&self->notifier);
  self->notifier = timchat_notifier_new (GTK_WINDOW (self), self->client);
  g_signal_connect_object (self->client, "net-state-changed", G_CALLBACK (on_net_state), self, 0);
  g_signal_connect_object (self->client, "error", G_CALLBACK (on_client_error), self, 0);
  g_signal_connect_object (self->client, "kicked-out", G_CALLBACK (on_kicked_out), self, 0);

  /* A second login (after a log out) replaces the previous client's list models. */
  g_clear_object (&self->filtered);
  g_clear_object (&self->filter);
  name = gtk_property_expression_new (TIM_TYPE_CONVERSATION, NULL, "name");
  self->filter = gtk_string_filter_new (name);
  self->filtered = gtk_filter_list_model_new (
      g_object_ref (G_LIST_MODEL (tim_client_get_conversations (self->client))),
      GTK_FILTER (g_object_ref (self->filter)));
  g_signal_connect_object (self->filtered, "items-changed", G_CALLBACK (on_items_changed), self, 0);
  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect_object (factory, "setup", G_CALLBACK (setup_row), self, 0);
  g_signal_connect_object (factory, "bind", G_CALLBACK (bind_row), self, 0);
  g_signal_connect_object (factory, "unbind", G_CALLBACK (unbind_row), self, 0);
  gtk_list_view_set_factory (self->conversation_list, factory);
  g_object_unref (factory);
  stop_filling (self);
  g_clear_object (&self->shown);
  self->shown = gtk_slice_list_model_new (G_LIST_MODEL (g_object_ref (self->filtered)), 0,
                                          screenful_of_rows (self));
  self->fill_frames = 0;
  self->fill_tick =
      gtk_widget_add_tick_callback (GTK_WIDGET (self->conversation_list), fill_list, self, NULL);
  selection =
      GTK_SELECTION_MODEL (gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->shown))));
  /* The list view takes its own reference: ours goes with this function. */
  gtk_list_view_set_model (self->conversation_list, selection);
  update_list_page (self);
}

typedef struct
{
  char *server_url;
  guint64 sdkappid;
  char *user;
  char *usersig;
  gboolean local;
} LoginData;

static void
login_data_free (LoginData *data)
{
  g_free (data->server_url);
  g_free (data->user);
  g_free (data->usersig);
  g_free (data);
}

static void
on_logged_in (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  TimchatWindow *self = g_task_get_source_object (task);
  LoginData *data = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;

  set_welcome_busy (self, FALSE);
  if (!tim_client_login_finish (TIM_CLIENT (source), result, &error))
    {
      timchat_window_show_error (self, error);
      show_welcome (self);
      return;
    }
  if (self->remember)
    {
      TimchatCredentials credentials = { data->server_url, data->sdkappid, data->user,
                                         data->usersig, data->local };

      if (!timchat_credentials_store (self->account, &credentials, NULL, &error))
        timchat_window_show_error (self, error);
    }
}

void
timchat_window_login (TimchatWindow *self, const char *server_url, guint64 sdkappid,
                      const char *user, const char *usersig, gboolean remember)
{
  GTask *task = g_task_new (self, self->cancellable, NULL, NULL);
  LoginData *data = g_new0 (LoginData, 1);

  data->server_url = g_strdup (server_url);
  data->sdkappid = sdkappid;
  data->user = g_strdup (user);
  data->usersig = g_strdup (usersig);
  data->local = self->local_server != NULL;
  g_task_set_task_data (task, data, (GDestroyNotify) login_data_free);
  self->remember = remember;
  attach_client (self, server_url, sdkappid);
  adw_window_title_set_subtitle (self->sidebar_title, user);
  /* The cached conversation list shows at once; the network catches up. */
  gtk_stack_set_visible_child_name (self->main_stack, "chat");
  set_welcome_busy (self, TRUE);
  tim_client_login_async (self->client, user, usersig, self->cancellable, on_logged_in, task);
}

static void
on_login_requested (TimchatWindow *self, const char *server, const char *sdkappid, const char *user,
                    const char *usersig)
{
  timchat_window_login (self, server, g_ascii_strtoull (sdkappid, NULL, 10), user, usersig, TRUE);
}

static void
on_local_started (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  TimchatWindow *self = g_task_get_source_object (task);
  const char *user = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autofree char *usersig = NULL;

  if (!timchat_local_server_start_finish (TIMCHAT_LOCAL_SERVER (source), result, &error) ||
      (usersig = timchat_local_server_make_usersig (self->local_server, user, &error)) == NULL)
    {
      set_welcome_busy (self, FALSE);
      timchat_window_show_error (self, error);
      return;
    }
  timchat_window_login (self, timchat_local_server_get_url (self->local_server),
                        timchat_local_server_get_sdkappid (self->local_server), user, usersig,
                        TRUE);
}

void
timchat_window_start_local (TimchatWindow *self, const char *user)
{
  GTask *task = g_task_new (self, self->cancellable, NULL, NULL);

  g_task_set_task_data (task, g_strdup (user), g_free);
  if (self->local_server == NULL)
    self->local_server = timchat_local_server_new (g_getenv ("TIMCHAT_LOCAL_SERVER_DIR"));
  set_welcome_busy (self, TRUE);
  timchat_local_server_start_async (self->local_server, self->cancellable, on_local_started, task);
}

static void
on_local_requested (TimchatWindow *self, const char *user)
{
  timchat_window_start_local (self, user);
}

/* The welcome page is made the first time it is shown: a start with a stored login never shows
 * it, and its template is ~7 ms of the first frame. Until a login or the keyring decides, the
 * window shows the empty "starting" page rather than flashing the welcome form. */
static void
show_welcome (TimchatWindow *self)
{
  if (self->welcome == NULL)
    {
      self->welcome = g_object_new (TIMCHAT_TYPE_WELCOME, NULL);
      g_signal_connect_swapped (self->welcome, "login-requested", G_CALLBACK (on_login_requested),
                                self);
      g_signal_connect_swapped (self->welcome, "local-requested", G_CALLBACK (on_local_requested),
                                self);
      gtk_stack_add_named (self->main_stack, GTK_WIDGET (self->welcome), "welcome");
    }
  gtk_stack_set_visible_child_name (self->main_stack, "welcome");
}

static void
set_welcome_busy (TimchatWindow *self, gboolean busy)
{
  if (self->welcome != NULL)
    timchat_welcome_set_busy (self->welcome, busy);
}

TimClient *
timchat_window_get_client (TimchatWindow *self)
{
  return self->client;
}

/* ---------------------------------------------------------------- actions */

static void
on_new_conversation_response (AdwMessageDialog *dialog, const char *response, TimchatWindow *self)
{
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "entry");
  const char *user = gtk_editable_get_text (entry);
  g_autofree char *conversation_id = NULL;

  if (!g_str_equal (response, "open"))
    return;
  if (!tim_user_id_is_valid (user))
    {
      timchat_window_show_toast (self, _ ("That is not a valid user ID"));
      return;
    }
  conversation_id = tim_conv_make_id (TIM_CONV_C2C, user);
  timchat_window_open_conversation (self, conversation_id);
}

static void
focus_search (GtkWidget *widget, const char *action, GVariant *parameter)
{
  TimchatWindow *self = TIMCHAT_WINDOW (widget);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "chat") != 0)
    return;
  adw_leaflet_set_visible_child (self->leaflet, self->sidebar);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
show_shortcuts (GtkWidget *widget, const char *action, GVariant *parameter)
{
  timchat_shortcuts_show (GTK_WINDOW (widget));
}

/* The main menu's popover is made on its first opening, not with the window. */
static void
create_primary_menu (GtkMenuButton *button, gpointer user_data)
{
  TimchatWindow *self = user_data;

  if (gtk_menu_button_get_menu_model (button) == NULL)
    gtk_menu_button_set_menu_model (button, self->primary_menu);
}

static void
new_conversation (GtkWidget *widget, const char *action, GVariant *parameter)
{
  TimchatWindow *self = TIMCHAT_WINDOW (widget);
  GtkWidget *dialog;
  GtkWidget *entry;

  if (self->client == NULL || tim_client_get_user (self->client) == NULL)
    return;
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _ ("New Conversation"),
                                   _ ("Who do you want to write to?"));
  entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _ ("User ID"));
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _ ("_Cancel"), "open",
                                    _ ("_Open"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "open",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "open");
  g_object_set_data (G_OBJECT (dialog), "entry", entry);
  g_signal_connect (dialog, "response", G_CALLBACK (on_new_conversation_response), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_group_created (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TimchatWindow) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *group_id = tim_client_create_group_finish (TIM_CLIENT (source), result, &error);
  g_autofree char *conversation_id = NULL;

  if (group_id == NULL)
    {
      timchat_window_show_error (self, error);
      return;
    }
  conversation_id = tim_conv_make_id (TIM_CONV_GROUP, group_id);
  timchat_window_open_conversation (self, conversation_id);
}

static void
on_new_group_response (AdwMessageDialog *dialog, const char *response, TimchatWindow *self)
{
  const char *name = gtk_editable_get_text (g_object_get_data (G_OBJECT (dialog), "name"));
  const char *members = gtk_editable_get_text (g_object_get_data (G_OBJECT (dialog), "members"));
  /* Commas of any script separate members: "，" and "、" are what Chinese keyboards type. */
  g_autoptr (GString) normalized = g_string_new (members);
  g_auto (GStrv) list = NULL;
  g_autoptr (GPtrArray) valid = g_ptr_array_new ();

  if (!g_str_equal (response, "create"))
    return;
  g_string_replace (normalized, "，", ",", 0);
  g_string_replace (normalized, "、", ",", 0);
  list = g_strsplit_set (normalized->str, ", ;", -1);
  for (guint i = 0; list[i] != NULL; i++)
    if (*list[i] != '\0')
      g_ptr_array_add (valid, list[i]);
  g_ptr_array_add (valid, NULL);
  tim_client_create_group_async (self->client, *name != '\0' ? name : _ ("New group"), "Private",
                                 (const char *const *) valid->pdata, self->cancellable,
                                 on_group_created, g_object_ref (self));
}

static void
new_group (GtkWidget *widget, const char *action, GVariant *parameter)
{
  TimchatWindow *self = TIMCHAT_WINDOW (widget);
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), _ ("New Group"), NULL);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *name = gtk_entry_new ();
  GtkWidget *members = gtk_entry_new ();

  if (self->client == NULL || tim_client_get_user (self->client) == NULL)
    return;
  gtk_entry_set_placeholder_text (GTK_ENTRY (name), _ ("Group name"));
  gtk_entry_set_placeholder_text (GTK_ENTRY (members),
                                  _ ("Members: user IDs, separated by commas"));
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), members);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _ ("_Cancel"), "create",
                                    _ ("C_reate"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "create",
                                              ADW_RESPONSE_SUGGESTED);
  g_object_set_data (G_OBJECT (dialog), "name", name);
  g_object_set_data (G_OBJECT (dialog), "members", members);
  g_signal_connect (dialog, "response", G_CALLBACK (on_new_group_response), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
log_out (GtkWidget *widget, const char *action, GVariant *parameter)
{
  TimchatWindow *self = TIMCHAT_WINDOW (widget);

  /* Log out forgets the secret: the next start asks again. */
  timchat_credentials_forget (self->account, NULL, NULL);
  if (self->client != NULL)
    tim_client_logout (self->client);
  gtk_stack_set_visible_child_name (self->content_stack, "none");
  show_welcome (self);
}

/* ---------------------------------------------------------------- object */

static void
timchat_window_dispose (GObject *object)
{
  TimchatWindow *self = TIMCHAT_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  stop_filling (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), TIMCHAT_TYPE_WINDOW);
  self->welcome = NULL; /* the stack held it */
  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);
  g_clear_object (&self->shown);
  g_clear_object (&self->filtered);
  g_clear_object (&self->filter);
  g_clear_object (&self->notifier);
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

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/example/TimChat/timchat-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TimchatWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TimchatWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, TimchatWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, TimchatWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, TimchatWindow, content);
  gtk_widget_class_bind_template_child (widget_class, TimchatWindow, sidebar_title);
  gtk_widget_class_bind_template_child (widget_class, TimchatWindow, conversation_title);
  gtk_widget_class_bind_template_child (widget_class, TimchatWindow, network_revealer);
  gtk_widget_class_bind_template_child (widget_class, TimchatWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, TimchatWindow, list_stack);
  gtk_widget_class_bind_template_child (widget_class, TimchatWindow, conversation_list);
  gtk_widget_class_bind_template_child (widget_class, TimchatWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, TimchatWindow, no_conversation_page);
  gtk_widget_class_bind_template_child (widget_class, TimchatWindow, primary_menu_button);
  gtk_widget_class_bind_template_child (widget_class, TimchatWindow, primary_menu);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_conversation_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_back_clicked);

  gtk_widget_class_install_action (widget_class, "win.new-conversation", NULL, new_conversation);
  gtk_widget_class_install_action (widget_class, "win.new-group", NULL, new_group);
  gtk_widget_class_install_action (widget_class, "win.log-out", NULL, log_out);
  gtk_widget_class_install_action (widget_class, "win.focus-search", NULL, focus_search);
  gtk_widget_class_install_action (widget_class, "win.show-help-overlay", NULL, show_shortcuts);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "win.new-conversation", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "win.focus-search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_question, GDK_CONTROL_MASK,
                                       "win.show-help-overlay", NULL);
}

/* The empty pane's words come with the second frame: its big title font is ~5 ms of the first
 * frame (loading and shaping a face at that size), and the pane shows nothing anyone waits for. */
static gboolean
name_empty_pane (GtkWidget *widget, GdkFrameClock *clock, gpointer user_data)
{
  gboolean *first_frame_done = user_data;

  if (!*first_frame_done)
    {
      *first_frame_done = TRUE;
      return G_SOURCE_CONTINUE;
    }
  adw_status_page_set_title (ADW_STATUS_PAGE (widget), _ ("No Conversation Open"));
  adw_status_page_set_description (ADW_STATUS_PAGE (widget), _ ("Pick one on the left"));
  return G_SOURCE_REMOVE;
}

static void
timchat_window_init (TimchatWindow *self)
{
  g_autoptr (GdkPaintable) icon = NULL;

  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  icon = timchat_app_icon_new (gtk_widget_get_scale_factor (GTK_WIDGET (self)));
  adw_status_page_set_paintable (self->no_conversation_page, icon);
  gtk_menu_button_set_create_popup_func (self->primary_menu_button, create_primary_menu, self,
                                         NULL);
  gtk_widget_add_tick_callback (GTK_WIDGET (self->no_conversation_page), name_empty_pane,
                                g_new0 (gboolean, 1), g_free);
}

static void
on_credentials_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TimchatWindow) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (TimchatCredentials) credentials = timchat_credentials_load_finish (result, &error);

  /* Cancelled: the window closed before the keyring answered. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->cancellable == NULL)
    return;
  if (error != NULL)
    g_message ("No keyring: %s", error->message);
  /* A login given on the command line (or a test) went first: it wins. */
  if (self->client != NULL || self->local_server != NULL)
    return;
  if (credentials == NULL)
    {
      show_welcome (self);
      return;
    }
  if (credentials->local)
    timchat_window_start_local (self, credentials->user);
  else
    timchat_window_login (self, credentials->server_url, credentials->sdkappid, credentials->user,
                          credentials->usersig, FALSE);
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
  /* A stored login logs in by itself; otherwise the welcome page asks. The keyring answers in
   * a worker thread, so the first frame does not wait for it. */
  timchat_credentials_load_async (self->account, self->cancellable, on_credentials_loaded,
                                  g_object_ref (self));
  return self;
}
