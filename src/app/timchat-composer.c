/* timchat-composer.c: the message entry: text, drafts, priority, actions. Sending and the Enter
 * key live in timchat-composer-send.c, the file choosers in timchat-composer-attach.c, drafts in
 * timchat-composer-drafts.c, editing a sent message in timchat-composer-edit.c, replying in
 * timchat-composer-reply.c. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <glib/gi18n.h>

#include "timchat-composer-private.h"
#include "timchat-emoji-picker.h"
#include "timchat-resources.h"
#include "timchat-settings.h"
#include "timchat-window.h"

#define MAX_LINES 6

G_DEFINE_FINAL_TYPE (TimchatComposer, timchat_composer, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_PRIORITY_NAME,
  PROP_RESTRICTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_FILE_CHOSEN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

GtkTextBuffer *
_timchat_composer_get_buffer (TimchatComposer *self)
{
  return gtk_text_view_get_buffer (self->text_view);
}

gboolean
_timchat_composer_is_blank (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

gboolean
_timchat_composer_get_target (TimchatComposer *self, TimConvType *type, const char **target)
{
  if (self->client == NULL || self->conversation_id == NULL)
    return FALSE;
  *type = tim_conv_parse_id (self->conversation_id, target);
  /* A plain member of a group muted for all cannot post: nothing to send that would fail. */
  return (*type == TIM_CONV_C2C || *type == TIM_CONV_GROUP) &&
         (self->group == NULL || tim_conversation_get_can_post (self->group));
}

gboolean
timchat_composer_can_send (TimchatComposer *self)
{
  TimConvType type;
  const char *target;

  g_return_val_if_fail (TIMCHAT_IS_COMPOSER (self), FALSE);
  return _timchat_composer_get_target (self, &type, &target);
}

void
_timchat_composer_update_state (TimchatComposer *self)
{
  g_autofree char *text = timchat_composer_dup_text (self);
  TimConvType type = TIM_CONV_INVALID;
  const char *target;
  gboolean can_send = _timchat_composer_get_target (self, &type, &target);

  gtk_widget_set_visible (GTK_WIDGET (self->placeholder), *text == '\0');
  /* Saving a blank edit leaves edit mode (it does not delete the message). */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "composer.send",
                                 self->editing != NULL ||
                                     (can_send && !_timchat_composer_is_blank (text)));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "composer.attach", can_send);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "composer.roll-die", can_send);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "composer.record-voice",
                                 can_send && self->recorder == NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->priority_button), type == TIM_CONV_GROUP);
}

void
timchat_composer_insert_emoji (TimchatComposer *self, const char *token)
{
  g_return_if_fail (TIMCHAT_IS_COMPOSER (self));

  gtk_text_buffer_insert_interactive_at_cursor (_timchat_composer_get_buffer (self), token, -1,
                                                TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->text_view));
}

void
timchat_composer_attach_file (TimchatComposer *self, GFile *file, TimElemType kind)
{
  g_return_if_fail (TIMCHAT_IS_COMPOSER (self));
  g_return_if_fail (G_IS_FILE (file));

  g_signal_emit (self, signals[SIGNAL_FILE_CHOSEN], 0, file, kind);
}

/* The text view only updates its adjustment when its text grows; the scrolled window must
 * measure again to show more lines. */
static void
resize_now (gpointer data)
{
  TimchatComposer *self = data;

  self->resize_idle = 0;
  gtk_widget_queue_resize (GTK_WIDGET (self->scroller));
}

/* Often during an allocation, where a resize request would be lost: one idle later. */
static void
on_upper_changed (TimchatComposer *self)
{
  if (self->resize_idle == 0)
    self->resize_idle = g_idle_add_once (resize_now, self);
}

/* Actions and template callbacks */

static void
send_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  timchat_composer_send (TIMCHAT_COMPOSER (widget));
}

static void
roll_die_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  timchat_composer_roll_die (TIMCHAT_COMPOSER (widget));
}

