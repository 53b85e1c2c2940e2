#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "messenger/result.hpp"
#include "messenger/types.hpp"

namespace SQLite {
class Database;
}

namespace messenger {

/// A message waiting in the outbox.
struct OutboxEntry {
  std::string client_msg_id;
  ChatId chat_id = 0;
  std::string text;
};

/// What the client keeps across restarts of the program.
struct SavedClientState {
  std::optional<std::string> token;  ///< the session to resume
  UserId owner = 0;                  ///< whose stream `cursor` is in; 0 when nobody's yet
  Cursor cursor = 0;
  std::vector<OutboxEntry> outbox;  ///< in the order they were queued
};

/// The client's data file: one SQLite database (WAL) with the session token, the stream cursor
/// and the outbox. Thread-safe: the host's threads queue messages while the network thread
/// moves the cursor. Every write is committed before the call returns.
class ClientStore {
 public:
  /// Opens the file, creating it (readable by its owner only) when missing.
  /// Errors: storage_error (unreadable, not a database, made by a newer version).
  static Result<std::unique_ptr<ClientStore>> open(const std::string& path);
  ~ClientStore();
  ClientStore(const ClientStore&) = delete;
  ClientStore& operator=(const ClientStore&) = delete;

  Result<SavedClientState> load();
  /// Errors (all writes): storage_error.
  Result<void> save_session(UserId owner, const std::string& token, Cursor cursor);
  Result<void> forget_token();
  Result<void> save_cursor(UserId owner, Cursor cursor);
  Result<void> add_to_outbox(const OutboxEntry& entry);
  Result<void> remove_from_outbox(const std::string& client_msg_id);
  Result<void> clear_outbox();

 private:
  explicit ClientStore(std::unique_ptr<SQLite::Database> db);
  template <typename Write>
  Result<void> write(const char* doing, Write&& write);

  std::mutex mutex_;
  std::unique_ptr<SQLite::Database> db_;
};

}  // namespace messenger
