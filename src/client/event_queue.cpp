#include "client/event_queue.hpp"

#include <asio/io_context.hpp>
#include <asio/post.hpp>

namespace messenger {

void EventQueue::emit(ClientEvent event) {
  Handler handler;
  {
    std::lock_guard lock(mutex_);
    if (!handler_ || draining_) {
      events_.push_back(std::move(event));
      changed_.notify_one();
      return;
    }
    handler = handler_;
  }
  handler(event);
}

std::optional<ClientEvent> EventQueue::poll(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  if (!changed_.wait_for(lock, timeout, [this] { return !events_.empty(); })) return std::nullopt;
  auto event = std::move(events_.front());
  events_.pop_front();
  return event;
}

void EventQueue::set_handler(Handler handler) {
  std::lock_guard lock(mutex_);
  handler_ = std::move(handler);
  // Events that queued up before the handler came go to it first, in order, on the network
  // thread; events arriving meanwhile queue behind them.
  if (handler_ && !events_.empty() && !draining_) {
    draining_ = true;
    asio::post(io_, [this] { drain_to_handler(); });
  }
}

void EventQueue::drain_to_handler() {
  for (;;) {
    Handler handler;
    ClientEvent event;
    {
      std::lock_guard lock(mutex_);
      if (!handler_ || events_.empty()) {
        draining_ = false;
        return;
      }
      handler = handler_;
      event = std::move(events_.front());
      events_.pop_front();
    }
    handler(event);
  }
}

}  // namespace messenger
