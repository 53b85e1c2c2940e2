#include "transport/http_handshake.hpp"

#include <http_parser.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <stdexcept>

namespace messenger::transport {
namespace {

constexpr std::string_view kHeadEnd = "\r\n\r\n";
constexpr std::string_view kWebSocketGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
constexpr std::string_view kWebSocketVersion = "13";
constexpr std::size_t kKeyBytes = 16;
constexpr std::size_t kEncodedKeyChars = 24;  // base64 of 16 bytes, with "==" padding
constexpr int kSwitchingProtocols = 101;

char lower_ascii(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return lower_ascii(x) == lower_ascii(y);
         });
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
    text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
    text.remove_suffix(1);
  return text;
}

// Whether a comma-separated header value lists `token` (case-insensitive), as Connection and
// Upgrade do.
bool has_token(const std::map<std::string, std::string>& headers, const std::string& name,
               std::string_view token) {
  auto found = headers.find(name);
  if (found == headers.end()) return false;
  std::string_view rest = found->second;
  while (!rest.empty()) {
    std::size_t comma = rest.find(',');
    if (iequals(trim(rest.substr(0, comma)), token)) return true;
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return false;
}

std::string header_or_empty(const std::map<std::string, std::string>& headers,
                            const std::string& name) {
  auto found = headers.find(name);
  return found == headers.end() ? std::string() : std::string(trim(found->second));
}

std::string base64(const unsigned char* data, std::size_t size) {
  std::string out(4 * ((size + 2) / 3), '\0');
  EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(size));
  return out;
}

bool is_valid_key(std::string_view key) {
  if (key.size() != kEncodedKeyChars || key.substr(kEncodedKeyChars - 2) != "==") return false;
  std::array<unsigned char, kKeyBytes + 2> decoded{};
  int size = EVP_DecodeBlock(decoded.data(), reinterpret_cast<const unsigned char*>(key.data()),
                             static_cast<int>(key.size()));
  return size == static_cast<int>(decoded.size());
}

// http-parser hands headers over in pieces; this collects them into lower-cased names.
struct HeadCollector {
  std::map<std::string, std::string> headers;
  std::string url;
  std::string field;
  std::string value;
  bool in_value = false;
  bool complete = false;

  void commit() {
    if (field.empty()) return;
    std::transform(field.begin(), field.end(), field.begin(), lower_ascii);
    std::string trimmed(trim(value));
    auto [slot, inserted] = headers.try_emplace(field, trimmed);
    if (!inserted) slot->second += ", " + trimmed;
    field.clear();
    value.clear();
    in_value = false;
  }
};

HeadCollector& collector(http_parser* parser) {
  return *static_cast<HeadCollector*>(parser->data);
}

const http_parser_settings& head_settings() {
  static const http_parser_settings settings = [] {
    http_parser_settings s;
    http_parser_settings_init(&s);
    s.on_url = [](http_parser* p, const char* at, std::size_t size) {
      collector(p).url.append(at, size);
      return 0;
    };
    s.on_header_field = [](http_parser* p, const char* at, std::size_t size) {
      auto& c = collector(p);
      if (c.in_value) c.commit();
      c.field.append(at, size);
      return 0;
    };
    s.on_header_value = [](http_parser* p, const char* at, std::size_t size) {
      auto& c = collector(p);
      c.in_value = true;
      c.value.append(at, size);
      return 0;
    };
    s.on_headers_complete = [](http_parser* p) {
      auto& c = collector(p);
      c.commit();
      c.complete = true;
      return 0;
    };
    return s;
  }();
  return settings;
}

// Runs http-parser over a complete head; false when it is not valid HTTP/1.x.
bool parse_head(http_parser_type type, std::string_view head, http_parser& parser,
                HeadCollector& collected) {
  http_parser_init(&parser, type);
  parser.data = &collected;
  std::size_t parsed = http_parser_execute(&parser, &head_settings(), head.data(), head.size());
  return HTTP_PARSER_ERRNO(&parser) == HPE_OK && parsed == head.size() && collected.complete;
}

