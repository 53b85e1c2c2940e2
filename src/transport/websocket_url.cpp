#include "transport/websocket_url.hpp"

#include <http_parser.h>

namespace messenger::transport {
namespace {

constexpr std::uint16_t kDefaultPort = 80;

std::string_view field(std::string_view url, const http_parser_url& parsed, int which) {
  if (!(parsed.field_set & (1 << which))) return {};
  return url.substr(parsed.field_data[which].off, parsed.field_data[which].len);
}

}  // namespace

Result<WebSocketUrl> parse_websocket_url(std::string_view url) {
  http_parser_url parsed;
  http_parser_url_init(&parsed);
  if (http_parser_parse_url(url.data(), url.size(), 0, &parsed) != 0) {
    return Error{Errc::bad_request, "not a URL: " + std::string(url)};
  }
  const std::string_view schema = field(url, parsed, UF_SCHEMA);
  if (schema != "ws") {
    // LIMITATION: no TLS client yet, so wss:// is refused rather than sent in clear text.
    return Error{Errc::bad_request, "only ws:// URLs are supported"};
  }
  if (field(url, parsed, UF_USERINFO).size() || field(url, parsed, UF_FRAGMENT).size()) {
    return Error{Errc::bad_request, "a WebSocket URL has no user info nor fragment"};
  }

  WebSocketUrl result;
  result.host = std::string(field(url, parsed, UF_HOST));
  if (result.host.empty()) return Error{Errc::bad_request, "URL without a host"};
  const bool has_port = (parsed.field_set & (1 << UF_PORT)) != 0;
  result.port = has_port ? parsed.port : kDefaultPort;
  const bool is_v6 = result.host.find(':') != std::string::npos;
  result.host_header = is_v6 ? "[" + result.host + "]" : result.host;
  if (has_port) result.host_header += ":" + std::to_string(result.port);

  const std::string_view path = field(url, parsed, UF_PATH);
  const std::string_view query = field(url, parsed, UF_QUERY);
  result.target = path.empty() ? "/" : std::string(path);
  if (!query.empty()) result.target += "?" + std::string(query);
  return result;
}

}  // namespace messenger::transport
