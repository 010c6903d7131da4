/* test-tim-transport-common.h: what both of TimTransport's test programs
 * (tests/test-tim-transport-*.c) use, kept once in test-tim-transport-common.c. */
#pragma once

#include <sys/types.h>

#include "tim-transport.h"
#include "timchat-fixture.h"

G_BEGIN_DECLS

#define WAIT_MS 10000

/* Recording what a transport does ------------------------------------------------------------ */

typedef struct
{
  TimTransport *transport;
  GArray *states; /* TimNetState per notify::state */
  guint logged_in;
  int kicked;
  GError *login_failed;
  GPtrArray *pushes; /* JsonObject bodies of im_open_push.msg_push */
} Recorder;

/* A new transport to f's server, each of its signals recorded. */
Recorder *recorder_new (TimchatFixture *f);
/* Frees r, asserting its transport (if still there) is finalized. */
void recorder_free (Recorder *r);
/* Asserts r's transport went through the n states expected, in order. */
void assert_states (Recorder *r, const TimNetState *expected, guint n);

/* Waiting on the main context ---------------------------------------------------------------- */

/* Iterates until *flag (an int) is non-zero or timeout_ms passed; returns whether it is set. */
gboolean wait_for (const int *flag, guint timeout_ms);
/* Iterates the main context for ms. */
void spin (guint ms);
/* Iterates until *value reaches target or timeout_ms passed; returns whether it did. */
gboolean wait_count (const guint *value, guint target, guint timeout_ms);

/* How a login or a request ended: done set once it did. */
typedef struct
{
  int done;
  JsonObject *reply;
  GError *error;
} Result;

/* Frees res's reply and error, and makes it not done again. */
void result_clear (Result *res);
/* A GAsyncReadyCallback of tim_transport_login_async () that fills the Result data. */
void on_login_done (GObject *source, GAsyncResult *result, gpointer data);
/* Logs r's transport in as user (a fresh UserSig) and waits for res. */
void transport_login (Recorder *r, TimchatFixture *f, const char *user, Result *res);
/* Logs r's transport in as user, asserting it succeeds. */
void login_ok (Recorder *r, TimchatFixture *f, const char *user);
/* Sends servcmd with body_json on r's transport; res is filled when it ends. */
void request (Recorder *r, const char *servcmd, const char *body_json, guint timeout_ms,
              GCancellable *cancellable, Result *res);
/* Sends servcmd with body_json on r's transport and waits for res. */
void request_wait (Recorder *r, const char *servcmd, const char *body_json, Result *res);

/* The server process ------------------------------------------------------------------------- */

/* The fixture's timchat-server. */
pid_t find_server_pid (void);

G_END_DECLS
