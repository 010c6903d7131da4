/* tim-elem-private.h: shared by the tim-elem*.c files only. The field tables drive validation
 * (tim-elem.c) and both directions of the conversion (tim-elem-payload*.c), so the three cannot
 * drift apart. */
#pragma once

#include <json-glib/json-glib.h>

#include "tim-elem.h"

G_BEGIN_DECLS

/* ---- field tables for the simple types ---- */

typedef enum
{
  K_STR,
  K_INT,
  K_NUM,
  K_STR_ARRAY,
  K_OBJ_ARRAY,
} Kind;

enum
{
  F_REQUIRED = 1 << 0,
  F_ALWAYS_TWO = 1 << 1, /* download flags: the SDK always shows and sends 2 */
};

typedef struct
{
  const char *wire;
  const char *payload; /* NULL: validated, not shown to the application */
  Kind kind;
  int flags;
} Field;

/* Each table ends with a { NULL } entry. */
extern const Field _tim_elem_image_fields[];
extern const Field _tim_elem_image_info_fields[];
extern const Field _tim_elem_relay_fields[];

/* tim-elem-fields.c: JSON scalars, lenient on numbers given as numeric strings. */
gboolean _tim_elem_node_get_int (JsonNode *node, gint64 *out);
gboolean _tim_elem_node_get_double (JsonNode *node, double *out);
gboolean _tim_elem_obj_has (JsonObject *obj, const char *key);
gint64 _tim_elem_obj_get_int0 (JsonObject *obj, const char *key);
JsonNode *_tim_elem_node_deep_copy (JsonNode *node);
const Field *_tim_elem_fields_for_type (TimElemType type);

/* tim-elem.c: validation. */
gboolean _tim_elem_invalid (GError **error, const char *where, const char *field,
                            const char *problem);
gboolean _tim_elem_validate_content (TimElemType type, JsonObject *content, const char *where,
                                     GError **error);

/* tim-elem-payload.c: the table-driven part of the conversion. */
JsonNode *_tim_elem_scalar_node (JsonNode *node, Kind kind);
void _tim_elem_fields_to_payload (const Field *fields, JsonObject *content, JsonObject *payload);
void _tim_elem_fields_from_payload (const Field *fields, JsonObject *payload, JsonObject *content);

/* tim-elem-payload-relay.c */
void _tim_elem_relay_to_payload (JsonObject *content, JsonObject *payload);
gboolean _tim_elem_relay_from_payload (JsonObject *payload, JsonObject *content, GError **error);

/* tim-elem-payload-group.c */
void _tim_elem_group_tip_to_payload (JsonObject *content, JsonObject *payload);
void _tim_elem_group_notice_to_payload (JsonObject *content, JsonObject *payload);

G_END_DECLS
