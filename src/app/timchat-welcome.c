/* timchat-welcome.c: the first-run page. It only collects and checks input; the window logs in.
 * Input is taken without the spaces and line breaks around it (a pasted UserSig often ends in
 * one), and each field that is wrong is marked and explained under its group. */
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
  GtkLabel *local_problem;
  AdwEntryRow *server_row;
  AdwEntryRow *sdkappid_row;
  AdwEntryRow *user_row;
  AdwPasswordEntryRow *usersig_row;
  GtkLabel *login_problem;
  GtkButton *login_button;

  gboolean busy; /* a login or a local start is under way */
};

G_DEFINE_FINAL_TYPE (TimchatWelcome, timchat_welcome, GTK_TYPE_WIDGET)

enum
{
  SIGNAL_LOGIN_REQUESTED,
  SIGNAL_LOCAL_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The row's text without the white space around it. */
static char *
text_of (gpointer row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

/* Marks row, and adds why to problems when it is wrong. */
static gboolean
check (gpointer row, gboolean valid, const char *why, GString *problems)
{
  if (valid)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
      return TRUE;
    }
  gtk_widget_add_css_class (GTK_WIDGET (row), "error");
  if (problems->len > 0)
    g_string_append_c (problems, '\n');
  g_string_append (problems, why);
  return FALSE;
}

static void
show_problems (GtkLabel *label, GString *problems)
{
  gtk_label_set_text (label, problems->str);
  gtk_widget_set_visible (GTK_WIDGET (label), problems->len > 0);
}

/* ws:// or wss://, and a host. */
static gboolean
is_server_address (const char *text)
{
  g_autoptr (GUri) uri = g_uri_parse (text, G_URI_FLAGS_NONE, NULL);
  const char *scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  const char *host = uri != NULL ? g_uri_get_host (uri) : NULL;

  return (g_strcmp0 (scheme, "ws") == 0 || g_strcmp0 (scheme, "wss") == 0) && host != NULL &&
         *host != '\0';
}

static const char *
user_id_rule (void)
{
  return _ ("A user ID has up to 32 letters, digits and the characters _ - @ .");
}

static void
on_local_clicked (TimchatWelcome *self)
{
  g_autofree char *user = text_of (self->local_user_row);
  g_autoptr (GString) problems = g_string_new (NULL);
  gboolean valid;

  if (self->busy)
    return;
  valid = check (self->local_user_row, tim_user_id_is_valid (user), user_id_rule (), problems);
  show_problems (self->local_problem, problems);
  if (valid)
    g_signal_emit (self, signals[SIGNAL_LOCAL_REQUESTED], 0, user);
}

static void
on_login_clicked (TimchatWelcome *self)
{
  g_autofree char *server = text_of (self->server_row);
  g_autofree char *sdkappid = text_of (self->sdkappid_row);
  g_autofree char *user = text_of (self->user_row);
  g_autofree char *usersig = text_of (self->usersig_row);
  g_autoptr (GString) problems = g_string_new (NULL);
  gboolean valid = TRUE;

  if (self->busy)
    return;
  valid &= check (self->server_row, is_server_address (server),
                  _ ("The server address starts with ws:// or wss://, then the server’s name."),
                  problems);
  valid &= check (self->sdkappid_row,
                  g_ascii_string_to_unsigned (sdkappid, 10, 1, G_MAXUINT64, NULL, NULL),
                  _ ("The SDKAppID is a number, such as 1400000001."), problems);
  valid &= check (self->user_row, tim_user_id_is_valid (user), user_id_rule (), problems);
  valid &= check (self->usersig_row, *usersig != '\0',
                  _ ("Paste the UserSig that the server’s administrator gave you."), problems);
  show_problems (self->login_problem, problems);
  if (valid)
    g_signal_emit (self, signals[SIGNAL_LOGIN_REQUESTED], 0, server, sdkappid, user, usersig);
}

/* Enter in a field asks as the buttons do, so the request handlers, not only the buttons, ignore
 * what comes while busy: a second local start would fail ("The local server is starting") and
 * its error would bring the page back while the first one goes on. */
void
timchat_welcome_set_busy (TimchatWelcome *self, gboolean busy)
{
  self->busy = busy;
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
  gtk_widget_class_bind_template_child (widget_class, TimchatWelcome, local_problem);
  gtk_widget_class_bind_template_child (widget_class, TimchatWelcome, server_row);
  gtk_widget_class_bind_template_child (widget_class, TimchatWelcome, sdkappid_row);
  gtk_widget_class_bind_template_child (widget_class, TimchatWelcome, user_row);
  gtk_widget_class_bind_template_child (widget_class, TimchatWelcome, usersig_row);
  gtk_widget_class_bind_template_child (widget_class, TimchatWelcome, login_problem);
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
