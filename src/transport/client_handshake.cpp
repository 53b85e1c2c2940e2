#include "transport/client_handshake.hpp"

#include <asio/post.hpp>
#include <asio/strand.hpp>
#include <asio/write.hpp>

#include <utility>

#include "transport/websocket_listener.hpp"
#include "transport/websocket_session.hpp"

namespace messenger::transport {
namespace {

constexpr std::size_t kHandshakeReadBytes = 4 << 10;

}  // namespace

ClientHandshake::ClientHandshake(asio::io_context& io, ConnectOptions options,
                                 ConnectionEvents events, ConnectHandler on_done,
                                 std::shared_ptr<const Logger> log)
    : socket_(asio::make_strand(io)),
      timer_(socket_.get_executor()),
      options_(std::move(options)),
      events_(std::move(events)),
      on_done_(std::move(on_done)),
      log_(std::move(log)),
      reader_(options_.limits.max_handshake_bytes),
      buffer_(kHandshakeReadBytes) {}

void ClientHandshake::start() {
  asio::post(socket_.get_executor(), [self = shared_from_this()] {
    auto url = parse_websocket_url(self->options_.url);
    if (!url) return self->finish(url.error());
    auto address = parse_host(url->host);
    if (!address) return self->finish(address.error());
    self->url_ = std::move(*url);

    self->timer_.expires_after(self->options_.limits.handshake_timeout);
    self->timer_.async_wait([self](const std::error_code& error) {
      if (!error) self->finish(Error{Errc::timeout, "WebSocket handshake timed out"});
    });
    self->socket_.async_connect(
        asio::ip::tcp::endpoint(*address, self->url_.port),
        [self](const std::error_code& error) { self->on_connected(error); });
  });
}

void ClientHandshake::on_connected(const std::error_code& error) {
  if (done_) return;
  if (error) {
    return finish(
        Error{Errc::disconnected, "cannot connect to " + options_.url + ": " + error.message()});
  }
  std::error_code ignored;
  socket_.set_option(asio::ip::tcp::no_delay(true), ignored);
  key_ = make_websocket_key();
  request_ = make_upgrade_request({url_.host_header, url_.target, key_, options_.origin});
  asio::async_write(socket_, asio::buffer(request_),
                    [self = shared_from_this()](const std::error_code& write_error, std::size_t) {
                      if (self->done_) return;
                      if (write_error) {
                        return self->finish(Error{Errc::disconnected, write_error.message()});
                      }
                      self->read_more();
                    });
}

void ClientHandshake::read_more() {
  socket_.async_read_some(
      asio::buffer(buffer_),
      [self = shared_from_this()](const std::error_code& error, std::size_t size) {
        self->on_read(error, size);
      });
}

void ClientHandshake::on_read(const std::error_code& error, std::size_t size) {
  if (done_) return;
  if (error) return finish(Error{Errc::disconnected, "server closed during the handshake"});
  std::string_view input(buffer_.data(), size);
  switch (reader_.feed(input)) {
    case HttpHeadReader::Status::need_more:
      return read_more();
    case HttpHeadReader::Status::too_large:
      return finish(Error{Errc::protocol_error, "response head too large"});
    case HttpHeadReader::Status::complete:
      return on_head(input);
  }
}

void ClientHandshake::on_head(std::string_view rest) {
  auto head = parse_response_head(reader_.head());
  if (!head) return finish(head.error());
  if (auto checked = check_upgrade_response(*head, key_); !checked) {
    return finish(checked.error());
  }

  done_ = true;
  timer_.cancel();
  auto session =
      std::make_shared<WebSocketSession>(std::move(socket_), Role::client, options_.limits, log_);
  auto on_done = std::move(on_done_);
  on_done(std::shared_ptr<Connection>(session));
  session->start(std::move(events_), std::string(rest));
}

void ClientHandshake::finish(Error error) {
  if (done_) return;
  done_ = true;
  timer_.cancel();
  std::error_code ignored;
  socket_.close(ignored);
  log_->debug("connect to {} failed: {}", options_.url, error.message);
  auto on_done = std::move(on_done_);
  on_done(std::move(error));
}

}  // namespace messenger::transport
