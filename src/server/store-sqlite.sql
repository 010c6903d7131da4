-- timchat-server storage schema. Each "-- migration N" section runs once, in order, inside one
-- transaction, and PRAGMA user_version records the last one applied. Never edit a released
-- section: add a new one.

-- migration 1
CREATE TABLE accounts (
  user_id       TEXT PRIMARY KEY,
  tinyid        INTEGER NOT NULL UNIQUE,
  nick          TEXT NOT NULL DEFAULT '',
  avatar        TEXT NOT NULL DEFAULT '',
  created       INTEGER NOT NULL,
  kicked_before INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE tickets (
  a2       TEXT PRIMARY KEY,
  user_id  TEXT NOT NULL,
  created  INTEGER NOT NULL,
  expires  INTEGER NOT NULL
);
CREATE INDEX tickets_expires ON tickets (expires);

-- The next sequence of each conversation: a C2C pair ("alice\nbob", sorted) or a group ID.
CREATE TABLE counters (
  conv_key TEXT PRIMARY KEY,
  last_seq INTEGER NOT NULL
);

CREATE TABLE messages (
  id                INTEGER PRIMARY KEY,
  conv_type         INTEGER NOT NULL,          -- 1 C2C, 2 group
  conv_key          TEXT NOT NULL,
  seq               INTEGER NOT NULL,
  kind              INTEGER NOT NULL DEFAULT 0, -- 0 message, 1 group tip
  from_user         TEXT NOT NULL,
  to_id             TEXT NOT NULL,
  client_seq        INTEGER NOT NULL,
  random            INTEGER NOT NULL,
  time              INTEGER NOT NULL,
  client_time       INTEGER NOT NULL,
  priority          INTEGER NOT NULL DEFAULT 2,
  body              TEXT NOT NULL,
  cloud_custom_data TEXT NOT NULL DEFAULT '',
  offline_push      TEXT,
  recalled          INTEGER NOT NULL DEFAULT 0,
  revoker           TEXT,
  recall_time       INTEGER NOT NULL DEFAULT 0,
  UNIQUE (conv_key, seq)
);
-- Exactly once: a resend with the same sender, random and sequence finds the original.
CREATE UNIQUE INDEX messages_dedup ON messages (conv_key, from_user, random, client_seq) WHERE kind = 0;
CREATE INDEX messages_time ON messages (time);

-- Per-user view of a conversation. For C2C, last_seq follows the pair's newest message; for a
-- group it is unused (the group's own last_seq is the truth). hidden_seq: deleted up to here.
CREATE TABLE conversations (
  owner      TEXT NOT NULL,
  conv_type  INTEGER NOT NULL,
  peer       TEXT NOT NULL,
  last_seq   INTEGER NOT NULL DEFAULT 0,
  last_time  INTEGER NOT NULL DEFAULT 0,
  read_seq   INTEGER NOT NULL DEFAULT 0,
  hidden_seq INTEGER NOT NULL DEFAULT -1,
  pinned     INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (owner, conv_type, peer)
);
CREATE INDEX conversations_recent ON conversations (owner, last_time);

CREATE TABLE groups (
  group_id     TEXT PRIMARY KEY,
  type         TEXT NOT NULL,
  name         TEXT NOT NULL,
  owner        TEXT NOT NULL,
  introduction TEXT NOT NULL DEFAULT '',
  notification TEXT NOT NULL DEFAULT '',
  face_url     TEXT NOT NULL DEFAULT '',
  created      INTEGER NOT NULL,
  max_members  INTEGER NOT NULL DEFAULT 2000,
  dismissed    INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE group_members (
  group_id  TEXT NOT NULL,
  user_id   TEXT NOT NULL,
  role      TEXT NOT NULL,
  join_time INTEGER NOT NULL,
  read_seq  INTEGER NOT NULL DEFAULT 0,
  name_card TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (group_id, user_id)
);
CREATE INDEX group_members_user ON group_members (user_id);

-- What each user's devices must learn on reconnect, in order (openim.getmsg cookies are ids).
CREATE TABLE events (
  id      INTEGER PRIMARY KEY,
  user_id TEXT NOT NULL,
  kind    INTEGER NOT NULL,
  payload TEXT NOT NULL,
  created INTEGER NOT NULL
);
CREATE INDEX events_user ON events (user_id, id);

-- migration 2
-- Accounts removed by REST account_delete: a UserSig login does not recreate them; only
-- account_import does (and takes the name off this list).
CREATE TABLE deleted_accounts (
  user_id TEXT PRIMARY KEY,
  deleted INTEGER NOT NULL
);

-- migration 3
-- create_group's ApplyJoinOption (tim-rest-facts.md §5.0); groups made before keep the old answer.
ALTER TABLE groups ADD COLUMN apply_join_option TEXT NOT NULL DEFAULT 'FreeAccess';

-- migration 4
-- Nothing reads conversations in last_time order (the list is sorted by its messages' times),
-- and the index cost two B-tree updates per C2C message.
DROP INDEX conversations_recent;

-- migration 5
-- The same key, in an order new entries append to: a client's sequence grows with each message
-- (tim-sdk-facts.md §9.7) while MsgRandom is random, so the old order inserted every message at a
-- random place in its conversation's range and each batch of commits dirtied a page per message
-- (store harness, 128 messages a commit: ~70 → ~63 µs of CPU a message).
DROP INDEX messages_dedup;
CREATE UNIQUE INDEX messages_dedup ON messages (conv_key, from_user, client_seq, random) WHERE kind = 0;

-- migration 6
-- A message and what follows from it are written by its one INSERT: SQLite makes a statement
-- atomic with its triggers, so storing a message needs no savepoint, and the six statements it
-- took before (counter, conversation rows, sync events) cost no round trips from C
-- (bench-store: ~44 → ~39 µs of CPU a message). The C2C event kind 1 is
-- TIMCHAT_EVENT_C2C_MESSAGE (timchat-store.h).
CREATE TRIGGER messages_counter AFTER INSERT ON messages
BEGIN
  INSERT INTO counters (conv_key, last_seq) VALUES (NEW.conv_key, NEW.seq)
    ON CONFLICT (conv_key) DO UPDATE SET last_seq = max(last_seq, excluded.last_seq);
END;

-- Both users' conversation rows (the sender's own message counts as read) and sync events.
CREATE TRIGGER messages_c2c AFTER INSERT ON messages WHEN NEW.conv_type = 1
BEGIN
  INSERT INTO conversations (owner, conv_type, peer, last_seq, last_time, read_seq)
    VALUES (NEW.from_user, 1, NEW.to_id, NEW.seq, NEW.time, NEW.seq)
    ON CONFLICT (owner, conv_type, peer) DO UPDATE SET last_seq = excluded.last_seq,
      last_time = excluded.last_time, read_seq = max(read_seq, excluded.last_seq);
  INSERT INTO conversations (owner, conv_type, peer, last_seq, last_time)
    VALUES (NEW.to_id, 1, NEW.from_user, NEW.seq, NEW.time)
    ON CONFLICT (owner, conv_type, peer) DO UPDATE SET last_seq = excluded.last_seq,
      last_time = excluded.last_time;
  INSERT INTO events (user_id, kind, payload, created)
    VALUES (NEW.to_id, 1, '{"id":' || NEW.id || '}', unixepoch ());
  INSERT INTO events (user_id, kind, payload, created)
    SELECT NEW.from_user, 1, '{"id":' || NEW.id || '}', unixepoch ()
    WHERE NEW.from_user <> NEW.to_id;
END;

-- migration 7
-- Uploaded files and the newest time that a message mentioned them (or they were uploaded): the
-- retention sweep removes a file once that time is older than retention, so it never removes a
-- file that a kept message points at. Files uploaded before this migration are not listed, and
-- are kept.
CREATE TABLE files (
  name TEXT PRIMARY KEY,
  last_used INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX files_last_used ON files (last_used);

-- migration 8
-- How many stored messages mention each upload: 0 for an upload, one more for each message
-- that mentions it, one less when such a message is recalled. A recall that leaves a file no
-- mention sets its last_used to 0, and the server removes it at once. NULL is "not known" (a
-- file listed before this migration, or first listed by a mention), and such a file goes only
-- with retention.
ALTER TABLE files ADD COLUMN refs INTEGER;

-- migration 9
-- Recalled messages say nothing (timchat_store_recall_message () empties them now); those
-- recalled before kept what they said. The body is TIMCHAT_RECALLED_BODY.
UPDATE messages SET body = '[{"MsgType":"TIMTextElem","MsgContent":{"Text":""}}]',
  cloud_custom_data = '', offline_push = NULL
  WHERE recalled = 1;

-- migration 10
-- A group's profile changes (modify_group_base_info): its version and time for InfoSeq and
-- LastInfoTime (0 = never changed: the creation time), and ShutUpAllMember.
ALTER TABLE groups ADD COLUMN info_seq INTEGER NOT NULL DEFAULT 1;
ALTER TABLE groups ADD COLUMN info_time INTEGER NOT NULL DEFAULT 0;
ALTER TABLE groups ADD COLUMN mute_all INTEGER NOT NULL DEFAULT 0;

-- migration 11
-- How a user hears of a conversation (setMessageRemindType): 0 AcceptAndNotify, 1 Discard,
-- 2 AcceptNotNotify, the numbers of the C2C Mute_Notifications. A C2C one set before the first
-- message has a row of its own, hidden (hidden_seq 0) until a message comes.
ALTER TABLE conversations ADD COLUMN remind INTEGER NOT NULL DEFAULT 0;

-- migration 12
-- Messages a user deleted for themselves (the SDK's deleteMessage): their history skips them; the
-- others still have them. A row goes with its message (retention, a dismissed group).
CREATE TABLE hidden_messages (
  owner  TEXT    NOT NULL,
  msg_id INTEGER NOT NULL,
  PRIMARY KEY (owner, msg_id)
) WITHOUT ROWID;
CREATE INDEX hidden_messages_msg ON hidden_messages (msg_id);
CREATE TRIGGER hidden_messages_gone AFTER DELETE ON messages BEGIN
  DELETE FROM hidden_messages WHERE msg_id = OLD.id;
END;

-- migration 13
-- A group message's @-mentions (send_group_msg's GroupAtInfo, as tim_group_at_info_new () writes
-- it; NULL for none, which is every C2C message, tip and recalled message). Unread mentions are
-- derived from these and the read marks (openim.getmsg), through an index that holds only the
-- messages with mentions, so a group without any costs nothing.
ALTER TABLE messages ADD COLUMN at_info TEXT;
CREATE INDEX messages_mentions ON messages (conv_key, seq) WHERE at_info IS NOT NULL;

-- migration 14
-- Edits (openim.modify_c2c_msg / modify_group_msg): how many times a message was edited, its
-- MsgVersion; an edit names the version it was made from and applies only if the row is still
-- there (compare-and-set). 0 for every message stored before.
ALTER TABLE messages ADD COLUMN version INTEGER NOT NULL DEFAULT 0;

-- migration 15
-- Clearing a conversation's history for oneself (the SDK's clearHistoryMessage,
-- recentcontact.clear_msg): the owner's history of it starts after cleared_seq, and what came up
-- to there never counts as unread. 0: nothing cleared.
ALTER TABLE conversations ADD COLUMN cleared_seq INTEGER NOT NULL DEFAULT 0;

-- migration 16
-- The blocklist (the SDK's blacklist, sns.black_list_*): blocked may not send owner one-to-one
-- messages. time: when it was added (AddBlackTimeStamp). Written to run again over itself (the
-- downgrade tests bring a store back to an older user_version).
CREATE TABLE IF NOT EXISTS blocks (
  owner   TEXT    NOT NULL,
  blocked TEXT    NOT NULL,
  time    INTEGER NOT NULL,
  PRIMARY KEY (owner, blocked)
) WITHOUT ROWID;

-- migration 17
-- A conversation's marks (the SDK's markConversation, recentcontact.mark_contact): bit n is the
-- mark 2^n (1 star, 2 unread, 4 fold, 8 hide, the higher ones the app's own), the 64 bits as one
-- signed integer. Deleting the conversation clears them; reading it clears "unread".
ALTER TABLE conversations ADD COLUMN marks INTEGER NOT NULL DEFAULT 0;

-- migration 18
-- Merged messages' lists (the SDK's createMergerMessage over 11,264 bytes,
-- im_long_msg.save_relay_json_msg): the MsgList as JSON text under its key, a random capability
-- that get_relay_json_msg hands to anyone logged in who has it; who saved it and when. last_used:
-- when it was saved, moved forward by each message sent with its key (a forward) and each list
-- saved with a merged message of it: the retention sweep goes by it, so a list lives as long as
-- the newest message that needs it, as an upload does. A rowid table: a list is up to a frame's
-- 256 KiB, which a WITHOUT ROWID table would keep in its B-tree's pages. Written to run again
-- over itself, as the blocklist's is.
CREATE TABLE IF NOT EXISTS relay_lists (
  id        INTEGER PRIMARY KEY,
  key       TEXT    NOT NULL UNIQUE,
  owner     TEXT    NOT NULL,
  created   INTEGER NOT NULL,
  last_used INTEGER NOT NULL,
  msg_list  TEXT    NOT NULL
);
CREATE INDEX IF NOT EXISTS relay_lists_last_used ON relay_lists (last_used);

-- migration 19
-- How many stored messages (and saved lists, which never let go) carry a list's key. A recall
-- takes one away; the list a recall leaves with none goes at once, the uploads it mentions with
-- it, as a recalled message's own do. Lists from before start at 0 and only go by retention.
ALTER TABLE relay_lists ADD COLUMN refs INTEGER NOT NULL DEFAULT 0;

-- migration 20
-- Applications to join a group that needs approval (the SDK's joinGroup on a NeedPermission
-- group, group_open_http_svc.apply_join_group): one a group and applicant, the newest message;
-- authentication: the random token the managers' notice carries (handle_apply_join_group must
-- bring it back). Gone once handled, once its applicant joins, and with the group. Written to
-- run again over itself.
CREATE TABLE IF NOT EXISTS group_applications (
  group_id       TEXT    NOT NULL,
  applicant      TEXT    NOT NULL,
  message        TEXT    NOT NULL,
  authentication TEXT    NOT NULL,
  created        INTEGER NOT NULL,
  PRIMARY KEY (group_id, applicant)
) WITHOUT ROWID;

-- migration 21
-- A member muted (the SDK's setGroupMemberMuteTime, modify_group_member_info's ShutUpTime) may
-- not post until mute_until (seconds since the epoch; 0: not muted).
ALTER TABLE group_members ADD COLUMN mute_until INTEGER NOT NULL DEFAULT 0;

-- migration 22
-- A user's folders of conversations (the SDK's conversation groups, createConversationGroup,
-- recentcontact.create_contact_group): named, each name once a user; id is the folder's ID on
-- the wire (GroupId). A conversation (conv_type 1 C2C, 2 group; peer the other user or the group)
-- may be in several. Deleting a folder takes its conversations out of it, not from the list.
-- Written to run again over itself.
CREATE TABLE IF NOT EXISTS folders (
  id      INTEGER PRIMARY KEY,
  user_id TEXT    NOT NULL,
  name    TEXT    NOT NULL,
  created INTEGER NOT NULL,
  UNIQUE (user_id, name)
);
CREATE TABLE IF NOT EXISTS folder_items (
  folder_id INTEGER NOT NULL REFERENCES folders (id) ON DELETE CASCADE,
  conv_type INTEGER NOT NULL,
  peer      TEXT    NOT NULL,
  PRIMARY KEY (folder_id, conv_type, peer)
) WITHOUT ROWID;

-- migration 23
-- The user's own words on a conversation (the SDK's setConversationCustomData,
-- recentcontact.mark_contact OptType 2), listed with it; cleared with its marks when it is
-- deleted from the list.
ALTER TABLE conversations ADD COLUMN custom_data TEXT NOT NULL DEFAULT '';

