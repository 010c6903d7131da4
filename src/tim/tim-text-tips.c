/* tim-text-tips.c: the sentences shown for group tips and group system notices
 * (tim-sdk-facts.md §1.5, §1.6), people named by their nicknames, and the signed-in user as
 * "you": spoken to when a tip is about them alone, last in a list of others, and "You" for what
 * they did. */
#define G_LOG_DOMAIN "tim"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tim-json.h"
#include "tim-text.h"

static const char *
nonempty (const char *text)
{
  return text != NULL && text[0] != '\0' ? text : NULL;
}

/* user's nick from the payload's memberList, else user. */
static const char *
member_name (JsonObject *payload, const char *user)
{
  JsonArray *members = user != NULL ? tim_json_get_array (payload, "memberList") : NULL;
  JsonObject *member;

  for (guint i = 0; (member = tim_json_array_next_object (members, &i)) != NULL;)
    {
      const char *nick = nonempty (tim_json_get_string (member, "nick"));

      if (nick != NULL && g_strcmp0 (tim_json_get_string (member, "userID"), user) == 0)
        return nick;
    }
  return user;
}

/* "Alice, bob and you" from the payload's userIDList but `except` (NULL: none), by
 * member_name (), the signed-in user me last as "you" (a list that is me alone never gets here:
 * tip_to_me () speaks to me); *count_out receives how many. Without except, a tip's subject:
 * "Someone" when the list names nobody (with_subjects () has put the operator there when it is
 * them). With except, "" when nobody is left (tim_text_group_created () then says so). */
static char *
join_user_ids_except (JsonObject *payload, const char *me, const char *except, guint *count_out)
{
  JsonArray *ids = tim_json_get_array (payload, "userIDList");
  g_autoptr (GPtrArray) names = g_ptr_array_new ();
  g_autofree char *head = NULL;
  const char *last;
  gboolean me_too = FALSE;

  for (guint i = 0; ids != NULL && i < json_array_get_length (ids); i++)
    {
      const char *id = tim_json_array_get_string (ids, i);

      if (except != NULL && g_strcmp0 (id, except) == 0)
        continue;
      if (me != NULL && g_strcmp0 (id, me) == 0)
        me_too = TRUE;
      else if (id != NULL && id[0] != '\0')
        g_ptr_array_add (names, (gpointer) member_name (payload, id));
    }
  if (me_too)
    /* TRANSLATORS: the signed-in user among others in a group tip, as in "alice and you" */
    g_ptr_array_add (names, (gpointer) _ ("you"));
  /* A tip that names nobody still has a subject: every sentence it goes in starts with it,
   * and "" made them read " joined the group". */
  if (names->len == 0 && except == NULL)
    /* TRANSLATORS: the subject of a group tip that names nobody, as in "Someone joined the
     * group" or "Someone was removed from the group" */
    g_ptr_array_add (names, (gpointer) _ ("Someone"));
  *count_out = MAX (names->len, 1);
  if (names->len < 2)
    return g_strdup (names->len == 1 ? names->pdata[0] : "");
  /* The names but the last joined, then the last: the NULL in its place ends the join. */
  last = g_ptr_array_index (names, names->len - 1);
  names->pdata[names->len - 1] = NULL;
  /* TRANSLATORS: the separator between user names in a list, as in "alice, bob and carol" */
  head = g_strjoinv (_ (", "), (char **) names->pdata);
  /* TRANSLATORS: the last two names of a list, as in "alice, bob and carol" */
  return g_strdup_printf (_ ("%1$s and %2$s"), head, last);
}

static char *
join_user_ids (JsonObject *payload, const char *me, guint *count_out)
{
  return join_user_ids_except (payload, me, NULL, count_out);
}

static void
append_sentence (GString *text, char *sentence)
{
  if (text->len > 0)
    g_string_append (text, "\n");
  g_string_append (text, sentence);
  g_free (sentence);
}

