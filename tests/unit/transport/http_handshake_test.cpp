#include <doctest/doctest.h>

#include <string>

#include "transport/http_handshake.hpp"
#include "transport/websocket_url.hpp"

using namespace messenger;
using namespace messenger::transport;

namespace {

// The example of RFC 6455, section 1.3.
constexpr const char* kSampleKey = "dGhlIHNhbXBsZSBub25jZQ==";
constexpr const char* kSampleAccept = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

struct RequestParts {
  std::string request_line = "GET /ws HTTP/1.1";
  std::string host = "Host: 127.0.0.1:8080\r\n";
  std::string upgrade = "Upgrade: websocket\r\n";
  std::string connection = "Connection: keep-alive, Upgrade\r\n";
  std::string version = "Sec-WebSocket-Version: 13\r\n";
  std::string key = std::string("Sec-WebSocket-Key: ") + kSampleKey + "\r\n";
  std::string extra;

  std::string text() const {
    return request_line + "\r\n" + host + upgrade + connection + version + key + extra + "\r\n";
  }
};

RequestHead parse(const std::string& text) {
  auto head = parse_request_head(text);
  REQUIRE(head.ok());
  return std::move(head).value();
}

int answer_status(const RequestParts& parts, const ListenOptions& options = {}) {
  return answer_upgrade(parse(parts.text()), options).status;
}

}  // namespace

TEST_CASE("the accept key of the RFC example matches the RFC") {
  CHECK(websocket_accept_key(kSampleKey) == kSampleAccept);
}

TEST_CASE("a valid upgrade request gets 101 with the accept key") {
  HttpResponse answer = answer_upgrade(parse(RequestParts{}.text()), ListenOptions{});
  CHECK(answer.status == 101);
  CHECK(answer.headers["Sec-WebSocket-Accept"] == kSampleAccept);
  std::string bytes = serialize_response(answer);
  CHECK(bytes.rfind("HTTP/1.1 101 Switching Protocols\r\n", 0) == 0);
  CHECK(bytes.find("Content-Length") == std::string::npos);
  CHECK(bytes.substr(bytes.size() - 4) == "\r\n\r\n");
}

TEST_CASE("headers are matched without regard to case and repeated ones are joined") {
  auto head = parse(
      "GET /ws?x=1 HTTP/1.1\r\nHOST: a\r\nupgrade: WebSocket\r\nconnection: x\r\n"
      "Connection: UPGRADE\r\nsec-websocket-version: 13\r\nSEC-WEBSOCKET-KEY: " +
      std::string(kSampleKey) + "\r\n\r\n");
  CHECK(head.request.headers["connection"] == "x, UPGRADE");
  CHECK(head.request.target == "/ws?x=1");
  CHECK(answer_upgrade(head, ListenOptions{}).status == 101);
}

TEST_CASE("each missing or wrong upgrade header is refused with its status") {
  RequestParts parts;
  SUBCASE("missing Upgrade") {
    parts.upgrade = "";
    CHECK(answer_status(parts) == 400);
  }
  SUBCASE("Upgrade to another protocol") {
    parts.upgrade = "Upgrade: h2c\r\n";
    CHECK(answer_status(parts) == 400);
  }
  SUBCASE("missing Connection: Upgrade") {
    parts.connection = "Connection: keep-alive\r\n";
    CHECK(answer_status(parts) == 400);
  }
  SUBCASE("another WebSocket version") {
    parts.version = "Sec-WebSocket-Version: 8\r\n";
    HttpResponse answer = answer_upgrade(parse(parts.text()), ListenOptions{});
    CHECK(answer.status == 426);
    CHECK(answer.headers["Sec-WebSocket-Version"] == "13");
  }
  SUBCASE("missing version") {
    parts.version = "";
    CHECK(answer_status(parts) == 426);
  }
  SUBCASE("missing key") {
    parts.key = "";
    CHECK(answer_status(parts) == 400);
  }
  SUBCASE("a key that is not 16 bytes of base64") {
    parts.key = "Sec-WebSocket-Key: c2hvcnQ=\r\n";
    CHECK(answer_status(parts) == 400);
    parts.key = "Sec-WebSocket-Key: !!!!!!!!!!!!!!!!!!!!!!==\r\n";
    CHECK(answer_status(parts) == 400);
  }
  SUBCASE("missing Host") {
    parts.host = "";
    CHECK(answer_status(parts) == 400);
  }
  SUBCASE("not GET") {
    parts.request_line = "POST /ws HTTP/1.1";
    CHECK(answer_status(parts) == 405);
  }
  SUBCASE("HTTP/1.0") {
    parts.request_line = "GET /ws HTTP/1.0";
    CHECK(answer_status(parts) == 400);
  }
  SUBCASE("another path") {
    parts.request_line = "GET /other HTTP/1.1";
    CHECK(answer_status(parts) == 404);
  }
}

TEST_CASE("origins are allowed by the list, by matching the host, or when absent") {
  RequestParts parts;
  ListenOptions options;
  options.allowed_origins = {"https://chat.example"};
  CHECK(answer_status(parts, options) == 101);

  parts.extra = "Origin: https://chat.example\r\n";
  CHECK(answer_status(parts, options) == 101);
  parts.extra = "Origin: https://evil.example\r\n";
  CHECK(answer_status(parts, options) == 403);
  parts.extra = "Origin: null\r\n";
  CHECK(answer_status(parts, options) == 403);
  parts.extra = "Origin: http://127.0.0.1:8080\r\n";
  CHECK(answer_status(parts, options) == 101);

  options.allowed_origins = {"*"};
  parts.extra = "Origin: https://evil.example\r\n";
  CHECK(answer_status(parts, options) == 101);
}

