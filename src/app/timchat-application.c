/* timchat-application.c: command line options, app actions, the window.
 *   timchat [--account NAME] [--data-dir DIR]
 *           [--local USER | --server URL --sdkappid N --user U --usersig SIG] */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <glib/gi18n.h>

#include "timchat-application.h"
#include "timchat-first-frame.h"
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
      (self->user != NULL) != (self->usersig != NULL))
    {
      g_printerr ("%s\n", _ ("--server, --sdkappid, --user and --usersig go together"));
      return 2;
    }
  return -1;
}

static void
timchat_application_activate (GApplication *application)
{
  TimchatApplication *self = TIMCHAT_APPLICATION (application);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (application));

  if (window == NULL)
    {
      TimchatWindow *main_window =
          timchat_window_new (ADW_APPLICATION (application), self->account, self->data_dir);

      timchat_first_frame_watch (GTK_WINDOW (main_window));
      if (self->server != NULL)
        timchat_window_login (main_window, self->server, (guint64) self->sdkappid, self->user,
                              self->usersig, FALSE);
      else if (self->local_user != NULL)
        timchat_window_start_local (main_window, self->local_user);
      window = GTK_WINDOW (main_window);
    }
  gtk_window_present (window);
}

static void
about (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  GtkApplication *application = GTK_APPLICATION (user_data);
  const char *developers[] = { "The TimChat developers", NULL };

  adw_show_about_window (gtk_application_get_active_window (application), "application-name",
                         _ ("TimChat"), "application-icon", "org.example.TimChat", "version",
                         PACKAGE_VERSION, "developers", developers, "license-type",
                         GTK_LICENSE_GPL_3_0, NULL);
}

/* A notification was clicked: bring the window up on that conversation. */
static void
open_conversation (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (user_data));

  if (window == NULL)
    {
      GList *windows = gtk_application_get_windows (GTK_APPLICATION (user_data));
      window = windows != NULL ? windows->data : NULL;
    }
  if (window == NULL)
    return;
  timchat_window_open_conversation (TIMCHAT_WINDOW (window),
                                    g_variant_get_string (parameter, NULL));
  gtk_window_present (window);
}

static void
quit (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
timchat_application_startup (GApplication *application)
{
  static const GActionEntry entries[] = {
    { "about", about },
    { "open-conversation", open_conversation, "s" },
    { "quit", quit },
  };
  const char *quit_accels[] = { "<Control>q", NULL };

  G_APPLICATION_CLASS (timchat_application_parent_class)->startup (application);
  g_action_map_add_action_entries (G_ACTION_MAP (application), entries, G_N_ELEMENTS (entries),
                                   application);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.quit", quit_accels);
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

static void
timchat_application_class_init (TimchatApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = timchat_application_finalize;
  app_class->handle_local_options = timchat_application_handle_local_options;
  app_class->activate = timchat_application_activate;
  app_class->startup = timchat_application_startup;
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
  /* Not unique: each account (--account) is its own instance with its own window. */
  return g_object_new (TIMCHAT_TYPE_APPLICATION, "application-id", "org.example.TimChat", "flags",
                       G_APPLICATION_NON_UNIQUE, "resource-base-path", "/org/example/TimChat",
                       NULL);
}