-- migration 24
-- A user who discards a peer's messages (setMessageRemindType Discard, their conversation row's
-- remind 1) gets no sync event for them: as with the vendor, such messages arrive neither online
-- nor offline, and are read in the history. The sender's own devices still sync them. Written to
-- run again over itself.
DROP TRIGGER IF EXISTS messages_c2c;
CREATE TRIGGER messages_c2c AFTER INSERT ON messages WHEN NEW.conv_type = 1
BEGIN
  INSERT INTO conversations (owner, conv_type, peer, last_seq, last_time, read_seq)
    VALUES (NEW.from_user, 1, NEW.to_id, NEW.seq, NEW.time, NEW.seq)
    ON CONFLICT (owner, conv_type, peer) DO UPDATE SET last_seq = excluded.last_seq,
      last_time = excluded.last_time, read_seq = max(read_seq, excluded.last_seq);
  INSERT INTO conversations (owner, conv_type, peer, last_seq, last_time)
    VALUES (NEW.to_id, 1, NEW.from_user, NEW.seq, NEW.time)
    ON CONFLICT (owner, conv_type, peer) DO UPDATE SET last_seq = excluded.last_seq,
      last_time = excluded.last_time;
  INSERT INTO events (user_id, kind, payload, created)
    SELECT NEW.to_id, 1, '{"id":' || NEW.id || '}', unixepoch ()
    WHERE NOT EXISTS (SELECT 1 FROM conversations c WHERE c.owner = NEW.to_id
      AND c.conv_type = 1 AND c.peer = NEW.from_user AND c.remind = 1);
  INSERT INTO events (user_id, kind, payload, created)
    SELECT NEW.from_user, 1, '{"id":' || NEW.id || '}', unixepoch ()
    WHERE NEW.from_user <> NEW.to_id;
