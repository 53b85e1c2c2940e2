#include <doctest/doctest.h>

#include <string>

#include "loopback_harness.hpp"

using namespace messenger;
using namespace messenger::test;

namespace {

constexpr std::uint8_t kText = 0x1;
constexpr std::uint8_t kClose = 0x8;
constexpr std::uint8_t kPing = 0x9;
constexpr std::uint8_t kPong = 0xA;

struct Loopback {
  explicit Loopback(ListenOptions options = {}, bool echo = true)
      : server(make_websocket_transport(io.io())), client(make_websocket_transport(io.io())) {
    auto bound = server.transport->listen(options, server.accept_handler(echo));
    REQUIRE(bound.ok());
    port = *bound;
  }

  std::string url(const std::string& path = "/ws") const {
    return "ws://127.0.0.1:" + std::to_string(port) + path;
  }

  /// Connects our client; returns null when it fails (see `waiter.error()`).
  std::shared_ptr<Connection> connect(Recorder& recorder, ConnectWaiter& waiter,
                                      ConnectOptions options = {}) {
    if (options.url.empty()) options.url = url();
    client->connect(options, recorder.events(), waiter.handler());
    return waiter.wait();
  }

  IoThreads io;
  RecordingServer server;
  std::shared_ptr<Transport> client;
  std::uint16_t port = 0;
};

}  // namespace

TEST_CASE("a client's text comes back through an echoing server") {
  Loopback loop;
  Recorder recorder;
  ConnectWaiter waiter;
  auto connection = loop.connect(recorder, waiter);
  REQUIRE(connection);
  connection->send_text("hello \xF0\x9F\x98\x80");
  REQUIRE(recorder.wait_for_texts(1));
  CHECK(recorder.texts()[0] == "hello \xF0\x9F\x98\x80");
  CHECK(loop.server.first.texts()[0] == "hello \xF0\x9F\x98\x80");
  CHECK(connection->peer().rfind("127.0.0.1:", 0) == 0);
}

TEST_CASE("many messages, small and large, arrive in the order sent") {
  Loopback loop;
  Recorder recorder;
  ConnectWaiter waiter;
  auto connection = loop.connect(recorder, waiter);
  REQUIRE(connection);
  constexpr int kCount = 2000;
  for (int i = 0; i < kCount; ++i) {
    std::string text = std::to_string(i);
    if (i % 100 == 0) text += std::string(70000, 'x');
    connection->send_text(text);
  }
  REQUIRE(recorder.wait_for_texts(kCount));
  auto texts = recorder.texts();
  for (int i = 0; i < kCount; ++i)
    CHECK(texts[i].rfind(std::to_string(i), 0) == 0);
}

TEST_CASE("a close from the server reaches the client with its code, once") {
  Loopback loop;
  Recorder recorder;
  ConnectWaiter waiter;
  auto connection = loop.connect(recorder, waiter);
  REQUIRE(connection);
  auto server_side = loop.server.wait_connection();
  REQUIRE(server_side);
  server_side->close(CloseCode::auth_failed, "logged out");
  CHECK(recorder.wait_closed() == CloseCode::auth_failed);
  CHECK(recorder.close_reason() == "logged out");
  CHECK(loop.server.first.wait_closed() == CloseCode::auth_failed);
  connection->send_text("after close");
  connection->close(CloseCode::normal, "again");
  CHECK(recorder.close_count() == 1);
  CHECK(loop.server.first.close_count() == 1);
}

TEST_CASE("a close from the client reaches the server with its code") {
  Loopback loop;
  Recorder recorder;
  ConnectWaiter waiter;
  auto connection = loop.connect(recorder, waiter);
  REQUIRE(connection);
  REQUIRE(loop.server.wait_connection());
  connection->close(CloseCode::going_away, "bye");
  CHECK(loop.server.first.wait_closed() == CloseCode::going_away);
  CHECK(loop.server.first.close_reason() == "bye");
  CHECK(recorder.wait_closed() == CloseCode::going_away);
}

TEST_CASE("messages sent before a close are delivered before it") {
  Loopback loop;
  Recorder recorder;
  ConnectWaiter waiter;
  auto connection = loop.connect(recorder, waiter);
  REQUIRE(connection);
  for (int i = 0; i < 100; ++i)
    connection->send_text("m" + std::to_string(i));
  connection->close(CloseCode::normal, "");
  CHECK(loop.server.first.wait_closed() == CloseCode::normal);
  CHECK(loop.server.first.texts().size() == 100);
  CHECK_FALSE(loop.server.first.text_after_close());
}

TEST_CASE("a reader too slow for the queue cap is closed with policy_violation") {
  ListenOptions options;
  options.limits.max_queued_bytes = 256 << 10;
  options.limits.pong_timeout = std::chrono::milliseconds(500);
  Loopback loop(options);
  RawClient raw(loop.port);
  REQUIRE(raw.handshake().rfind("HTTP/1.1 101", 0) == 0);
  auto server_side = loop.server.wait_connection();
  REQUIRE(server_side);

  // The raw client reads nothing, so the kernel's buffers fill and the queue grows past the
  // cap; the bound on the loop is far above what loopback buffers can hold.
  const std::string chunk(64 << 10, 'q');
  for (int i = 0; i < 4000 && !loop.server.first.closed(); ++i)
    server_side->send_text(chunk);
  CHECK(loop.server.first.wait_closed() == CloseCode::policy_violation);
}

