#include "store/sqlite/schema.hpp"

#include <SQLiteCpp/Transaction.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace messenger {
namespace {

// Step i takes the schema from version i to i + 1. Released steps never change; a new version
// appends a step.
//
// Names compare without regard to ASCII case (COLLATE NOCASE), which serves both lookup and
// uniqueness, and are kept as typed. Kinds and roles are stored as their wire names so the
// file reads well in the sqlite3 shell. A direct chat's `direct_key` is "low:high" of its two
// user ids, which makes the second open of the same pair find the first chat.
//
// Step 2, the update stream: `updates` holds every position of it, so its ids are the cursors;
// a message's row in `messages` has the id of its update. Updates of a chat (`addressee` NULL)
// reach its members; a chat update with an `addressee` reaches that user alone. `memberships`
// keeps each stretch of a user's membership as the cursors it began and ended at (`last_cursor`
// NULL while it lasts), so that a removed member's stream ends with their removal. `updates` has
// no foreign keys: every message inserts a row, and the message row checks its chat already.
// Existing members keep reading their chats from the start; existing messages become updates.
// The kind checks are spelled with OR: an IN list builds a temporary table on every insert,
// which cost a third of an append.
constexpr std::array<const char*, 2> kMigrations = {
    R"sql(
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE COLLATE NOCASE,
  password_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

CREATE TABLE sessions (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  token_hash BLOB NOT NULL UNIQUE,
  device TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE chats (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('direct', 'group')),
  title TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_seq INTEGER NOT NULL DEFAULT 0,
  last_activity INTEGER NOT NULL,
  direct_key TEXT UNIQUE
);

CREATE TABLE chat_members (
  chat_id INTEGER NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role TEXT NOT NULL CHECK (role IN ('member', 'admin', 'owner')),
  delivered_seq INTEGER NOT NULL DEFAULT 0,
  seen_seq INTEGER NOT NULL DEFAULT 0,
  joined_at INTEGER NOT NULL,
  PRIMARY KEY (chat_id, user_id),
  CHECK (seen_seq <= delivered_seq)
) WITHOUT ROWID;
CREATE INDEX chat_members_by_user ON chat_members (user_id, chat_id);

-- A NULL client_msg_id is no idempotency key: NULLs never collide in a UNIQUE constraint.
CREATE TABLE messages (
  id INTEGER PRIMARY KEY,
  chat_id INTEGER NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  sender_id INTEGER NOT NULL REFERENCES users (id),
  client_msg_id TEXT,
  text TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  UNIQUE (chat_id, seq),
  UNIQUE (chat_id, sender_id, client_msg_id)
);
CREATE INDEX messages_by_sender ON messages (sender_id);
CREATE INDEX messages_by_time ON messages (created_at);
)sql",
    R"sql(
ALTER TABLE users ADD COLUMN last_seen INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN kind TEXT NOT NULL DEFAULT 'text' CHECK (kind = 'text'
  OR kind = 'member_added' OR kind = 'member_removed' OR kind = 'member_left'
  OR kind = 'chat_renamed');
ALTER TABLE messages ADD COLUMN subject_id INTEGER NOT NULL DEFAULT 0;

CREATE TABLE updates (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind = 'message' OR kind = 'receipt' OR kind = 'chat'),
  chat_id INTEGER NOT NULL,
  addressee INTEGER,
  member_id INTEGER,
  delivered_seq INTEGER,
  seen_seq INTEGER
);
CREATE INDEX updates_in_chat ON updates (chat_id, id) WHERE addressee IS NULL;
CREATE INDEX updates_to_user ON updates (addressee, id) WHERE addressee IS NOT NULL;

CREATE TABLE memberships (
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  chat_id INTEGER NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
  first_cursor INTEGER NOT NULL,
  last_cursor INTEGER,
  PRIMARY KEY (user_id, chat_id, first_cursor)
) WITHOUT ROWID;
CREATE UNIQUE INDEX memberships_open ON memberships (chat_id, user_id)
  WHERE last_cursor IS NULL;

-- Updates up to pruned_through are gone (none yet: nothing prunes).
CREATE TABLE stream_horizon (
  only_row INTEGER PRIMARY KEY CHECK (only_row = 1),
  pruned_through INTEGER NOT NULL
);
INSERT INTO stream_horizon VALUES (1, 0);

INSERT INTO updates (id, kind, chat_id) SELECT id, 'message', chat_id FROM messages;
INSERT INTO memberships (user_id, chat_id, first_cursor)
  SELECT user_id, chat_id, 0 FROM chat_members;
)sql",
};

}  // namespace

int sqlite_schema_version() {
  return static_cast<int>(kMigrations.size());
}

Result<void> migrate_schema(SQLite::Database& db, int target) {
  SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
  int version = db.execAndGet("PRAGMA user_version").getInt();
  if (version < 0 || version > sqlite_schema_version()) {
    return Error{Errc::storage_error,
                 fmt::format("'{}' has schema version {}, unknown to this build (it knows {})",
                             db.getFilename(), version, sqlite_schema_version())};
  }
  target = std::clamp(target, 0, sqlite_schema_version());
  if (version >= target) return {};

  for (int step = version; step < target; ++step) {
    db.exec(kMigrations[static_cast<std::size_t>(step)]);
  }
  db.exec(fmt::format("PRAGMA user_version = {}", target));
  transaction.commit();
  return {};
}

}  // namespace messenger
