#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>

#include "messenger/result.hpp"
#include "messenger/transport.hpp"

namespace messenger::transport {

/// Collects an HTTP head (request line or status line, and headers, up to the blank line) from
/// reads split anywhere. Bytes after the head are left to the caller: after a WebSocket
/// upgrade they are the first frames.
class HttpHeadReader {
 public:
  enum class Status { need_more, complete, too_large };

  explicit HttpHeadReader(std::size_t max_head_bytes) : max_head_bytes_(max_head_bytes) {}

  /// Consumes bytes from the front of `input`, up to the end of the head.
  Status feed(std::string_view& input);
  /// The whole head, blank line included; valid once `feed` returned `complete`.
  std::string_view head() const { return head_; }

 private:
  std::size_t max_head_bytes_;
  std::string head_;
  bool complete_ = false;
};

/// A parsed request head.
struct RequestHead {
  HttpRequest request;
  unsigned http_major = 0;
  unsigned http_minor = 0;
};

/// A parsed response head.
struct ResponseHead {
  int status = 0;
  std::map<std::string, std::string> headers;  ///< names lower-cased
};

/// Parses a complete request head with http-parser. Repeated headers are joined with ", ".
/// Errors: bad_request.
Result<RequestHead> parse_request_head(std::string_view head);
/// Errors: protocol_error.
Result<ResponseHead> parse_response_head(std::string_view head);

/// True when the request asks for a WebSocket (it names an Upgrade or a WebSocket key): such a
/// request is answered by `answer_upgrade`, never by the plain HTTP handler.
bool wants_websocket(const HttpRequest& request);

/// The answer to an upgrade request under the listener's path and origin rules: 101 with the
/// accept key, or 4xx with a reason in the body (404 other path, 405 not GET, 400 a bad or
/// missing header, 426 another WebSocket version, 403 an origin that is not allowed).
HttpResponse answer_upgrade(const RequestHead& head, const ListenOptions& options);

/// What of a response goes on the wire: all of it, or, for a HEAD request, the head alone
/// (with the length the body would have).
enum class ResponseParts { head_and_body, head_only };

/// The HTTP/1.1 bytes of a response. Anything but 101 carries its body and `Connection: close`.
std::string serialize_response(const HttpResponse& response,
                               ResponseParts parts = ResponseParts::head_and_body);

/// A refusal with a plain-text reason.
HttpResponse make_refusal(int status, std::string reason);

/// base64(SHA-1(key + RFC 6455 GUID)), the Sec-WebSocket-Accept for a key.
std::string websocket_accept_key(std::string_view key);

/// Client side: a fresh random Sec-WebSocket-Key.
std::string make_websocket_key();

struct UpgradeRequestOptions {
  std::string host;  ///< the Host header: host, or host:port
  std::string path;
  std::string key;
  std::string origin;  ///< sent when not empty
};

std::string make_upgrade_request(const UpgradeRequestOptions& options);

/// Checks a server's answer to our upgrade. Errors: rate_limited (503, retry later), forbidden
/// (403), not_found (404), protocol_error (anything else that is not a valid 101).
Result<void> check_upgrade_response(const ResponseHead& head, std::string_view key);

}  // namespace messenger::transport
