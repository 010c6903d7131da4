/* bench-common.h: what the benchmark programs share: the server binary next to them, a main-loop
 * tick, timing and percentiles, /proc readers, bare SoupServer baselines run as a child process,
 * and lean async WebSocket clients that log in with one frame and parse nothing else.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "timchat-fixture.h"

G_BEGIN_DECLS

/* ---------------------------------------------------------------- process and main loop */

/* Points TIMCHAT_SERVER at ../src/server/timchat-server next to this program unless it is set. */
void bench_ensure_server_env (void);
/* A 5 ms tick keeps every blocking iteration short, so deadlines hold on a quiet socket set. */
void bench_start_tick (void);
void bench_iterate_until (gint64 deadline_us);

/* ---------------------------------------------------------------- figures */

int bench_compare_gint64 (gconstpointer a, gconstpointer b);
/* `sorted` holds gint64 microseconds in ascending order; -1 when it is empty. */
double bench_percentile_ms (GArray *sorted, guint pct);
/* Sort `values` (gint64) and return its median / its largest value. */
gint64 bench_median (GArray *values);
gint64 bench_maximum (GArray *values);

/* ---------------------------------------------------------------- /proc */

/* A "Vm...:" field of /proc/PID/status in KB; pid 0 reads /proc/self/status. */
gint64 bench_status_kb (GPid pid, const char *field);
/* User + system CPU time of a process (all its threads) so far, in µs. */
gint64 bench_cpu_us (GPid pid);
/* The fixture keeps its GSubprocess private: find our child by name. */
GPid bench_find_child (const char *comm);

/* ---------------------------------------------------------------- raw baselines (child process) */

/* Listens on 127.0.0.1, prints "raw-listening PORT" for the parent and runs forever. */
int bench_serve_raw (SoupServer *server, const char *what);
/* Runs this program again with "--raw-server" (and `arg` when not NULL) and reads its port. */
GSubprocess *bench_spawn_raw_server (const char *what, const char *arg, guint16 *port);
void bench_stop_raw_server (GSubprocess *child);
/* A bare WebSocket relay on /relay?me=NAME&peer=NAME&fwd=BYTES&ack=BYTES: each frame from a
 * socket with a peer goes to that peer (to every other socket when the peer is "*") padded to
 * `fwd` bytes, and the sender gets `ack` bytes back. With log_path, the least a durable relay
 * does: each frame is appended to that file, and what a main-loop iteration received is
 * forwarded and acknowledged after one fdatasync of it (the server's group commit, without its
 * parsing, its database or its sync thread). */
int bench_run_raw_relay (const char *what, const char *log_path);

/* ---------------------------------------------------------------- lean WebSocket clients */

/* The im_open_status.wslogin frame of the Web SDK (binary transport). */
char *bench_login_frame (TimchatFixture *fixture, const char *user);
/* ws://127.0.0.1:PORT/binfo?... for the binary transport, instance `instance`. */
char *bench_binfo_url (TimchatFixture *fixture, guint16 port, guint instance);
/* The "body" of a reply frame, or NULL; `parser` keeps it alive. */
JsonObject *bench_parse_body (const guint8 *data, gsize length, JsonParser *parser);
/* A login reply with ErrorCode 0: its A2Key and TinyId (newly allocated); aborts otherwise. */
void bench_take_login_reply (const char *user, const guint8 *data, gsize length, char **a2,
                             char **tinyid);

typedef struct
{
  const char *name; /* "relay", "fanout": prefixes messages */
  gboolean raw;
  guint16 port;
  TimchatFixture *fixture;
  SoupSession *session;
  guint pending_connects;
  guint pending_logins;
  guint failures;
} BenchPool;

typedef enum
{
  BENCH_ROLE_SENDER,
  BENCH_ROLE_RECEIVER
} BenchRole;

/* The first member of each bench's own client struct. */
typedef struct
{
  BenchPool *pool;
  BenchRole role;
  guint index;
  char *user;
  char *peer;
  SoupWebsocketConnection *conn;
  gboolean logged_in;
  char *a2;
  char *tinyid;
  guint64 seq;
  guint in_flight;
} BenchClient;

void bench_pool_open_session (BenchPool *pool);
/* Connects `c` to `url`; once connected, "message" goes to on_message (with `c`) and the client
 * logs in (server) or counts as logged in (raw). */
void bench_client_connect (BenchClient *c, const char *url, GCallback on_message);
/* TRUE when the frame was the login reply this client was waiting for. */
gboolean bench_client_handle_login (BenchClient *c, const guint8 *data, gsize length);
void bench_pool_wait_connected (BenchPool *pool);
void bench_client_clear (BenchClient *c);
/* Lets the closes go out and drops the session. */
void bench_pool_close (BenchPool *pool);

G_END_DECLS
