// Feeds arbitrary bytes, in splits derived from the input, to the HTTP head reader, then runs
// whatever head it finds through the request and response parsers and the upgrade checks.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "transport/http_handshake.hpp"
#include "transport/websocket_url.hpp"

using namespace messenger;
using namespace messenger::transport;

namespace {

constexpr std::size_t kFuzzMaxHead = 2048;
constexpr const char* kKey = "dGhlIHNhbXBsZSBub25jZQ==";

void require(bool condition) {
  if (!condition) std::abort();
}

void check_head(std::string_view head) {
  require(head.size() <= kFuzzMaxHead);
  require(head.size() >= 4 && head.substr(head.size() - 4) == "\r\n\r\n");

  if (auto request = parse_request_head(head); request.ok()) {
    ListenOptions options;
    options.allowed_origins = {"https://chat.example"};
    HttpResponse answer = answer_upgrade(*request, options);
    require(answer.status == 101 || (answer.status >= 400 && answer.status < 500));
    if (answer.status == 101) require(wants_websocket(request->request));
    std::string bytes = serialize_response(answer);
    require(bytes.rfind("HTTP/1.1 ", 0) == 0);
  }
  if (auto response = parse_response_head(head); response.ok()) {
    (void)check_upgrade_response(*response, kKey);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::size_t step = 1 + data[0] % 64;
  std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
  (void)parse_websocket_url(input.substr(0, 256));

  HttpHeadReader reader(kFuzzMaxHead);
  std::size_t consumed = 0;
  while (!input.empty()) {
    std::string_view chunk = input.substr(0, step);
    const std::size_t before = chunk.size();
    auto status = reader.feed(chunk);
    consumed += before - chunk.size();
    input.remove_prefix(before - chunk.size());
    if (status == HttpHeadReader::Status::too_large) return 0;
    if (status == HttpHeadReader::Status::complete) {
      require(reader.head().size() == consumed);
      check_head(reader.head());
      return 0;
    }
    require(chunk.empty());
  }
  return 0;
}