TEST_CASE("a plain request does not ask for a WebSocket") {
  auto head = parse("GET /index.html HTTP/1.1\r\nHost: a\r\n\r\n");
  CHECK_FALSE(wants_websocket(head.request));
  CHECK(head.request.method == "GET");
  CHECK(wants_websocket(parse(RequestParts{}.text()).request));
}

TEST_CASE("garbage is not an HTTP request") {
  CHECK_FALSE(parse_request_head("\x16\x03\x01 hello\r\n\r\n").ok());
  CHECK_FALSE(parse_request_head("GET / HTTP/1.1\r\nBad Header\r\n\r\n").ok());
}

TEST_CASE("the head reader finds the head in reads split at every byte") {
  const std::string head = RequestParts{}.text();
  const std::string frames = "\x81\x85rest!";
  const std::string bytes = head + frames;
  for (std::size_t cut = 0; cut <= bytes.size(); ++cut) {
    HttpHeadReader reader(16 << 10);
    std::string_view first = std::string_view(bytes).substr(0, cut);
    std::string_view second = std::string_view(bytes).substr(cut);
    auto status = reader.feed(first);
    if (status != HttpHeadReader::Status::complete) {
      CHECK(first.empty());
      status = reader.feed(second);
      CHECK(status == HttpHeadReader::Status::complete);
      CHECK(second == frames);
    } else {
      CHECK(std::string(first) + std::string(second) == frames);
    }
    CHECK(reader.head() == head);
  }
}

TEST_CASE("a head over the limit is too large, also when it arrives in pieces") {
  HttpHeadReader reader(64);
  std::string_view piece = "GET / HTTP/1.1\r\nX-Long: ";
  CHECK(reader.feed(piece) == HttpHeadReader::Status::need_more);
  std::string filler(100, 'a');
  std::string_view rest = filler;
  CHECK(reader.feed(rest) == HttpHeadReader::Status::too_large);
}

TEST_CASE("a refusal carries its reason and closes the connection") {
  std::string bytes = serialize_response(make_refusal(403, "origin not allowed"));
  CHECK(bytes.rfind("HTTP/1.1 403 Forbidden\r\n", 0) == 0);
  CHECK(bytes.find("Connection: close\r\n") != std::string::npos);
  CHECK(bytes.find("Content-Length: 18\r\n") != std::string::npos);
  CHECK(bytes.substr(bytes.size() - 18) == "origin not allowed");
}

TEST_CASE("response headers with line breaks are dropped") {
  HttpResponse response;
  response.status = 200;
  response.headers["X-Evil"] = "a\r\nSet-Cookie: x=1";
  CHECK(serialize_response(response).find("Set-Cookie") == std::string::npos);
}

TEST_CASE("a client request passes the server's checks, and its answer passes the client's") {
  const std::string key = make_websocket_key();
  CHECK(key.size() == 24);
  std::string request = make_upgrade_request({"127.0.0.1:9000", "/ws", key, "http://a.b"});
  auto head = parse(request);
  CHECK(head.request.headers["origin"] == "http://a.b");
  ListenOptions options;
  options.allowed_origins = {"http://a.b"};
  HttpResponse answer = answer_upgrade(head, options);
  REQUIRE(answer.status == 101);

  auto response = parse_response_head(serialize_response(answer));
  REQUIRE(response.ok());
  CHECK(check_upgrade_response(*response, key).ok());
  CHECK(check_upgrade_response(*response, make_websocket_key()).code() == Errc::protocol_error);
}

TEST_CASE("a client maps refusals to errors it can act on") {
  auto refused = [](const std::string& text) {
    auto head = parse_response_head(text);
    REQUIRE(head.ok());
    return check_upgrade_response(*head, kSampleKey).code();
  };
  CHECK(refused("HTTP/1.1 503 Service Unavailable\r\nRetry-After: 5\r\n\r\n") ==
        Errc::rate_limited);
  CHECK(refused("HTTP/1.1 403 Forbidden\r\n\r\n") == Errc::forbidden);
  CHECK(refused("HTTP/1.1 404 Not Found\r\n\r\n") == Errc::not_found);
  CHECK(refused("HTTP/1.1 200 OK\r\n\r\n") == Errc::protocol_error);
  CHECK(refused(std::string("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                            "Connection: Upgrade\r\nSec-WebSocket-Accept: ") +
                kSampleAccept + "\r\nSec-WebSocket-Extensions: permessage-deflate\r\n\r\n") ==
        Errc::protocol_error);
  CHECK(refused(std::string("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                            "Connection: Upgrade\r\nSec-WebSocket-Accept: ") +
                kSampleAccept + "\r\n\r\n") == Errc::ok);
}

TEST_CASE("WebSocket URLs give host, port, target and Host header") {
  auto url = parse_websocket_url("ws://127.0.0.1:8080/ws?token=1");
  REQUIRE(url.ok());
  CHECK(url->host == "127.0.0.1");
  CHECK(url->port == 8080);
  CHECK(url->target == "/ws?token=1");
  CHECK(url->host_header == "127.0.0.1:8080");

  auto v6 = parse_websocket_url("ws://[::1]:9000");
  REQUIRE(v6.ok());
  CHECK(v6->host == "::1");
  CHECK(v6->target == "/");
  CHECK(v6->host_header == "[::1]:9000");

  CHECK(parse_websocket_url("http://127.0.0.1/ws").code() == Errc::bad_request);
  CHECK(parse_websocket_url("wss://127.0.0.1/ws").code() == Errc::bad_request);
  CHECK(parse_websocket_url("not a url").code() == Errc::bad_request);
}
