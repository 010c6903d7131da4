/* timchat-socket-backlog.h: how much output a WebSocket's client has not taken yet. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* What was handed to libsoup for one connection, against what the kernel took of it. */
typedef struct
{
  GSocket *socket; /* NULL: not measurable (not Linux) */
  guint64 handed;  /* bytes, counted from the kernel's own figure at the start */
} TimchatSocketBacklog;

/* socket may be NULL (nothing is measured then). Plain or TLS: see timchat-socket-backlog.c. */
void timchat_socket_backlog_init (TimchatSocketBacklog *backlog, GSocket *socket);
void timchat_socket_backlog_clear (TimchatSocketBacklog *backlog);
/* Counts a frame of frame_bytes (header included) handed over. Returns the bytes waiting in
 * libsoup's queue when they are more than limit (looked at once per 256 KiB handed over), else 0.
 */
guint64 timchat_socket_backlog_add (TimchatSocketBacklog *backlog, gsize frame_bytes, gsize limit);

G_END_DECLS
