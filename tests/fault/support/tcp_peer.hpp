#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace messenger::test {

/// How a stream ended, as its reader saw it.
enum class StreamEnd { open, fin, reset };

/// A blocking TCP stream on 127.0.0.1 for tests of the network itself, where a real client
/// would hide what happened to the bytes. Closing it resets nothing: the descriptor is closed.
class TcpStream {
 public:
  explicit TcpStream(int fd) : fd_(fd) {}
  /// Throws std::runtime_error when the connection is refused.
  static TcpStream connect(std::uint16_t port);
  ~TcpStream();
  TcpStream(TcpStream&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  TcpStream& operator=(TcpStream&&) = delete;
  TcpStream(const TcpStream&) = delete;

  void send(const std::string& bytes);
  /// Ends the sending side (FIN) and keeps reading.
  void shut_down_sending();
  /// Reads until `bytes` bytes came, the stream ended or `limit` passed; returns what came.
  std::string receive(std::size_t bytes, std::chrono::milliseconds limit);
  /// Reads (and drops) until the stream ends, up to `limit`; `open` when it did not end.
  StreamEnd wait_end(std::chrono::milliseconds limit);
  /// How the stream ended so far (`open` while it has not).
  StreamEnd end() const { return end_; }

 private:
  int fd_ = -1;
  StreamEnd end_ = StreamEnd::open;
};

/// A listening socket on 127.0.0.1 (a free port).
class TcpListener {
 public:
  TcpListener();
  ~TcpListener();
  TcpListener(const TcpListener&) = delete;
  TcpListener& operator=(const TcpListener&) = delete;

  std::uint16_t port() const { return port_; }
  /// The next connection, or nothing within `limit`.
  std::optional<TcpStream> accept(std::chrono::milliseconds limit);

 private:
  int fd_ = -1;
  std::uint16_t port_ = 0;
};

}  // namespace messenger::test