/* Operation 6: one sentence per changed field of newGroupProfile, op the one who changed it. */
static char *
group_profile_tip (JsonObject *payload, const char *op, const char *me)
{
  JsonObject *profile = tim_json_get_object (payload, "newGroupProfile");
  GString *text = g_string_new (NULL);
  const char *name, *owner;
  JsonNode *mute;

  if (profile == NULL)
    profile = payload;
  if ((name = tim_json_get_string (profile, "groupName")) != NULL)
    append_sentence (text, g_strdup_printf (_ ("%1$s renamed the group to “%2$s”"), op, name));
  if (tim_json_get_string_any (profile, "introduction", "groupIntroduction", NULL) != NULL)
    append_sentence (text, g_strdup_printf (_ ("%s changed the group introduction"), op));
  if (tim_json_get_string_any (profile, "notification", "groupNotification", NULL) != NULL)
    append_sentence (text, g_strdup_printf (_ ("%s changed the group announcement"), op));
  if (tim_json_get_string_any (profile, "avatar", "groupFaceUrl", "faceUrl", NULL) != NULL)
    append_sentence (text, g_strdup_printf (_ ("%s changed the group avatar"), op));
  owner = tim_json_get_string_any (profile, "ownerID", "groupOwner_Account", NULL);
  if (owner != NULL && g_strcmp0 (owner, me) == 0)
    append_sentence (text, g_strdup (_ ("You are now the group owner")));
  else if (owner != NULL)
    append_sentence (
        text, g_strdup_printf (_ ("%s is now the group owner"), member_name (payload, owner)));
  if ((mute = json_object_get_member (profile, "muteAllMembers")) != NULL &&
      JSON_NODE_HOLDS_VALUE (mute))
    append_sentence (text,
                     g_strdup_printf (json_node_get_boolean (mute) ? _ ("%s muted all members")
                                                                   : _ ("%s unmuted all members"),
                                      op));
  if (text->len == 0)
    append_sentence (text, g_strdup_printf (_ ("%s changed the group profile"), op));
  return g_string_free (text, FALSE);
}

/* Whether the payload's userIDList is me alone. */
static gboolean
about_me_alone (JsonObject *payload, const char *me)
{
  JsonArray *ids = tim_json_get_array (payload, "userIDList");

  return me != NULL && ids != NULL && json_array_get_length (ids) == 1 &&
         g_strcmp0 (tim_json_array_get_string (ids, 0), me) == 0;
}

/* How long a mute lasts, in the largest unit it is a whole number of: "10 minutes", "1 day",
 * "90 seconds". */
static char *
mute_duration (gint64 seconds)
{
  gulong n;

  if (seconds % 86400 == 0)
    {
      n = (gulong) (seconds / 86400);
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%lu day", "%lu days", n), n);
    }
  if (seconds % 3600 == 0)
    {
      n = (gulong) (seconds / 3600);
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%lu hour", "%lu hours", n), n);
    }
  if (seconds % 60 == 0)
    {
      n = (gulong) (seconds / 60);
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%lu minute", "%lu minutes", n), n);
    }
  n = (gulong) seconds;
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%lu second", "%lu seconds", n), n);
}

/* Operation 7: mute times of members (memberList[].muteTime, seconds; 0 = unmuted). */
static char *
member_profile_tip (JsonObject *payload, const char *users, const char *me)
{
  JsonArray *members = tim_json_get_array (payload, "memberList");
  GString *text = g_string_new (NULL);
  JsonObject *member;

  for (guint i = 0; (member = tim_json_array_next_object (members, &i)) != NULL;)
    {
      const char *user = tim_json_get_string (member, "userID");
      gint64 mute;

      if (user == NULL || (!tim_json_get_int (member, "muteTime", &mute) &&
                           !tim_json_get_int (member, "shutupTime", &mute)))
        continue;
      g_autofree char *duration = mute > 0 ? mute_duration (mute) : NULL;

      if (g_strcmp0 (user, me) == 0)
        append_sentence (text, mute > 0
                                   /* Translators: %s is how long: "10 minutes", "1 day". */
                                   ? g_strdup_printf (_ ("You were muted for %s"), duration)
                                   : g_strdup (_ ("You were unmuted")));
      else if (mute > 0)
        /* Translators: a member's name, then how long: "10 minutes", "1 day". */
        append_sentence (text, g_strdup_printf (_ ("%1$s was muted for %2$s"),
                                                member_name (payload, user), duration));
      else
        append_sentence (text, g_strdup_printf (_ ("%s was unmuted"), member_name (payload, user)));
    }
  if (text->len == 0 && about_me_alone (payload, me))
    append_sentence (text, g_strdup (_ ("You updated your group profile")));
  else if (text->len == 0)
    append_sentence (text, g_strdup_printf (_ ("%s updated their group profile"), users));
  return g_string_free (text, FALSE);
}

static gboolean
user_in_list (JsonObject *payload, const char *user)
{
  JsonArray *ids = tim_json_get_array (payload, "userIDList");

  for (guint i = 0; ids != NULL && i < json_array_get_length (ids); i++)
    if (g_strcmp0 (tim_json_array_get_string (ids, i), user) == 0)
      return TRUE;
  return FALSE;
}

/* The operator's name: operator_name, else by member_name (), NULL when there is none. */
static const char *
operator_name_of (JsonObject *payload, const char *operator_name)
{
  const char *op = nonempty (tim_json_get_string (payload, "operatorID"));

  if (op == NULL)
    return NULL;
  return nonempty (operator_name) != NULL ? operator_name : member_name (payload, op);
}

