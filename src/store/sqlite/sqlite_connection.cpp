#include "store/sqlite/sqlite_connection.hpp"

#include <fmt/format.h>

namespace messenger {
namespace {

// Each connection is used by one thread at a time (the store's contract), so SQLite's own
// per-connection mutex is not needed.
const int kWriterFlags = SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX;
const int kReaderFlags = SQLite::OPEN_READONLY | SQLite::OPEN_NOMUTEX;

const char* synchronous_mode(Durability durability) {
  return durability == Durability::full ? "FULL" : "NORMAL";
}

}  // namespace

SQLite::Database open_writer_connection(const SqliteStoreOptions& options) {
  SQLite::Database db(options.path, kWriterFlags, kBusyTimeoutMs);
  std::string mode = db.execAndGet("PRAGMA journal_mode = WAL").getString();
  if (mode != "wal") {
    throw SQLite::Exception(
        fmt::format("cannot use WAL mode on '{}' (journal mode is {})", options.path, mode));
  }
  db.exec(fmt::format("PRAGMA synchronous = {}", synchronous_mode(options.durability)));
  db.exec("PRAGMA foreign_keys = ON");
  // Each operation runs in a savepoint, whose copies of the pages it changes would otherwise
  // spill to a temporary file once past 64 KiB and stay there for the whole transaction.
  db.exec("PRAGMA temp_store = MEMORY");
  db.exec(fmt::format("PRAGMA cache_size = -{}", kWriterCacheKiB));
  db.exec(fmt::format("PRAGMA journal_size_limit = {}", kJournalSizeLimitBytes));
  return db;
}

SQLite::Database open_checkpoint_connection(const SqliteStoreOptions& options) {
  // Read-write without create: it copies pages into the file the writer made. A checkpoint
  // syncs the WAL before copying and the database after, as `synchronous` asks.
  SQLite::Database db(options.path, SQLite::OPEN_READWRITE | SQLite::OPEN_NOMUTEX, kBusyTimeoutMs);
  db.exec(fmt::format("PRAGMA synchronous = {}", synchronous_mode(options.durability)));
  // A first read opens the connection's WAL; a checkpoint on a connection that has not yet
  // opened it does nothing.
  db.exec("SELECT count(*) FROM sqlite_schema");
  return db;
}

SQLite::Database open_reader_connection(const std::string& path) {
  return SQLite::Database(path, kReaderFlags, kBusyTimeoutMs);
}

Error storage_error(std::string_view doing, const SQLite::Exception& failure) {
  return Error{Errc::storage_error, fmt::format("{}: {}", doing, failure.what())};
}

int run(SQLite::Statement& statement) {
  StatementReset reset(statement);
  return statement.exec();
}

}  // namespace messenger
