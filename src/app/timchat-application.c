/* timchat-application.c: command line options, app actions, the window.
 *   timchat [--account NAME] [--data-dir DIR]
 *           [--local USER | --server URL --sdkappid N --user U --usersig SIG] */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <glib/gi18n.h>

#include "timchat-application.h"
#include "timchat-credentials.h"
#include "timchat-first-frame.h"
#include "timchat-notifier.h"
#include "timchat-resources.h"
#include "timchat-settings.h"
#include "timchat-window.h"

struct _TimchatApplication
{
  AdwApplication parent_instance;

  char *account;
  char *data_dir;
  char *local_user;
  char *server;
  char *user;
  char *usersig;
  gint64 sdkappid;
  gboolean quitting; /* app.quit: the windows close for good */
};

G_DEFINE_FINAL_TYPE (TimchatApplication, timchat_application, ADW_TYPE_APPLICATION)

static int
timchat_application_handle_local_options (GApplication *application, GVariantDict *options)
{
  TimchatApplication *self = TIMCHAT_APPLICATION (application);

  g_variant_dict_lookup (options, "account", "s", &self->account);
  g_variant_dict_lookup (options, "data-dir", "^ay", &self->data_dir);
  g_variant_dict_lookup (options, "local", "s", &self->local_user);
  g_variant_dict_lookup (options, "server", "s", &self->server);
  g_variant_dict_lookup (options, "user", "s", &self->user);
  g_variant_dict_lookup (options, "usersig", "s", &self->usersig);
  g_variant_dict_lookup (options, "sdkappid", "x", &self->sdkappid);
  if ((self->server != NULL) != (self->user != NULL) ||
      (self->user != NULL) != (self->usersig != NULL) ||
      (self->server != NULL) != (self->sdkappid > 0))
    {
      g_printerr ("%s\n", _ ("--server, --sdkappid, --user and --usersig go together"));
      return 2;
    }
  /* The default account has one instance: launching TimChat again brings its window back (from
   * the background too). Another account (a second window to chat with) is an instance of its
   * own, and so is every launch of it. */
  if (self->account != NULL)
    g_application_set_flags (application,
                             g_application_get_flags (application) | G_APPLICATION_NON_UNIQUE);
  return -1;
}

static void
timchat_application_activate (GApplication *application)
{
  TimchatApplication *self = TIMCHAT_APPLICATION (application);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (application));

  if (window == NULL)
    {
      TimchatWindow *main_window;

      timchat_first_frame_mark ("activate");
      main_window =
          timchat_window_new (ADW_APPLICATION (application), self->account, self->data_dir);
      timchat_first_frame_mark ("window-built");

      timchat_first_frame_watch (GTK_WINDOW (main_window));
      if (self->server != NULL)
        timchat_window_login (main_window, self->server, (guint64) self->sdkappid, self->user,
                              self->usersig, FALSE);
      else if (self->local_user != NULL)
        timchat_window_start_local (main_window, self->local_user);
      timchat_first_frame_mark ("login-started");
      window = GTK_WINDOW (main_window);
    }
  gtk_window_present (window);
  timchat_first_frame_mark ("presented");
}

static void
about (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  GtkApplication *application = GTK_APPLICATION (user_data);
  const char *developers[] = { "The TimChat developers", NULL };

  timchat_ensure_app_icon_in_theme ();
  adw_show_about_window (gtk_application_get_active_window (application), "application-name",
                         _ ("TimChat"), "application-icon", "org.example.TimChat", "version",
                         PACKAGE_VERSION, "developers", developers, "license-type",
                         GTK_LICENSE_GPL_3_0, NULL);
}

/* The window a notification is about (shown or in the background): the one logged in to the
 * account it was sent to, or none. After that account logged out, or another logged in, the
 * daemon may still offer the notification (a withdrawal can fail, a history keeps it), and its
 * conversation ID names another person's conversation in the account of now: "C2Cbob" is the new
 * account's conversation with bob. Such a notification has nothing left to do, and goes. */
static TimchatWindow *
notified_window (GtkApplication *application, GVariant *target)
{
  const char *user = NULL, *conversation_id = NULL;
  g_autofree char *id = NULL;

  g_variant_get (target, "(&s&s)", &user, &conversation_id);
  for (GList *l = gtk_application_get_windows (application); l != NULL; l = l->next)
    if (TIMCHAT_IS_WINDOW (l->data) && timchat_window_is_chatting_as (l->data, user))
      return l->data;
  id = timchat_notifier_dup_id (user, conversation_id);
  g_application_withdraw_notification (G_APPLICATION (application), id);
  return NULL;
}

