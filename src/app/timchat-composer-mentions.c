/* timchat-composer-mentions.c: @-mentions in a group conversation. Typing "@" at the start of
 * the text or after white space opens the member list (TimchatMentionPopover) under what follows
 * it; choosing a member replaces "@query" with "@Name " and remembers name -> user ID, so that
 * sending mentions those whose "@Name" is still in the text (the longest name after each "@",
 * whatever follows it in Chinese or Japanese: "@张三你好"). Drafts keep only the text: a
 * mention typed into a draft and left there is sent as plain text after switching back. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <string.h>

#include "timchat-composer-private.h"

/* Longer than any name or user ID: a word this long after "@" is not a mention. */
#define MAX_QUERY_CHARS 64

static gboolean
in_group (TimchatComposer *self)
{
  return self->client != NULL && self->conversation_id != NULL &&
         tim_conv_parse_id (self->conversation_id, NULL) == TIM_CONV_GROUP;
}

/* The "@" that starts the word the cursor ends (at the text's start or after white space), and
 * what is typed after it. */
static gboolean
find_at (TimchatComposer *self, GtkTextIter *at, char **query)
{
  GtkTextBuffer *buffer = _timchat_composer_get_buffer (self);
  GtkTextIter cursor, iter, before;

  if (gtk_text_buffer_get_has_selection (buffer))
    return FALSE;
  gtk_text_buffer_get_iter_at_mark (buffer, &cursor, gtk_text_buffer_get_insert (buffer));
  iter = cursor;
  for (int n = 0; n <= MAX_QUERY_CHARS && gtk_text_iter_backward_char (&iter); n++)
    {
      gunichar c = gtk_text_iter_get_char (&iter);

      if (g_unichar_isspace (c))
        return FALSE;
      if (c != '@')
        continue;
      before = iter;
      if (gtk_text_iter_backward_char (&before) &&
          !g_unichar_isspace (gtk_text_iter_get_char (&before)))
        return FALSE; /* an address, not a mention */
      *at = iter;
      gtk_text_iter_forward_char (&iter);
      *query = gtk_text_iter_get_text (&iter, &cursor);
      return TRUE;
    }
  return FALSE;
}

/* Points the list at the "@" (it stays there while the query grows). */
static void
point_at_mention (TimchatComposer *self)
{
  GtkTextIter at;
  GdkRectangle rect;
  double x, y;

  gtk_text_buffer_get_iter_at_mark (_timchat_composer_get_buffer (self), &at, self->mention_at);
  gtk_text_view_get_iter_location (self->text_view, &at, &rect);
  gtk_text_view_buffer_to_window_coords (self->text_view, GTK_TEXT_WINDOW_WIDGET, rect.x, rect.y,
                                         &rect.x, &rect.y);
  if (!gtk_widget_translate_coordinates (GTK_WIDGET (self->text_view), GTK_WIDGET (self), rect.x,
                                         rect.y, &x, &y))
    return;
  rect.x = (int) x;
  rect.y = (int) y;
  gtk_popover_set_pointing_to (GTK_POPOVER (self->mention_popover), &rect);
}

static void
hide_list (TimchatComposer *self)
{
  if (self->mention_popover == NULL)
    return; /* disposed */
  if (gtk_widget_get_visible (GTK_WIDGET (self->mention_popover)))
    gtk_popover_popdown (GTK_POPOVER (self->mention_popover));
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->text_view), GTK_ACCESSIBLE_STATE_EXPANDED,
                               FALSE, -1);
}

/* Open while wanted and something matches; the members may arrive after the "@". */
static void
show_matches (TimchatComposer *self)
{
  if (!self->mention_wanted || timchat_mention_popover_get_n_matches (self->mention_popover) == 0)
    {
      hide_list (self);
      return;
    }
  point_at_mention (self);
  if (!gtk_widget_get_visible (GTK_WIDGET (self->mention_popover)))
    gtk_popover_popup (GTK_POPOVER (self->mention_popover));
  else
    gtk_popover_present (GTK_POPOVER (self->mention_popover));
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->text_view), GTK_ACCESSIBLE_STATE_EXPANDED,
                               TRUE, -1);
}

static void
close_list (TimchatComposer *self)
{
  self->mention_wanted = FALSE;
  hide_list (self);
}

/* edited: the text changed (typing opens the list); else the cursor moved (that only follows or
 * closes a list already wanted). */
static void
update (TimchatComposer *self, gboolean edited)
{
  GtkTextBuffer *buffer = _timchat_composer_get_buffer (self);
  g_autofree char *query = NULL;
  GtkTextIter at, last;

  if (self->program_sets_text || self->mention_popover == NULL)
    return;
  if (!in_group (self) || !find_at (self, &at, &query))
    {
      close_list (self);
      return;
    }
  gtk_text_buffer_get_iter_at_mark (buffer, &last, self->mention_at);
  if (!gtk_text_iter_equal (&at, &last))
    {
      gtk_text_buffer_move_mark (buffer, self->mention_at, &at);
      self->mention_dismissed = FALSE;
      if (!edited)
        self->mention_wanted = FALSE; /* moved into another "@word": not a list for it */
    }
  if (self->mention_dismissed || (!edited && !self->mention_wanted))
    {
      close_list (self);
      return;
    }
  self->mention_wanted = TRUE;
  timchat_mention_popover_set_query (self->mention_popover, query);
  show_matches (self);
}