/* A sentence naming the operator, or the one without when there is none. */
#define WITH_OPERATOR(op, format_with, without)                                                    \
  ((op) != NULL ? g_strdup_printf (format_with, op) : g_strdup (without))

/* A tip about the signed-in user alone, to them ("Tia added you to the group"); NULL for any
 * other. */
static char *
tip_to_me (JsonObject *payload, const char *op, const char *me)
{
  const char *operator_id = nonempty (tim_json_get_string (payload, "operatorID"));

  if (!about_me_alone (payload, me))
    return NULL;
  switch (tim_json_get_int_or (payload, "operationType", 0))
    {
    case 1:
      if (op != NULL && g_strcmp0 (operator_id, me) != 0)
        return g_strdup_printf (_ ("%s added you to the group"), op);
      return g_strdup (_ ("You joined the group"));
    case 2:
      return g_strdup (_ ("You left the group"));
    case 3:
      return WITH_OPERATOR (op, _ ("You were removed from the group by %s"),
                            _ ("You were removed from the group"));
    case 4:
      return g_strdup (_ ("You are now an admin"));
    case 5:
      return g_strdup (_ ("You are no longer an admin"));
    case 10:
      return g_strdup (_ ("You were banned"));
    case 11:
      return g_strdup (_ ("You were unbanned"));
    default:
      return NULL;
    }
}

/* Whether the payload's userIDList names anybody (an empty ID names nobody). */
static gboolean
names_somebody (JsonObject *payload)
{
  JsonArray *ids = tim_json_get_array (payload, "userIDList");

  for (guint i = 0; ids != NULL && i < json_array_get_length (ids); i++)
    if (nonempty (tim_json_array_get_string (ids, i)) != NULL)
      return TRUE;
  return FALSE;
}

static void
copy_member_but_user_ids (JsonObject *from, const char *name, JsonNode *node, gpointer to)
{
  if (g_strcmp0 (name, "userIDList") != 0)
    json_object_set_member (to, name, json_node_copy (node));
}

/* The payload (a new reference) with the people the tip is about. A tip that names nobody (our
 * server always names them; another may not) is about its operator when they did it to
 * themselves: joined, left, changed their own group profile. Then the operator is put in the
 * list, so that every sentence reads as for a tip that names them ("You left the group" when it
 * is me). Who was removed, made admin or banned by the operator is not the operator: those keep
 * an empty list and read "Someone …", never "alice was removed by alice". */
static JsonObject *
with_subjects (JsonObject *payload)
{
  const char *operator_id = nonempty (tim_json_get_string (payload, "operatorID"));
  gint64 type = tim_json_get_int_or (payload, "operationType", 0);
  JsonObject *copy;
  JsonArray *ids;

  if (operator_id == NULL || names_somebody (payload) || (type != 1 && type != 2 && type != 7))
    return json_object_ref (payload);
  copy = json_object_new ();
  json_object_foreach_member (payload, copy_member_but_user_ids, copy);
  ids = json_array_new ();
  json_array_add_string_element (ids, operator_id);
  json_object_set_array_member (copy, "userIDList", ids);
  return copy;
}

char *
tim_text_group_tip (JsonObject *tip_payload, const char *operator_name, const char *me)
{
  g_autoptr (JsonObject) payload = NULL;
  g_autofree char *users = NULL;
  const char *op;
  gboolean by_me;
  char *to_me;
  guint n;

  g_return_val_if_fail (tip_payload != NULL, NULL);

  payload = with_subjects (tip_payload);
  op = operator_name_of (payload, operator_name);
  if ((to_me = tip_to_me (payload, op, me)) != NULL)
    return to_me;
  users = join_user_ids (payload, me, &n);
  /* What I did myself says "You" ("You added bob and carol to the group"). */
  by_me = me != NULL && g_strcmp0 (tim_json_get_string (payload, "operatorID"), me) == 0;
  if (by_me)
    /* TRANSLATORS: the signed-in user as the one who did something, as in "You added bob" */
    op = _ ("You");
  switch (tim_json_get_int_or (payload, "operationType", 0))
    {
    case 1:
      /* Added by someone else (the SDK has no separate "invited" tip): say by whom. */
      if (op != NULL && !user_in_list (payload, tim_json_get_string (payload, "operatorID")))
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%1$s added %2$s to the group",
                                             "%1$s added %2$s to the group", n),
                                op, users);
      return g_strdup_printf (
          g_dngettext (GETTEXT_PACKAGE, "%s joined the group", "%s joined the group", n), users);
    case 2:
      return g_strdup_printf (
          g_dngettext (GETTEXT_PACKAGE, "%s left the group", "%s left the group", n), users);
    case 3:
      if (by_me)
        return g_strdup_printf (
            g_dngettext (GETTEXT_PACKAGE, "%s was removed by you", "%s were removed by you", n),
            users);
      if (op != NULL)
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%1$s was removed by %2$s",
                                             "%1$s were removed by %2$s", n),
                                users, op);
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s was removed from the group",
                                           "%s were removed from the group", n),
                              users);
    case 4:
      return g_strdup_printf (
          g_dngettext (GETTEXT_PACKAGE, "%s is now an admin", "%s are now admins", n), users);
    case 5:
      return g_strdup_printf (
          g_dngettext (GETTEXT_PACKAGE, "%s is no longer an admin", "%s are no longer admins", n),
          users);
    case 6:
      return group_profile_tip (payload, op != NULL ? op : users, me);
    case 7:
      return member_profile_tip (payload, users, me);
    case 10:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s was banned", "%s were banned", n),
                              users);
    case 11:
      return g_strdup_printf (
          g_dngettext (GETTEXT_PACKAGE, "%s was unbanned", "%s were unbanned", n), users);
    default:
      return g_strdup (_ ("The group was updated"));
    }
}