END;

-- migration 25
-- A user's profile fields besides the nick and the avatar, which accounts holds (the SDK's
-- updateMyProfile, profile.portrait_set): the standard Tag_Profile_IM_* fields the user has set
-- (Gender, BirthDay, Location, SelfSignature, AllowType, Language, MsgSettings, AdminForbidType,
-- Level, Role) and the custom Tag_Profile_Custom_* ones, a row a field. value is TEXT for a string
-- field, INTEGER for an integer one (no declared type: SQLite keeps either as it is given). A
-- field not here reads as its default; a string set to "" is removed. Gone with the account.
-- Written to run again over itself.
CREATE TABLE IF NOT EXISTS profile_fields (
  user_id TEXT NOT NULL,
  tag     TEXT NOT NULL,
  value   NOT NULL CHECK (typeof (value) IN ('text', 'integer')),
  PRIMARY KEY (user_id, tag)
) WITHOUT ROWID;

-- migration 26
-- A message's SendMsgControl (the SDK's messageControlInfo; TimMsgControl in tim-msg-control.h),
-- for the few messages sent with one: bit 1 NoUnread, never counted unread; bit 2 NoLastMsg,
-- never its conversation's last message. No row: neither. Beside the messages rather than a
-- column of theirs, so that a plain message's INSERT stays what it was and this runs again over
-- itself (the downgrade tests). A row goes with its message (retention, a dismissed group).
CREATE TABLE IF NOT EXISTS message_controls (
  msg_id  INTEGER PRIMARY KEY,
  control INTEGER NOT NULL
);
CREATE TRIGGER IF NOT EXISTS message_controls_gone AFTER DELETE ON messages BEGIN
  DELETE FROM message_controls WHERE msg_id = OLD.id;
