#include "server/read_pool.hpp"

namespace messenger {

Result<std::unique_ptr<ReadPool>> ReadPool::start(Store& store, unsigned threads, Logger log) {
  std::unique_ptr<ReadPool> pool(new ReadPool(std::move(log)));
  for (unsigned i = 0; i < threads; ++i) {
    auto reader = store.open_reader();
    if (!reader) return reader.error();
    pool->readers_.push_back(std::move(*reader));
  }
  for (auto& reader : pool->readers_) {
    pool->threads_.emplace_back([raw = pool.get(), r = reader.get()] { raw->run(*r); });
  }
  return pool;
}

Result<std::unique_ptr<ReadPool>> ReadPool::start_stepped(Store& store, Post post, Logger log) {
  std::unique_ptr<ReadPool> pool(new ReadPool(std::move(log)));
  auto reader = store.open_reader();
  if (!reader) return reader.error();
  pool->readers_.push_back(std::move(*reader));
  pool->post_ = std::move(post);
  return pool;
}

ReadPool::~ReadPool() {
  stop();
}

void ReadPool::submit(Task task) {
  if (post_) {
    post_([reader = readers_.front().get(), task = std::move(task)] { task(*reader); });
    return;
  }
  std::lock_guard lock(mutex_);
  queue_.push_back(std::move(task));
  wake_.notify_one();
}

void ReadPool::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    wake_.notify_all();
  }
  for (auto& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
}

void ReadPool::run(StoreReader& reader) {
  for (;;) {
    Task task;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    task(reader);
  }
}

}  // namespace messenger
