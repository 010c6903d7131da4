/* timchat-emoji-picker.c: a popover with two pages: every emoji token libtim knows (inserted as
 * text, so the message keeps the seed's "[Grin]" form) and a few stickers (sent at once). */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <glib/gi18n.h>

#include "tim-text.h"
#include "timchat-emoji-picker.h"
#include "timchat-resources.h"

struct _TimchatEmojiPicker
{
  GtkPopover parent_instance;

  GtkFlowBox *emoji_box;
  GtkFlowBox *sticker_box;
};

G_DEFINE_FINAL_TYPE (TimchatEmojiPicker, timchat_emoji_picker, GTK_TYPE_POPOVER)

enum
{
  SIGNAL_EMOJI_PICKED,
  SIGNAL_STICKER_PICKED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Index = the face message's index; drawn large by the picker (and by message rows). */
static const struct
{
  const char *emoji;
  const char *name;
} stickers[] = {
  { "🎉", N_ ("Party") },    { "👍", N_ ("Thumbs Up") },  { "❤️", N_ ("Love") },
  { "😂", N_ ("Laughing") }, { "🙏", N_ ("Thanks") },     { "🎂", N_ ("Birthday") },
  { "☕", N_ ("Coffee") },   { "🌙", N_ ("Good Night") }, { "🐱", N_ ("Cat") },
  { "🔥", N_ ("Fire") },     { "👋", N_ ("Hello") },      { "💪", N_ ("You Can Do It") },
};

const char *
timchat_emoji_picker_sticker_emoji (int index)
{
  if (index < 0 || (guint) index >= G_N_ELEMENTS (stickers))
    return NULL;
  return stickers[index].emoji;
}

char *
timchat_emoji_picker_sticker_data (int index)
{
  return g_strdup_printf ("tt%02d", index);
}

static void
on_emoji_clicked (GtkButton *button, TimchatEmojiPicker *self)
{
  const char *token = g_object_get_data (G_OBJECT (button), "token");

  gtk_popover_popdown (GTK_POPOVER (self));
  g_signal_emit (self, signals[SIGNAL_EMOJI_PICKED], 0, token);
}

static void
on_sticker_clicked (GtkButton *button, TimchatEmojiPicker *self)
{
  int index = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "index"));

  gtk_popover_popdown (GTK_POPOVER (self));
  g_signal_emit (self, signals[SIGNAL_STICKER_PICKED], 0, index);
}

static GtkWidget *
picker_button (const char *label, const char *tooltip, const char *css_class)
{
  GtkWidget *button = gtk_button_new_with_label (label);

  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_add_css_class (button, css_class);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip,
                                  -1);
  return button;
}

static void
timchat_emoji_picker_class_init (TimchatEmojiPickerClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  timchat_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/example/TimChat/timchat-emoji-picker.ui");
  gtk_widget_class_bind_template_child (widget_class, TimchatEmojiPicker, emoji_box);
  gtk_widget_class_bind_template_child (widget_class, TimchatEmojiPicker, sticker_box);

  signals[SIGNAL_EMOJI_PICKED] =
      g_signal_new ("emoji-picked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                    NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_STICKER_PICKED] =
      g_signal_new ("sticker-picked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                    NULL, G_TYPE_NONE, 1, G_TYPE_INT);
}

static void
timchat_emoji_picker_init (TimchatEmojiPicker *self)
{
  const char *const *tokens = tim_text_emoji_tokens ();

  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; tokens[i] != NULL; i++)
    {
      GtkWidget *button = picker_button (tim_text_emoji_for_token (tokens[i]),
                                         tim_text_emoji_name_for_token (tokens[i]), "emoji-button");

      /* The token strings are libtim's static table: no copy needed. */
      g_object_set_data (G_OBJECT (button), "token", (gpointer) tokens[i]);
      g_signal_connect (button, "clicked", G_CALLBACK (on_emoji_clicked), self);
      gtk_flow_box_append (self->emoji_box, button);
    }

  for (guint i = 0; i < G_N_ELEMENTS (stickers); i++)
    {
      GtkWidget *button = picker_button (stickers[i].emoji, _ (stickers[i].name), "sticker-button");

      g_object_set_data (G_OBJECT (button), "index", GINT_TO_POINTER (i));
      g_signal_connect (button, "clicked", G_CALLBACK (on_sticker_clicked), self);
      gtk_flow_box_append (self->sticker_box, button);
    }
}

GtkWidget *
timchat_emoji_picker_new (void)
{
  return g_object_new (TIMCHAT_TYPE_EMOJI_PICKER, NULL);
}
