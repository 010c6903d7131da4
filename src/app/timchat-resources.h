/* timchat-resources.h: our GResource, registered once. Every widget with a .ui template calls
 * this in class_init: a static library does not keep the resource's auto-registration. */
#pragma once

void timchat_ensure_resources (void);
