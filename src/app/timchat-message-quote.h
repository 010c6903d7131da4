/* timchat-message-quote.h: the quote at the top of a reply's bubble: the quoted message's sender
 * and what it said, a button that shows the original ("conversation.show-original" with its ID). */
#pragma once

#include <gtk/gtk.h>

#include "tim-message.h"

G_BEGIN_DECLS

/* The quote block of message, or NULL when message quotes none. */
GtkWidget *timchat_message_quote_new (TimMessage *message);

G_END_DECLS
