#include "transport/server_handshake.hpp"

#include <asio/write.hpp>

#include <utility>

#include "transport/websocket_session.hpp"

namespace messenger::transport {
namespace {

constexpr std::size_t kHandshakeReadBytes = 4 << 10;
constexpr int kRetryAfterSeconds = 5;

}  // namespace

ServerHandshake::ServerHandshake(asio::ip::tcp::socket socket,
                                 std::shared_ptr<ListenerContext> context)
    : socket_(std::move(socket)),
      timer_(socket_.get_executor()),
      context_(std::move(context)),
      reader_(context_->options.limits.max_handshake_bytes),
      buffer_(kHandshakeReadBytes) {}

ServerHandshake::~ServerHandshake() {
  end_handshake();
}

void ServerHandshake::count_in_flight() {
  in_flight_ = true;
  ++context_->handshakes_in_flight;
}

void ServerHandshake::start() {
  arm_timeout();
  read_more();
}

void ServerHandshake::refuse_busy() {
  arm_timeout();
  HttpResponse busy = make_refusal(503, "too many connections opening at once: retry later");
  busy.headers["Retry-After"] = std::to_string(kRetryAfterSeconds);
  respond_and_close(busy);
}

void ServerHandshake::arm_timeout() {
  timer_.expires_after(context_->options.limits.handshake_timeout);
  timer_.async_wait([self = shared_from_this()](const std::error_code& error) {
    if (error) return;
    std::error_code ignored;
    self->socket_.close(ignored);
  });
}

void ServerHandshake::read_more() {
  socket_.async_read_some(
      asio::buffer(buffer_),
      [self = shared_from_this()](const std::error_code& error, std::size_t size) {
        self->on_read(error, size);
      });
}

void ServerHandshake::on_read(const std::error_code& error, std::size_t size) {
  if (error) {
    timer_.cancel();
    return;
  }
  std::string_view input(buffer_.data(), size);
  switch (reader_.feed(input)) {
    case HttpHeadReader::Status::need_more:
      read_more();
      return;
    case HttpHeadReader::Status::too_large:
      respond_and_close(make_refusal(431, "request head too large"));
      return;
    case HttpHeadReader::Status::complete:
      on_head(input);
      return;
  }
}

void ServerHandshake::on_head(std::string_view rest) {
  const ListenOptions& options = context_->options;
  auto head = parse_request_head(reader_.head());
  if (!head) {
    respond_and_close(make_refusal(400, head.error().message));
    return;
  }
  if (!wants_websocket(head->request)) {
    auto parts =
        head->request.method == "HEAD" ? ResponseParts::head_only : ResponseParts::head_and_body;
    respond_and_close(options.http ? options.http(head->request) : make_refusal(404, "not found"),
                      parts);
    return;
  }

  HttpResponse answer = answer_upgrade(*head, options);
  if (answer.status != 101) {
    context_->log->debug("upgrade refused ({}): {}", answer.status, answer.body);
    respond_and_close(answer);
    return;
  }
  upgrade(answer, std::string(rest));
}

void ServerHandshake::upgrade(const HttpResponse& accepted, std::string rest) {
  // Counted out before the 101 leaves, so a client that reads it can open the next at once.
  end_handshake();
  response_ = serialize_response(accepted);
  asio::async_write(socket_, asio::buffer(response_),
                    [self = shared_from_this(), rest = std::move(rest)](
                        const std::error_code& error, std::size_t) mutable {
                      self->timer_.cancel();
                      if (!error) self->start_session(std::move(rest));
                    });
}

void ServerHandshake::start_session(std::string rest) {
  const ListenerContext& context = *context_;
  auto session = std::make_shared<WebSocketSession>(std::move(socket_), Role::server,
                                                    context.options.limits, context.log);
  ConnectionEvents events = context.on_accept(session);
  session->start(std::move(events), std::move(rest));
}

void ServerHandshake::respond_and_close(const HttpResponse& response, ResponseParts parts) {
  end_handshake();
  response_ = serialize_response(response, parts);
  asio::async_write(socket_, asio::buffer(response_),
                    [self = shared_from_this()](const std::error_code& error, std::size_t) {
                      if (error) {
                        self->timer_.cancel();
                        return;
                      }
                      std::error_code ignored;
                      self->socket_.shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
                      self->drain();
                    });
}

// Reads until the client closes (or the timer does) so that unread request bytes cannot turn
// our close into a reset that destroys the response before the client reads it.
void ServerHandshake::drain() {
  socket_.async_read_some(asio::buffer(buffer_),
                          [self = shared_from_this()](const std::error_code& error, std::size_t) {
                            if (error) {
                              self->timer_.cancel();
                              return;
                            }
                            self->drain();
                          });
}

void ServerHandshake::end_handshake() {
  if (!in_flight_) return;
  in_flight_ = false;
  --context_->handshakes_in_flight;
}

}  // namespace messenger::transport