bool origin_allowed(const HttpRequest& request, const std::vector<std::string>& allowed) {
  auto origin = request.headers.find("origin");
  if (origin == request.headers.end()) return true;
  for (const auto& entry : allowed) {
    if (entry == "*" || iequals(entry, origin->second)) return true;
  }
  std::string_view authority = origin->second;
  std::size_t scheme_end = authority.find("://");
  if (scheme_end == std::string_view::npos) return false;
  authority.remove_prefix(scheme_end + 3);
  auto host = request.headers.find("host");
  return host != request.headers.end() && iequals(authority, host->second);
}

bool is_safe_header(const std::string& name, const std::string& value) {
  auto unsafe = [](char c) { return c == '\r' || c == '\n'; };
  return !name.empty() && std::none_of(name.begin(), name.end(), unsafe) &&
         std::none_of(value.begin(), value.end(), unsafe);
}

}  // namespace

HttpHeadReader::Status HttpHeadReader::feed(std::string_view& input) {
  if (complete_) return Status::complete;
  const std::size_t old_size = head_.size();
  const std::size_t room = max_head_bytes_ - std::min(old_size, max_head_bytes_);
  head_.append(input.substr(0, room));

  const std::size_t search_from = old_size >= kHeadEnd.size() ? old_size - kHeadEnd.size() + 1 : 0;
  const std::size_t end = head_.find(kHeadEnd, search_from);
  if (end == std::string::npos) {
    input.remove_prefix(head_.size() - old_size);
    return head_.size() >= max_head_bytes_ ? Status::too_large : Status::need_more;
  }
  head_.resize(end + kHeadEnd.size());
  input.remove_prefix(head_.size() - old_size);
  complete_ = true;
  return Status::complete;
}

Result<RequestHead> parse_request_head(std::string_view head) {
  http_parser parser;
  HeadCollector collected;
  if (!parse_head(HTTP_REQUEST, head, parser, collected)) {
    return Error{Errc::bad_request, "malformed HTTP request"};
  }
  RequestHead parsed;
  parsed.request.method = http_method_str(static_cast<http_method>(parser.method));
  parsed.request.target = std::move(collected.url);
  parsed.request.headers = std::move(collected.headers);
  parsed.http_major = parser.http_major;
  parsed.http_minor = parser.http_minor;
  return parsed;
}

Result<ResponseHead> parse_response_head(std::string_view head) {
  http_parser parser;
  HeadCollector collected;
  if (!parse_head(HTTP_RESPONSE, head, parser, collected)) {
    return Error{Errc::protocol_error, "malformed HTTP response"};
  }
  ResponseHead parsed;
  parsed.status = static_cast<int>(parser.status_code);
  parsed.headers = std::move(collected.headers);
  return parsed;
}

bool wants_websocket(const HttpRequest& request) {
  return request.headers.count("upgrade") > 0 || request.headers.count("sec-websocket-key") > 0;
}

HttpResponse answer_upgrade(const RequestHead& head, const ListenOptions& options) {
  const HttpRequest& request = head.request;
  std::string_view path = request.target;
  path = path.substr(0, path.find('?'));
  if (path != options.path) return make_refusal(404, "no WebSocket endpoint on this path");
  if (request.method != "GET") {
    HttpResponse refusal = make_refusal(405, "a WebSocket upgrade must be a GET");
    refusal.headers["Allow"] = "GET";
    return refusal;
  }
  if (head.http_major != 1 || head.http_minor < 1) return make_refusal(400, "HTTP/1.1 required");
  if (!request.headers.count("host")) return make_refusal(400, "missing Host header");
  if (!has_token(request.headers, "upgrade", "websocket")) {
    return make_refusal(400, "missing Upgrade: websocket");
  }
  if (!has_token(request.headers, "connection", "upgrade")) {
    return make_refusal(400, "missing Connection: Upgrade");
  }
  if (header_or_empty(request.headers, "sec-websocket-version") != kWebSocketVersion) {
    HttpResponse refusal = make_refusal(426, "only WebSocket version 13 is supported");
    refusal.headers["Sec-WebSocket-Version"] = std::string(kWebSocketVersion);
    return refusal;
  }
  const std::string key = header_or_empty(request.headers, "sec-websocket-key");
  if (!is_valid_key(key)) return make_refusal(400, "invalid Sec-WebSocket-Key");
  if (!origin_allowed(request, options.allowed_origins)) {
    return make_refusal(403, "origin not allowed");
  }

  HttpResponse accepted;
  accepted.status = kSwitchingProtocols;
  accepted.headers["Upgrade"] = "websocket";
  accepted.headers["Connection"] = "Upgrade";
  accepted.headers["Sec-WebSocket-Accept"] = websocket_accept_key(key);
  return accepted;
}