static void
on_changed (TimchatComposer *self)
{
  update (self, TRUE);
}

static void
on_mark_set (GtkTextBuffer *buffer, const GtkTextIter *iter, GtkTextMark *mark,
             TimchatComposer *self)
{
  if (mark == gtk_text_buffer_get_insert (buffer))
    update (self, FALSE);
}

/* Before the text goes in ("changed" comes from inside): a new "@" lifts Escape's dismissal,
 * and asks for the members again: who joined the group since the last "@" is there to mention. */
static void
on_insert_text (GtkTextBuffer *buffer, const GtkTextIter *iter, const char *text, int len,
                TimchatComposer *self)
{
  if (len == 0 || memchr (text, '@', len < 0 ? strlen (text) : (gsize) len) == NULL)
    return;
  self->mention_dismissed = FALSE;
  if (self->mention_popover != NULL && !self->program_sets_text)
    timchat_mention_popover_refresh (self->mention_popover);
}

static void
on_member_chosen (TimchatComposer *self, const char *user_id, const char *name)
{
  GtkTextBuffer *buffer = _timchat_composer_get_buffer (self);
  g_autofree char *mention = g_strconcat ("@", name, NULL);
  GtkTextIter at, cursor;

  gtk_text_buffer_get_iter_at_mark (buffer, &at, self->mention_at);
  gtk_text_buffer_get_iter_at_mark (buffer, &cursor, gtk_text_buffer_get_insert (buffer));
  self->program_sets_text = TRUE;
  gtk_text_buffer_begin_user_action (buffer);
  gtk_text_buffer_delete (buffer, &at, &cursor);
  gtk_text_buffer_insert (buffer, &at, mention, -1);
  /* One space after it, unless one follows already. */
  if (!g_unichar_isspace (gtk_text_iter_get_char (&at)))
    gtk_text_buffer_insert (buffer, &at, " ", 1);
  else
    gtk_text_iter_forward_char (&at);
  gtk_text_buffer_place_cursor (buffer, &at);
  gtk_text_buffer_end_user_action (buffer);
  self->program_sets_text = FALSE;

  g_hash_table_insert (self->mentions, g_strdup (user_id), g_strdup (name));
  close_list (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->text_view));
}

/* Focus gone elsewhere (the message list, another window) closes the list; one idle later,
 * since a click on a row may pass through it. */
static void
check_focus (gpointer data)
{
  TimchatComposer *self = data;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  self->mention_focus_idle = 0;
  if (focus != GTK_WIDGET (self->text_view) &&
      (focus == NULL || !gtk_widget_is_ancestor (focus, GTK_WIDGET (self->mention_popover))))
    close_list (self);
}

static void
on_focus_leave (TimchatComposer *self)
{
  if (self->mention_focus_idle == 0)
    self->mention_focus_idle = g_idle_add_once (check_focus, self);
}

gboolean
_timchat_composer_mentions_key (TimchatComposer *self, guint keyval, GdkModifierType mods)
{
  if (self->mention_popover == NULL ||
      !gtk_widget_get_visible (GTK_WIDGET (self->mention_popover)) || mods != 0)
    return FALSE;
  switch (keyval)
    {
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      timchat_mention_popover_move (self->mention_popover, -1);
      return TRUE;
    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      timchat_mention_popover_move (self->mention_popover, 1);
      return TRUE;
    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
    case GDK_KEY_ISO_Enter:
    case GDK_KEY_Tab:
    case GDK_KEY_KP_Tab:
      timchat_mention_popover_choose (self->mention_popover);
      return TRUE;
    case GDK_KEY_Escape:
      self->mention_dismissed = TRUE;
      close_list (self);
      return TRUE;
    default:
      return FALSE;
    }
}

/* Whether a name that ends with last may end a mention before next (0 at the end of the text).
 * Chinese and Japanese (wide characters) put no space between words: "@张三你好" mentions 张三.
 * Between two letters or digits of a language written with spaces, the name is a whole word
 * or none: "@Al" is not in "@Alfred". */
static gboolean
may_end_mention (gunichar last, gunichar next)
{
  return next == 0 || !g_unichar_isalnum (next) || !g_unichar_isalnum (last) ||
         g_unichar_iswide (last) || g_unichar_iswide (next);
}

/* The length of the longest name chosen that text starts with (and may end there), 0 for none:
 * with 张三 and 张三丰 both chosen, "张三丰你好" is 张三丰. */