static void
attach_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  const char *what = g_variant_get_string (parameter, NULL);
  TimElemType kind = TIM_ELEM_FILE;

  if (g_str_equal (what, "image"))
    kind = TIM_ELEM_IMAGE;
  else if (g_str_equal (what, "video"))
    kind = TIM_ELEM_VIDEO;
  else if (g_str_equal (what, "audio"))
    kind = TIM_ELEM_SOUND;
  _timchat_composer_open_chooser (TIMCHAT_COMPOSER (widget), kind);
}

static void
on_emoji_picked (TimchatComposer *self, const char *token)
{
  timchat_composer_insert_emoji (self, token);
}

static void
on_sticker_picked (TimchatComposer *self, int index)
{
  timchat_composer_send_sticker (self, index);
}

static const char *
priority_label (TimPriority priority)
{
  switch (priority)
    {
    case TIM_PRIORITY_HIGH:
      return _ ("High");
    case TIM_PRIORITY_LOW:
      return _ ("Low");
    case TIM_PRIORITY_LOWEST:
      return _ ("Lowest");
    case TIM_PRIORITY_NORMAL:
    default:
      return _ ("Normal");
    }
}

void
timchat_composer_set_priority (TimchatComposer *self, TimPriority priority)
{
  g_return_if_fail (TIMCHAT_IS_COMPOSER (self));

  if (self->priority == priority)
    return;
  self->priority = priority;
  gtk_menu_button_set_label (self->priority_button, priority_label (priority));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRIORITY_NAME]);
}

const char *
timchat_composer_get_restriction (TimchatComposer *self)
{
  g_return_val_if_fail (TIMCHAT_IS_COMPOSER (self), NULL);
  return self->restriction;
}

void
_timchat_composer_set_restriction (TimchatComposer *self, const char *restriction)
{
  /* Read-only rather than insensitive: what is typed stays readable and can be copied, and it
   * is sent once the mute is over. */
  if (self->text_view != NULL)
    {
      gtk_text_view_set_editable (self->text_view, restriction == NULL);
      gtk_text_view_set_cursor_visible (self->text_view, restriction == NULL);
    }
  if (g_strcmp0 (self->restriction, restriction) == 0)
    return;
  g_free (self->restriction);
  self->restriction = g_strdup (restriction);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RESTRICTION]);
}

TimPriority
timchat_composer_get_priority (TimchatComposer *self)
{
  g_return_val_if_fail (TIMCHAT_IS_COMPOSER (self), TIM_PRIORITY_NORMAL);
  return self->priority;
}

