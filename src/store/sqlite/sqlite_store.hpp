#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "messenger/store.hpp"

namespace messenger {

struct SqliteWriter;

/// `Store` on one SQLite file: a single writer connection shared by successive write
/// transactions, and a read-only connection per reader.
class SqliteStore final : public Store {
 public:
  SqliteStore(std::string path, std::shared_ptr<SqliteWriter> writer);

  /// Errors: internal (a transaction is already open), storage_error.
  Result<std::unique_ptr<WriteTransaction>> begin_write() override;
  /// Errors: storage_error.
  Result<std::unique_ptr<StoreReader>> open_reader() override;

  /// The value of `PRAGMA <name>` on the writer connection, for checking its settings. Call it
  /// only while no write transaction is open. Errors: storage_error, internal.
  Result<std::string> writer_pragma(std::string_view name);

  /// WAL checkpoints the store's checkpoint thread has run so far. For tests.
  int background_checkpoints() const;

 private:
  std::string path_;
  std::shared_ptr<SqliteWriter> writer_;
};

}  // namespace messenger
