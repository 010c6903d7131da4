/* timchat-welcome.c: the first-run page. It only collects and checks input; the window logs in. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "tim-conv.h"
#include "timchat-resources.h"
#include "timchat-welcome.h"

struct _TimchatWelcome
{
  GtkWidget parent_instance;

  AdwEntryRow *local_user_row;
  GtkButton *local_button;
  AdwEntryRow *server_row;
  AdwEntryRow *sdkappid_row;
  AdwEntryRow *user_row;
  AdwPasswordEntryRow *usersig_row;
  GtkButton *login_button;
};

G_DEFINE_FINAL_TYPE (TimchatWelcome, timchat_welcome, GTK_TYPE_WIDGET)

enum
{
  SIGNAL_LOGIN_REQUESTED,
  SIGNAL_LOCAL_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
mark (GtkWidget *row, gboolean valid)
{
  if (valid)
    gtk_widget_remove_css_class (row, "error");
  else
    gtk_widget_add_css_class (row, "error");
}

static void
on_local_clicked (TimchatWelcome *self)
{
  const char *user = gtk_editable_get_text (GTK_EDITABLE (self->local_user_row));
  gboolean valid = tim_user_id_is_valid (user);

  mark (GTK_WIDGET (self->local_user_row), valid);
  if (valid)
    g_signal_emit (self, signals[SIGNAL_LOCAL_REQUESTED], 0, user);
}

static void
on_login_clicked (TimchatWelcome *self)
{
  const char *server = gtk_editable_get_text (GTK_EDITABLE (self->server_row));
  const char *sdkappid = gtk_editable_get_text (GTK_EDITABLE (self->sdkappid_row));
  const char *user = gtk_editable_get_text (GTK_EDITABLE (self->user_row));
  const char *usersig = gtk_editable_get_text (GTK_EDITABLE (self->usersig_row));
  gboolean server_ok = g_str_has_prefix (server, "ws://") || g_str_has_prefix (server, "wss://");
  gboolean sdkappid_ok = g_ascii_string_to_unsigned (sdkappid, 10, 1, G_MAXUINT64, NULL, NULL);
  gboolean user_ok = tim_user_id_is_valid (user);
  gboolean usersig_ok = *usersig != '\0';

  mark (GTK_WIDGET (self->server_row), server_ok);
  mark (GTK_WIDGET (self->sdkappid_row), sdkappid_ok);
  mark (GTK_WIDGET (self->user_row), user_ok);
  mark (GTK_WIDGET (self->usersig_row), usersig_ok);
  if (server_ok && sdkappid_ok && user_ok && usersig_ok)
    g_signal_emit (self, signals[SIGNAL_LOGIN_REQUESTED], 0, server, sdkappid, user, usersig);
}

void
timchat_welcome_set_busy (TimchatWelcome *self, gboolean busy)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->local_button), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->login_button), !busy);
}

static void
timchat_welcome_dispose (GObject *object)
{
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), TIMCHAT_TYPE_WELCOME);
  /* The template's top box is our child, not a bound one: unparent it ourselves. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (timchat_welcome_parent_class)->dispose (object);
}

static void
timchat_welcome_class_init (TimchatWelcomeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  timchat_ensure_resources ();

  object_class->dispose = timchat_welcome_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/example/TimChat/timchat-welcome.ui");
  gtk_widget_class_bind_template_child (widget_class, TimchatWelcome, local_user_row);
  gtk_widget_class_bind_template_child (widget_class, TimchatWelcome, local_button);
  gtk_widget_class_bind_template_child (widget_class, TimchatWelcome, server_row);
  gtk_widget_class_bind_template_child (widget_class, TimchatWelcome, sdkappid_row);
  gtk_widget_class_bind_template_child (widget_class, TimchatWelcome, user_row);
  gtk_widget_class_bind_template_child (widget_class, TimchatWelcome, usersig_row);
  gtk_widget_class_bind_template_child (widget_class, TimchatWelcome, login_button);
  gtk_widget_class_bind_template_callback (widget_class, on_local_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_login_clicked);

  signals[SIGNAL_LOGIN_REQUESTED] = g_signal_new (
      "login-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 4, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING);
  signals[SIGNAL_LOCAL_REQUESTED] =
      g_signal_new ("local-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                    NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
timchat_welcome_init (TimchatWelcome *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