static void
timchat_composer_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  TimchatComposer *self = TIMCHAT_COMPOSER (object);

  switch (prop_id)
    {
    case PROP_PRIORITY_NAME:
      g_value_set_string (value, tim_priority_to_string (self->priority));
      break;
    case PROP_RESTRICTION:
      g_value_set_string (value, self->restriction);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
timchat_composer_set_property (GObject *object, guint prop_id, const GValue *value,
                               GParamSpec *pspec)
{
  TimchatComposer *self = TIMCHAT_COMPOSER (object);

  switch (prop_id)
    {
    case PROP_PRIORITY_NAME:
      timchat_composer_set_priority (self, tim_priority_from_string (g_value_get_string (value)));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
timchat_composer_dispose (GObject *object)
{
  TimchatComposer *self = TIMCHAT_COMPOSER (object);

  _timchat_composer_close_chooser (self);
  g_clear_handle_id (&self->resize_idle, g_source_remove);
  g_clear_handle_id (&self->mention_focus_idle, g_source_remove);
  if (self->text_view != NULL)
    _timchat_composer_save_draft (self);
  g_clear_handle_id (&self->draft_save_timeout, g_source_remove);
  g_clear_handle_id (&self->mute_over_timeout, g_source_remove);
  _timchat_composer_edit_dispose (self);
  _timchat_composer_reply_dispose (self);
  _timchat_composer_record_dispose (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), TIMCHAT_TYPE_COMPOSER);
  g_clear_object (&self->client);
  g_clear_object (&self->settings);
  _timchat_composer_watch_group (self);

  G_OBJECT_CLASS (timchat_composer_parent_class)->dispose (object);
}

static void
timchat_composer_finalize (GObject *object)
{
  TimchatComposer *self = TIMCHAT_COMPOSER (object);

  g_free (self->conversation_id);
  g_free (self->kept_draft);
  g_free (self->restriction);
  g_hash_table_unref (self->mentions);

  G_OBJECT_CLASS (timchat_composer_parent_class)->finalize (object);
}

static void
timchat_composer_class_init (TimchatComposerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  timchat_ensure_resources ();
  g_type_ensure (TIMCHAT_TYPE_EMOJI_PICKER);
  g_type_ensure (TIMCHAT_TYPE_MENTION_POPOVER);

  object_class->dispose = timchat_composer_dispose;
  object_class->finalize = timchat_composer_finalize;
  object_class->get_property = timchat_composer_get_property;
  object_class->set_property = timchat_composer_set_property;

  /* The priority menu's radio items: "High", "Normal", "Low", "Lowest". */
  properties[PROP_PRIORITY_NAME] =
      g_param_spec_string ("priority-name", NULL, NULL, "Normal",
                           G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_RESTRICTION] =
      g_param_spec_string ("restriction", NULL, NULL, NULL,
                           G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_FILE_CHOSEN] =
      g_signal_new_class_handler ("file-chosen", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  G_CALLBACK (_timchat_composer_real_file_chosen), NULL, NULL, NULL,
                                  G_TYPE_NONE, 2, G_TYPE_FILE, TIM_TYPE_ELEM_TYPE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/example/TimChat/timchat-composer.ui");
  /* Bound (without a field) so that dispose_template unparents it. */
  gtk_widget_class_bind_template_child_full (widget_class, "outer", FALSE, 0);
  gtk_widget_class_bind_template_child (widget_class, TimchatComposer, scroller);
  gtk_widget_class_bind_template_child (widget_class, TimchatComposer, text_view);
  gtk_widget_class_bind_template_child (widget_class, TimchatComposer, placeholder);
  gtk_widget_class_bind_template_child (widget_class, TimchatComposer, priority_button);
  gtk_widget_class_bind_template_child (widget_class, TimchatComposer, send_button);
  gtk_widget_class_bind_template_child (widget_class, TimchatComposer, mention_popover);
  gtk_widget_class_bind_template_callback_full (widget_class, "update_state",
                                                G_CALLBACK (_timchat_composer_update_state));
  gtk_widget_class_bind_template_callback (widget_class, on_emoji_picked);
  gtk_widget_class_bind_template_callback (widget_class, on_sticker_picked);

  gtk_widget_class_install_action (widget_class, "composer.send", NULL, send_action);
  gtk_widget_class_install_action (widget_class, "composer.attach", "s", attach_action);
  gtk_widget_class_install_action (widget_class, "composer.roll-die", NULL, roll_die_action);
  _timchat_composer_class_init_edit (widget_class);
  _timchat_composer_class_init_reply (widget_class);
  _timchat_composer_class_init_record (widget_class);
  gtk_widget_class_install_property_action (widget_class, "composer.priority", "priority-name");

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "composer");
}

static void
timchat_composer_init (TimchatComposer *self)
{
  g_autoptr (PangoLayout) layout = NULL;
  GtkEventController *keys;
  int line_height;

  self->priority = TIM_PRIORITY_NORMAL;
  gtk_widget_init_template (GTK_WIDGET (self));
  _timchat_composer_mentions_init (self);
  _timchat_composer_typing_init (self);
  _timchat_composer_drafts_init (self);
  _timchat_composer_record_init (self);

  /* An uninstalled run may have no schema: then Enter simply sends. */
  if (timchat_settings_get () != NULL)
    self->settings = g_object_ref (timchat_settings_get ());

  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_name (keys, "composer-keys");
  /* Capture: before the text view turns Enter into a new line. */
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (_timchat_composer_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self->text_view), keys);

  /* Grow with the text up to MAX_LINES lines, then scroll. */
  layout = gtk_widget_create_pango_layout (GTK_WIDGET (self->text_view), "Ag");
  pango_layout_get_pixel_size (layout, NULL, &line_height);
  gtk_scrolled_window_set_max_content_height (
      self->scroller, MAX_LINES * line_height + gtk_text_view_get_top_margin (self->text_view) +
                          gtk_text_view_get_bottom_margin (self->text_view));

  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (self->scroller), "notify::upper",
                           G_CALLBACK (on_upper_changed), self, G_CONNECT_SWAPPED);

  gtk_menu_button_set_label (self->priority_button, priority_label (self->priority));
  _timchat_composer_update_state (self);
}

