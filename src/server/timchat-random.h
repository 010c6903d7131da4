/* timchat-random.h: keys that stand for a right (a login ticket, an upload's name, a merged
 * messages' list): 128 bits from the kernel's generator. Not g_random: its Mersenne Twister is
 * not made to be unguessable, and 624 of its outputs (156 tickets a user can ask for) give its
 * state away. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* 32 lowercase hex digits; NULL and TIM_ERROR_INTERNAL if the kernel gives none. */
char *timchat_random_key (GError **error);

G_END_DECLS
