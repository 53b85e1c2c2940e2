#include "store/sqlite/sqlite_store.hpp"

#include <fmt/format.h>

#include "store/sqlite/sqlite_connection.hpp"
#include "store/sqlite/sqlite_reader.hpp"
#include "store/sqlite/sqlite_write_transaction.hpp"
#include "store/sqlite/sqlite_writer.hpp"

namespace messenger {

SqliteStore::SqliteStore(std::string path, std::shared_ptr<SqliteWriter> writer)
    : path_(std::move(path)), writer_(std::move(writer)) {}

Result<std::unique_ptr<WriteTransaction>> SqliteStore::begin_write() {
  if (writer_->in_use.exchange(true)) {
    return Error{Errc::internal, "a write transaction is already open on this store"};
  }
  try {
    run(writer_->begin);
  } catch (const SQLite::Exception& failure) {
    writer_->in_use.store(false);
    return storage_error("begin_write", failure);
  }
  return std::unique_ptr<WriteTransaction>(std::make_unique<SqliteWriteTransaction>(writer_));
}

Result<std::unique_ptr<StoreReader>> SqliteStore::open_reader() {
  try {
    return std::unique_ptr<StoreReader>(std::make_unique<SqliteReader>(path_, writer_->readers));
  } catch (const SQLite::Exception& failure) {
    return storage_error(fmt::format("opening a reader on '{}'", path_), failure);
  }
}

Result<std::string> SqliteStore::writer_pragma(std::string_view name) {
  if (writer_->in_use.exchange(true)) {
    return Error{Errc::internal, "a write transaction is open on this store"};
  }
  auto read = [&]() -> Result<std::string> {
    try {
      return writer_->db.execAndGet(fmt::format("PRAGMA {}", name)).getString();
    } catch (const SQLite::Exception& failure) {
      return storage_error(fmt::format("PRAGMA {}", name), failure);
    }
  };
  Result<std::string> value = read();
  writer_->in_use.store(false);
  return value;
}

int SqliteStore::background_checkpoints() const {
  return writer_->checkpointer->passes();
}

Result<std::shared_ptr<Store>> open_sqlite_store(const SqliteStoreOptions& options,
                                                 LogOptions log) {
  auto writer = SqliteWriter::open(options, Logger(std::move(log), "store"));
  if (!writer) return writer.error();
  return std::shared_ptr<Store>(std::make_shared<SqliteStore>(
      options.path, std::shared_ptr<SqliteWriter>(std::move(*writer))));
}

}  // namespace messenger
