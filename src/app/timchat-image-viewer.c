/* timchat-image-viewer.c: the sender's own file when we have it, else the large version, else
 * the original (tim_message_get_image). Zoom changes the picture's size request inside a
 * scrolled window; "Fit" goes back to fitting the window. An image that cannot be shown says so
 * under the same header bar, so the window keeps its close button. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <glib/gi18n.h>

#include "tim-downloader.h"
#include "timchat-image-viewer.h"
#include "timchat-media-picture.h"

struct _TimchatImageViewer
{
  AdwWindow parent_instance;

  TimMessage *message;
  GtkWidget *stack; /* "picture" or "failure" */
  GtkWidget *picture;
  GtkWidget *failure;
  GtkWidget *spinner;
  char *url;
  double zoom; /* 0 = fit */
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (TimchatImageViewer, timchat_image_viewer, ADW_TYPE_WINDOW)

static void
apply_zoom (TimchatImageViewer *self)
{
  GdkPaintable *paintable = gtk_picture_get_paintable (GTK_PICTURE (self->picture));

  if (paintable == NULL || self->zoom <= 0)
    {
      gtk_widget_set_size_request (self->picture, -1, -1);
      return;
    }
  gtk_widget_set_size_request (self->picture,
                               gdk_paintable_get_intrinsic_width (paintable) * self->zoom,
                               gdk_paintable_get_intrinsic_height (paintable) * self->zoom);
}

static void
zoom_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TimchatImageViewer *self = TIMCHAT_IMAGE_VIEWER (widget);

  if (g_str_equal (action_name, "viewer.zoom-in"))
    self->zoom = self->zoom <= 0 ? 1.0 : MIN (self->zoom * 1.25, 8.0);
  else if (g_str_equal (action_name, "viewer.zoom-out"))
    self->zoom = self->zoom <= 0 ? 0.5 : MAX (self->zoom / 1.25, 0.1);
  else
    self->zoom = 0;
  apply_zoom (self);
}

static void
copy_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TimchatImageViewer *self = TIMCHAT_IMAGE_VIEWER (widget);
  GdkPaintable *paintable = gtk_picture_get_paintable (GTK_PICTURE (self->picture));

  if (GDK_IS_TEXTURE (paintable))
    gdk_clipboard_set_texture (gtk_widget_get_clipboard (widget), GDK_TEXTURE (paintable));
}

static void
show_failure (TimchatImageViewer *self, const char *why)
{
  static const char *const picture_actions[] = { "viewer.zoom-in", "viewer.zoom-out",
                                                 "viewer.zoom-fit", "viewer.copy" };

  /* A status page's description is markup: an error may hold "&" (a URL's query) or "<". */
  g_autofree char *escaped = g_markup_escape_text (why != NULL ? why : "", -1);

  gtk_widget_set_visible (self->spinner, FALSE);
  adw_status_page_set_description (ADW_STATUS_PAGE (self->failure), escaped);
  gtk_stack_set_visible_child (GTK_STACK (self->stack), self->failure);
  for (gsize i = 0; i < G_N_ELEMENTS (picture_actions); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), picture_actions[i], FALSE);
}

static void
loaded_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GdkTexture) texture = timchat_texture_load_finish (result, &error);
  TimchatImageViewer *self;

  if (error != NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = TIMCHAT_IMAGE_VIEWER (user_data);
  if (texture == NULL)
    {
      show_failure (self, error != NULL ? error->message : NULL);
      return;
    }
  gtk_widget_set_visible (self->spinner, FALSE);
  gtk_picture_set_paintable (GTK_PICTURE (self->picture), GDK_PAINTABLE (texture));
  apply_zoom (self);
}

static void
fetched_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GFile) file = tim_downloader_fetch_finish (TIM_DOWNLOADER (source), result, &error);
  TimchatImageViewer *self;

  if (error != NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = TIMCHAT_IMAGE_VIEWER (user_data);
  if (file == NULL)
    {
      show_failure (self, error->message);
      return;
    }
  timchat_texture_load_async (file, 0, 0, self->cancellable, loaded_cb, self);
}

static char *
pick_url (TimMessage *message)
{
  const char *large = tim_message_get_image (message, TIM_IMAGE_LARGE, NULL, NULL);

  return g_strdup (large != NULL ? large
                                 : tim_message_get_image (message, TIM_IMAGE_ORIGINAL, NULL, NULL));
}

static void
timchat_image_viewer_dispose (GObject *object)
{
  TimchatImageViewer *self = TIMCHAT_IMAGE_VIEWER (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->message);
  g_clear_pointer (&self->url, g_free);
  G_OBJECT_CLASS (timchat_image_viewer_parent_class)->dispose (object);
}

