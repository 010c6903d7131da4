/* tim-transport.h: the one WebSocket to the server, as the official SDK drives it: v4 frames,
 * requests matched by servcmd+seq with timeouts (2801), heartbeat.alive 10 s after the last
 * frame (3 s timeout), login and relogin with the a2 ticket, reconnect with jittered
 * exponential backoff, and requests queued while disconnected. */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "tim-types.h"

G_BEGIN_DECLS

#define TIM_TYPE_TRANSPORT (tim_transport_get_type ())
G_DECLARE_FINAL_TYPE (TimTransport, tim_transport, TIM, TRANSPORT, GObject)

#define TIM_TRANSPORT_REQUEST_TIMEOUT_MS 15000
#define TIM_TRANSPORT_LOGIN_TIMEOUT_MS 90000
#define TIM_TRANSPORT_ALIVE_TIMEOUT_MS 3000
#define TIM_TRANSPORT_ALIVE_AFTER_MS 10000

/* server_url: "ws://127.0.0.1:8080" (the SDK's proxyServer); /binfo is appended. */
TimTransport *tim_transport_new (const char *server_url, guint64 sdkappid);
/* Logs in with a UserSig, connecting first. Completes with the wslogin reply (A2Key, TinyId,
 * ...) or a TIM error (70001 etc.). Afterwards the transport keeps the session alive:
 * reconnects and logs in again with the ticket by itself. */
void tim_transport_login_async (TimTransport *self, const char *identifier, const char *usersig,
                                GCancellable *cancellable, GAsyncReadyCallback callback,
                                gpointer user_data);
JsonObject *tim_transport_login_finish (TimTransport *self, GAsyncResult *result, GError **error);
/* wslogout, then closes; no reconnect. */
void tim_transport_logout (TimTransport *self);
/* How a request ends, once: with the reply body (borrowed: take a reference to keep it) and no
 * error, or with no reply and an error: the reply's ErrorCode as a TIM_ERROR code, 2801 after
 * the timeout, 2024 when not logged in, G_IO_ERROR_CANCELLED once the cancellable is cancelled
 * (even if a reply came first). */
typedef void (*TimTransportReplyFunc) (JsonObject *reply, const GError *error, gpointer user_data);

/* Sends a request; while disconnected it waits in a queue and goes out after relogin. func runs
 * on the main context and never before this returns. A reply runs it as the reply is read, in
 * order with the "push" signals for the frames before and after it: whatever the reply tells
 * (a group's profile, say) is never applied after a push the server sent later. A GTask could
 * not promise that: one created in the main-loop iteration its reply is read in completes from
 * an idle, after the pushes read behind that reply. timeout_ms 0 means 15 s. */
void tim_transport_request (TimTransport *self, const char *servcmd, JsonObject *body,
                            guint timeout_ms, GCancellable *cancellable, TimTransportReplyFunc func,
                            gpointer user_data);

TimNetState tim_transport_get_state (TimTransport *self);
const char *tim_transport_get_user (TimTransport *self);
const char *tim_transport_get_a2 (TimTransport *self);
const char *tim_transport_get_tinyid (TimTransport *self);
/* Server clock minus ours, in seconds (from the login reply's TimeStamp). */
gint64 tim_transport_get_time_offset (TimTransport *self);
/* http(s) base of the server for uploads: "http://127.0.0.1:8080". */
const char *tim_transport_get_http_base (TimTransport *self);
/* If it is waiting to reconnect, tries now and starts the backoff over (the caller knows the
 * server is back); nothing otherwise. */
void tim_transport_reconnect_now (TimTransport *self);
/* For tests: backoff bounds in ms (default 500 .. 30000). */
void tim_transport_set_backoff (TimTransport *self, guint min_ms, guint max_ms);
/* For tests: heartbeat.alive after alive_after_ms of silence, failing after alive_timeout_ms
 * (default 10000 / 3000). */
void tim_transport_set_heartbeat (TimTransport *self, guint alive_after_ms, guint alive_timeout_ms);

/* Signals:
 *  "push" (const char *servcmd, JsonObject *body): a frame that answers no request.
 *  "logged-in" (JsonObject *reply): after every successful (re)login; a client resyncs here.
 *  "kicked-out" (int kick_type): stat_forceoffline; no reconnect afterwards.
 *  "login-failed" (GError *error): a relogin was refused for good (ticket expired, another
 *    SDKAppID, account deleted...); no reconnect. One refused for now (tim_error_is_transient ():
 *    10002, 60022, no answer in time) is tried again with the reconnect's backoff instead.
 *  notify::state on every change of TimNetState. */

G_END_DECLS
