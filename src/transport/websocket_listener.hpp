#pragma once

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/steady_timer.hpp>
#include <asio/strand.hpp>

#include <memory>

#include "transport/server_handshake.hpp"

namespace messenger::transport {

/// Accepts TCP connections on one address and starts a handshake for each, or refuses it with
/// 503 when `max_handshakes_in_flight` handshakes are already running.
class WebSocketListener : public std::enable_shared_from_this<WebSocketListener> {
 public:
  /// Binds and listens. Errors: bad_request (host not numeric nor "localhost"), disconnected
  /// (the address cannot be bound).
  static Result<std::shared_ptr<WebSocketListener>> open(asio::io_context& io,
                                                         std::shared_ptr<ListenerContext> context);

  WebSocketListener(asio::io_context& io, std::shared_ptr<ListenerContext> context);

  std::uint16_t port() const { return port_; }
  void start();
  /// Closes the acceptor; handshakes and connections already accepted go on.
  void stop();

 private:
  void accept_next();
  void on_accept(const std::error_code& error, asio::ip::tcp::socket socket);

  asio::io_context& io_;
  asio::strand<asio::io_context::executor_type> strand_;
  asio::ip::tcp::acceptor acceptor_;
  asio::steady_timer retry_timer_;
  std::shared_ptr<ListenerContext> context_;
  std::uint16_t port_ = 0;
};

/// "localhost" or a numeric IPv4/IPv6 address: the transport never asks a name resolver.
Result<asio::ip::address> parse_host(const std::string& host);

}  // namespace messenger::transport
