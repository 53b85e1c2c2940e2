#pragma once

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "messenger/error.hpp"
#include "messenger/store.hpp"

namespace messenger {

/// How long a connection waits on a lock before SQLite gives up with SQLITE_BUSY. In WAL mode
/// readers wait only in rare moments (recovery, a WAL restart) and the writer only for other
/// processes on the same file; a busy error reaching a client is worse than a slow reply.
inline constexpr int kBusyTimeoutMs = 10'000;
/// WAL pages (4 KiB each) added after which the checkpoint thread copies them back into the
/// database.
inline constexpr int kWalCheckpointPages = 1000;
/// The size a WAL file is cut back to after a checkpoint resets it, so one burst of writes
/// does not leave a large file behind.
inline constexpr std::int64_t kJournalSizeLimitBytes = std::int64_t{16} << 20;
/// WAL pages after which the writer restarts the WAL from its beginning, keeping the store's
/// readers out for that moment: readers that never pause leave no moment in which the WAL
/// could restart on its own. The size the file is cut back to anyway.
inline constexpr int kWalRestartPages = static_cast<int>(kJournalSizeLimitBytes / 4096);
/// WAL pages past which the writer's restart waits for a checkpoint pass in progress instead of
/// trying again after the next commit.
inline constexpr int kWalRestartLimitPages = kWalRestartPages + kWalCheckpointPages / 2;
/// Page cache of the writer connection, in KiB. Appends to many chats touch index pages all
/// over the file; keeping them in memory saves reading them back for every transaction.
inline constexpr int kWriterCacheKiB = 64 << 10;

/// Opens the one read-write connection: WAL, the durability asked for, foreign keys on.
/// Throws SQLite::Exception.
SQLite::Database open_writer_connection(const SqliteStoreOptions& options);

/// Opens the connection that checkpoints the WAL beside the writer, with the writer's
/// durability, on a database the writer has already set up. Throws SQLite::Exception.
SQLite::Database open_checkpoint_connection(const SqliteStoreOptions& options);

/// Opens a read-only connection to a database the writer has already set up.
/// Throws SQLite::Exception.
SQLite::Database open_reader_connection(const std::string& path);

/// The storage_error for a failed SQLite call, naming what was being done.
Error storage_error(std::string_view doing, const SQLite::Exception& failure);

/// Resets a cached statement when the scope ends. A statement left mid-result would keep its
/// read snapshot (and hold back WAL checkpoints), and would refuse its next use.
class StatementReset {
 public:
  explicit StatementReset(SQLite::Statement& statement) : statement_(statement) {}
  ~StatementReset() {
    statement_.tryReset();
    statement_.clearBindings();
  }
  StatementReset(const StatementReset&) = delete;
  StatementReset& operator=(const StatementReset&) = delete;

 private:
  SQLite::Statement& statement_;
};

/// Runs a cached statement that returns no rows, and readies it for its next use.
/// Returns the number of rows changed. Throws SQLite::Exception.
int run(SQLite::Statement& statement);

}  // namespace messenger
