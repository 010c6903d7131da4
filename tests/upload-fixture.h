/* upload-fixture.h: the upload tests' server, client and images (upload-fixture.c). */
#pragma once

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "timchat-upload.h"

G_BEGIN_DECLS

/* The credentials fake_auth () accepts, as a query string. */
#define AUTH_OK "identifier=alice&usersig=ok"

typedef struct
{
  char *dir;
  SoupServer *server;
  TimchatUploads *uploads;
  SoupSession *session;
  char *base; /* http://127.0.0.1:PORT, no trailing slash */
} Fixture;

void fixture_setup (Fixture *f, gconstpointer data);
void fixture_teardown (Fixture *f, gconstpointer data);
/* Files in the storage directory, finished uploads and leftovers alike. */
guint count_stored (Fixture *f);

/* The server lives on this thread's main context, so these run it while they wait. */
GBytes *send_and_read (Fixture *f, SoupMessage *msg);
char *upload_url (Fixture *f, const char *kind, const char *name, const char *auth);
JsonObject *parse_answer (GBytes *body);
JsonObject *upload_message (Fixture *f, SoupMessage *msg, guint expected_status);
JsonObject *upload_bytes (Fixture *f, const char *kind, const char *name, GBytes *data,
                          guint expected_status);
void assert_fail (JsonObject *answer, int code);
GBytes *download (Fixture *f, const char *url, const char *range, guint expected_status);

GBytes *make_png (int width, int height);
/* Pads a PNG to exactly @total bytes with a private ancillary chunk that decoders skip. */
GBytes *pad_png (GBytes *png, gsize total);
GdkPixbuf *decode (GBytes *bytes);

G_END_DECLS
