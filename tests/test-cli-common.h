/* test-cli-common.h: what the timchat-cli end-to-end tests (tests/test-cli-*.c) share: the real
 * server and the CLI's data directory, start-up and clean-up, running the built binary
 * (TIMCHAT_CLI) and reading its JSON. */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "timchat-fixture.h"

G_BEGIN_DECLS

/* The server every test of the program talks to, and the CLI's TIMCHAT_DATA_DIR. */
extern TimchatFixture *fixture;
extern char *data_dir;

/* g_test_init with non-fatal assertions, then the server, the data directory and the accounts
 * the tests send to. */
void test_cli_init (int *argc, char ***argv);
/* g_test_run, then stops the server and removes the data directory: the status. */
int test_cli_run (void);

/* The server's ws:// URL. */
char *server_url (void);
/* A launcher for the CLI as user (with_env: with the credentials in the environment). */
GSubprocessLauncher *launcher_new (const char *user, gboolean with_env, GSubprocessFlags flags);
/* Runs timchat-cli ARGS... (NULL-terminated) as user; returns the exit status. */
int run_cli (const char *user, char **out, char **err, const char *first, ...);
/* Runs a --json command expected to exit with expected; returns its stdout as JSON. */
JsonNode *run_json_full (const char *user, gboolean with_env, int expected, const char *first, ...);

#define run_json(user, expected, ...) run_json_full (user, TRUE, expected, __VA_ARGS__, NULL)

/* NULL-safe accessors of the JSON the CLI prints. */
JsonObject *obj (JsonNode *node);
const char *obj_string (JsonObject *object, const char *path);
gint64 obj_int (JsonObject *object, const char *path);
gboolean obj_bool (JsonObject *object, const char *path);
/* The message (or conversation) with id in a JSON array of them, or NULL. */
JsonObject *find_message (JsonNode *array, const char *id);

/* `timchat-cli watch --json`: the next JSON line of stream whose "event" is event (others
 * skipped), NULL after timeout_ms; watch as user with the options in extra (NULL-terminated, or
 * NULL), without waiting; the same once it has printed "ready" (NULL if it never did), *stream
 * reading its events; its exit status once it ended by itself; whether process has exited within
 * timeout_ms. */
JsonObject *read_event (GDataInputStream *stream, const char *event, guint timeout_ms);
GSubprocess *spawn_watch (const char *user, const char *const *extra);
GSubprocess *start_watch_with (const char *user, const char *const *extra,
                               GDataInputStream **stream);
GSubprocess *start_watch (const char *user, GDataInputStream **stream);
int watch_exit_status (GSubprocess *watch);
gboolean wait_exit (GSubprocess *process, guint timeout_ms);

G_END_DECLS
