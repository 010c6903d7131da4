/* test-server-group-common.h: what both of the server's group test programs
 * (tests/test-server-group-messages.c and -members.c) use, kept once in
 * test-server-group-common.c. */
#pragma once

#include "timchat-test-extra.h"

G_BEGIN_DECLS

/* A new Private group of owner with the members of members_json (a MemberList); its ID. */
char *create_group (TimchatTestPeer *owner, const char *members_json);
/* p's group_msg_get of group: number messages up to seq (0: the newest), recalled ones too;
 * asserts it succeeded. */
JsonObject *history (TimchatTestPeer *p, const char *group, gint64 seq, gint64 number);

G_END_DECLS
