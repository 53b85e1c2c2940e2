#pragma once

#include <string>

#include "messenger/result.hpp"

namespace messenger {

/// Keeps a second server (in this process or another) from opening the same data folder: two
/// writers on one database would each trust their own view of the sequences and cursors. The
/// kernel drops the lock when the process dies, so a crashed server never blocks its restart.
class DataFolderLock {
 public:
  /// Errors: storage_error (the folder is in use, or the lock file cannot be opened).
  static Result<DataFolderLock> acquire(const std::string& folder);

  DataFolderLock(DataFolderLock&& other) noexcept;
  DataFolderLock& operator=(DataFolderLock&& other) noexcept;
  DataFolderLock(const DataFolderLock&) = delete;
  DataFolderLock& operator=(const DataFolderLock&) = delete;
  ~DataFolderLock();

 private:
  explicit DataFolderLock(int fd) : fd_(fd) {}

  int fd_ = -1;
};

}  // namespace messenger
