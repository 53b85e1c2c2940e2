#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "messenger/result.hpp"

namespace messenger::transport {

/// The parts of a "ws://host:port/path?query" URL that a connector needs.
struct WebSocketUrl {
  std::string host;  ///< without IPv6 brackets
  std::uint16_t port = 80;
  std::string target = "/";  ///< path and query, as sent in the request line
  std::string host_header;   ///< host[:port] as the Host header wants it
};

/// Errors: bad_request (not a ws:// URL; wss:// is not supported yet).
Result<WebSocketUrl> parse_websocket_url(std::string_view url);

}  // namespace messenger::transport
