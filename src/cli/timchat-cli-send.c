/* timchat-cli-send.c: send, one message of any kind to a conversation, and the sending (with an
 * upload's progress) that forward shares. Apart from timchat-cli-messages.c, whose commands work
 * on messages already in a conversation's history. */
#define G_LOG_DOMAIN "timchat-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <unistd.h>

#include "tim-error.h"
#include "timchat-cli-private.h"

/* ---------------------------------------------------------------- send */

/* --face not given (any int can be given, a negative one too, to be refused in words). */
#define NO_FACE G_MININT

typedef struct
{
  char *text, *file, *image, *video, *audio, *custom, *description, *extension, *data, *priority;
  char *reply_to;
  char **at_users;
  int face;
  gboolean online_only, at_all;
} SendOptions;

static void
on_progress (goffset sent, goffset total, gpointer user_data)
{
  int percent = total > 0 ? (int) (sent * 100 / total) : 0;

  /* One line, rewritten in place. */
  fprintf (stderr, "\r%s %" G_GOFFSET_FORMAT " / %" G_GOFFSET_FORMAT " bytes (%d%%)\033[K",
           _ ("Uploading"), sent, total, percent);
  fflush (stderr);
}

static TimMessage *
create_message (Cli *cli, SendOptions *o, const char *peer, TimConvType type, GError **error)
{
  const char *media = o->file ? o->file : o->image ? o->image : o->video ? o->video : o->audio;
  g_autoptr (GFile) file = NULL;

  if (o->text != NULL && (o->at_users != NULL || o->at_all))
    {
      g_autoptr (GStrvBuilder) at_users = g_strv_builder_new ();
      g_auto (GStrv) list = NULL;

      if (o->at_users != NULL)
        g_strv_builder_addv (at_users, (const char **) o->at_users);
      if (o->at_all)
        g_strv_builder_add (at_users, TIM_AT_ALL);
      list = g_strv_builder_end (at_users);
      return tim_client_create_text_at_message (cli->client, peer, o->text,
                                                (const char *const *) list);
    }
  if (o->text != NULL)
    return tim_client_create_text_message (cli->client, peer, type, o->text);
  if (o->custom != NULL)
    return tim_client_create_custom_message (cli->client, peer, type, o->custom, o->description,
                                             o->extension);
  if (o->face != NO_FACE)
    return tim_client_create_face_message (cli->client, peer, type, o->face, o->data);
  if ((file = cli_open_readable_file (media, error)) == NULL)
    return NULL;
  if (o->image != NULL)
    return tim_client_create_image_message (cli->client, peer, type, file);
  if (o->video != NULL)
    return tim_client_create_video_message (cli->client, peer, type, file);
  if (o->audio != NULL)
    return tim_client_create_audio_message (cli->client, peer, type, file);
  return tim_client_create_file_message (cli->client, peer, type, file);
}

/* Sends message (an upload's progress on a terminal's stderr), then prints it as stored. */
gboolean
cli_send_and_print (Cli *cli, TimMessage *message, const TimSendOptions *options, GError **error)
{
  gboolean progress = isatty (STDERR_FILENO);
  GAsyncResult *result;

  tim_client_send_message_async (cli->client, message, options, progress ? on_progress : NULL, NULL,
                                 NULL, cli_on_result, cli);
  result = cli_wait (cli, error);
  if (progress && tim_message_get_upload_total (message) > 0)
    fputc ('\n', stderr);
  /* Given up on, but still in the outbox (uploading, waiting for the network or for the server's
   * answer): the next session sends it, so it is reported as queued (cli_fail ()), not failed. */
  if (result == NULL && tim_message_get_status (message) == TIM_MESSAGE_STATUS_UNSENT &&
      !tim_message_get_online_only (message))
    g_set_object (&cli->queued, message);
  if (result == NULL || !tim_client_send_message_finish (cli->client, result, error))
    return FALSE;
  cli_print_message (cli, message);
  return TRUE;
}

static void
send_options_clear (SendOptions *o)
{
  g_free (o->text);
  g_free (o->file);
  g_free (o->image);
  g_free (o->video);
  g_free (o->audio);
  g_free (o->custom);
  g_free (o->description);
  g_free (o->extension);
  g_free (o->data);
  g_free (o->priority);
  g_free (o->reply_to);
  g_strfreev (o->at_users);
}

