#include "server/commit_queue.hpp"

namespace messenger {
namespace {

// A cap on one transaction keeps the latency of the first job in a burst bounded.
constexpr std::size_t kMaxJobsPerCommit = 4096;

}  // namespace

CommitQueue::CommitQueue(std::shared_ptr<Store> store, Logger log)
    : store_(std::move(store)), log_(std::move(log)), writer_([this] { run(); }) {}

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
  if (writer_.joinable() && writer_.get_id() != std::this_thread::get_id()) writer_.join();
}

void CommitQueue::run() {
  std::deque<Job> batch;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and everything queued is committed
      if (queue_.size() <= kMaxJobsPerCommit) {
        batch.swap(queue_);
      } else {
        auto end = queue_.begin() + kMaxJobsPerCommit;
        batch.assign(std::make_move_iterator(queue_.begin()), std::make_move_iterator(end));
        queue_.erase(queue_.begin(), end);
      }
    }
    commit_batch(batch);
    batch.clear();
  }
}

void CommitQueue::commit_one(Job& job) {
  std::deque<Job> batch;
  batch.push_back(std::move(job));
  commit_batch(batch);
}

void CommitQueue::commit_batch(std::deque<Job>& batch) {
  auto transaction = store_->begin_write();
  if (!transaction) {
    log_.error("cannot begin a write transaction: {}", transaction.error().message);
    Result<void> failed(Errc::storage_error, "the store cannot write");
    for (auto& job : batch)
      job.finish(failed);
    return;
  }

  for (auto& job : batch)
    job.apply(**transaction);
  auto committed = (*transaction)->commit();
  if (!committed) {
    log_.error("commit of {} jobs failed: {}", batch.size(), committed.error().message);
    committed = Result<void>(Errc::storage_error, "the store could not commit");
  }

  for (auto& job : batch)
    job.finish(committed);
}

}  // namespace messenger
