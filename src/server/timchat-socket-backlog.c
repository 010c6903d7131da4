/* timchat-socket-backlog.c: libsoup queues every frame the kernel cannot take yet, with no
 * limit, and does not say how much waits. What waits is what we handed over minus what the kernel
 * took: acknowledged by the peer (TCP_INFO) or in the socket's send queue (SIOCOUTQ). Two system
 * calls per CHECK_BYTES handed over.
 *
 * Over TLS the kernel takes records: each frame plus its record's header and tag (22 - 29 bytes),
 * so the count errs on the client's side by that much per frame it already took, never against
 * it. A client that stops reading stops the kernel's count, and the queue behind it shows. */
#include "config.h"

#ifdef __linux__
#include <linux/sockios.h>
#include <linux/tcp.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#endif

#include "timchat-socket-backlog.h"

#define CHECK_BYTES (256 * 1024)

/* Bytes of this connection the kernel has taken; -1 when that cannot be known. */
static gint64
kernel_took_bytes (GSocket *socket)
{
#ifdef __linux__
  struct tcp_info info = { 0 };
  socklen_t length = sizeof info;
  int queued = 0;
  int fd = g_socket_get_fd (socket);

  if (getsockopt (fd, IPPROTO_TCP, TCP_INFO, &info, &length) == 0 &&
      length >= offsetof (struct tcp_info, tcpi_bytes_acked) + sizeof info.tcpi_bytes_acked &&
      ioctl (fd, SIOCOUTQ, &queued) == 0)
    return (gint64) info.tcpi_bytes_acked + queued;
#endif
  return -1;
}

void
timchat_socket_backlog_init (TimchatSocketBacklog *backlog, GSocket *socket)
{
  gint64 took = socket != NULL ? kernel_took_bytes (socket) : -1;

  *backlog = (TimchatSocketBacklog){ 0 };
  if (took < 0)
    return;
  backlog->socket = g_object_ref (socket);
  backlog->handed = (guint64) took; /* the handshake's answer (and TLS's own) */
}

void
timchat_socket_backlog_clear (TimchatSocketBacklog *backlog)
{
  g_clear_object (&backlog->socket);
}

guint64
timchat_socket_backlog_add (TimchatSocketBacklog *backlog, gsize frame_bytes, gsize limit)
{
  guint64 before = backlog->handed;
  gint64 took;
  guint64 waiting;

  backlog->handed += frame_bytes;
  /* Looked at each time the count crosses a multiple of CHECK_BYTES. */
  if (backlog->socket == NULL || limit == 0 ||
      backlog->handed / CHECK_BYTES == before / CHECK_BYTES)
    return 0;
  took = kernel_took_bytes (backlog->socket);
  if (took < 0 || (guint64) took >= backlog->handed)
    return 0;
  waiting = backlog->handed - (guint64) took;
  return waiting > limit ? waiting : 0;
}
