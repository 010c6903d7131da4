/* timchat-shortcuts.c: the keyboard shortcuts window, built from its .ui when first asked for.
 * What Enter does in the composer depends on the "enter-sends" setting (the composer's keys,
 * timchat-composer-send.c): Send and New line say what it does now, and follow it. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include "timchat-dialogs.h"
#include "timchat-resources.h"
#include "timchat-settings.h"
#include "timchat-shortcuts.h"

/* Ctrl+Enter always sends and Shift+Enter always starts a new line; Enter does one or the other. */
static const char *
enter_keys (gboolean enter_sends, gboolean for_send)
{
  if (for_send)
    return enter_sends ? "Return <Control>Return" : "<Control>Return";
  return enter_sends ? "<Shift>Return" : "Return <Shift>Return";
}

static gboolean
map_enter_sends (GValue *value, GVariant *variant, gpointer for_send)
{
  g_value_set_string (value,
                      enter_keys (g_variant_get_boolean (variant), GPOINTER_TO_INT (for_send)));
  return TRUE;
}

static void
show_enter_keys (GtkBuilder *builder, const char *id, gboolean for_send)
{
  GObject *shortcut = gtk_builder_get_object (builder, id);
  GSettings *settings = timchat_settings_get ();

  /* A binding goes with the shortcut; without settings (uninstalled), Enter sends. */
  if (settings != NULL)
    g_settings_bind_with_mapping (settings, "enter-sends", shortcut, "accelerator",
                                  G_SETTINGS_BIND_GET, map_enter_sends, NULL,
                                  GINT_TO_POINTER (for_send), NULL);
  else
    g_object_set (shortcut, "accelerator", enter_keys (TRUE, for_send), NULL);
}

/* GTK 4.8 leaves the header's search button (an icon only) without a name for screen readers and
 * without a tooltip: it is named as the search entry it shows is ("Search Shortcuts", in GTK's
 * own words and translation). */
static void
name_search_button (GtkWindow *window)
{
  GtkWidget *titlebar = gtk_window_get_titlebar (window);
  GtkWidget *button =
      titlebar != NULL ? timchat_find_descendant (titlebar, GTK_TYPE_TOGGLE_BUTTON) : NULL;
  GtkWidget *entry = timchat_find_descendant (GTK_WIDGET (window), GTK_TYPE_SEARCH_ENTRY);
  g_autofree char *name = NULL;

  if (button == NULL || entry == NULL)
    return;
  g_object_get (entry, "placeholder-text", &name, NULL);
  if (name == NULL || *name == '\0')
    return;
  gtk_widget_set_tooltip_text (button, name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
}

GtkWindow *
timchat_shortcuts_show (GtkWindow *parent)
{
  g_autoptr (GtkBuilder) builder = NULL;
  GtkWindow *window;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);

  timchat_ensure_resources ();
  builder = gtk_builder_new_from_resource ("/org/example/TimChat/timchat-shortcuts.ui");
  window = GTK_WINDOW (gtk_builder_get_object (builder, "shortcuts"));
  show_enter_keys (builder, "send_shortcut", TRUE);
  show_enter_keys (builder, "new_line_shortcut", FALSE);
  name_search_button (window);
  gtk_window_set_transient_for (window, parent);
  gtk_window_present (window);
  return window;
}
