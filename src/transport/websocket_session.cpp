#include "transport/websocket_session.hpp"

#include <fmt/format.h>
#include <asio/post.hpp>
#include <asio/write.hpp>

#include <utility>

namespace messenger::transport {

std::string describe_peer(const asio::ip::tcp::socket& socket) {
  std::error_code error;
  auto endpoint = socket.remote_endpoint(error);
  if (error) return "unknown";
  // fmt rather than string concatenation: GCC 12 at -O3 reports a false -Wrestrict for
  // `"[" + text + "]"` here.
  const auto address = endpoint.address();
  if (address.is_v6()) return fmt::format("[{}]:{}", address.to_string(), endpoint.port());
  return fmt::format("{}:{}", address.to_string(), endpoint.port());
}

WebSocketSession::WebSocketSession(asio::ip::tcp::socket socket, Role role,
                                   const TransportLimits& limits,
                                   std::shared_ptr<const Logger> logger)
    : socket_(std::move(socket)),
      keepalive_timer_(socket_.get_executor()),
      close_timer_(socket_.get_executor()),
      limits_(limits),
      log_(std::move(logger)),
      peer_(describe_peer(socket_)),
      codec_(CodecOptions{role, limits.max_message_bytes, {}}) {}

void WebSocketSession::start(ConnectionEvents events, std::string pending) {
  events_ = std::move(events);
  log_->debug("connection open: {}", peer_);
  last_read_ = Clock::now();
  arm_keepalive(last_read_ + limits_.ping_interval);

  process(pending);
  if (state_ == State::closed) return;
  std::error_code error;
  // Reads happen only once the socket is readable, and must not block then.
  socket_.non_blocking(true, error);
  if (error) {
    on_read(error, {});
    return;
  }
  read_more();
}

void WebSocketSession::send_text(std::string text) {
  queued_bytes_ += text.size();
  auto queue = [self = shared_from_this(), text = std::move(text)]() mutable {
    self->queue_text(std::move(text));
  };
  asio::post(socket_.get_executor(), std::move(queue));
}

void WebSocketSession::close(CloseCode code, std::string_view reason) {
  asio::post(socket_.get_executor(),
             [self = shared_from_this(), code, reason = std::string(reason)]() mutable {
               self->start_closing(code, std::move(reason), Unsent::keep);
             });
}

// Waiting for readability holds no buffer, so an idle connection costs none: the bytes are read
// into the network thread's own buffer once they are there, and the codec keeps what it needs.
void WebSocketSession::read_more() {
  socket_.async_wait(
      asio::socket_base::wait_read,
      [self = shared_from_this()](const std::error_code& error) { self->on_readable(error); });
}

void WebSocketSession::on_readable(const std::error_code& error) {
  if (error) return on_read(error, {});

  thread_local std::vector<char> buffer(kReadBufferBytes);
  std::error_code read_error;
  auto size = socket_.read_some(asio::buffer(buffer), read_error);
  if (read_error == asio::error::would_block || read_error == asio::error::try_again) {
    if (state_ != State::closed) read_more();
    return;
  }
  on_read(read_error, {buffer.data(), size});
}

void WebSocketSession::on_read(const std::error_code& error, std::string_view bytes) {
  if (state_ == State::closed) return;
  if (error) {
    if (state_ == State::open) {
      log_->debug("connection lost: {}: {}", peer_, error.message());
      report_closed(CloseCode::abnormal, "connection lost");
    } else {
      report_closed(close_code_, close_reason_);
    }
    shut_down();
    return;
  }

  last_read_ = Clock::now();
  if (ping_outstanding_ && state_ == State::open) {
    // The peer is alive: count the next silence from now rather than from the ping.
    ping_outstanding_ = false;
    arm_keepalive(last_read_ + limits_.ping_interval);
  }
  process(bytes);
  if (state_ != State::closed) read_more();
}

void WebSocketSession::process(std::string_view bytes) {
  // Every event consumes at least a frame header, so this ends with the input.
  while (state_ != State::closed) {
    Decoded event = codec_.decode(bytes);
    if (event.kind == DecodedKind::none) return;
    handle(std::move(event));
  }
}

void WebSocketSession::handle(Decoded event) {
  switch (event.kind) {
    case DecodedKind::text:
      if (state_ == State::open && events_.on_text) events_.on_text(std::move(event.payload));
      return;
    case DecodedKind::binary:
      fail(CloseCode::unsupported_data, "binary messages are not accepted");
      return;
    case DecodedKind::ping:
      if (state_ == State::open) queue_control(Opcode::pong, std::move(event.payload));
      return;
    case DecodedKind::pong:
    case DecodedKind::none:
      return;
    case DecodedKind::close:
      handle_close(std::move(event));
      return;
    case DecodedKind::failed:
      log_->warn("protocol error from {}: {}", peer_, event.payload);
      fail(event.code, std::move(event.payload));
      return;
  }
}

void WebSocketSession::handle_close(Decoded event) {
  peer_done_ = true;
  if (state_ == State::open) {
    // The peer started the handshake: its code is the outcome, and we answer with the same.
    report_closed(event.code, event.payload);
    start_closing(event.code, event.payload, Unsent::keep);
  } else {
    report_closed(close_code_, close_reason_);
    finish_close_if_done();
  }
}

void WebSocketSession::queue_text(std::string text) {
  const std::size_t size = text.size();
  if (state_ != State::open) {
    queued_bytes_ -= size;
    return;
  }
  if (queued_bytes_.load() > limits_.max_queued_bytes) {
    queued_bytes_ -= size;
    log_->warn("send queue of {} over {} bytes: closing", peer_, limits_.max_queued_bytes);
    fail(CloseCode::policy_violation, "send queue full");
    return;
  }
  queue_.push_back({codec_.encode(Opcode::text, std::move(text)), size, Opcode::text});
  write_more();
}

void WebSocketSession::queue_control(Opcode opcode, std::string payload) {
  // Pings and pongs go ahead of queued messages, never into the middle of a write. Only the
  // latest ping needs an answer (RFC 6455 5.5.3), so a peer that floods pings and reads
  // nothing keeps at most one pong queued.
  OutgoingFrame frame = codec_.encode(opcode, std::move(payload));
  if (opcode == Opcode::pong && !queue_.empty() && queue_.front().opcode == Opcode::pong) {
    queue_.front().frame = std::move(frame);
  } else {
    queue_.push_front({std::move(frame), 0, opcode});
  }
  write_more();
}

void WebSocketSession::queue_close(CloseCode code, const std::string& reason) {
  queue_.push_back({codec_.encode_close(code, reason), 0, Opcode::close});
  write_more();
}

void WebSocketSession::write_more() {
  if (!writing_.empty() || queue_.empty() || state_ == State::closed) return;
  while (!queue_.empty() && writing_.size() < kMaxGatheredFrames) {
    writing_.push_back(std::move(queue_.front()));
    queue_.pop_front();
  }
  gather_.clear();
  for (const auto& queued : writing_) {
    gather_.emplace_back(queued.frame.header.data(), queued.frame.header_size);
    if (!queued.frame.payload.empty()) {
      gather_.emplace_back(queued.frame.payload.data(), queued.frame.payload.size());
    }
  }
  asio::async_write(socket_, gather_,
                    [self = shared_from_this()](const std::error_code& error, std::size_t) {
                      self->on_written(error);
                    });
}

void WebSocketSession::drop_unsent() {
  for (const auto& queued : queue_)
    queued_bytes_ -= queued.counted_bytes;
  queue_.clear();
}

void WebSocketSession::on_written(const std::error_code& error) {
  std::size_t written = 0;
  bool wrote_close = false;
  for (const auto& queued : writing_) {
    written += queued.counted_bytes;
    wrote_close = wrote_close || queued.opcode == Opcode::close;
  }
  writing_.clear();
  queued_bytes_ -= written;
  if (state_ == State::closed) return;
  if (error) {
    log_->debug("write to {} failed: {}", peer_, error.message());
    report_closed(state_ == State::open ? CloseCode::abnormal : close_code_, close_reason_);
    shut_down();
    return;
  }

  if (wrote_close) {
    close_written_ = true;
    finish_close_if_done();
  }
  write_more();
}

void WebSocketSession::start_closing(CloseCode code, std::string reason, Unsent unsent) {
  if (state_ != State::open) return;
  state_ = State::closing;
  close_code_ = code;
  close_reason_ = std::move(reason);
  keepalive_timer_.cancel();
  if (unsent == Unsent::drop) drop_unsent();
  queue_close(code, close_reason_);

  // A peer that does not finish the handshake in the time that marks it dead is dropped.
  close_timer_.expires_after(limits_.pong_timeout);
  close_timer_.async_wait([self = shared_from_this()](const std::error_code& error) {
    if (error || self->state_ == State::closed) return;
    self->report_closed(self->close_code_, self->close_reason_);
    self->shut_down();
  });
}

void WebSocketSession::fail(CloseCode code, std::string reason) {
  report_closed(code, reason);
  peer_done_ = true;
  start_closing(code, std::move(reason), Unsent::drop);
}

void WebSocketSession::finish_close_if_done() {
  if (!close_written_ || !peer_done_) return;
  // Our FIN tells the peer we are done; its FIN (a read error) or the close timer ends it.
  std::error_code ignored;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
}

void WebSocketSession::report_closed(CloseCode code, std::string_view reason) {
  if (reported_) return;
  reported_ = true;
  log_->debug("connection closed: {}: {}", peer_, static_cast<int>(code));
  // Dropping the callbacks breaks cycles through handlers that hold this connection.
  ConnectionEvents events = std::move(events_);
  events_ = {};
  if (events.on_closed) events.on_closed(code, reason);
}

void WebSocketSession::shut_down() {
  if (state_ == State::closed) return;
  state_ = State::closed;
  std::error_code ignored;
  socket_.close(ignored);
  keepalive_timer_.cancel();
  close_timer_.cancel();
  drop_unsent();
}

void WebSocketSession::arm_keepalive(Clock::time_point when) {
  keepalive_timer_.expires_at(when);
  keepalive_timer_.async_wait(
      [self = shared_from_this()](const std::error_code& error) { self->on_keepalive(error); });
}

void WebSocketSession::on_keepalive(const std::error_code& error) {
  if (error || state_ != State::open) return;
  const auto now = Clock::now();
  if (ping_outstanding_ && last_read_ > ping_sent_at_) ping_outstanding_ = false;

  if (ping_outstanding_) {
    if (now - ping_sent_at_ < limits_.pong_timeout) {
      arm_keepalive(ping_sent_at_ + limits_.pong_timeout);
      return;
    }
    log_->debug("no answer to ping from {}: closing", peer_);
    report_closed(CloseCode::abnormal, "peer stopped answering");
    shut_down();
    return;
  }

  if (now - last_read_ < limits_.ping_interval) {
    arm_keepalive(last_read_ + limits_.ping_interval);
    return;
  }
  ping_outstanding_ = true;
  ping_sent_at_ = now;
  queue_control(Opcode::ping, {});
  arm_keepalive(now + limits_.pong_timeout);
}

}  // namespace messenger::transport