static void
timchat_image_viewer_class_init (TimchatImageViewerClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = timchat_image_viewer_dispose;
  gtk_widget_class_install_action (widget_class, "viewer.zoom-in", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "viewer.zoom-out", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "viewer.zoom-fit", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "viewer.copy", NULL, copy_action);
  /* Ctrl+= too: "+" is a shifted key on most layouts. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK,
                                       "viewer.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK,
                                       "viewer.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, GDK_CONTROL_MASK,
                                       "viewer.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK,
                                       "viewer.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, GDK_CONTROL_MASK,
                                       "viewer.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK, "viewer.zoom-fit",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK, "viewer.copy",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static GtkWidget *
header_button (const char *icon, const char *tooltip, const char *action)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_set_tooltip_text (button, tooltip);
  /* An icon alone names nothing for a screen reader. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip,
                                  -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  return button;
}

static void
timchat_image_viewer_init (TimchatImageViewer *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *overlay = gtk_overlay_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();

  self->cancellable = g_cancellable_new ();
  gtk_window_set_default_size (GTK_WINDOW (self), 800, 600);
  gtk_window_set_title (GTK_WINDOW (self), _ ("Image"));
  adw_header_bar_pack_start (
      ADW_HEADER_BAR (header),
      header_button ("zoom-out-symbolic", _ ("Zoom Out"), "viewer.zoom-out"));
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), header_button ("zoom-fit-best-symbolic",
                                                                     _ ("Fit"), "viewer.zoom-fit"));
  adw_header_bar_pack_start (ADW_HEADER_BAR (header),
                             header_button ("zoom-in-symbolic", _ ("Zoom In"), "viewer.zoom-in"));
  adw_header_bar_pack_end (ADW_HEADER_BAR (header),
                           header_button ("edit-copy-symbolic", _ ("Copy"), "viewer.copy"));
  self->picture = gtk_picture_new ();
  gtk_picture_set_can_shrink (GTK_PICTURE (self->picture), TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), self->picture);
  gtk_widget_set_vexpand (scrolled, TRUE);
  self->failure = adw_status_page_new ();
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (self->failure), "image-missing-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (self->failure), _ ("Cannot Show This Image"));
  self->stack = gtk_stack_new ();
  gtk_stack_add_named (GTK_STACK (self->stack), scrolled, "picture");
  gtk_stack_add_named (GTK_STACK (self->stack), self->failure, "failure");
  self->spinner = gtk_spinner_new ();
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), TRUE);
  gtk_widget_set_size_request (self->spinner, 32, 32);
  gtk_widget_set_halign (self->spinner, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (self->spinner, GTK_ALIGN_CENTER);
  gtk_overlay_set_child (GTK_OVERLAY (overlay), self->stack);
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), self->spinner);
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), overlay);
  adw_window_set_content (ADW_WINDOW (self), box);
}

/* Recalled while shown: the sender took it back, so it is not left on the screen. */
static void
on_revoked (TimMessage *message, GParamSpec *pspec, TimchatImageViewer *self)
{
  if (tim_message_get_is_revoked (message))
    gtk_window_destroy (GTK_WINDOW (self));
}

/* The picture goes with the window it was opened over: modal for that window only, it stayed on
 * screen once a chat history's viewer under it had gone (with its account, at a Log Out). */
GtkWidget *
timchat_image_viewer_new (GtkWindow *parent, TimMessage *message)
{
  TimchatImageViewer *self =
      g_object_new (TIMCHAT_TYPE_IMAGE_VIEWER, "transient-for", parent, "modal", parent != NULL,
                    "destroy-with-parent", TRUE, NULL);
  GFile *local = tim_message_get_local_file (message);

  self->message = g_object_ref (message);
  self->url = pick_url (message);
  g_signal_connect_object (message, "notify::is-revoked", G_CALLBACK (on_revoked), self, 0);
  if (local != NULL && g_file_query_exists (local, NULL))
    timchat_texture_load_async (local, 0, 0, self->cancellable, loaded_cb, self);
  else if (self->url != NULL)
    tim_downloader_fetch_async (tim_downloader_get_default (), self->url, NULL, NULL, NULL,
                                self->cancellable, fetched_cb, self);
  else
    show_failure (self,
                  _ ("The image is not on this computer and has no address to fetch it from."));
  return GTK_WIDGET (self);
}

gboolean
timchat_image_viewer_is_open_over (GtkWindow *parent)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (TIMCHAT_IS_IMAGE_VIEWER (window) && gtk_widget_get_visible (GTK_WIDGET (window)) &&
          gtk_window_get_transient_for (window) == parent)
        return TRUE;
    }
  return FALSE;
}
