/* timchat-avatar.c: see timchat-avatar.h. A decoded picture is kept for the run and shared by
 * every row that shows it; it is decoded in a thread at AVATAR_MAX_PX at most, whatever the URL
 * names: TimChat sets the 198 px version of an upload, but anyone may set any picture. */
#define G_LOG_DOMAIN "timchat"

#include "config.h"

#include <glib/gi18n.h>

#include "tim-downloader.h"
#include "timchat-avatar.h"
#include "timchat-media-picture.h"

#define URL_KEY "timchat-avatar-url"
/* Twice the largest avatar shown (128 px, in a profile), for a scale-2 display. */
#define AVATAR_MAX_PX 256

static GHashTable *pictures; /* URL -> GdkTexture */
static GHashTable *waiting;  /* URL -> GPtrArray of GWeakRef* to the avatars that want it */

static void
weak_ref_free (GWeakRef *weak)
{
  g_weak_ref_clear (weak);
  g_free (weak);
}

/* Only an avatar that still wants this URL: a row may have been bound to someone else since. */
static void
show (AdwAvatar *avatar, const char *url, GdkTexture *picture)
{
  if (g_strcmp0 (g_object_get_data (G_OBJECT (avatar), URL_KEY), url) == 0)
    adw_avatar_set_custom_image (avatar, GDK_PAINTABLE (picture));
}

static void
on_decoded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autofree char *url = user_data;
  g_autofree char *waiting_url = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GdkTexture) picture = timchat_texture_load_finish (result, &error);
  g_autoptr (GPtrArray) avatars = NULL;

  g_hash_table_steal_extended (waiting, url, (gpointer *) &waiting_url, (gpointer *) &avatars);
  if (picture == NULL)
    {
      g_debug ("No avatar picture from %s: %s", url, error->message);
      return;
    }
  g_hash_table_insert (pictures, g_strdup (url), g_object_ref (picture));
  for (guint i = 0; avatars != NULL && i < avatars->len; i++)
    {
      g_autoptr (AdwAvatar) avatar = g_weak_ref_get (avatars->pdata[i]);

      if (avatar != NULL)
        show (avatar, url, picture);
    }
}

static void
on_fetched (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autofree char *url = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GFile) file = tim_downloader_fetch_finish (TIM_DOWNLOADER (source), result, &error);

  if (file == NULL)
    {
      g_debug ("No avatar picture from %s: %s", url, error->message);
      g_hash_table_remove (waiting, url);
      return;
    }
  timchat_texture_load_async (file, AVATAR_MAX_PX, AVATAR_MAX_PX, NULL, on_decoded,
                              g_steal_pointer (&url));
}

void
timchat_avatar_set_url (AdwAvatar *avatar, const char *url)
{
  GdkTexture *picture;
  GPtrArray *avatars;
  GWeakRef *weak;

  g_return_if_fail (ADW_IS_AVATAR (avatar));

  if (url != NULL && *url == '\0')
    url = NULL;
  if (g_strcmp0 (g_object_get_data (G_OBJECT (avatar), URL_KEY), url) == 0)
    return;
  g_object_set_data_full (G_OBJECT (avatar), URL_KEY, g_strdup (url), g_free);
  if (pictures == NULL)
    {
      pictures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
      waiting = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) g_ptr_array_unref);
    }
  picture = url != NULL ? g_hash_table_lookup (pictures, url) : NULL;
  adw_avatar_set_custom_image (avatar, picture != NULL ? GDK_PAINTABLE (picture) : NULL);
  if (url == NULL || picture != NULL)
    return;
  weak = g_new0 (GWeakRef, 1);
  g_weak_ref_init (weak, avatar);
  if ((avatars = g_hash_table_lookup (waiting, url)) != NULL)
    {
      g_ptr_array_add (avatars, weak);
      return;
    }
  avatars = g_ptr_array_new_with_free_func ((GDestroyNotify) weak_ref_free);
  g_ptr_array_add (avatars, weak);
  g_hash_table_insert (waiting, g_strdup (url), avatars);
  tim_downloader_fetch_async (tim_downloader_get_default (), url, NULL, NULL, NULL, NULL,
                              on_fetched, g_strdup (url));
}

GtkWidget *
timchat_online_dot_new (void)
{
  GtkWidget *dot = g_object_new (GTK_TYPE_BOX, "accessible-role", GTK_ACCESSIBLE_ROLE_IMG, NULL);

  gtk_widget_add_css_class (dot, "online-dot");
  return dot;
}

void
timchat_online_dot_set_status (GtkWidget *dot, const char *custom_status)
{
  g_autofree char *said = NULL;

  /* Translators: the tooltip of the green dot of a person online whose status says %s. */
  said = custom_status != NULL && *custom_status != '\0'
             ? g_strdup_printf (C_ ("peer status", "Online · %s"), custom_status)
             : g_strdup (C_ ("peer status", "Online"));
  gtk_widget_set_tooltip_text (dot, said);
  gtk_accessible_update_property (GTK_ACCESSIBLE (dot), GTK_ACCESSIBLE_PROPERTY_LABEL, said, -1);
}
