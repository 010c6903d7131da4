/* timchat-application.h: the application: command line, CSS, app actions, one window. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TIMCHAT_TYPE_APPLICATION (timchat_application_get_type ())
G_DECLARE_FINAL_TYPE (TimchatApplication, timchat_application, TIMCHAT, APPLICATION, AdwApplication)

TimchatApplication *timchat_application_new (void);

G_END_DECLS
