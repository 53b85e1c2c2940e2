#include "store/sqlite/wal_checkpointer.hpp"

#include <sqlite3.h>

#include "store/sqlite/sqlite_connection.hpp"

namespace messenger {

WalCheckpointer::WalCheckpointer(const SqliteStoreOptions& options, Logger log)
    : log_(std::move(log)), db_(open_checkpoint_connection(options)) {
  thread_ = std::thread([this] { run(); });
}

WalCheckpointer::~WalCheckpointer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void WalCheckpointer::wal_grew(int wal_pages) noexcept {
  // A shorter WAL than at the last wake means it was restarted from its beginning.
  if (wal_pages < pages_at_last_wake_) pages_at_last_wake_ = 0;
  if (wal_pages - pages_at_last_wake_ < kWalCheckpointPages) return;
  pages_at_last_wake_ = wal_pages;
  {
    std::lock_guard lock(mutex_);
    due_ = true;
  }
  wake_.notify_one();
}

int WalCheckpointer::passes() const {
  std::lock_guard lock(mutex_);
  return passes_;
}

void WalCheckpointer::run() noexcept {
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return due_ || stopping_; });
      if (stopping_) return;
      due_ = false;
    }
    checkpoint();
    std::lock_guard lock(mutex_);
    ++passes_;
  }
}

void WalCheckpointer::checkpoint() noexcept {
  int done = SQLITE_OK;
  run_between_passes([&] {
    done = sqlite3_wal_checkpoint_v2(db_.getHandle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr,
                                     nullptr);
  });

  // BUSY: another process is checkpointing; the next wake tries again. Anything else would
  // repeat at every wake, so it is logged when it starts and when it ends.
  if (done == SQLITE_OK || done == SQLITE_BUSY) {
    if (failing_) log_.info("WAL checkpoints succeed again");
    failing_ = false;
    return;
  }
  if (!failing_) {
    log_.error("WAL checkpoint failed: {}; the WAL grows until the writer restarts it",
               sqlite3_errmsg(db_.getHandle()));
  }
  failing_ = true;
}

}  // namespace messenger
