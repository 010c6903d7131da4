/* timchat-composer-send.c: what the composer sends (text, stickers, the die; a reply when the
 * reply bar is up) and the keys that send; who may post in the open group. Errors go to the
 * window's toast. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <glib/gi18n.h>

#include "timchat-composer-private.h"
#include "timchat-emoji-picker.h"
#include "timchat-format.h"

#define MUTE_CHECK_MAX_SECONDS (24 * 60 * 60)

typedef struct
{
  TimchatComposer *composer;
  TimMessage *message;
  TimMessage *reply_to;  /* the message it quotes, or NULL */
  GHashTable *mentions;  /* of its text: user ID -> the name typed after "@"; NULL for none */
  char *conversation_id; /* where it was written */
} Sending;

static void
sending_free (Sending *sending)
{
  g_object_unref (sending->composer);
  g_object_unref (sending->message);
  g_clear_object (&sending->reply_to);
  g_clear_pointer (&sending->mentions, g_hash_table_unref);
  g_free (sending->conversation_id);
  g_free (sending);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Sending, sending_free)

/* A text refused before it was kept anywhere (still unsent: not in the conversation as a failed
 * message one could retry) goes back where it was written, before what was typed since: the
 * composer was emptied when it was sent, and nothing typed is ever lost. With its mentions and
 * its quote, when the composer is still on its conversation and not editing; into the
 * conversation's draft when another is open by now; with what was typed before the edit (back
 * when the edit ends) while one is being edited. */
static void
give_back_text (TimchatComposer *self, Sending *sending)
{
  const char *refused = tim_message_get_text (sending->message);
  g_autofree char *typed = NULL;
  g_autofree char *text = NULL;

  if (tim_message_get_status (sending->message) != TIM_MESSAGE_STATUS_UNSENT || refused == NULL)
    return;
  if (g_strcmp0 (self->conversation_id, sending->conversation_id) != 0)
    {
      _timchat_composer_add_to_draft (self, sending->conversation_id, refused);
      return;
    }
  if (self->editing != NULL)
    {
      text = _timchat_composer_join_lines (refused, self->kept_draft);
      g_free (self->kept_draft);
      self->kept_draft = g_steal_pointer (&text);
      _timchat_composer_save_draft (self);
      return;
    }
  typed = timchat_composer_dup_text (self);
  text = _timchat_composer_join_lines (refused, typed);
  timchat_composer_set_text (self, text);
  if (sending->mentions != NULL)
    _timchat_composer_mentions_give_back (self, sending->mentions);
  /* Its quote too, unless the user went on to reply to something else. */
  if (sending->reply_to != NULL && self->replying == NULL)
    timchat_composer_reply_to (self, sending->reply_to);
}

