#include "integration/support/raw_connection.hpp"

#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>
#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace messenger::test {

struct RawConnection::State {
  asio::io_context io;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work{
      asio::make_work_guard(io)};
  std::shared_ptr<Transport> transport = make_websocket_transport(io);
  std::shared_ptr<Connection> connection;
  std::thread thread;

  std::mutex mutex;
  std::condition_variable changed;
  std::deque<std::string> received;
  std::optional<CloseCode> closed;
};

RawConnection::RawConnection(const std::string& url) : state_(std::make_shared<State>()) {
  state_->thread = std::thread([state = state_.get()] { state->io.run(); });
  ConnectionEvents events;
  std::weak_ptr<State> weak = state_;
  events.on_text = [weak](std::string text) {
    if (auto state = weak.lock()) {
      std::lock_guard lock(state->mutex);
      state->received.push_back(std::move(text));
      state->changed.notify_all();
    }
  };
  events.on_closed = [weak](CloseCode code, std::string_view) {
    if (auto state = weak.lock()) {
      std::lock_guard lock(state->mutex);
      state->closed = code;
      state->changed.notify_all();
    }
  };
  std::promise<Result<std::shared_ptr<Connection>>> done;
  auto future = done.get_future();
  ConnectOptions options;
  options.url = url;
  state_->transport->connect(
      options, std::move(events),
      [&done](Result<std::shared_ptr<Connection>> result) { done.set_value(std::move(result)); });
  if (future.wait_for(std::chrono::seconds(10)) != std::future_status::ready) {
    throw std::runtime_error("connect timed out");
  }
  auto connection = future.get();
  if (!connection) throw std::runtime_error("connect failed: " + connection.error().message);
  state_->connection = *connection;
}

RawConnection::~RawConnection() {
  drop();
  state_->work.reset();
  state_->io.stop();
  state_->thread.join();
}

void RawConnection::send(std::string text) {
  state_->connection->send_text(std::move(text));
}

std::optional<std::string> RawConnection::receive(std::chrono::milliseconds limit) {
  std::unique_lock lock(state_->mutex);
  if (!state_->changed.wait_for(lock, limit, [this] { return !state_->received.empty(); })) {
    return std::nullopt;
  }
  auto text = std::move(state_->received.front());
  state_->received.pop_front();
  return text;
}

void RawConnection::drop() {
  if (!state_->connection) return;
  // What was sent before goes out first; the replies on their way in are never read.
  state_->connection->close(CloseCode::going_away, "test drops");
  state_->connection.reset();
  wait_closed(std::chrono::seconds(5));
}

std::optional<CloseCode> RawConnection::wait_closed(std::chrono::milliseconds limit) {
  std::unique_lock lock(state_->mutex);
  state_->changed.wait_for(lock, limit, [this] { return state_->closed.has_value(); });
  return state_->closed;
}

}  // namespace messenger::test