TEST_CASE("the queue cap counts what is queued, not what was ever sent") {
  ListenOptions options;
  options.limits.max_queued_bytes = 64 << 10;
  Loopback loop(options);
  Recorder recorder;
  ConnectWaiter waiter;
  auto connection = loop.connect(recorder, waiter);
  REQUIRE(connection);
  auto server_side = loop.server.wait_connection();
  // Each message waits for the previous one, so the queue never holds more than one.
  for (int i = 0; i < 50; ++i) {
    server_side->send_text(std::string(32 << 10, 'a'));
    REQUIRE(recorder.wait_for_texts(static_cast<std::size_t>(i) + 1));
  }
  CHECK_FALSE(recorder.closed());
}

TEST_CASE("a silent peer is closed as abnormal after a ping goes unanswered") {
  ListenOptions options;
  options.limits.ping_interval = std::chrono::milliseconds(100);
  options.limits.pong_timeout = std::chrono::milliseconds(100);
  Loopback loop(options);
  RawClient raw(loop.port);
  REQUIRE(raw.handshake().rfind("HTTP/1.1 101", 0) == 0);
  CHECK(loop.server.first.wait_closed() == CloseCode::abnormal);
  auto ping = raw.read_frame();
  REQUIRE(ping);
  CHECK(ping->opcode == kPing);
}

TEST_CASE("a peer that answers pings stays connected") {
  ListenOptions options;
  options.limits.ping_interval = std::chrono::milliseconds(50);
  options.limits.pong_timeout = std::chrono::milliseconds(2000);
  Loopback loop(options);
  RawClient raw(loop.port);
  REQUIRE(raw.handshake().rfind("HTTP/1.1 101", 0) == 0);
  for (int i = 0; i < 3; ++i) {
    auto ping = raw.read_frame();
    REQUIRE(ping);
    REQUIRE(ping->opcode == kPing);
    REQUIRE(raw.write(make_frame(kPong, ping->payload)));
  }
  REQUIRE(raw.write(make_frame(kText, "still here")));
  auto echo = raw.read_data_frame();
  REQUIRE(echo);
  CHECK(echo->payload == "still here");
  CHECK_FALSE(loop.server.first.closed());
}

TEST_CASE("our client answers the server's pings and keeps its connection") {
  ListenOptions options;
  options.limits.ping_interval = std::chrono::milliseconds(20);
  options.limits.pong_timeout = std::chrono::milliseconds(2000);
  Loopback loop(options);
  Recorder recorder;
  ConnectWaiter waiter;
  ConnectOptions connect;
  connect.limits.ping_interval = std::chrono::milliseconds(20);
  auto connection = loop.connect(recorder, waiter, connect);
  REQUIRE(connection);
  for (int i = 0; i < 20; ++i) {
    connection->send_text("tick");
    REQUIRE(recorder.wait_for_texts(static_cast<std::size_t>(i) + 1));
    std::this_thread::sleep_for(std::chrono::milliseconds(15));
  }
  CHECK_FALSE(recorder.closed());
  CHECK_FALSE(loop.server.first.closed());
}

