#pragma once

#include <SQLiteCpp/Database.h>

#include <condition_variable>
#include <mutex>
#include <thread>

#include "log/logger.hpp"
#include "messenger/store.hpp"

namespace messenger {

/// Copies the WAL back into the database file on a thread and a connection of its own, so that
/// the writer's commits never wait for that copy and its fsync. Its checkpoints are PASSIVE:
/// they take no lock that the writer or a reader waits for, and copy only the frames that no
/// reader still needs. Restarting the WAL from its beginning is left to the writer (see
/// `SqliteWriter::checkpoint_if_due`), which can keep the readers out.
class WalCheckpointer {
 public:
  /// Opens its connection to the database the writer has set up, and starts the thread.
  /// Throws SQLite::Exception.
  WalCheckpointer(const SqliteStoreOptions& options, Logger log);
  /// Stops the thread, waiting for a pass in progress to end, then closes the connection.
  ~WalCheckpointer();
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;

  /// Called on the writer thread after each commit with the WAL's length in pages: wakes the
  /// thread once `kWalCheckpointPages` were added since it was last woken. Does not wait for
  /// a pass.
  void wal_grew(int wal_pages) noexcept;

  /// Runs `exclusive` while no pass is in progress, waiting for one to end: a checkpoint from
  /// another connection meanwhile would fail at once with SQLITE_BUSY.
  template <typename Exclusive>
  void run_between_passes(Exclusive&& exclusive) {
    std::lock_guard pass(pass_mutex_);
    exclusive();
  }

  /// Runs `exclusive` unless a pass is in progress; whether it ran.
  template <typename Exclusive>
  bool try_between_passes(Exclusive&& exclusive) {
    std::unique_lock pass(pass_mutex_, std::try_to_lock);
    if (!pass.owns_lock()) return false;
    exclusive();
    return true;
  }

  /// Passes that ran to the end, whether or not they could copy every frame. For tests.
  int passes() const;

 private:
  void run() noexcept;
  void checkpoint() noexcept;

  Logger log_;
  SQLite::Database db_;
  std::mutex pass_mutex_;  ///< held for the length of one checkpoint

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool due_ = false;
  bool stopping_ = false;
  int passes_ = 0;

  int pages_at_last_wake_ = 0;  ///< writer thread only
  bool failing_ = false;        ///< checkpoint thread only: the last pass failed and was logged

  // Last, so that it starts after everything above is ready.
  std::thread thread_;
};

}  // namespace messenger
