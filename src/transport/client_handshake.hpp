#pragma once

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/steady_timer.hpp>

#include <memory>
#include <string>
#include <vector>

#include "log/logger.hpp"
#include "messenger/transport.hpp"
#include "transport/http_handshake.hpp"
#include "transport/websocket_url.hpp"

namespace messenger::transport {

/// Opens one client WebSocket: TCP connect, upgrade request, response check, then a
/// `WebSocketSession`. `handshake_timeout` bounds all of it. `on_done` runs exactly once.
class ClientHandshake : public std::enable_shared_from_this<ClientHandshake> {
 public:
  ClientHandshake(asio::io_context& io, ConnectOptions options, ConnectionEvents events,
                  ConnectHandler on_done, std::shared_ptr<const Logger> log);

  void start();

 private:
  void on_connected(const std::error_code& error);
  void read_more();
  void on_read(const std::error_code& error, std::size_t size);
  void on_head(std::string_view rest);
  void finish(Error error);

  asio::ip::tcp::socket socket_;
  asio::steady_timer timer_;
  ConnectOptions options_;
  ConnectionEvents events_;
  ConnectHandler on_done_;
  std::shared_ptr<const Logger> log_;
  WebSocketUrl url_;
  std::string key_;
  std::string request_;
  HttpHeadReader reader_;
  std::vector<char> buffer_;
  bool done_ = false;
};

}  // namespace messenger::transport
