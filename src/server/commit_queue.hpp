#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "log/logger.hpp"
#include "messenger/store.hpp"

namespace messenger {

/// The one writer of a store. Jobs queue up while a commit runs; the writer then applies all of
/// them in one transaction and commits once (group commit), so that many small writes share
/// one fsync. Every job learns whether its transaction committed, in submission order, on the
/// finisher thread: replies and fan-out of one batch are encoded there while the writer
/// already commits the next.
class CommitQueue {
 public:
  /// Runs a handler later on the caller's executor (e.g. an `io_context` a simulation steps).
  using Post = std::function<void(std::function<void()> handler)>;

  /// One unit of work. `apply` writes inside the open transaction (it is skipped when no
  /// transaction could be opened); `finish` runs once the transaction committed, or failed with
  /// nothing kept, and must then report the error instead of what `apply` did.
  struct Job {
    std::function<void(WriteTransaction&)> apply;
    std::function<void(const Result<void>& committed)> finish;
  };

  CommitQueue(std::shared_ptr<Store> store, Logger log);
  /// Stepped mode, for deterministic simulation: no writer thread; each job is posted through
  /// `post` and runs there in a transaction of its own, so the executor alone decides the order
  /// of everything. A job whose handler is destroyed unrun is lost, as in a crash. The
  /// executor must not run these handlers after the queue is destroyed.
  CommitQueue(std::shared_ptr<Store> store, Logger log, Post post);
  ~CommitQueue();
  CommitQueue(const CommitQueue&) = delete;
  CommitQueue& operator=(const CommitQueue&) = delete;

  /// Thread-safe. After `stop`, `finish` runs at once with `shutting_down`: a job is never
  /// dropped silently.
  void submit(Job job);
  /// Applies and commits everything queued, runs every `finish`, then ends both threads.
  void stop();

 private:
  /// A committed (or failed) batch waiting for its jobs' `finish`.
  struct Outcome {
    std::deque<Job> jobs;
    Result<void> committed;
  };

  void run();
  void run_finishes();
  void commit_one(Job& job);
  Result<void> commit_batch(std::deque<Job>& batch);

  std::shared_ptr<Store> store_;
  Logger log_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job> queue_;
  bool stopping_ = false;
  Post post_;

  std::mutex finish_mutex_;
  std::condition_variable finish_wake_;
  std::deque<Outcome> outcomes_;
  bool writer_done_ = false;

  std::thread writer_;
  std::thread finisher_;
};

}  // namespace messenger
