#pragma once

#include <asio/ip/tcp.hpp>
#include <asio/steady_timer.hpp>

#include <atomic>
#include <chrono>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "log/logger.hpp"
#include "messenger/transport.hpp"
#include "transport/websocket_codec.hpp"

namespace messenger::transport {

/// Bytes asked of the socket per read, into a buffer each network thread shares among its
/// connections.
inline constexpr std::size_t kReadBufferBytes = 16 << 10;
/// Frames gathered into one write; two buffers each stays under the kernel's iovec limit.
inline constexpr std::size_t kMaxGatheredFrames = 32;

/// One open WebSocket after its handshake. Everything runs on the socket's executor, a strand:
/// the public methods post to it, so callbacks never overlap and can call back in freely.
///
/// Closing: a close requested here, or by the peer, is a handshake (close frames both ways,
/// then the TCP connection ends); a protocol error, a full send queue, a dead peer or a lost
/// TCP connection end it at once. `on_closed` is reported as soon as the outcome is known and
/// no message follows it; the socket may linger a little longer to let the last frame out.
class WebSocketSession final : public Connection,
                               public std::enable_shared_from_this<WebSocketSession> {
 public:
  WebSocketSession(asio::ip::tcp::socket socket, Role role, const TransportLimits& limits,
                   std::shared_ptr<const Logger> log);

  /// On the session's executor: installs the callbacks, decodes `pending` (bytes that arrived
  /// with the handshake), then reads.
  void start(ConnectionEvents events, std::string pending);

  void send_text(std::string text) override;
  void close(CloseCode code, std::string_view reason) override;
  const std::string& peer() const override { return peer_; }
  std::size_t queued_bytes() const override { return queued_bytes_.load(); }

 private:
  using Clock = std::chrono::steady_clock;
  enum class State { open, closing, closed };
  enum class Unsent { keep, drop };  // what happens to queued messages when closing starts

  struct QueuedFrame {
    OutgoingFrame frame;
    std::size_t counted_bytes = 0;  // what this frame adds to queued_bytes_
    Opcode opcode = Opcode::text;
  };

  void read_more();
  void on_readable(const std::error_code& error);
  void on_read(const std::error_code& error, std::string_view bytes);
  void process(std::string_view bytes);
  void handle(Decoded event);
  void handle_close(Decoded event);

  void queue_text(std::string text);
  void queue_control(Opcode opcode, std::string payload);
  void queue_close(CloseCode code, const std::string& reason);
  void write_more();
  void drop_unsent();
  void on_written(const std::error_code& error);

  void start_closing(CloseCode code, std::string reason, Unsent unsent);
  void fail(CloseCode code, std::string reason);
  void finish_close_if_done();
  void report_closed(CloseCode code, std::string_view reason);
  void shut_down();

  void arm_keepalive(Clock::time_point when);
  void on_keepalive(const std::error_code& error);

  asio::ip::tcp::socket socket_;
  asio::steady_timer keepalive_timer_;
  asio::steady_timer close_timer_;
  TransportLimits limits_;
  std::shared_ptr<const Logger> log_;
  std::string peer_;
  WebSocketCodec codec_;
  ConnectionEvents events_;

  State state_ = State::open;
  bool reported_ = false;
  bool close_written_ = false;
  bool peer_done_ = false;  // the peer's close arrived, or its input was rejected
  CloseCode close_code_ = CloseCode::normal;
  std::string close_reason_;

  std::deque<QueuedFrame> queue_;
  std::vector<QueuedFrame> writing_;  // frames of the write in flight; their buffers are used
  std::vector<asio::const_buffer> gather_;
  std::atomic<std::size_t> queued_bytes_{0};

  Clock::time_point last_read_;
  Clock::time_point ping_sent_at_;
  bool ping_outstanding_ = false;
};

/// "ip:port" of a socket's peer, "[ip]:port" for IPv6.
std::string describe_peer(const asio::ip::tcp::socket& socket);

}  // namespace messenger::transport
