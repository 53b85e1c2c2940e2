#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "messenger/log.hpp"
#include "messenger/result.hpp"

namespace asio {
class io_context;
}

namespace messenger {

/// WebSocket close codes the library sends or understands (RFC 6455, section 7.4, plus the
/// application range for authentication).
enum class CloseCode : std::uint16_t {
  normal = 1000,
  going_away = 1001,
  protocol_error = 1002,
  unsupported_data = 1003,
  no_status = 1005,  ///< never sent: reported when the peer's close carried no code
  abnormal = 1006,   ///< never sent: reported when the TCP connection ended without a close
  invalid_payload = 1007,
  policy_violation = 1008,
  message_too_big = 1009,
  internal_error = 1011,
  try_again_later = 1013,
  auth_failed = 4001,  ///< the session was logged out or revoked: do not reconnect with it
};

/// One open, ordered, reliable, message-oriented connection: a WebSocket, or an in-process
/// pipe. Shared by the transport and its user; every method is thread-safe and never blocks.
class Connection {
 public:
  virtual ~Connection() = default;

  /// Queues one text message. When the bytes queued for this connection would pass the
  /// transport's `max_queued_bytes`, the connection is closed with `policy_violation`: a reader
  /// too slow to keep up is dropped (and catches up after reconnecting) rather than let the
  /// queue grow. Sending on a closed connection does nothing.
  virtual void send_text(std::string text) = 0;
  /// Starts the closing handshake; `on_closed` follows once.
  virtual void close(CloseCode code, std::string_view reason) = 0;
  /// "ip:port" of the peer, for logs.
  virtual const std::string& peer() const = 0;
  /// Bytes queued and not yet written.
  virtual std::size_t queued_bytes() const = 0;
};

/// Callbacks of one connection. For a given connection they never run concurrently, run in the
/// order things happened, and `on_closed` runs exactly once, last. They run on the transport's
/// threads and must not block. Only text messages are carried: a binary message from the peer
/// closes the connection with `unsupported_data`.
struct ConnectionEvents {
  std::function<void(std::string text)> on_text;
  std::function<void(CloseCode code, std::string_view reason)> on_closed;
};

/// Given each accepted connection, returns its callbacks; reading starts after it returns.
using AcceptHandler = std::function<ConnectionEvents(std::shared_ptr<Connection>)>;

struct HttpRequest {
  std::string method;
  std::string target;                          ///< path and query, as sent
  std::map<std::string, std::string> headers;  ///< names lower-cased
};

struct HttpResponse {
  int status = 404;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  std::map<std::string, std::string> headers;
};

/// Answers plain HTTP requests (those that are not WebSocket upgrades). Runs on a transport
/// thread; must not block.
using HttpHandler = std::function<HttpResponse(const HttpRequest&)>;

struct TransportLimits {
  std::size_t max_message_bytes = 1 << 20;     ///< one whole (reassembled) message
  std::size_t max_queued_bytes = 4 << 20;      ///< outgoing bytes queued per connection
  std::size_t max_handshake_bytes = 16 << 10;  ///< HTTP request head
  std::size_t max_handshakes_in_flight = 512;  ///< excess upgrades get 503 "retry later"
  std::chrono::milliseconds handshake_timeout{10'000};
  std::chrono::milliseconds ping_interval{20'000};  ///< idle time before we ping
  /// Silence after a ping that kills a peer; also the longest wait for the peer's close frame.
  std::chrono::milliseconds pong_timeout{10'000};
};

struct ListenOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;    ///< 0 picks a free port
  std::string path = "/ws";  ///< WebSocket upgrades are accepted on this path only
  /// Browser origins allowed to open a WebSocket. A request without an Origin header (not a
  /// browser) is always allowed; one whose Origin matches its Host is allowed; "*" allows all.
  std::vector<std::string> allowed_origins;
  HttpHandler http;  ///< optional; without it plain HTTP requests get 404
  TransportLimits limits;
};

struct ConnectOptions {
  std::string url;     ///< "ws://host:port/path" (or "inproc://name" for the in-process one)
  std::string origin;  ///< sent as Origin when not empty
  TransportLimits limits;
};

using ConnectHandler = std::function<void(Result<std::shared_ptr<Connection>>)>;

/// Carries connections for a server (listen) and for clients (connect).
class Transport {
 public:
  virtual ~Transport() = default;

  /// Starts accepting connections; returns the bound port. `on_accept` runs on a transport
  /// thread for every new connection.
  virtual Result<std::uint16_t> listen(const ListenOptions& options, AcceptHandler on_accept) = 0;
  /// Stops accepting; open connections stay open.
  virtual void stop_listening() = 0;
  /// Opens a connection. `events` are installed before any message can arrive; `on_done` runs
  /// once, on a transport thread, with the connection or the error.
  virtual void connect(const ConnectOptions& options, ConnectionEvents events,
                       ConnectHandler on_done) = 0;
};

/// WebSocket (RFC 6455) over TCP, driven by `io` (which the caller runs).
std::shared_ptr<Transport> make_websocket_transport(asio::io_context& io, LogOptions log = {});

/// Connections within one process, for tests: `listen` registers under "inproc://<host>:<port>"
/// and `connect` finds it there. Callbacks run on `io`. A connection between two transports
/// holds work on both io_contexts: stop running both before destroying either.
std::shared_ptr<Transport> make_in_process_transport(asio::io_context& io);

}  // namespace messenger
