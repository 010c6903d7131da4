/* bench-client-store.h: a client's cached history written straight into its TimLocalStore with
 * libtim's own record code (_tim_client_store_message, _tim_client_update_conversation_last), in
 * one transaction, without a server: what a client that has seen the history would have. The
 * same preparation as bench-tim's cold start, usable from other benches. */
#pragma once

#include <json-glib/json-glib.h>

#include "tim-client.h"

G_BEGIN_DECLS

/* A C2C item as openim.getroammsg / msg_push carry it, holding a reference to body (MsgBody). */
JsonObject *bench_c2c_wire_item (const char *from, const char *to, gint64 seq, gint64 random,
                                 gint64 time, JsonArray *body);
/* [{"MsgType":"TIMTextElem","MsgContent":{"Text":text}}] */
JsonArray *bench_text_body (const char *text);

/* Called inside the transaction: add conversations with bench_store_c2c. */
typedef void (*BenchStoreFill) (TimClient *client, gpointer user_data);

/* Opens user's store under data_dir/SDKAPPID/user, runs fill in one transaction and closes it;
 * aborts on errors. Returns the seconds it took. */
double bench_store_prepare (const char *data_dir, guint64 sdkappid, const char *user,
                            BenchStoreFill fill, gpointer user_data);

/* The C2C conversation with peer: n (< 1,000,000) messages, server seq 1..n, IDs unique, odd ones
 * from the peer, even ones from the store's user, each with bodies[i % bodies->len] (JsonArray
 * MsgBody) or, when bodies is NULL, a text saying its number; the newest one is the conversation's
 * last message. */
void bench_store_c2c (TimClient *client, const char *peer, guint n, GPtrArray *bodies);

G_END_DECLS
