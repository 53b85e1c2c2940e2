#pragma once

#include <asio/ip/tcp.hpp>
#include <asio/steady_timer.hpp>

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "log/logger.hpp"
#include "messenger/transport.hpp"
#include "transport/http_handshake.hpp"

namespace messenger::transport {

/// What a listener shares with the handshakes it started; they may outlive the listener.
struct ListenerContext {
  ListenOptions options;
  AcceptHandler on_accept;
  std::shared_ptr<const Logger> log;
  std::atomic<std::size_t> handshakes_in_flight{0};
};

/// The HTTP part of one accepted TCP connection: reads the request head, then either upgrades
/// to a `WebSocketSession` (and hands it to `on_accept`) or answers once and closes. Bounded by
/// `handshake_timeout` from accept to the last byte.
class ServerHandshake : public std::enable_shared_from_this<ServerHandshake> {
 public:
  ServerHandshake(asio::ip::tcp::socket socket, std::shared_ptr<ListenerContext> context);
  ~ServerHandshake();

  /// Counts this connection among the handshakes in flight until it is answered; called by the
  /// listener as it accepts, before `start`, so that a burst of accepts sees every count.
  void count_in_flight();
  /// Reads and answers the request.
  void start();
  /// Answers 503 with Retry-After at once, without reading the request.
  void refuse_busy();

  asio::any_io_executor executor() { return socket_.get_executor(); }

 private:
  void arm_timeout();
  void read_more();
  void on_read(const std::error_code& error, std::size_t size);
  void on_head(std::string_view rest);
  void upgrade(const HttpResponse& accepted, std::string rest);
  void start_session(std::string rest);
  void respond_and_close(const HttpResponse& response,
                         ResponseParts parts = ResponseParts::head_and_body);
  void drain();
  void end_handshake();

  asio::ip::tcp::socket socket_;
  asio::steady_timer timer_;
  std::shared_ptr<ListenerContext> context_;
  HttpHeadReader reader_;
  std::vector<char> buffer_;
  std::string response_;
  bool in_flight_ = false;
};

}  // namespace messenger::transport
