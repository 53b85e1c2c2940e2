#include "server/commit_queue.hpp"

namespace messenger {
namespace {

// A cap on one transaction keeps the latency of the first job in a burst bounded.
constexpr std::size_t kMaxJobsPerCommit = 4096;

}  // namespace

CommitQueue::CommitQueue(std::shared_ptr<Store> store, Logger log)
    : store_(std::move(store)),
      log_(std::move(log)),
      writer_([this] { run(); }),
      finisher_([this] { run_finishes(); }) {}

CommitQueue::CommitQueue(std::shared_ptr<Store> store, Logger log, Post post)
    : store_(std::move(store)), log_(std::move(log)), post_(std::move(post)) {}

CommitQueue::~CommitQueue() {
  stop();
}

void CommitQueue::submit(Job job) {
  bool accepted = false;
  {
    std::lock_guard lock(mutex_);
    accepted = !stopping_;
    if (accepted && !post_) {
      queue_.push_back(std::move(job));
      wake_.notify_one();
      return;
    }
  }
  if (!accepted) {
    job.finish(Result<void>(Errc::shutting_down, "the server is stopping"));
    return;
  }
  post_([this, job = std::move(job)]() mutable { commit_one(job); });
}

void CommitQueue::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ && !writer_.joinable()) return;
    stopping_ = true;
    wake_.notify_one();
  }
  // A finish may stop the server, and so this queue, from the finisher thread itself; the
  // threads then end on their own once the queues are empty.
  auto self = std::this_thread::get_id();
  if (writer_.joinable() && writer_.get_id() != self && finisher_.get_id() != self) {
    writer_.join();
  }
  if (finisher_.joinable() && finisher_.get_id() != self) finisher_.join();
}

void CommitQueue::run() {
  std::deque<Job> batch;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) break;  // stopping, and everything queued is committed
      if (queue_.size() <= kMaxJobsPerCommit) {
        batch.swap(queue_);
      } else {
        auto end = queue_.begin() + kMaxJobsPerCommit;
        batch.assign(std::make_move_iterator(queue_.begin()), std::make_move_iterator(end));
        queue_.erase(queue_.begin(), end);
      }
    }
    auto committed = commit_batch(batch);
    std::lock_guard lock(finish_mutex_);
    outcomes_.push_back({std::move(batch), std::move(committed)});
    batch.clear();
    finish_wake_.notify_one();
  }

  std::lock_guard lock(finish_mutex_);
  writer_done_ = true;
  finish_wake_.notify_one();
}

void CommitQueue::run_finishes() {
  std::deque<Outcome> ready;
  for (;;) {
    {
      std::unique_lock lock(finish_mutex_);
      finish_wake_.wait(lock, [this] { return writer_done_ || !outcomes_.empty(); });
      if (outcomes_.empty()) return;  // the writer has ended, and every job is finished
      ready.swap(outcomes_);
    }
    for (auto& outcome : ready) {
      for (auto& job : outcome.jobs)
        job.finish(outcome.committed);
    }
    ready.clear();
  }
}

void CommitQueue::commit_one(Job& job) {
  std::deque<Job> batch;
  batch.push_back(std::move(job));
  auto committed = commit_batch(batch);
  batch.front().finish(committed);
}

Result<void> CommitQueue::commit_batch(std::deque<Job>& batch) {
  auto transaction = store_->begin_write();
  if (!transaction) {
    log_.error("cannot begin a write transaction: {}", transaction.error().message);
    return Result<void>(Errc::storage_error, "the store cannot write");
  }

  for (auto& job : batch)
    job.apply(**transaction);
  auto committed = (*transaction)->commit();
  if (!committed) {
    log_.error("commit of {} jobs failed: {}", batch.size(), committed.error().message);
    committed = Result<void>(Errc::storage_error, "the store could not commit");
  }
  return committed;
}

}  // namespace messenger