char *
tim_text_group_created (JsonObject *payload, const char *operator_name, const char *me)
{
  const char *operator_id = nonempty (tim_json_get_string (payload, "operatorID"));
  const char *op = operator_name_of (payload, operator_name);
  g_autofree char *others = NULL;
  guint n = 0;

  g_return_val_if_fail (payload != NULL, NULL);

  others = join_user_ids_except (payload, me, operator_id, &n);
  if (me != NULL && g_strcmp0 (operator_id, me) == 0)
    return *others == '\0' ? g_strdup (_ ("You created the group"))
                           : g_strdup_printf (_ ("You created the group with %s"), others);
  if (op == NULL)
    return g_strdup (_ ("The group was created"));
  return *others == '\0' ? g_strdup_printf (_ ("%s created the group"), op)
                         : g_strdup_printf (_ ("%1$s created the group with %2$s"), op, others);
}

/* An application's sentence (transfer full) with what its applicant or the manager answering
 * said (handleMessage), when they said something. */
static char *
with_words (char *sentence, JsonObject *payload)
{
  const char *words = nonempty (tim_json_get_string (payload, "handleMessage"));
  char *with;

  if (words == NULL)
    return sentence;
  /* Translators: %1$s is a join request's notice, %2$s what was said with it. */
  with = g_strdup_printf (_ ("%1$s: “%2$s”"), sentence, words);
  g_free (sentence);
  return with;
}

char *
tim_text_group_notice (JsonObject *payload, const char *operator_name)
{
  const char *op, *custom;

  g_return_val_if_fail (payload != NULL, NULL);

  op = operator_name_of (payload, operator_name);
  switch (tim_json_get_int_or (payload, "operationType", 0))
    {
    case 1:
      return with_words (WITH_OPERATOR (op, _ ("%s asked to join the group"),
                                        _ ("Someone asked to join the group")),
                         payload);
    case 2:
      return with_words (WITH_OPERATOR (op, _ ("%s accepted your request to join the group"),
                                        _ ("Your request to join the group was accepted")),
                         payload);
    case 3:
      return with_words (WITH_OPERATOR (op, _ ("%s declined your request to join the group"),
                                        _ ("Your request to join the group was declined")),
                         payload);
    case 4:
      return WITH_OPERATOR (op, _ ("You were removed from the group by %s"),
                            _ ("You were removed from the group"));
    case 5:
      return WITH_OPERATOR (op, _ ("The group was dismissed by %s"), _ ("The group was dismissed"));
    case 6:
      return WITH_OPERATOR (op, _ ("%s created the group"), _ ("The group was created"));
    case 7:
      return WITH_OPERATOR (op, _ ("%s added you to the group"), _ ("You were added to the group"));
    case 8:
      return g_strdup (_ ("You left the group"));
    case 9:
      return WITH_OPERATOR (op, _ ("%s made you an admin"), _ ("You are now an admin"));
    case 10:
      return WITH_OPERATOR (op, _ ("%s removed your admin role"), _ ("You are no longer an admin"));
    case 11:
      return g_strdup (_ ("The group was recycled"));
    case 12:
      return WITH_OPERATOR (op, _ ("%s invited you to join the group"),
                            _ ("You were invited to join the group"));
    case 255:
      custom = nonempty (tim_json_get_string (payload, "userDefinedField"));
      return g_strdup (custom != NULL ? custom : _ ("Group system notice"));
    default:
      return g_strdup (_ ("Group system notice"));
    }
}
