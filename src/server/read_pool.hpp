#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "log/logger.hpp"
#include "messenger/store.hpp"

namespace messenger {

/// Threads that each hold their own store reader, for the reads and the slow CPU work
/// (password hashing) that must stay off the network threads.
class ReadPool {
 public:
  using Task = std::function<void(StoreReader&)>;
  /// Runs a handler later on the caller's executor (e.g. an `io_context` a simulation steps).
  using Post = std::function<void(std::function<void()> handler)>;

  /// Errors: storage_error when a reader cannot be opened.
  static Result<std::unique_ptr<ReadPool>> start(Store& store, unsigned threads, Logger log);
  /// Stepped mode, for deterministic simulation: no threads; each task is posted through
  /// `post` and runs there with the pool's one reader. The executor must not run these
  /// handlers after the pool is destroyed. Errors: as `start`.
  static Result<std::unique_ptr<ReadPool>> start_stepped(Store& store, Post post, Logger log);
  ~ReadPool();
  ReadPool(const ReadPool&) = delete;
  ReadPool& operator=(const ReadPool&) = delete;

  /// Thread-safe. Tasks run in no particular order across threads.
  void submit(Task task);
  /// Runs what is queued, then ends the threads.
  void stop();

 private:
  explicit ReadPool(Logger log) : log_(std::move(log)) {}
  void run(StoreReader& reader);

  Logger log_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Task> queue_;
  bool stopping_ = false;
  Post post_;
  std::vector<std::unique_ptr<StoreReader>> readers_;
  std::vector<std::thread> threads_;
};

}  // namespace messenger