END;

-- migration 27
-- A sync event's id is never handed out again (AUTOINCREMENT). An openim.getmsg Cookie holds the
-- id of the last event its device got; without AUTOINCREMENT SQLite numbers a new row after the
-- largest id left in the table, so once the retention sweep had taken every event (nobody wrote
-- one within retention_days) the ids began at 1 again, below the Cookies held, and a device
-- coming back was replayed nothing (its messages, recalls, read marks) until the ids passed its
-- Cookie. SQLite cannot add AUTOINCREMENT to a table: it is made again with its rows and ids, and
-- the trigger that writes into it is dropped around that (a trigger naming a table that is gone
-- makes the rename fail) and made again as migration 24 has it. Written to run again over itself.
DROP TRIGGER IF EXISTS messages_c2c;
DROP TABLE IF EXISTS events_autoincrement;
CREATE TABLE events_autoincrement (
  id      INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id TEXT NOT NULL,
  kind    INTEGER NOT NULL,
  payload TEXT NOT NULL,
  created INTEGER NOT NULL
);
INSERT INTO events_autoincrement (id, user_id, kind, payload, created)
  SELECT id, user_id, kind, payload, created FROM events;
DROP TABLE events;
ALTER TABLE events_autoincrement RENAME TO events;
CREATE INDEX events_user ON events (user_id, id);
CREATE TRIGGER messages_c2c AFTER INSERT ON messages WHEN NEW.conv_type = 1
BEGIN
  INSERT INTO conversations (owner, conv_type, peer, last_seq, last_time, read_seq)
    VALUES (NEW.from_user, 1, NEW.to_id, NEW.seq, NEW.time, NEW.seq)
    ON CONFLICT (owner, conv_type, peer) DO UPDATE SET last_seq = excluded.last_seq,
      last_time = excluded.last_time, read_seq = max(read_seq, excluded.last_seq);
  INSERT INTO conversations (owner, conv_type, peer, last_seq, last_time)
    VALUES (NEW.to_id, 1, NEW.from_user, NEW.seq, NEW.time)
    ON CONFLICT (owner, conv_type, peer) DO UPDATE SET last_seq = excluded.last_seq,
      last_time = excluded.last_time;
  INSERT INTO events (user_id, kind, payload, created)
    SELECT NEW.to_id, 1, '{"id":' || NEW.id || '}', unixepoch ()
    WHERE NOT EXISTS (SELECT 1 FROM conversations c WHERE c.owner = NEW.to_id
      AND c.conv_type = 1 AND c.peer = NEW.from_user AND c.remind = 1);
  INSERT INTO events (user_id, kind, payload, created)
    SELECT NEW.from_user, 1, '{"id":' || NEW.id || '}', unixepoch ()
    WHERE NEW.from_user <> NEW.to_id;
