#include "transport/websocket_listener.hpp"

#include <asio/post.hpp>

#include <chrono>

namespace messenger::transport {
namespace {

// After an accept error such as running out of file descriptors, wait before trying again
// rather than spin.
constexpr std::chrono::milliseconds kAcceptRetryDelay{100};

}  // namespace

Result<asio::ip::address> parse_host(const std::string& host) {
  if (host == "localhost") return asio::ip::address(asio::ip::address_v4::loopback());
  std::error_code error;
  auto address = asio::ip::make_address(host, error);
  if (error) return Error{Errc::bad_request, "host must be a numeric address or localhost"};
  return address;
}

Result<std::shared_ptr<WebSocketListener>> WebSocketListener::open(
    asio::io_context& io, std::shared_ptr<ListenerContext> context) {
  auto address = parse_host(context->options.host);
  if (!address) return address.error();
  auto listener = std::make_shared<WebSocketListener>(io, std::move(context));
  auto& acceptor = listener->acceptor_;
  const asio::ip::tcp::endpoint endpoint(*address, listener->context_->options.port);

  std::error_code error;
  acceptor.open(endpoint.protocol(), error);
  if (!error) acceptor.set_option(asio::socket_base::reuse_address(true), error);
  if (!error) acceptor.bind(endpoint, error);
  if (!error) acceptor.listen(asio::socket_base::max_listen_connections, error);
  if (error) {
    return Error{Errc::disconnected, "cannot listen on " + listener->context_->options.host + ":" +
                                         std::to_string(endpoint.port()) + ": " + error.message()};
  }
  listener->port_ = acceptor.local_endpoint().port();
  return listener;
}

WebSocketListener::WebSocketListener(asio::io_context& io,
                                     std::shared_ptr<ListenerContext> listener_context)
    : io_(io),
      strand_(asio::make_strand(io)),
      acceptor_(strand_),
      retry_timer_(strand_),
      context_(std::move(listener_context)) {}

void WebSocketListener::start() {
  context_->log->info("listening on {}:{}", context_->options.host, port_);
  asio::post(strand_, [self = shared_from_this()] { self->accept_next(); });
}

void WebSocketListener::stop() {
  asio::post(strand_, [self = shared_from_this()] {
    std::error_code ignored;
    self->acceptor_.close(ignored);
    self->retry_timer_.cancel();
  });
}

void WebSocketListener::accept_next() {
  if (!acceptor_.is_open()) return;
  acceptor_.async_accept(
      asio::make_strand(io_),
      [self = shared_from_this()](const std::error_code& error, asio::ip::tcp::socket socket) {
        self->on_accept(error, std::move(socket));
      });
}

void WebSocketListener::on_accept(const std::error_code& error, asio::ip::tcp::socket socket) {
  if (error == asio::error::operation_aborted || !acceptor_.is_open()) return;
  if (error) {
    context_->log->warn("accept failed: {}", error.message());
    retry_timer_.expires_after(kAcceptRetryDelay);
    retry_timer_.async_wait([self = shared_from_this()](const std::error_code& wait_error) {
      if (!wait_error) self->accept_next();
    });
    return;
  }

  std::error_code ignored;
  socket.set_option(asio::ip::tcp::no_delay(true), ignored);
  auto handshake = std::make_shared<ServerHandshake>(std::move(socket), context_);
  const auto limit = context_->options.limits.max_handshakes_in_flight;
  // The handshake runs on its own strand; post so that it starts there.
  if (context_->handshakes_in_flight.load() >= limit) {
    context_->log->debug("handshakes over {}: refusing a connection", limit);
    asio::post(handshake->executor(), [handshake] { handshake->refuse_busy(); });
  } else {
    handshake->count_in_flight();
    asio::post(handshake->executor(), [handshake] { handshake->start(); });
  }
  accept_next();
}

}  // namespace messenger::transport