int
cli_cmd_send (Cli *cli, char **args)
{
  SendOptions o = { .face = NO_FACE };
  const GOptionEntry entries[] = {
    { "text", 't', 0, G_OPTION_ARG_STRING, &o.text, N_ ("A text message"), "TEXT" },
    { "file", 'f', 0, G_OPTION_ARG_FILENAME, &o.file, N_ ("Upload and send a file"), "FILE" },
    { "image", 'i', 0, G_OPTION_ARG_FILENAME, &o.image, N_ ("Upload and send an image"), "FILE" },
    { "video", 0, 0, G_OPTION_ARG_FILENAME, &o.video, N_ ("Upload and send a video"), "FILE" },
    { "audio", 0, 0, G_OPTION_ARG_FILENAME, &o.audio, N_ ("Upload and send a voice clip"), "FILE" },
    { "custom", 'c', 0, G_OPTION_ARG_STRING, &o.custom, N_ ("A custom message with this data"),
      "DATA" },
    { "description", 0, 0, G_OPTION_ARG_STRING, &o.description,
      N_ ("Description of a custom message"), "D" },
    { "extension", 0, 0, G_OPTION_ARG_STRING, &o.extension, N_ ("Extension of a custom message"),
      "E" },
    { "face", 0, 0, G_OPTION_ARG_INT, &o.face, N_ ("A face (sticker) message"), "INDEX" },
    { "data", 0, 0, G_OPTION_ARG_STRING, &o.data, N_ ("Data of a face message"), "D" },
    { "priority", 'p', 0, G_OPTION_ARG_STRING, &o.priority,
      N_ ("High, Normal (default), Low or Lowest"), "P" },
    { "online-only", 0, 0, G_OPTION_ARG_NONE, &o.online_only,
      N_ ("Deliver only to online users; not stored"), NULL },
    { "at", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o.at_users,
      N_ ("Mention this member in a group text (repeatable)"), "USER" },
    { "at-all", 0, 0, G_OPTION_ARG_NONE, &o.at_all, N_ ("Mention everyone in a group text"), NULL },
    { "reply-to", 'r', 0, G_OPTION_ARG_STRING, &o.reply_to,
      N_ ("Reply to this message of the conversation, quoting it"), "MESSAGE-ID" },
    { NULL },
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (TimMessage) message = NULL;
  g_autoptr (TimSendOptions) options = tim_send_options_new ();
  const char *peer = NULL;
  TimConvType type;
  int status = 1;

  if (!cli_parse (cli, &args, "CONVERSATION",
                  _ ("Sends one message to CONVERSATION (C2C<user> or GROUP<group>) and prints "
                     "it once the server has stored it."),
                  entries, &error))
    goto out;
  if (cli_args_count (args) != 1)
    {
      g_set_error (&error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                   _ ("send takes one conversation ID"));
      goto out;
    }
  if ((type = cli_parse_conversation (args[1], &peer, FALSE, &error)) == TIM_CONV_INVALID)
    goto out;
  if (o.priority != NULL && !g_str_equal (o.priority, "High") &&
      !g_str_equal (o.priority, "Normal") && !g_str_equal (o.priority, "Low") &&
      !g_str_equal (o.priority, "Lowest"))
    {
      g_set_error (&error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                   _ ("The priority is High, Normal, Low or Lowest, not “%s”"), o.priority);
      goto out;
    }
  /* Check the message options before anything goes on the network. */
  if ((o.text != NULL) + (o.file != NULL) + (o.image != NULL) + (o.video != NULL) +
          (o.audio != NULL) + (o.custom != NULL) + (o.face != NO_FACE) !=
      1)
    {
      g_set_error (&error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                   _ ("Give exactly one of --text, --file, --image, --video, --audio, --custom, "
                      "--face"));
      goto out;
    }
  if ((o.description != NULL || o.extension != NULL) && o.custom == NULL)
    {
      g_set_error (&error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                   _ ("--description and --extension go with --custom"));
      goto out;
    }
  if (o.data != NULL && o.face == NO_FACE)
    {
      g_set_error (&error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER, _ ("--data goes with --face"));
      goto out;
    }
  if ((o.at_users != NULL || o.at_all) && (o.text == NULL || type != TIM_CONV_GROUP))
    {
      g_set_error (&error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                   _ ("--at and --at-all mention members in a group text: give --text and a "
                      "GROUP conversation"));
      goto out;
    }
  if (o.face != NO_FACE && o.face < 0)
    {
      g_set_error (&error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                   _ ("A face index is 0 or more, not %d"), o.face);
      goto out;
    }
  /* A file that cannot be read is refused before logging in (and again when the message is
   * made, in case it went meanwhile). */
  {
    const char *media = o.file ? o.file : o.image ? o.image : o.video ? o.video : o.audio;
    g_autoptr (GFile) readable = NULL;

    if (media != NULL && (readable = cli_open_readable_file (media, &error)) == NULL)
      goto out;
  }
  if (!cli_connect (cli, TRUE, &error) ||
      (message = create_message (cli, &o, peer, type, &error)) == NULL)
    goto out;
  if (o.priority != NULL)
    tim_message_set_priority_for_send (message, tim_priority_from_string (o.priority));
  if (o.reply_to != NULL)
    {
      g_autoptr (TimMessage) original =
          cli_find_in_history (cli, args[1], o.reply_to, TIM_ERROR_INVALID_PARAMETER, &error);

      if (original == NULL)
        goto out;
      if (!tim_message_set_reply_to (message, original))
        {
          g_set_error (&error, TIM_ERROR, TIM_ERROR_INVALID_PARAMETER,
                       _ ("Message %s cannot be quoted (recalled?)"), o.reply_to);
          goto out;
        }
    }
  options->online_user_only = o.online_only;
  if (cli_send_and_print (cli, message, options, &error))
    status = 0;

out:
  send_options_clear (&o);
  return error != NULL ? cli_fail (cli, error) : status;
}