GtkWidget *
timchat_composer_new (void)
{
  return g_object_new (TIMCHAT_TYPE_COMPOSER, NULL);
}

void
timchat_composer_set_client (TimchatComposer *self, TimClient *client)
{
  g_return_if_fail (TIMCHAT_IS_COMPOSER (self));

  if (self->client != client)
    {
      timchat_composer_cancel_edit (self);
      timchat_composer_cancel_reply (self);
      _timchat_composer_discard_recording (self);
    }
  if (g_set_object (&self->client, client))
    {
      _timchat_composer_update_state (self);
      _timchat_composer_watch_group (self);
      _timchat_composer_mentions_reset (self);
    }
}

void
timchat_composer_set_conversation_id (TimchatComposer *self, const char *conversation_id)
{
  g_autofree char *draft = NULL;

  g_return_if_fail (TIMCHAT_IS_COMPOSER (self));

  if (g_strcmp0 (self->conversation_id, conversation_id) == 0)
    return;
  /* The typed draft comes back before it is kept. */
  timchat_composer_cancel_edit (self);
  timchat_composer_cancel_reply (self);
  _timchat_composer_discard_recording (self);
  /* An attach chooser still up was opened for the conversation that closes: what it gives would
   * be sent into the one open by then (the chooser is modal, but a notification's click opens
   * another all the same), as a preview sheet's Send was. It goes with its conversation. */
  _timchat_composer_close_chooser (self);
  _timchat_composer_save_draft (self);
  _timchat_composer_typing_stop (self);
  g_free (self->conversation_id);
  self->conversation_id = g_strdup (conversation_id);
  timchat_composer_set_priority (self, TIM_PRIORITY_NORMAL);
  _timchat_composer_mentions_reset (self);
  draft = conversation_id != NULL ? _timchat_composer_load_draft (self) : g_strdup ("");
  _timchat_composer_replace_text (self, draft);
  _timchat_composer_update_state (self);
  _timchat_composer_watch_group (self);
}

char *
timchat_composer_dup_text (TimchatComposer *self)
{
  GtkTextIter start, end;

  g_return_val_if_fail (TIMCHAT_IS_COMPOSER (self), NULL);

  gtk_text_buffer_get_bounds (_timchat_composer_get_buffer (self), &start, &end);
  return gtk_text_buffer_get_text (_timchat_composer_get_buffer (self), &start, &end, FALSE);
}

void
_timchat_composer_show_error (TimchatComposer *self, const GError *error)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (TIMCHAT_IS_WINDOW (root))
    timchat_window_show_error (TIMCHAT_WINDOW (root), error);
  else
    g_debug ("%s", error->message); /* no window to toast in (widget tests) */
}

void
timchat_composer_set_text (TimchatComposer *self, const char *text)
{
  g_return_if_fail (TIMCHAT_IS_COMPOSER (self));

  _timchat_composer_replace_text (self, text);
}

/* Not a grab_focus override: GTK's Tab navigation calls grab_focus on the containers it passes
 * through, and an override there kept Shift+Tab from ever leaving the composer. */
gboolean
timchat_composer_focus_text (TimchatComposer *self)
{
  g_return_val_if_fail (TIMCHAT_IS_COMPOSER (self), FALSE);
  return gtk_widget_grab_focus (GTK_WIDGET (self->text_view));
}