TEST_CASE("handshakes over the limit get 503 with Retry-After, and later ones succeed") {
  ListenOptions options;
  options.limits.max_handshakes_in_flight = 1;
  Loopback loop(options);
  RawClient holding(loop.port);
  REQUIRE(holding.write("GET /ws HTTP/1.1\r\n"));  // a head that is not finished yet
  RawClient refused(loop.port);
  std::string head = refused.read_head();
  CHECK(head.rfind("HTTP/1.1 503", 0) == 0);
  CHECK(head.find("Retry-After:") != std::string::npos);

  Recorder recorder;
  ConnectWaiter waiter;
  CHECK_FALSE(loop.connect(recorder, waiter));
  CHECK(waiter.error() == Errc::rate_limited);

  REQUIRE(
      holding.write("Host: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    "Sec-WebSocket-Version: 13\r\n\r\n"));
  CHECK(holding.read_head().rfind("HTTP/1.1 101", 0) == 0);
  RawClient later(loop.port);
  CHECK(later.handshake().rfind("HTTP/1.1 101", 0) == 0);
}

TEST_CASE("a handshake that never finishes is cut at the handshake timeout") {
  ListenOptions options;
  options.limits.handshake_timeout = std::chrono::milliseconds(100);
  Loopback loop(options);
  RawClient raw(loop.port);
  REQUIRE(raw.write("GET /ws HTTP/1.1\r\n"));
  CHECK(raw.wait_eof());
}

TEST_CASE("a request head over the limit gets 431") {
  ListenOptions options;
  options.limits.max_handshake_bytes = 1024;
  Loopback loop(options);
  RawClient raw(loop.port);
  REQUIRE(raw.write("GET /ws HTTP/1.1\r\nX-Filler: " + std::string(2000, 'f') + "\r\n\r\n"));
  CHECK(raw.read_head().rfind("HTTP/1.1 431", 0) == 0);
}

TEST_CASE("plain HTTP requests go to the handler, or get 404 without one") {
  ListenOptions options;
  options.http = [](const HttpRequest& request) {
    HttpResponse response;
    response.status = request.target == "/health" ? 200 : 404;
    response.body = "ok";
    return response;
  };
  Loopback with_handler(options);
  RawClient raw(with_handler.port);
  REQUIRE(raw.write("GET /health HTTP/1.1\r\nHost: a\r\n\r\n"));
  CHECK(raw.read_head().rfind("HTTP/1.1 200", 0) == 0);
  CHECK(raw.fill(2));

  Loopback without;
  RawClient plain(without.port);
  REQUIRE(plain.write("GET /health HTTP/1.1\r\nHost: a\r\n\r\n"));
  CHECK(plain.read_head().rfind("HTTP/1.1 404", 0) == 0);
}

TEST_CASE("an origin outside the allow-list is refused and the client learns why") {
  ListenOptions options;
  options.allowed_origins = {"https://chat.example"};
  Loopback loop(options);
  Recorder recorder;
  ConnectWaiter refused;
  ConnectOptions evil;
  evil.origin = "https://evil.example";
  CHECK_FALSE(loop.connect(recorder, refused, evil));
  CHECK(refused.error() == Errc::forbidden);

  ConnectWaiter accepted;
  ConnectOptions good;
  good.origin = "https://chat.example";
  CHECK(loop.connect(recorder, accepted, good));
}

TEST_CASE("connecting fails cleanly on a bad URL, a name to resolve, or a closed port") {
  Loopback loop;
  Recorder recorder;
  ConnectWaiter bad_url;
  ConnectOptions options;
  options.url = "http://127.0.0.1/ws";
  CHECK_FALSE(loop.connect(recorder, bad_url, options));
  CHECK(bad_url.error() == Errc::bad_request);

  ConnectWaiter name;
  options.url = "ws://some.name.invalid:80/ws";
  CHECK_FALSE(loop.connect(recorder, name, options));
  CHECK(name.error() == Errc::bad_request);

  ConnectWaiter wrong_path;
  options.url = loop.url("/elsewhere");
  CHECK_FALSE(loop.connect(recorder, wrong_path, options));
  CHECK(wrong_path.error() == Errc::not_found);

  loop.server.transport->stop_listening();
  ConnectWaiter closed;
  options.url = loop.url();
  CHECK_FALSE(loop.connect(recorder, closed, options));
  CHECK(closed.error() == Errc::disconnected);
  CHECK_FALSE(recorder.closed());
}

TEST_CASE("listening on a port in use fails with a reason") {
  Loopback loop;
  ListenOptions same;
  same.port = loop.port;
  auto other = make_websocket_transport(loop.io.io());
  auto bound = other->listen(same, [](std::shared_ptr<Connection>) { return ConnectionEvents{}; });
  CHECK_FALSE(bound.ok());
  CHECK(bound.code() == Errc::disconnected);
}

TEST_CASE("a peer's protocol error closes with 1002 and reports it to the server") {
  Loopback loop;
  RawClient raw(loop.port);
  REQUIRE(raw.handshake().rfind("HTTP/1.1 101", 0) == 0);
  REQUIRE(raw.write(make_frame(kText, "unmasked", true, false)));
  auto close = raw.read_data_frame();
  REQUIRE(close);
  CHECK(close->opcode == kClose);
  CHECK(close_code_of(*close) == 1002);
  CHECK(loop.server.first.wait_closed() == CloseCode::protocol_error);
  CHECK(raw.wait_eof());
}

TEST_CASE("a binary message is refused with unsupported_data") {
  Loopback loop;
  RawClient raw(loop.port);
  REQUIRE(raw.handshake().rfind("HTTP/1.1 101", 0) == 0);
  REQUIRE(raw.write(make_frame(0x2, "bin")));
  auto close = raw.read_data_frame();
  REQUIRE(close);
  CHECK(close_code_of(*close) == 1003);
  CHECK(loop.server.first.wait_closed() == CloseCode::unsupported_data);
}

TEST_CASE("a TCP connection that drops without a close reports abnormal") {
  Loopback loop;
  {
    RawClient raw(loop.port);
    REQUIRE(raw.handshake().rfind("HTTP/1.1 101", 0) == 0);
    REQUIRE(loop.server.wait_connection());
  }
  CHECK(loop.server.first.wait_closed() == CloseCode::abnormal);
}

TEST_CASE("a client's close without a status is reported as no_status and echoed empty") {
  Loopback loop;
  RawClient raw(loop.port);
  REQUIRE(raw.handshake().rfind("HTTP/1.1 101", 0) == 0);
  REQUIRE(raw.write(make_frame(kClose, "")));
  auto echo = raw.read_data_frame();
  REQUIRE(echo);
  CHECK(echo->opcode == kClose);
  CHECK(echo->payload.empty());
  CHECK(loop.server.first.wait_closed() == CloseCode::no_status);
  CHECK(raw.wait_eof());
}
