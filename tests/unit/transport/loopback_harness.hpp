#pragma once

// Test support for transport tests over real TCP on 127.0.0.1: an io_context on background
// threads, a recorder of one connection's callbacks, and a raw socket client that writes exactly
// the bytes a test gives it, in the TCP writes it chooses.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "messenger/transport.hpp"

namespace messenger::test {

/// Generous bound for anything a test waits for; reaching it fails the test.
inline constexpr std::chrono::seconds kWaitLimit{10};

/// An io_context run by `count` threads until destruction.
class IoThreads {
 public:
  explicit IoThreads(int count = 2) : guard_(asio::make_work_guard(io_)) {
    for (int i = 0; i < count; ++i)
      threads_.emplace_back([this] { io_.run(); });
  }
  ~IoThreads() { stop(); }
  /// Stops and joins the threads; the io_context itself stays until destruction.
  void stop() {
    guard_.reset();
    io_.stop();
    for (auto& thread : threads_) {
      if (thread.joinable()) thread.join();
    }
  }
  asio::io_context& io() { return io_; }

 private:
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> guard_;
  std::vector<std::thread> threads_;
};

/// Records what one connection reports, for a test thread to wait on. Copies share one record,
/// and the callbacks hold it too, so a callback that runs after the test ends is harmless.
class Recorder {
 public:
  ConnectionEvents events() {
    return {[state = state_](std::string text) { state->on_text(std::move(text)); },
            [state = state_](CloseCode code, std::string_view reason) {
              state->on_closed(code, reason);
            }};
  }

  void on_text(std::string text) { state_->on_text(std::move(text)); }

  bool wait_for_texts(std::size_t count) {
    std::unique_lock lock(state_->mutex);
    return state_->changed.wait_for(lock, kWaitLimit,
                                    [&] { return state_->texts.size() >= count; });
  }
  std::optional<CloseCode> wait_closed() {
    std::unique_lock lock(state_->mutex);
    if (!state_->changed.wait_for(lock, kWaitLimit, [&] { return state_->closed.has_value(); })) {
      return {};
    }
    return state_->closed->first;
  }

  std::vector<std::string> texts() {
    std::lock_guard lock(state_->mutex);
    return state_->texts;
  }
  bool closed() {
    std::lock_guard lock(state_->mutex);
    return state_->closed.has_value();
  }
  std::string close_reason() {
    std::lock_guard lock(state_->mutex);
    return state_->closed ? state_->closed->second : std::string();
  }
  int close_count() {
    std::lock_guard lock(state_->mutex);
    return state_->close_count;
  }
  bool text_after_close() {
    std::lock_guard lock(state_->mutex);
    return state_->text_after_close;
  }

 private:
  struct State {
    void on_text(std::string text) {
      std::lock_guard lock(mutex);
      if (closed) text_after_close = true;
      texts.push_back(std::move(text));
      changed.notify_all();
    }
    void on_closed(CloseCode code, std::string_view reason) {
      std::lock_guard lock(mutex);
      ++close_count;
      closed = std::make_pair(code, std::string(reason));
      changed.notify_all();
    }

    std::mutex mutex;
    std::condition_variable changed;
    std::vector<std::string> texts;
    std::optional<std::pair<CloseCode, std::string>> closed;
    int close_count = 0;
    bool text_after_close = false;
  };

  std::shared_ptr<State> state_ = std::make_shared<State>();
};

/// A server that keeps every accepted connection and records its events; the first accepted
/// connection's events go to `first`, the others' to `others`.
class RecordingServer {
 public:
  explicit RecordingServer(std::shared_ptr<Transport> server_transport)
      : transport(std::move(server_transport)) {}

  AcceptHandler accept_handler(bool echo) {
    return [state = state_, first = first, others = others,
            echo](std::shared_ptr<Connection> connection) mutable {
      std::lock_guard lock(state->mutex);
      state->connections.push_back(connection);
      Recorder recorder = state->connections.size() == 1 ? first : others;
      ConnectionEvents events = recorder.events();
      if (echo) {
        std::weak_ptr<Connection> weak = connection;
        events.on_text = [recorder, weak](std::string text) mutable {
          if (auto strong = weak.lock()) strong->send_text(text);
          recorder.on_text(std::move(text));
        };
      }
      state->accepted.notify_all();
      return events;
    };
  }

  std::shared_ptr<Connection> wait_connection() {
    std::unique_lock lock(state_->mutex);
    if (!state_->accepted.wait_for(lock, kWaitLimit,
                                   [&] { return !state_->connections.empty(); })) {
      return {};
    }
    return state_->connections.front();
  }

  std::shared_ptr<Transport> transport;
  Recorder first;
  Recorder others;

 private:
  struct State {
    std::mutex mutex;
    std::condition_variable accepted;
    std::vector<std::shared_ptr<Connection>> connections;
  };
  std::shared_ptr<State> state_ = std::make_shared<State>();
};

/// Waits for a ConnectHandler's result; the handler shares the waiter's state.
class ConnectWaiter {
 public:
  ConnectHandler handler() {
    return [state = state_](Result<std::shared_ptr<Connection>> result) {
      std::lock_guard lock(state->mutex);
      state->result.emplace(std::move(result));
      state->done.notify_all();
    };
  }
  /// The connection, or null (the error is then in `error()`).
  std::shared_ptr<Connection> wait() {
    std::unique_lock lock(state_->mutex);
    if (!state_->done.wait_for(lock, kWaitLimit, [&] { return state_->result.has_value(); })) {
      return {};
    }
    return state_->result->ok() ? state_->result->value() : nullptr;
  }
  Errc error() {
    std::lock_guard lock(state_->mutex);
    return state_->result ? state_->result->code() : Errc::timeout;
  }

