/* timchat-resources.h: our GResource, registered once. Every widget with a .ui template calls
 * this in class_init: a static library does not keep the resource's auto-registration. */
#pragma once

#include <gtk/gtk.h>

void timchat_ensure_resources (void);
/* The name of the app's symbolic icon (empty states), which the icon theme finds from now on. */
const char *timchat_ensure_app_symbolic_icon (void);
/* Makes the icon theme find the app's icon by name when it is not installed (a build tree). */
void timchat_ensure_app_icon_in_theme (void);
