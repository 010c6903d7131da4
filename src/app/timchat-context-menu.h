/* timchat-context-menu.h: a row's context menu as every row does it: opened by a secondary
 * click, a long press, Menu or Shift+F10, in a popover made on first use. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Opens widget's menu at (x, y), widget's coordinates. */
typedef void (*TimchatContextMenuOpen) (GtkWidget *widget, double x, double y);

/* A secondary click or a long press (touch) anywhere on widget, its children included, calls open
 * at the pointer. */
void timchat_context_menu_add_gestures (GtkWidget *widget, TimchatContextMenuOpen open);
/* Menu and Shift+F10 on the focused row of list_view, or on any widget in it, activate
 * action_name (installed by the row's class) on the row: in a GtkListView the list item has the
 * keyboard focus, not the row widget inside it, so a binding on the row itself would never fire. */
void timchat_context_menu_bind_list_keys (GtkListView *list_view, const char *action_name);
/* Shows model at (x, y) in *popover, made (as widget's child) the first time: a popover in each
 * of hundreds of bound rows would cost ~40 KB apiece. The owner unparents it on dispose. */
void timchat_context_menu_popup (GtkWidget *widget, GtkWidget **popover, GMenuModel *model,
                                 double x, double y);

G_END_DECLS
