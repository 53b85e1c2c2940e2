#pragma once

#include <SQLiteCpp/Database.h>

#include "messenger/result.hpp"

namespace messenger {

/// The schema version this build writes, kept in `PRAGMA user_version`.
int sqlite_schema_version();

/// Brings the database up to version `target` (tests ask for older ones to check upgrades) in
/// one transaction: all steps or none. Errors: storage_error (the file was written by a newer
/// build). Throws SQLite::Exception.
Result<void> migrate_schema(SQLite::Database& db, int target = sqlite_schema_version());

}  // namespace messenger