std::string serialize_response(const HttpResponse& response, ResponseParts parts) {
  std::string out = "HTTP/1.1 " + std::to_string(response.status) + " ";
  out += http_status_str(static_cast<http_status>(response.status));
  out += "\r\n";
  for (const auto& [name, value] : response.headers) {
    if (is_safe_header(name, value)) out += name + ": " + value + "\r\n";
  }
  if (response.status != kSwitchingProtocols) {
    if (is_safe_header("Content-Type", response.content_type)) {
      out += "Content-Type: " + response.content_type + "\r\n";
    }
    out += "Content-Length: " + std::to_string(response.body.size()) + "\r\n";
    out += "Connection: close\r\n";
  }
  out += "\r\n";
  if (response.status != kSwitchingProtocols && parts == ResponseParts::head_and_body) {
    out += response.body;
  }
  return out;
}

HttpResponse make_refusal(int status, std::string reason) {
  HttpResponse response;
  response.status = status;
  response.body = std::move(reason);
  return response;
}

std::string websocket_accept_key(std::string_view key) {
  std::string input(key);
  input += kWebSocketGuid;
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  if (EVP_Digest(input.data(), input.size(), digest.data(), &size, EVP_sha1(), nullptr) != 1) {
    throw std::runtime_error("OpenSSL SHA-1 failed");
  }
  return base64(digest.data(), size);
}

std::string make_websocket_key() {
  std::array<unsigned char, kKeyBytes> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    throw std::runtime_error("OpenSSL RAND_bytes failed");
  }
  return base64(bytes.data(), bytes.size());
}

std::string make_upgrade_request(const UpgradeRequestOptions& options) {
  std::string out = "GET " + options.path + " HTTP/1.1\r\n";
  out += "Host: " + options.host + "\r\n";
  out += "Upgrade: websocket\r\n";
  out += "Connection: Upgrade\r\n";
  out += "Sec-WebSocket-Key: " + options.key + "\r\n";
  out += "Sec-WebSocket-Version: " + std::string(kWebSocketVersion) + "\r\n";
  if (!options.origin.empty()) out += "Origin: " + options.origin + "\r\n";
  out += "\r\n";
  return out;
}

Result<void> check_upgrade_response(const ResponseHead& head, std::string_view key) {
  if (head.status == 503) return Error{Errc::rate_limited, "server busy: retry later"};
  if (head.status == 403) return Error{Errc::forbidden, "server refused the origin"};
  if (head.status == 404) return Error{Errc::not_found, "no WebSocket endpoint at that path"};
  if (head.status != kSwitchingProtocols) {
    return Error{Errc::protocol_error, "upgrade refused with HTTP " + std::to_string(head.status)};
  }
  if (!has_token(head.headers, "upgrade", "websocket") ||
      !has_token(head.headers, "connection", "upgrade")) {
    return Error{Errc::protocol_error, "101 without the WebSocket upgrade headers"};
  }
  if (header_or_empty(head.headers, "sec-websocket-accept") != websocket_accept_key(key)) {
    return Error{Errc::protocol_error, "wrong Sec-WebSocket-Accept"};
  }
  if (head.headers.count("sec-websocket-extensions") ||
      head.headers.count("sec-websocket-protocol")) {
    return Error{Errc::protocol_error, "server chose an extension or subprotocol not offered"};
  }
  return {};
}

}  // namespace messenger::transport
