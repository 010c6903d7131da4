/* tim-msg-control.c: a message's SendMsgControl on the wire. */
#include "config.h"

#include "tim-msg-control.h"

#include "tim-error.h"
#include "tim-json.h"

static const struct
{
  TimMsgControl flag;
  const char *word;
} words[] = {
  { TIM_MSG_CONTROL_NO_UNREAD, "NoUnread" },
  { TIM_MSG_CONTROL_NO_LAST_MSG, "NoLastMsg" },
};

static TimMsgControl
flag_of (const char *word)
{
  for (gsize i = 0; word != NULL && i < G_N_ELEMENTS (words); i++)
    if (g_str_equal (word, words[i].word))
      return words[i].flag;
  return TIM_MSG_CONTROL_NONE;
}

gboolean
tim_msg_control_parse (JsonArray *control, TimMsgControl *flags, GError **error)
{
  *flags = TIM_MSG_CONTROL_NONE;
  for (guint i = 0; control != NULL && i < json_array_get_length (control); i++)
    {
      const char *word = tim_json_array_get_string (control, i);

      if (word == NULL)
        {
          g_set_error (error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                       "SendMsgControl[%u] must be a string", i);
          *flags = TIM_MSG_CONTROL_NONE;
          return FALSE;
        }
      *flags |= flag_of (word);
    }
  return TRUE;
}

JsonArray *
tim_msg_control_new_send (TimMsgControl flags)
{
  JsonArray *control;

  if (flags == TIM_MSG_CONTROL_NONE)
    return NULL;
  control = json_array_new ();
  for (gsize i = 0; i < G_N_ELEMENTS (words); i++)
    if (flags & words[i].flag)
      json_array_add_string_element (control, words[i].word);
  return control;
}

JsonObject *
tim_msg_control_new_received (TimMsgControl flags)
{
  JsonObject *control;

  if (flags == TIM_MSG_CONTROL_NONE)
    return NULL;
  control = json_object_new ();
  for (gsize i = 0; i < G_N_ELEMENTS (words); i++)
    if (flags & words[i].flag)
      json_object_set_int_member (control, words[i].word, 1);
  return control;
}

TimMsgControl
tim_msg_control_from_item (JsonObject *item)
{
  JsonNode *node = item != NULL ? json_object_get_member (item, "SendMsgControl") : NULL;
  TimMsgControl flags = TIM_MSG_CONTROL_NONE;

  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *control = json_node_get_object (node);

      for (gsize i = 0; i < G_N_ELEMENTS (words); i++)
        if (tim_json_get_int_or (control, words[i].word, 0) == 1)
          flags |= words[i].flag;
    }
  else if (node != NULL && JSON_NODE_HOLDS_ARRAY (node) &&
           !tim_msg_control_parse (json_node_get_array (node), &flags, NULL))
    flags = TIM_MSG_CONTROL_NONE;
  return flags;
}
