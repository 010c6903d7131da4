/* test-app-welcome.c: the first-run page's forms. Wrong input is marked and explained, and no
 * login starts; the spaces and line breaks around pasted values are dropped; Enter in any field
 * does what the form's button does, and nothing while a start is under way. */
#define G_LOG_DOMAIN "test-app-welcome"

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "test-app-util.h"
#include "tim-test-util.h"
#include "timchat-application.h"
#include "timchat-credentials.h"
#include "timchat-welcome.h"

static char *base_dir;

typedef struct
{
  guint logins;
  char *login[4]; /* server, sdkappid, user, usersig */
  guint locals;
  char *local_user;
} Requests;

static void
requests_clear (Requests *requests)
{
  for (guint i = 0; i < G_N_ELEMENTS (requests->login); i++)
    g_clear_pointer (&requests->login[i], g_free);
  g_clear_pointer (&requests->local_user, g_free);
}

static void
on_login (TimchatWelcome *welcome, const char *server, const char *sdkappid, const char *user,
          const char *usersig, Requests *requests)
{
  requests_clear (requests);
  requests->logins++;
  requests->login[0] = g_strdup (server);
  requests->login[1] = g_strdup (sdkappid);
  requests->login[2] = g_strdup (user);
  requests->login[3] = g_strdup (usersig);
}

static void
on_local (TimchatWelcome *welcome, const char *user, Requests *requests)
{
  requests->locals++;
  g_free (requests->local_user);
  requests->local_user = g_strdup (user);
}

static gboolean
has_title (GtkWidget *widget, gconstpointer title)
{
  return ADW_IS_PREFERENCES_ROW (widget) &&
         g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0;
}

static GtkWidget *
row (GtkWidget *welcome, const char *title)
{
  GtkWidget *found = test_app_find_widget (welcome, has_title, title);

  g_assert_nonnull (found);
  return found;
}

static void
click (GtkWidget *welcome, const char *label)
{
  GtkWidget *button = test_app_find_widget (welcome, test_app_has_button_label, label);

  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
}

static gboolean
is_shown_error (GtkWidget *widget, gconstpointer data)
{
  return GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, "error") &&
         gtk_widget_get_visible (widget) && *gtk_label_get_text (GTK_LABEL (widget)) != '\0';
}

/* The explanations shown on the page, one per line. */
static char *
problems (GtkWidget *welcome)
{
  GtkWidget *label = test_app_find_widget (welcome, is_shown_error, NULL);

  return label != NULL ? g_strdup (gtk_label_get_text (GTK_LABEL (label))) : NULL;
}

static void
set_text (GtkWidget *welcome, const char *title, const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (row (welcome, title)), text);
}

static gboolean
marked (GtkWidget *welcome, const char *title)
{
  return gtk_widget_has_css_class (row (welcome, title), "error");
}

static void
test_login_form (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *welcome = g_object_new (TIMCHAT_TYPE_WELCOME, NULL);
  Requests requests = { 0 };
  g_autofree char *shown = NULL;

  g_signal_connect (welcome, "login-requested", G_CALLBACK (on_login), &requests);
  /* Tall enough for the screenshot to show every explanation. */
  gtk_window_set_default_size (GTK_WINDOW (window), 600, 800);
  gtk_window_set_child (GTK_WINDOW (window), welcome);
  gtk_window_present (GTK_WINDOW (window));
  test_app_iterate (100);
  g_assert_null (problems (welcome));

  set_text (welcome, "Server Address", "http://127.0.0.1:8080");
  set_text (welcome, "SDKAppID", "14000x");
  set_text (welcome, "User ID", "alice smith");
  click (welcome, "_Log In");
  g_assert_cmpuint (requests.logins, ==, 0);
  g_assert_true (marked (welcome, "Server Address"));
  g_assert_true (marked (welcome, "SDKAppID"));
  g_assert_true (marked (welcome, "User ID"));
  g_assert_true (marked (welcome, "UserSig"));
  shown = problems (welcome);
  g_assert_cmpstr (shown, ==,
                   "The server address starts with ws:// or wss://, then the server’s name.\n"
                   "The SDKAppID is a number, such as 1400000001.\n"
                   "A user ID has up to 32 letters, digits and the characters _ - @ .\n"
                   "Paste the UserSig that the server’s administrator gave you.");
  test_app_screenshot (window, "welcome-problems.png");

  /* Pasted with the spaces and line breaks around them; Enter in the last field logs in. */
  set_text (welcome, "Server Address", "  ws://127.0.0.1:8080 ");
  set_text (welcome, "SDKAppID", " 1400000001\n");
  set_text (welcome, "User ID", "alice ");
  set_text (welcome, "UserSig", "eJyrVgrxCdYrSy1SslIy0jNQ0gHzM1NS80oy0zLBwlWxxrUAbDUJVQ__\n");
  g_signal_emit_by_name (row (welcome, "UserSig"), "entry-activated");
  g_assert_cmpuint (requests.logins, ==, 1);
  g_assert_cmpstr (requests.login[0], ==, "ws://127.0.0.1:8080");
  g_assert_cmpstr (requests.login[1], ==, "1400000001");
  g_assert_cmpstr (requests.login[2], ==, "alice");
  g_assert_cmpstr (requests.login[3], ==,
                   "eJyrVgrxCdYrSy1SslIy0jNQ0gHzM1NS80oy0zLBwlWxxrUAbDUJVQ__");
  g_assert_false (marked (welcome, "Server Address"));
  g_assert_false (marked (welcome, "UserSig"));
  g_assert_null (problems (welcome));

  /* Enter in the first field does the same. */
  g_signal_emit_by_name (row (welcome, "Server Address"), "entry-activated");
  g_assert_cmpuint (requests.logins, ==, 2);

  /* An address that is not one, even with the right scheme. */
  set_text (welcome, "Server Address", "ws://");
  click (welcome, "_Log In");
  g_assert_cmpuint (requests.logins, ==, 2);
  g_assert_true (marked (welcome, "Server Address"));
  requests_clear (&requests);
  test_app_close (welcome);
}