static gsize
longest_name_at (GHashTable *mentions, const char *text)
{
  GHashTableIter iter;
  gpointer name;
  gsize longest = 0;

  g_hash_table_iter_init (&iter, mentions);
  while (g_hash_table_iter_next (&iter, NULL, &name))
    {
      gsize len = strlen (name);

      if (len > longest && strncmp (text, name, len) == 0 &&
          may_end_mention (g_utf8_get_char (g_utf8_prev_char ((const char *) name + len)),
                           g_utf8_get_char (text + len)))
        longest = len;
    }
  return longest;
}

/* At each "@", in the order of the text, the members chosen under the longest name that follows
 * it (two members may share a name), each once. */
GStrv
_timchat_composer_mentions_in (TimchatComposer *self, const char *text)
{
  g_autoptr (GHashTable) added = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

  for (const char *at = strchr (text, '@'); at != NULL; at = strchr (at + 1, '@'))
    {
      gsize len = longest_name_at (self->mentions, at + 1);
      GHashTableIter iter;
      gpointer user_id, name;

      if (len == 0)
        continue;
      g_hash_table_iter_init (&iter, self->mentions);
      while (g_hash_table_iter_next (&iter, &user_id, &name))
        if (strlen (name) == len && strncmp (at + 1, name, len) == 0 &&
            g_hash_table_size (added) < TIM_MAX_AT_USERS && g_hash_table_add (added, user_id))
          g_strv_builder_add (builder, user_id);
    }
  if (g_hash_table_size (added) == 0)
    return NULL;
  return g_strv_builder_end (builder);
}

void
_timchat_composer_mentions_forget (TimchatComposer *self)
{
  g_hash_table_remove_all (self->mentions);
}

GHashTable *
_timchat_composer_mentions_take (TimchatComposer *self)
{
  GHashTable *taken = g_steal_pointer (&self->mentions);

  self->mentions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return taken;
}

void
_timchat_composer_mentions_give_back (TimchatComposer *self, GHashTable *mentions)
{
  GHashTableIter iter;
  gpointer user_id, name;

  g_hash_table_iter_init (&iter, mentions);
  while (g_hash_table_iter_next (&iter, &user_id, &name))
    if (!g_hash_table_contains (self->mentions, user_id))
      g_hash_table_insert (self->mentions, g_strdup (user_id), g_strdup (name));
}

void
_timchat_composer_replace_text (TimchatComposer *self, const char *text)
{
  self->program_sets_text = TRUE;
  gtk_text_buffer_set_text (_timchat_composer_get_buffer (self), text != NULL ? text : "", -1);
  self->program_sets_text = FALSE;
  close_list (self);
}

void
_timchat_composer_mentions_reset (TimchatComposer *self)
{
  gboolean group = in_group (self);
  const char *group_id = NULL;

  _timchat_composer_mentions_forget (self);
  self->mention_dismissed = FALSE;
  close_list (self);
  if (self->mention_popover == NULL)
    return; /* disposed */
  if (group)
    tim_conv_parse_id (self->conversation_id, &group_id);
  timchat_mention_popover_set_group (self->mention_popover, group ? self->client : NULL, group_id);
  if (group)
    gtk_accessible_update_property (
        GTK_ACCESSIBLE (self->text_view), GTK_ACCESSIBLE_PROPERTY_HAS_POPUP, TRUE,
        GTK_ACCESSIBLE_PROPERTY_AUTOCOMPLETE, GTK_ACCESSIBLE_AUTOCOMPLETE_LIST, -1);
  else
    {
      gtk_accessible_reset_property (GTK_ACCESSIBLE (self->text_view),
                                     GTK_ACCESSIBLE_PROPERTY_HAS_POPUP);
      gtk_accessible_reset_property (GTK_ACCESSIBLE (self->text_view),
                                     GTK_ACCESSIBLE_PROPERTY_AUTOCOMPLETE);
    }
}

void
_timchat_composer_mentions_init (TimchatComposer *self)
{
  GtkTextBuffer *buffer = _timchat_composer_get_buffer (self);
  GtkEventController *focus;
  GtkTextIter start;

  self->mentions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  gtk_text_buffer_get_start_iter (buffer, &start);
  self->mention_at = gtk_text_buffer_create_mark (buffer, NULL, &start, TRUE);
  g_signal_connect_object (buffer, "changed", G_CALLBACK (on_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (buffer, "mark-set", G_CALLBACK (on_mark_set), self, 0);
  g_signal_connect_object (buffer, "insert-text", G_CALLBACK (on_insert_text), self, 0);
  focus = gtk_event_controller_focus_new ();
  g_signal_connect_object (focus, "leave", G_CALLBACK (on_focus_leave), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->text_view), focus);
  g_signal_connect_object (self->mention_popover, "member-chosen", G_CALLBACK (on_member_chosen),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->mention_popover, "notify::n-matches", G_CALLBACK (show_matches),
                           self, G_CONNECT_SWAPPED);
}
