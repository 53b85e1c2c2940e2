#include "store/sqlite/schema.hpp"

#include <SQLiteCpp/Transaction.h>
#include <fmt/format.h>

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
constexpr std::array<const char*, 1> kMigrations = {
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
};

}  // namespace

int sqlite_schema_version() {
  return static_cast<int>(kMigrations.size());
}

Result<void> migrate_schema(SQLite::Database& db) {
  SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
  int version = db.execAndGet("PRAGMA user_version").getInt();
  if (version < 0 || version > sqlite_schema_version()) {
    return Error{Errc::storage_error,
                 fmt::format("'{}' has schema version {}, unknown to this build (it knows {})",
                             db.getFilename(), version, sqlite_schema_version())};
  }
  if (version == sqlite_schema_version()) return {};

  for (auto step = static_cast<std::size_t>(version); step < kMigrations.size(); ++step) {
    db.exec(kMigrations[step]);
  }
  db.exec(fmt::format("PRAGMA user_version = {}", sqlite_schema_version()));
  transaction.commit();
  return {};
}

}  // namespace messenger