END;

-- migration 28
-- An applicant who became a member some other way (invited, a free join) has had their
-- application answered by it; those left from before came back to the managers once their
-- applicant quit. Written to run again over itself.
DELETE FROM group_applications WHERE EXISTS (SELECT 1 FROM group_members m
  WHERE m.group_id = group_applications.group_id AND m.user_id = group_applications.applicant);

-- migration 29
-- A message's id is never handed out again (AUTOINCREMENT), as a sync event's is not (since the
-- 27th). An openim.getmsg Cookie's MSGID is the newest message id when it was handed out, and
-- the reply to it lists the unread @-mentions stored after it. Without AUTOINCREMENT SQLite
-- numbers a new row after the largest id left in the table, so once the retention sweep had taken
-- every message (or a dismissed group took the newest) ids came again at or below the Cookies
-- held, and a device coming back was not told of the mentions made meanwhile. The table is made
-- again with its rows and ids, as events was; the triggers on it go with the old table and are
-- made again as migrations 6, 27, 12 and 26 have them, its indexes as migrations 1, 5 and 13
-- have them (its UNIQUE (conv_key, seq) comes with the table). A store whose messages were all
-- gone before this runs starts from 1 again, as before: nothing recorded the ids handed out.
-- Written to run again over itself.
DROP TABLE IF EXISTS messages_autoincrement;
CREATE TABLE messages_autoincrement (
  id                INTEGER PRIMARY KEY AUTOINCREMENT,
  conv_type         INTEGER NOT NULL,          -- 1 C2C, 2 group
  conv_key          TEXT NOT NULL,
  seq               INTEGER NOT NULL,
  kind              INTEGER NOT NULL DEFAULT 0, -- 0 message, 1 group tip
  from_user         TEXT NOT NULL,
  to_id             TEXT NOT NULL,
  client_seq        INTEGER NOT NULL,
  random            INTEGER NOT NULL,
  time              INTEGER NOT NULL,
  client_time       INTEGER NOT NULL,
  priority          INTEGER NOT NULL DEFAULT 2,
  body              TEXT NOT NULL,
  cloud_custom_data TEXT NOT NULL DEFAULT '',
  offline_push      TEXT,
  recalled          INTEGER NOT NULL DEFAULT 0,
  revoker           TEXT,
  recall_time       INTEGER NOT NULL DEFAULT 0,
  at_info           TEXT,
  version           INTEGER NOT NULL DEFAULT 0,
  UNIQUE (conv_key, seq)
);
INSERT INTO messages_autoincrement (id, conv_type, conv_key, seq, kind, from_user, to_id,
    client_seq, random, time, client_time, priority, body, cloud_custom_data, offline_push,
    recalled, revoker, recall_time, at_info, version)
  SELECT id, conv_type, conv_key, seq, kind, from_user, to_id, client_seq, random, time,
    client_time, priority, body, cloud_custom_data, offline_push, recalled, revoker, recall_time,
    at_info, version FROM messages;