static void
test_local_form (void)
{
  GtkWidget *welcome = test_app_show (g_object_new (TIMCHAT_TYPE_WELCOME, NULL));
  Requests requests = { 0 };
  g_autofree char *shown = NULL;

  g_signal_connect (welcome, "local-requested", G_CALLBACK (on_local), &requests);

  set_text (welcome, "Your Name on This Computer", "me and you");
  click (welcome, "_Start Chatting");
  g_assert_cmpuint (requests.locals, ==, 0);
  g_assert_true (marked (welcome, "Your Name on This Computer"));
  shown = problems (welcome);
  g_assert_cmpstr (shown, ==, "A user ID has up to 32 letters, digits and the characters _ - @ .");

  set_text (welcome, "Your Name on This Computer", " me\n");
  g_signal_emit_by_name (row (welcome, "Your Name on This Computer"), "entry-activated");
  g_assert_cmpuint (requests.locals, ==, 1);
  g_assert_cmpstr (requests.local_user, ==, "me");
  g_assert_false (marked (welcome, "Your Name on This Computer"));
  g_assert_null (problems (welcome));
  requests_clear (&requests);
  test_app_close (welcome);
}

static gboolean
says_starting (GtkWidget *widget, gconstpointer data)
{
  return GTK_IS_LABEL (widget) &&
         strstr (gtk_label_get_text (GTK_LABEL (widget)), "The local server is starting") != NULL;
}

static gboolean
welcome_made (gpointer window)
{
  return test_app_find_widget (window, test_app_has_type,
                               GSIZE_TO_POINTER (TIMCHAT_TYPE_WELCOME)) != NULL;
}

/* Enter pressed again while "Try It on This Computer" starts the local server is ignored, as the
 * button is: it asked for a second start, which failed ("The local server is starting") with an
 * error, the buttons back and the welcome page shown again while the first start went on. */
static void
test_local_start_once (void)
{
  g_autofree char *local_dir = g_build_filename (base_dir, "start-once", NULL);
  TimchatWindow *window;
  GtkWidget *welcome, *name, *start;

  g_setenv ("TIMCHAT_LOCAL_SERVER_DIR", local_dir, TRUE);
  window = timchat_window_new (NULL, "welcome-start-once", base_dir);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (tim_test_wait_until (welcome_made, window, 10000));
  welcome = test_app_find_widget (GTK_WIDGET (window), test_app_has_type,
                                  GSIZE_TO_POINTER (TIMCHAT_TYPE_WELCOME));
  name = row (welcome, "Your Name on This Computer");
  start = test_app_find_widget (welcome, test_app_has_button_label, "_Start Chatting");
  gtk_editable_set_text (GTK_EDITABLE (name), "starter");

  g_signal_emit_by_name (name, "entry-activated");
  g_assert_false (gtk_widget_get_sensitive (start));
  test_app_iterate (50);
  g_signal_emit_by_name (name, "entry-activated");
  g_signal_emit_by_name (start, "clicked");
  test_app_iterate (300);
  g_assert_null (test_app_find_widget (GTK_WIDGET (window), says_starting, NULL));

  /* The one start under way logs in, and nothing said it failed. */
  g_assert_true (tim_test_wait_until (test_app_window_ready, window, 20000));
  g_assert_null (test_app_find_widget (GTK_WIDGET (window), says_starting, NULL));
  timchat_credentials_forget ("welcome-start-once", NULL, NULL);
  gtk_window_destroy (GTK_WINDOW (window));
  g_unsetenv ("TIMCHAT_LOCAL_SERVER_DIR");
}

/* The scripted login's four options go together: any of them alone is refused before a window
 * opens (exit status 2). */
static void
test_command_line_credentials (void)
{
  static const char *const partial[][8] = {
    { "timchat", "--server", "ws://127.0.0.1:1", NULL },
    { "timchat", "--server", "ws://127.0.0.1:1", "--user", "alice", "--usersig", "sig", NULL },
    { "timchat", "--sdkappid", "1400000001", "--user", "alice", "--usersig", "sig", NULL },
    { "timchat", "--sdkappid", "1400000001", NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (partial); i++)
    {
      g_autoptr (TimchatApplication) application = timchat_application_new ();
      int argc = (int) g_strv_length ((char **) partial[i]);

      g_assert_cmpint (g_application_run (G_APPLICATION (application), argc, (char **) partial[i]),
                       ==, 2);
      g_assert_null (gtk_application_get_windows (GTK_APPLICATION (application)));
    }
}

int
main (int argc, char **argv)
{
  test_app_init (&argc, &argv, TRUE);
  base_dir = tim_test_make_dir ();
  g_test_add_func ("/app/welcome/login-form", test_login_form);
  g_test_add_func ("/app/welcome/local-form", test_local_form);
  g_test_add_func ("/app/welcome/local-start-once", test_local_start_once);
  g_test_add_func ("/app/welcome/command-line-credentials", test_command_line_credentials);
  return test_app_run (NULL, base_dir);
}