static void
on_sent (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (Sending) sending = user_data;
  TimchatComposer *self = sending->composer;
  g_autoptr (GError) error = NULL;

  if (tim_client_send_message_finish (TIM_CLIENT (source), result, &error))
    return;
  /* Cancelled is not refused: a logout keeps it queued for the next login, and a deletion before
   * it went was the user's. Given back as well, it would go twice. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  give_back_text (self, sending);
  _timchat_composer_show_error (self, error);
}

/* Takes message and mentions (NULL when none). */
static void
send_message (TimchatComposer *self, TimMessage *message, GHashTable *mentions)
{
  Sending *sending = g_new0 (Sending, 1);

  sending->composer = g_object_ref (self);
  sending->message = message;
  sending->mentions = mentions;
  sending->conversation_id = g_strdup (self->conversation_id);
  sending->reply_to = _timchat_composer_take_reply (self, message);
  if (tim_message_get_conversation_type (message) == TIM_CONV_GROUP)
    tim_message_set_priority_for_send (message, self->priority);
  tim_client_send_message_async (self->client, message, NULL, NULL, NULL, NULL, on_sent, sending);
}

void
timchat_composer_send (TimchatComposer *self)
{
  g_autofree char *text = NULL;
  g_auto (GStrv) at_users = NULL;
  TimConvType type;
  const char *target;

  g_return_if_fail (TIMCHAT_IS_COMPOSER (self));

  if (self->editing != NULL)
    {
      _timchat_composer_save_edit (self);
      return;
    }
  text = g_strchomp (timchat_composer_dup_text (self));
  if (*text == '\0' || !_timchat_composer_get_target (self, &type, &target))
    return;
  /* Only the members chosen from the list whose "@Name" is still there are mentioned. */
  at_users = type == TIM_CONV_GROUP ? _timchat_composer_mentions_in (self, text) : NULL;
  send_message (self,
                at_users != NULL
                    ? tim_client_create_text_at_message (self->client, target, text,
                                                         (const char *const *) at_users)
                    : tim_client_create_text_message (self->client, target, type, text),
                at_users != NULL ? _timchat_composer_mentions_take (self) : NULL);
  _timchat_composer_mentions_forget (self);
  _timchat_composer_replace_text (self, "");
  _timchat_composer_save_draft (self);
}

void
timchat_composer_send_sticker (TimchatComposer *self, int index)
{
  g_autofree char *data = timchat_emoji_picker_sticker_data (index);
  TimConvType type;
  const char *target;

  g_return_if_fail (TIMCHAT_IS_COMPOSER (self));

  if (_timchat_composer_get_target (self, &type, &target))
    send_message (self, tim_client_create_face_message (self->client, target, type, index, data),
                  NULL);
}

void
timchat_composer_roll_die (TimchatComposer *self)
{
  g_autofree char *face = g_strdup_printf ("%d", g_random_int_range (1, 7));
  TimConvType type;
  const char *target;

  g_return_if_fail (TIMCHAT_IS_COMPOSER (self));

  if (_timchat_composer_get_target (self, &type, &target))
    send_message (self,
                  tim_client_create_custom_message (self->client, target, type, "dice", face, ""),
                  NULL);
}

/* Keys: Enter sends (Ctrl+Enter when "enter-sends" is off), Shift+Enter starts a new line; while
 * recording, Escape drops the recording; while the @-mention list is open, its keys come first,
 * then those of edit mode (Escape, Up) and of reply mode (Escape). */

gboolean
_timchat_composer_key_pressed (GtkEventControllerKey *controller, guint keyval, guint keycode,
                               GdkModifierType state, TimchatComposer *self)
{
  GdkModifierType mods = state & (GDK_SHIFT_MASK | GDK_CONTROL_MASK | GDK_ALT_MASK);
  gboolean enter_sends =
      self->settings == NULL || g_settings_get_boolean (self->settings, "enter-sends");

  /* The open @-mention list takes Enter (it inserts, it does not send), Tab, arrows, Escape. */
  if (_timchat_composer_record_key (self, keyval, mods) ||
      _timchat_composer_mentions_key (self, keyval, mods) ||
      _timchat_composer_edit_key (self, keyval, mods) ||
      _timchat_composer_reply_key (self, keyval, mods))
    return TRUE;
  if (keyval != GDK_KEY_Return && keyval != GDK_KEY_KP_Enter && keyval != GDK_KEY_ISO_Enter)
    return FALSE;
  if (mods == GDK_CONTROL_MASK || (mods == 0 && enter_sends))
    {
      timchat_composer_send (self);
      return TRUE;
    }
  if (mods == GDK_SHIFT_MASK || mods == 0)
    {
      gtk_text_buffer_insert_interactive_at_cursor (_timchat_composer_get_buffer (self), "\n", 1,
                                                    TRUE);
      gtk_text_view_scroll_mark_onscreen (
          self->text_view, gtk_text_buffer_get_insert (_timchat_composer_get_buffer (self)));
      return TRUE;
    }
  return FALSE;
}

/* ---------------------------------------------------------------- who may post */

static void show_who_may_post (TimchatComposer *self);

static gboolean
on_mute_over (gpointer user_data)
{
  TimchatComposer *self = user_data;

  self->mute_over_timeout = 0;
  show_who_may_post (self);
  return G_SOURCE_REMOVE;
}

/* The placeholder says why the user cannot post (mute-all, or their own mute until a time, which
 * ends by itself), else "Message"; the restriction says it as a sentence for the bar over the
 * composer, only while the user cannot post (an admin of a group muted for all can). */
static void
show_who_may_post (TimchatComposer *self)
{
  gboolean muted = self->group != NULL && tim_conversation_get_group_mute_all (self->group);
  gint64 until = self->group != NULL ? tim_conversation_get_group_self_mute_until (self->group) : 0;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autofree char *text = NULL;
  g_autofree char *restriction = NULL;

  g_clear_handle_id (&self->mute_over_timeout, g_source_remove);
  if (self->placeholder == NULL)
    {
      /* Disposed: nobody is told any more. */
      g_clear_pointer (&self->restriction, g_free);
      return;
    }
  if (until > now)
    {
      g_autofree char *when = timchat_format_until (until);

      /* Translators: the composer of a group where the user is muted; %s is "14:30" or a day and
       * a time, "Tue 14:30". */
      text = g_strdup_printf (_ ("You are muted until %s"), when);
      /* Translators: over the composer of a group where the user is muted; %s is "14:30" or a
       * day and a time, "Tue 14:30". */
      restriction = g_strdup_printf (_ ("You are muted in this group until %s"), when);
      /* At most a day at a time (on_mute_over () looks again): the time left is 64 bits and a
       * timeout's seconds a guint, and a mute of 2^32 s left (the server's longest, or a server
       * clock ahead of ours) would be cut to 0, a timer that fires and arms again for ever. */
      self->mute_over_timeout = g_timeout_add_seconds (
          (guint) MIN (until - now + 1, MUTE_CHECK_MAX_SECONDS), on_mute_over, self);
    }
  else if (self->group != NULL && !tim_conversation_get_can_post (self->group))
    restriction = g_strdup (_ ("Only the owner and admins can send messages here"));
  gtk_label_set_text (self->placeholder, text != NULL ? text
                                         : muted      ? _ ("Only the owner and admins can post")
                                                      : _ ("Message"));
  _timchat_composer_set_restriction (self, restriction);
  _timchat_composer_update_state (self);
}

static void
watch (TimchatComposer *self, TimConversation *group)
{
  if (self->group != NULL)
    g_signal_handlers_disconnect_by_data (self->group, self);
  g_set_object (&self->group, group);
  if (group != NULL)
    {
      g_signal_connect_object (group, "notify::group-mute-all", G_CALLBACK (show_who_may_post),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (group, "notify::group-self-role", G_CALLBACK (show_who_may_post),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (group, "notify::group-self-mute-until",
                               G_CALLBACK (show_who_may_post), self, G_CONNECT_SWAPPED);
    }
  show_who_may_post (self);
}

static void
on_group_profile (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TimchatComposer) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (TimConversation) group =
      tim_client_get_conversation_profile_finish (TIM_CLIENT (source), result, &error);

  if (group == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Cannot read the group's profile: %s", error->message);
      return;
    }
  if (g_strcmp0 (tim_conversation_get_id (group), self->conversation_id) == 0)
    watch (self, group);
}

void
_timchat_composer_watch_group (TimchatComposer *self)
{
  g_cancellable_cancel (self->group_cancellable);
  g_clear_object (&self->group_cancellable);
  if (self->client == NULL || self->conversation_id == NULL ||
      tim_conv_parse_id (self->conversation_id, NULL) != TIM_CONV_GROUP)
    {
      watch (self, NULL);
      return;
    }
  /* What the list knows at once (the local store keeps it); the server's word next. */
  watch (self, tim_conversation_list_lookup (tim_client_get_conversations (self->client),
                                             self->conversation_id));
  self->group_cancellable = g_cancellable_new ();
  tim_client_get_conversation_profile_async (self->client, self->conversation_id,
                                             self->group_cancellable, on_group_profile,
                                             g_object_ref (self));
}
