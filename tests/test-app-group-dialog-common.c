/* test-app-group-dialog-common.c: the helpers that more than one of the group dialog's test
 * programs (tests/test-app-group-dialog-*.c) use: the server and the test's directory, waiting for
 * the member lines, a client with a nickname, a member's "…" menu and the Add Members button. */
#define G_LOG_DOMAIN "test-app-group-dialog-common"

#include "config.h"

#include <adwaita.h>

#include "test-app-group-dialog-common.h"
#include "test-app-util.h"
#include "tim-test-util.h"
#include "timchat-group-dialog.h"
#include "timchat-test-util.h"

TimchatFixture *fixture;
char *base_dir;

/* The member lines joined by "; ", NULL before they are loaded. */
static char *
member_lines (gpointer dialog)
{
  g_auto (GStrv) got = timchat_group_dialog_dup_member_lines (dialog);

  return got != NULL ? g_strjoinv ("; ", got) : NULL;
}

void
wait_lines (GtkWidget *dialog, const char *want)
{
  tim_test_wait_described (member_lines, dialog, want);
}

TimClient *
client_with_nick (const char *user, const char *nick)
{
  timchat_test_import_account (fixture, user, nick);
  return tim_test_client_new (fixture, base_dir, user);
}

/* Whether the "…" button named tooltip offers action (in a section of its menu too). */
gboolean
offers (GtkWidget *dialog, const char *tooltip, const char *action)
{
  GtkWidget *button = test_app_find_widget (dialog, test_app_has_tooltip, tooltip);

  return button != NULL &&
         test_app_menu_offers (gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (button)), action);
}

gboolean
add_members_shown (gpointer dialog)
{
  GtkWidget *button = test_app_find_widget (dialog, test_app_has_action, "group.add-members");

  return button != NULL && gtk_widget_get_visible (button);
}
