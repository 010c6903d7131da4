/* test-tim-transport-common.c: the helpers both of TimTransport's test programs
 * (tests/test-tim-transport-*.c) use: a recorder of what a transport does, waiting on the main
 * context, logging in and requesting, and finding the fixture's server. */
#define G_LOG_DOMAIN "test-tim-transport-common"

#include "config.h"

#include "test-tim-transport-common.h"
#include "tim-json.h"
#include "timchat-test-extra.h"

/* Recording what a transport does ------------------------------------------------------------ */

static void
on_state (TimTransport *t, GParamSpec *pspec, Recorder *r)
{
  TimNetState state = tim_transport_get_state (t);

  g_array_append_val (r->states, state);
}

static void
on_logged_in (TimTransport *t, JsonObject *reply, Recorder *r)
{
  g_assert_nonnull (tim_json_get_string (reply, "A2Key"));
  r->logged_in++;
}

static void
on_kicked_out (TimTransport *t, int kick_type, Recorder *r)
{
  r->kicked = kick_type;
}

static void
on_login_failed (TimTransport *t, GError *error, Recorder *r)
{
  g_clear_error (&r->login_failed);
  r->login_failed = g_error_copy (error);
}

static void
on_push (TimTransport *t, const char *servcmd, JsonObject *body, Recorder *r)
{
  if (g_str_equal (servcmd, "im_open_push.msg_push"))
    g_ptr_array_add (r->pushes, json_object_ref (body));
}

Recorder *
recorder_new (TimchatFixture *f)
{
  Recorder *r = g_new0 (Recorder, 1);
  g_autofree char *url = g_strdup_printf ("ws://127.0.0.1:%u", timchat_fixture_get_port (f));

  r->transport = tim_transport_new (url, timchat_fixture_get_sdkappid (f));
  r->states = g_array_new (FALSE, FALSE, sizeof (TimNetState));
  r->pushes = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_signal_connect (r->transport, "notify::state", G_CALLBACK (on_state), r);
  g_signal_connect (r->transport, "logged-in", G_CALLBACK (on_logged_in), r);
  g_signal_connect (r->transport, "kicked-out", G_CALLBACK (on_kicked_out), r);
  g_signal_connect (r->transport, "login-failed", G_CALLBACK (on_login_failed), r);
  g_signal_connect (r->transport, "push", G_CALLBACK (on_push), r);
  return r;
}

void
recorder_free (Recorder *r)
{
  if (r->transport != NULL)
    g_assert_finalize_object (r->transport);
  g_array_unref (r->states);
  g_ptr_array_unref (r->pushes);
  g_clear_error (&r->login_failed);
  g_free (r);
}

void
assert_states (Recorder *r, const TimNetState *expected, guint n)
{
  g_assert_cmpuint (r->states->len, ==, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpint (g_array_index (r->states, TimNetState, i), ==, expected[i]);
}

/* Waiting on the main context ---------------------------------------------------------------- */

static gboolean
on_deadline (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
wait_for (const int *flag, guint timeout_ms)
{
  gboolean expired = FALSE;
  guint id = g_timeout_add (timeout_ms, on_deadline, &expired);

  while (*flag == 0 && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (id);
  return *flag != 0;
}

void
spin (guint ms)
{
  int never = 0;

  wait_for (&never, ms);
}

gboolean
wait_count (const guint *value, guint target, guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + timeout_ms * 1000;

  while (*value < target && g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
  return *value >= target;
}

void
result_clear (Result *res)
{
  g_clear_pointer (&res->reply, json_object_unref);
  g_clear_error (&res->error);
  res->done = 0;
}

void
on_login_done (GObject *source, GAsyncResult *result, gpointer data)
{
  Result *res = data;

  res->reply = tim_transport_login_finish (TIM_TRANSPORT (source), result, &res->error);
  res->done = 1;
}

static void
on_request_done (JsonObject *reply, const GError *error, gpointer data)
{
  Result *res = data;

  g_assert_cmpint (res->done, ==, 0);
  res->reply = reply != NULL ? json_object_ref (reply) : NULL;
  res->error = error != NULL ? g_error_copy (error) : NULL;
  res->done = 1;
}

void
transport_login (Recorder *r, TimchatFixture *f, const char *user, Result *res)
{
  g_autofree char *sig = timchat_fixture_usersig (f, user, 3600);

  tim_transport_login_async (r->transport, user, sig, NULL, on_login_done, res);
  g_assert_true (wait_for (&res->done, WAIT_MS));
}

void
login_ok (Recorder *r, TimchatFixture *f, const char *user)
{
  Result res = { 0 };

  transport_login (r, f, user, &res);
  g_assert_no_error (res.error);
  result_clear (&res);
}

void
request (Recorder *r, const char *servcmd, const char *body_json, guint timeout_ms,
         GCancellable *cancellable, Result *res)
{
  g_autoptr (JsonObject) body = NULL;
  g_autoptr (GError) error = NULL;

  body = tim_json_parse_object (body_json, -1, &error);
  g_assert_no_error (error);
  tim_transport_request (r->transport, servcmd, body, timeout_ms, cancellable, on_request_done,
                         res);
}

void
request_wait (Recorder *r, const char *servcmd, const char *body_json, Result *res)
{
  request (r, servcmd, body_json, 0, NULL, res);
  g_assert_true (wait_for (&res->done, WAIT_MS));
}

/* The server process ------------------------------------------------------------------------- */

pid_t
find_server_pid (void)
{
  GPid pid = timchat_test_find_server_pid ();

  g_assert_cmpint (pid, >, 0);
  return pid;
}
