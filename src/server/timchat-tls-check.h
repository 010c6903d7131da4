/* timchat-tls-check.h: whether a certificate and its private key can serve TLS at all, asked
 * once at start-up, before the server says it is listening. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* TRUE if a TLS client completes a handshake with @certificate (loaded from @cert_path and
 * @key_path, which the error names); its chain is not judged, only that its key is its own. */
gboolean timchat_tls_check_certificate (GTlsCertificate *certificate, const char *cert_path,
                                        const char *key_path, GError **error);

G_END_DECLS
