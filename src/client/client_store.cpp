#include "client/client_store.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <system_error>

namespace messenger {
namespace {

constexpr int kSchemaVersion = 1;
/// Another process (a second copy of the program) may hold the file for a moment.
constexpr int kBusyTimeoutMs = 5'000;
/// The host's threads and the network thread share the connection; `mutex_` orders them.
const int kOpenFlags = SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX;

constexpr const char* kSchema = R"(
  CREATE TABLE IF NOT EXISTS client_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    owner INTEGER NOT NULL DEFAULT 0,
    token TEXT,
    cursor INTEGER NOT NULL DEFAULT 0
  );
  INSERT OR IGNORE INTO client_state (id) VALUES (1);
  CREATE TABLE IF NOT EXISTS outbox (
    position INTEGER PRIMARY KEY AUTOINCREMENT,
    client_msg_id TEXT NOT NULL UNIQUE,
    chat_id INTEGER NOT NULL,
    text TEXT NOT NULL
  );
)";

Error storage_error(std::string_view doing, const SQLite::Exception& failure) {
  return Error{Errc::storage_error, fmt::format("{}: {}", doing, failure.what())};
}

void prepare(SQLite::Database& db) {
  std::string mode = db.execAndGet("PRAGMA journal_mode = WAL").getString();
  if (mode != "wal") throw SQLite::Exception("cannot use WAL mode (journal mode is " + mode + ")");
  // In WAL mode NORMAL survives a crash of the program, which is what the outbox promises.
  db.exec("PRAGMA synchronous = NORMAL");
  int version = db.execAndGet("PRAGMA user_version").getInt();
  if (version > kSchemaVersion) {
    throw SQLite::Exception(fmt::format("made by a newer version (schema {})", version));
  }
  SQLite::Transaction transaction(db);
  db.exec(kSchema);
  db.exec(fmt::format("PRAGMA user_version = {}", kSchemaVersion));
  transaction.commit();
}

// The file holds a session token, a secret like a password: it is made readable by its owner
// only before SQLite writes anything (SQLite gives its WAL file the same permissions).
void create_private(const std::string& path) {
  std::error_code ignored;  // a path that does not work fails when SQLite opens it
  if (std::filesystem::exists(path, ignored)) return;
  std::ofstream{path};
  std::filesystem::permissions(
      path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
      std::filesystem::perm_options::replace, ignored);
}

}  // namespace

Result<std::unique_ptr<ClientStore>> ClientStore::open(const std::string& path) {
  try {
    create_private(path);
    auto db = std::make_unique<SQLite::Database>(path, kOpenFlags, kBusyTimeoutMs);
    prepare(*db);
    return std::unique_ptr<ClientStore>(new ClientStore(std::move(db)));
  } catch (const SQLite::Exception& failure) {
    return storage_error(fmt::format("cannot open the data file '{}'", path), failure);
  }
}

ClientStore::ClientStore(std::unique_ptr<SQLite::Database> db) : db_(std::move(db)) {}
ClientStore::~ClientStore() = default;

Result<SavedClientState> ClientStore::load() {
  std::lock_guard lock(mutex_);
  try {
    SavedClientState saved;
    SQLite::Statement state(*db_, "SELECT owner, token, cursor FROM client_state WHERE id = 1");
    if (state.executeStep()) {
      saved.owner = state.getColumn(0).getInt64();
      if (!state.getColumn(1).isNull()) saved.token = state.getColumn(1).getString();
      saved.cursor = state.getColumn(2).getInt64();
    }
    SQLite::Statement outbox(*db_,
                             "SELECT client_msg_id, chat_id, text FROM outbox ORDER BY position");
    while (outbox.executeStep()) {
      saved.outbox.push_back({outbox.getColumn(0).getString(), outbox.getColumn(1).getInt64(),
                              outbox.getColumn(2).getString()});
    }
    return saved;
  } catch (const SQLite::Exception& failure) {
    return storage_error("cannot read the data file", failure);
  }
}

template <typename Write>
Result<void> ClientStore::write(const char* doing, Write&& write) {
  std::lock_guard lock(mutex_);
  try {
    write(*db_);
    return {};
  } catch (const SQLite::Exception& failure) {
    return storage_error(doing, failure);
  }
}

Result<void> ClientStore::save_session(UserId owner, const std::string& token, Cursor cursor) {
  return write("cannot save the session", [&](SQLite::Database& db) {
    SQLite::Statement update(
        db, "UPDATE client_state SET owner = ?, token = ?, cursor = ? WHERE id = 1");
    update.bind(1, owner);
    update.bind(2, token);
    update.bind(3, cursor);
    update.exec();
  });
}

Result<void> ClientStore::forget_token() {
  return write("cannot forget the session", [](SQLite::Database& db) {
    db.exec("UPDATE client_state SET token = NULL WHERE id = 1");
  });
}

Result<void> ClientStore::save_cursor(UserId owner, Cursor cursor) {
  return write("cannot save the cursor", [&](SQLite::Database& db) {
    SQLite::Statement update(db, "UPDATE client_state SET owner = ?, cursor = ? WHERE id = 1");
    update.bind(1, owner);
    update.bind(2, cursor);
    update.exec();
  });
}

Result<void> ClientStore::add_to_outbox(const OutboxEntry& entry) {
  return write("cannot save a queued message", [&](SQLite::Database& db) {
    SQLite::Statement insert(
        db, "INSERT OR IGNORE INTO outbox (client_msg_id, chat_id, text) VALUES (?, ?, ?)");
    insert.bind(1, entry.client_msg_id);
    insert.bind(2, entry.chat_id);
    insert.bind(3, entry.text);
    insert.exec();
  });
}

Result<void> ClientStore::remove_from_outbox(const std::string& client_msg_id) {
  return write("cannot remove a sent message", [&](SQLite::Database& db) {
    SQLite::Statement remove(db, "DELETE FROM outbox WHERE client_msg_id = ?");
    remove.bind(1, client_msg_id);
    remove.exec();
  });
}

Result<void> ClientStore::clear_outbox() {
  return write("cannot clear the outbox",
               [](SQLite::Database& db) { db.exec("DELETE FROM outbox"); });
}

}  // namespace messenger