/* A notification was clicked: bring the window up on that conversation. One of an account not
 * logged in now brings the window up as it is, as a click on any of ours would. */
static void
open_conversation (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  GtkApplication *application = GTK_APPLICATION (user_data);
  TimchatWindow *window = notified_window (application, parameter);
  GList *windows = gtk_application_get_windows (application);
  const char *conversation_id = NULL;

  if (window != NULL)
    {
      g_variant_get_child (parameter, 1, "&s", &conversation_id);
      timchat_window_open_conversation (window, conversation_id);
      gtk_window_present (GTK_WINDOW (window));
    }
  else if (windows != NULL)
    gtk_window_present (windows->data);
}

/* A notification's "Mark as Read": the conversation is read, and the window stays where it is
 * (in the background too). */
static void
mark_read (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  TimchatWindow *window = notified_window (GTK_APPLICATION (user_data), parameter);
  const char *conversation_id = NULL;

  if (window == NULL)
    return;
  g_variant_get_child (parameter, 1, "&s", &conversation_id);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.mark-conversation-read", "s",
                              conversation_id);
}

/* Ctrl+Q closes the windows first, as their close buttons would (they keep their size then),
 * and for good: not into the background. */
static void
quit (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  GList *windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (user_data)));

  TIMCHAT_APPLICATION (user_data)->quitting = TRUE;
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
  g_list_free (windows);
  g_application_quit (G_APPLICATION (user_data));
}

/* Set by timchat_application_new, while the process has one thread: setenv is not thread-safe. */
static gboolean gtk_theme_set_by_us;

/* GTK and libadwaita as AdwApplication's start-up would bring them up, minus two costs of the
 * order it does it in (measured in docs/performance.md, "First frame"):
 * - GTK's settings load GTK's own theme when they are created, then libadwaita replaces it with
 *   its stylesheet and the empty theme it ships: ~15 ms parsing a stylesheet nobody uses.
 *   Creating the settings with GTK_THEME=Adwaita-empty skips it; the variable is gone before
 *   libadwaita looks at it (and a GTK_THEME set by the user is left alone).
 * - GTK loads the icon theme in a thread from the moment it is first asked for, and every
 *   resource path added to it afterwards throws that load away (and waits for it to finish
 *   first): the first frame's icons then load the theme again on the main thread. libadwaita
 *   adds its path right after asking; GtkApplication adds one whenever the application has a
 *   resource base path, so ours has none (timchat_application_new). A change notification of
 *   the theme name queues another threaded load, in case the first one was thrown away anyway. */
static void
init_toolkit (void)
{
  if (gtk_theme_set_by_us)
    {
      gtk_init ();
      gtk_settings_get_default ();
      g_unsetenv ("GTK_THEME");
      gtk_theme_set_by_us = FALSE;
    }
  adw_init ();
  g_object_notify (G_OBJECT (gtk_settings_get_default ()), "gtk-icon-theme-name");
}