DROP TABLE messages;
ALTER TABLE messages_autoincrement RENAME TO messages;
CREATE UNIQUE INDEX messages_dedup ON messages (conv_key, from_user, client_seq, random) WHERE kind = 0;
CREATE INDEX messages_time ON messages (time);
CREATE INDEX messages_mentions ON messages (conv_key, seq) WHERE at_info IS NOT NULL;
CREATE TRIGGER messages_counter AFTER INSERT ON messages
BEGIN
  INSERT INTO counters (conv_key, last_seq) VALUES (NEW.conv_key, NEW.seq)
    ON CONFLICT (conv_key) DO UPDATE SET last_seq = max(last_seq, excluded.last_seq);
END;
CREATE TRIGGER messages_c2c AFTER INSERT ON messages WHEN NEW.conv_type = 1
BEGIN
  INSERT INTO conversations (owner, conv_type, peer, last_seq, last_time, read_seq)
    VALUES (NEW.from_user, 1, NEW.to_id, NEW.seq, NEW.time, NEW.seq)
    ON CONFLICT (owner, conv_type, peer) DO UPDATE SET last_seq = excluded.last_seq,
      last_time = excluded.last_time, read_seq = max(read_seq, excluded.last_seq);
  INSERT INTO conversations (owner, conv_type, peer, last_seq, last_time)
    VALUES (NEW.to_id, 1, NEW.from_user, NEW.seq, NEW.time)
    ON CONFLICT (owner, conv_type, peer) DO UPDATE SET last_seq = excluded.last_seq,
      last_time = excluded.last_time;
  INSERT INTO events (user_id, kind, payload, created)
    SELECT NEW.to_id, 1, '{"id":' || NEW.id || '}', unixepoch ()
    WHERE NOT EXISTS (SELECT 1 FROM conversations c WHERE c.owner = NEW.to_id
      AND c.conv_type = 1 AND c.peer = NEW.from_user AND c.remind = 1);
  INSERT INTO events (user_id, kind, payload, created)
    SELECT NEW.from_user, 1, '{"id":' || NEW.id || '}', unixepoch ()
    WHERE NEW.from_user <> NEW.to_id;
END;
CREATE TRIGGER hidden_messages_gone AFTER DELETE ON messages BEGIN
  DELETE FROM hidden_messages WHERE msg_id = OLD.id;
END;
CREATE TRIGGER message_controls_gone AFTER DELETE ON messages BEGIN
  DELETE FROM message_controls WHERE msg_id = OLD.id;
END;

-- migration 30
-- Where each member's view of a group's history begins: they read its messages after joined_seq,
-- the group's newest sequence when they joined (tim-rest-facts.md §5.0: only a Meeting's, the old
-- ChatRoom's, members see what was said before they came; a Work, Public or live room's read from
-- their join on). Set at each join, so a member who quit or was removed and comes back starts
-- again from then. 0, all of it: a Meeting's members, and everyone who joined before this
-- migration, who keep seeing what they saw.
ALTER TABLE group_members ADD COLUMN joined_seq INTEGER NOT NULL DEFAULT 0;
