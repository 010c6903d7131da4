/* timchat-application.h: the application: command line, CSS, app actions, one window. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TIMCHAT_TYPE_APPLICATION (timchat_application_get_type ())
G_DECLARE_FINAL_TYPE (TimchatApplication, timchat_application, TIMCHAT, APPLICATION, AdwApplication)

TimchatApplication *timchat_application_new (void);
/* Whether a window closed while logged in should only hide, so that messages keep coming and
 * notifying: the "run-in-background" setting is on, this is the one instance of the default
 * account (a launch of TimChat brings its window back; --account instances are not unique), and
 * the user is not quitting (Ctrl+Q). */
gboolean timchat_application_keeps_running (TimchatApplication *self);

G_END_DECLS