 private:
  struct State {
    std::mutex mutex;
    std::condition_variable done;
    std::optional<Result<std::shared_ptr<Connection>>> result;
  };
  std::shared_ptr<State> state_ = std::make_shared<State>();
};

/// Test-side frame builder, written apart from the codec so the two check each other.
inline std::string make_frame(std::uint8_t opcode, std::string_view payload, bool fin = true,
                              bool masked = true,
                              std::array<std::uint8_t, 4> key = {0x37, 0xfa, 0x21, 0x3d}) {
  std::string out;
  out.push_back(static_cast<char>((fin ? 0x80 : 0) | opcode));
  const std::uint8_t mask_bit = masked ? 0x80 : 0;
  const std::uint64_t size = payload.size();
  if (size < 126) {
    out.push_back(static_cast<char>(mask_bit | size));
  } else if (size <= 0xFFFF) {
    out.push_back(static_cast<char>(mask_bit | 126));
    for (int shift = 8; shift >= 0; shift -= 8)
      out.push_back(static_cast<char>(size >> shift));
  } else {
    out.push_back(static_cast<char>(mask_bit | 127));
    for (int shift = 56; shift >= 0; shift -= 8)
      out.push_back(static_cast<char>(size >> shift));
  }
  if (!masked) return out + std::string(payload);
  for (auto byte : key)
    out.push_back(static_cast<char>(byte));
  for (std::size_t i = 0; i < payload.size(); ++i) {
    out.push_back(static_cast<char>(static_cast<std::uint8_t>(payload[i]) ^ key[i % 4]));
  }
  return out;
}

inline std::string close_payload(std::uint16_t code, std::string_view reason = {}) {
  std::string out{static_cast<char>(code >> 8), static_cast<char>(code & 0xFF)};
  return out + std::string(reason);
}

/// A frame as a raw client reads it from the server.
struct RawFrame {
  bool fin = false;
  std::uint8_t opcode = 0;
  std::string payload;
};

/// A blocking TCP client on 127.0.0.1 whose reads give up after `kWaitLimit`.
class RawClient {
 public:
  explicit RawClient(std::uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    timeval limit{static_cast<time_t>(kWaitLimit.count()), 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof(limit));
    ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof(limit));
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
  }
  ~RawClient() { ::close(fd_); }
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  bool connected() const { return connected_; }

  /// One write() call per invocation when the kernel takes it all, as loopback does.
  bool write(std::string_view bytes) {
    while (!bytes.empty()) {
      ssize_t sent = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (sent <= 0) return false;
      bytes.remove_prefix(static_cast<std::size_t>(sent));
    }
    return true;
  }

  /// Reads until `count` bytes are buffered; false on EOF, error or timeout.
  bool fill(std::size_t count) {
    char chunk[4096];
    while (buffer_.size() < count) {
      ssize_t got = ::recv(fd_, chunk, sizeof(chunk), 0);
      if (got <= 0) return false;
      buffer_.append(chunk, static_cast<std::size_t>(got));
    }
    return true;
  }

  /// Sends an upgrade request for `path` and reads the response head; returns the head.
  std::string handshake(const std::string& path = "/ws", const std::string& extra = {}) {
    write("GET " + path +
          " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
          "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
          "Sec-WebSocket-Version: 13\r\n" +
          extra + "\r\n");
    return read_head();
  }

  std::string read_head() {
    for (int reads = 0; reads < 1000; ++reads) {
      auto end = buffer_.find("\r\n\r\n");
      if (end != std::string::npos) {
        std::string head = buffer_.substr(0, end + 4);
        buffer_.erase(0, end + 4);
        return head;
      }
      if (!fill(buffer_.size() + 1)) break;
    }
    return {};
  }

  /// Reads one unmasked frame from the server; nullopt on EOF or timeout.
  std::optional<RawFrame> read_frame() {
    if (!fill(2)) return {};
    RawFrame frame;
    auto byte = [this](std::size_t i) { return static_cast<std::uint8_t>(buffer_[i]); };
    frame.fin = (byte(0) & 0x80) != 0;
    frame.opcode = byte(0) & 0x0F;
    std::uint64_t size = byte(1) & 0x7F;
    std::size_t header = 2;
    if (size >= 126) {
      const std::size_t extra = size == 126 ? 2 : 8;
      if (!fill(2 + extra)) return {};
      size = 0;
      for (std::size_t i = 0; i < extra; ++i)
        size = (size << 8) | byte(2 + i);
      header += extra;
    }
    if (!fill(header + size)) return {};
    frame.payload = buffer_.substr(header, size);
    buffer_.erase(0, header + size);
    return frame;
  }

  /// Reads frames until one that is not a ping (answering none); for tests that ignore pings.
  std::optional<RawFrame> read_data_frame() {
    for (int frames = 0; frames < 1000; ++frames) {
      auto frame = read_frame();
      if (!frame || frame->opcode != 0x9) return frame;
    }
    return {};
  }

  /// True when the server closed the TCP connection (EOF) before `kWaitLimit`.
  bool wait_eof() {
    char chunk[4096];
    for (int reads = 0; reads < 100000; ++reads) {
      ssize_t got = ::recv(fd_, chunk, sizeof(chunk), 0);
      if (got == 0) return true;
      if (got < 0) return errno == ECONNRESET;
    }
    return false;
  }

 private:
  int fd_ = -1;
  bool connected_ = false;
  std::string buffer_;
};

inline std::uint16_t close_code_of(const RawFrame& frame) {
  if (frame.payload.size() < 2) return 0;
  return static_cast<std::uint16_t>((static_cast<std::uint8_t>(frame.payload[0]) << 8) |
                                    static_cast<std::uint8_t>(frame.payload[1]));
}

}  // namespace messenger::test
