/* timchat-message-row-layout.c: how a message row measures and places its parts, stacked: the
 * beginning of the conversation, the day separator, "Unread messages" (under the day: the first
 * unread message can be the first of a day), the tip line (with an application's
 * answer under it) and the column (sender, bubble,
 * error line), the column as wide as its content up to the row's width, at the start (with the
 * avatar before it in groups) or, for own messages, at the end; in selection mode the check button
 * at the start, the column after it.
 *
 * Not boxes with halign START/END: GTK 4.8 allocates an aligned widget by asking its natural
 * width *for the height it got* (gtk_widget_allocate), and horizontal boxes ask each child the
 * same when they allocate. A wrapping label answers a width-for-height question with a binary
 * search, laying its text out at width after width: that was ~1 ms a row, most of the layout
 * of an opening conversation. Here the column is measured the way the list measures rows, its
 * natural width first, then its height for that width, and allocated that size. The row is also
 * the list item's child itself (no box around it for the notes). */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include "timchat-message-row-private.h"

#define SPACING 4
#define NOTE_SPACING 6
#define PAD_SIDE 12
#define PAD_BOTTOM 2
/* The beginning comes first, NOTE_SPACING under it, then the space above the message
 * (self->top). */
#define N_NOTES 1
#define N_PARTS 6

/* The column's width in a row whose content is width wide (-1: unconstrained). */
static int
column_width (TimchatMessageRow *self, int width)
{
  int minimum, natural;

  gtk_widget_measure (self->column, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
  return width < 0 ? natural : MAX (minimum, MIN (width, natural));
}

/* The parts from the top, in order, if shown; the avatar goes with the column. */
static GtkWidget *
part (TimchatMessageRow *self, guint i)
{
  GtkWidget *parts[N_PARTS] = { self->beginning,   GTK_WIDGET (self->day_label),
                                self->unread,      GTK_WIDGET (self->tip_label),
                                self->application, self->column };

  if (i >= N_PARTS || parts[i] == NULL || !gtk_widget_get_visible (parts[i]))
    return NULL;
  return parts[i];
}

void
_timchat_message_row_measure (GtkWidget *widget, GtkOrientation orientation, int for_size,
                              int *minimum, int *natural, int *minimum_baseline,
                              int *natural_baseline)
{
  TimchatMessageRow *self = TIMCHAT_MESSAGE_ROW (widget);
  int inner = for_size < 0 || orientation == GTK_ORIENTATION_HORIZONTAL
                  ? -1
                  : MAX (for_size - 2 * PAD_SIDE, 0);
  guint shown = 0;

  *minimum = *natural = 0;
  for (guint i = 0; i < N_PARTS; i++)
    {
      GtkWidget *child = part (self, i);
      int child_min, child_nat, space, room;

      if (child == NULL)
        continue;
      /* The check button's room goes with the column. */
      room = child == self->column ? _timchat_message_row_check_room (self, NULL) : 0;
      if (orientation == GTK_ORIENTATION_HORIZONTAL)
        {
          gtk_widget_measure (child, orientation, -1, &child_min, &child_nat, NULL, NULL);
          *minimum = MAX (*minimum, child_min + room);
          *natural = MAX (*natural, child_nat + room);
          continue;
        }
      gtk_widget_measure (child, orientation,
                          child == self->column
                              ? column_width (self, inner < 0 ? -1 : MAX (inner - room, 0))
                              : inner,
                          &child_min, &child_nat, NULL, NULL);
      space = i < N_NOTES ? NOTE_SPACING : shown++ > 0 ? SPACING : 0;
      *minimum += child_min + space;
      *natural += child_nat + space;
    }
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum += 2 * PAD_SIDE;
      *natural += 2 * PAD_SIDE;
    }
  else
    {
      *minimum += self->top + PAD_BOTTOM;
      *natural += self->top + PAD_BOTTOM;
    }
  *minimum_baseline = *natural_baseline = -1;
}

void
_timchat_message_row_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  TimchatMessageRow *self = TIMCHAT_MESSAGE_ROW (widget);
  int inner = MAX (width - 2 * PAD_SIDE, 0);
  int y = 0;
  guint shown = 0;
  /* Start and end swap sides right to left, as a box's would (the column's margin-start, the
   * avatar's room, is on the right then: GTK applies it). */
  gboolean rtl = gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL;

  for (guint i = 0; i < N_PARTS; i++)
    {
      GtkWidget *child = part (self, i);
      int child_width = inner, x = PAD_SIDE, child_height, room = 0, check_width = 0;

      if (i == N_NOTES)
        y += self->top;
      if (child == NULL)
        continue;
      if (i >= N_NOTES && shown++ > 0)
        y += SPACING;
      if (child == self->column)
        {
          room = _timchat_message_row_check_room (self, &check_width);
          child_width = column_width (self, MAX (inner - room, 0));
          x += self->align_end ? inner - child_width : room;
        }
      gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, child_width, NULL, &child_height, NULL,
                          NULL);
      if (child == self->column && room > 0)
        {
          int check_height;

          /* Beside the middle of the message, at the row's start whichever side it is on. */
          gtk_widget_measure (self->check, GTK_ORIENTATION_VERTICAL, check_width, NULL,
                              &check_height, NULL, NULL);
          gtk_widget_size_allocate (
              self->check,
              &(GtkAllocation){ rtl ? width - PAD_SIDE - check_width : PAD_SIDE,
                                y + MAX (child_height - check_height, 0) / 2, check_width,
                                check_height },
              -1);
        }
      gtk_widget_size_allocate (
          child,
          &(GtkAllocation){ rtl ? width - x - child_width : x, y, child_width, child_height }, -1);
      if (child == self->column && self->avatar != NULL &&
          gtk_widget_get_visible (GTK_WIDGET (self->avatar)))
        {
          int size;

          gtk_widget_measure (GTK_WIDGET (self->avatar), GTK_ORIENTATION_HORIZONTAL, -1, NULL,
                              &size, NULL, NULL);
          gtk_widget_size_allocate (GTK_WIDGET (self->avatar),
                                    &(GtkAllocation){ rtl ? width - x - size : x, y, size, size },
                                    -1);
        }
      y += child_height + (i < N_NOTES ? NOTE_SPACING : 0);
    }
  if (self->popover != NULL)
    gtk_popover_present (GTK_POPOVER (self->popover));
}