static void
load_stylesheet (void)
{
  g_autoptr (GtkCssProvider) provider = gtk_css_provider_new ();

  timchat_ensure_resources ();
  gtk_css_provider_load_from_resource (provider, "/org/example/TimChat/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

static void
timchat_application_startup (GApplication *application)
{
  static const GActionEntry entries[] = {
    { "about", about },
    /* A notification's: "(ss)", timchat_notifier_target_new (). */
    { "open-conversation", open_conversation, "(ss)" },
    { "mark-read", mark_read, "(ss)" },
    { "quit", quit },
  };
  const char *quit_accels[] = { "<Control>q", NULL };
  const char *close_accels[] = { "<Control>w", NULL };

  timchat_first_frame_mark ("startup");
  init_toolkit ();
  G_APPLICATION_CLASS (timchat_application_parent_class)->startup (application);
  load_stylesheet ();
  timchat_first_frame_mark ("libadwaita-ready");
  g_action_map_add_action_entries (G_ACTION_MAP (application), entries, G_N_ELEMENTS (entries),
                                   application);
  /* The main menu's check items: "Enter Sends Messages" (off: Ctrl+Enter sends) and "Run in
   * Background". */
  if (timchat_settings_get () != NULL)
    {
      g_autoptr (GAction) enter_sends =
          g_settings_create_action (timchat_settings_get (), "enter-sends");
      g_autoptr (GAction) background =
          g_settings_create_action (timchat_settings_get (), "run-in-background");

      g_action_map_add_action (G_ACTION_MAP (application), enter_sends);
      g_action_map_add_action (G_ACTION_MAP (application), background);
    }
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.quit", quit_accels);
  /* GtkWindow's own action: closing (into the background, when set) as the close button does. */
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "window.close",
                                         close_accels);
}

static void
timchat_application_finalize (GObject *object)
{
  TimchatApplication *self = TIMCHAT_APPLICATION (object);

  g_free (self->account);
  g_free (self->data_dir);
  g_free (self->local_user);
  g_free (self->server);
  g_free (self->user);
  g_free (self->usersig);
  G_OBJECT_CLASS (timchat_application_parent_class)->finalize (object);
}

/* The windows are gone; what they asked of the keyring is not done yet, maybe: a Log Out just
 * before Quit would leave the secret there, and the next start would log in by itself. */
static void
timchat_application_shutdown (GApplication *application)
{
  G_APPLICATION_CLASS (timchat_application_parent_class)->shutdown (application);
  /* Bounded: a keyring that never answers does not keep a quit app running. */
  if (!timchat_credentials_wait_queue (10000))
    g_warning ("The keyring did not answer in 10 s: a login remembered or forgotten just now may "
               "not be");
}

static void
timchat_application_class_init (TimchatApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = timchat_application_finalize;
  app_class->handle_local_options = timchat_application_handle_local_options;
  app_class->activate = timchat_application_activate;
  app_class->startup = timchat_application_startup;
  app_class->shutdown = timchat_application_shutdown;
}

static void
timchat_application_init (TimchatApplication *self)
{
  static const GOptionEntry options[] = {
    { "account", 'a', 0, G_OPTION_ARG_STRING, NULL,
      N_ ("Use another local account (a second window to chat with)"), N_ ("NAME") },
    { "data-dir", 0, 0, G_OPTION_ARG_FILENAME, NULL, N_ ("Where to keep the message cache"),
      N_ ("DIR") },
    { "local", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_ ("Start a server on this computer and log in as USER"), N_ ("USER") },
    { "server", 0, 0, G_OPTION_ARG_STRING, NULL, N_ ("Server address (ws://host:port)"),
      N_ ("URL") },
    { "sdkappid", 0, 0, G_OPTION_ARG_INT64, NULL, N_ ("The server's SDKAppID"), N_ ("N") },
    { "user", 0, 0, G_OPTION_ARG_STRING, NULL, N_ ("User ID"), N_ ("USER") },
    { "usersig", 0, 0, G_OPTION_ARG_STRING, NULL, N_ ("UserSig for the user ID"), N_ ("SIG") },
    { NULL },
  };

  g_application_add_main_option_entries (G_APPLICATION (self), options);
}

TimchatApplication *
timchat_application_new (void)
{
  TimchatApplication *self;

  /* The empty theme for GTK's settings (init_toolkit), set here while no other thread runs. */
  if (!gtk_is_initialized () && g_getenv ("GTK_THEME") == NULL)
    gtk_theme_set_by_us = g_setenv ("GTK_THEME", "Adwaita-empty", TRUE);
  /* Unique, but for another account (timchat_application_handle_local_options ()). */
  self = g_object_new (TIMCHAT_TYPE_APPLICATION, "application-id", "org.example.TimChat", "flags",
                       G_APPLICATION_DEFAULT_FLAGS, NULL);

  /* No automatic resources: GtkApplication would add an icons/ folder to the icon theme (see
   * init_toolkit); our one stylesheet is loaded in startup. */
  g_application_set_resource_base_path (G_APPLICATION (self), NULL);
  return self;
}

gboolean
timchat_application_keeps_running (TimchatApplication *self)
{
  GApplication *application = G_APPLICATION (self);
  GSettings *settings = timchat_settings_get ();

  g_return_val_if_fail (TIMCHAT_IS_APPLICATION (self), FALSE);

  return settings != NULL && g_settings_get_boolean (settings, "run-in-background") &&
         !self->quitting && g_application_get_is_registered (application) &&
         !g_application_get_is_remote (application) &&
         !(g_application_get_flags (application) & G_APPLICATION_NON_UNIQUE);
}
