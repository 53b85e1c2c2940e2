// Arbitrary bytes into both sides of the protocol codec: the server's request decoder and the
// client's frame parser with every accessor. Besides crashes and sanitizer reports, it checks
// two properties: what decodes encodes back to something that decodes the same, and every
// refusal encodes to an error reply the client can read.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "protocol/codec.hpp"

namespace {

namespace protocol = messenger::protocol;

void require(bool condition) {
  if (!condition) std::abort();
}

void check_request_side(std::string_view text) {
  static const messenger::Limits limits;
  auto decoded = protocol::decode_request(text, limits);
  if (!decoded.body) {
    auto reply = protocol::ServerFrame::parse(protocol::encode_error(decoded.id, decoded.error));
    require(reply.ok() && reply->error().has_value() && reply->id() == decoded.id);
    require(reply->error()->code == decoded.error.code);
    return;
  }
  require(decoded.id.has_value());
  auto encoded = protocol::encode_request({*decoded.id, *decoded.body});
  auto again = protocol::decode_request(encoded, limits);
  require(again.body.has_value() && again.id == decoded.id);
  require(protocol::encode_request({*again.id, *again.body}) == encoded);
}

template <typename T>
void check_reply(const protocol::ServerFrame& frame, const messenger::Result<T>& read) {
  if (!read.ok() || !frame.id()) return;
  auto encoded = protocol::encode_reply(*frame.id(), protocol::ReplyBody{*read});
  auto again = protocol::ServerFrame::parse(encoded);
  require(again.ok());
  require(protocol::encode_reply(*again->id(), protocol::ReplyBody{*read}) == encoded);
}

void check_frame_side(std::string_view text) {
  auto frame = protocol::ServerFrame::parse(text);
  if (!frame) return;
  check_reply(*frame, frame->as_hello());
  check_reply(*frame, frame->as_session());
  check_reply(*frame, frame->as_user());
  check_reply(*frame, frame->as_chat());
  check_reply(*frame, frame->as_chat_list());
  check_reply(*frame, frame->as_send());
  check_reply(*frame, frame->as_history());
  check_reply(*frame, frame->as_sync());
  check_reply(*frame, frame->as_presence());
  if (auto event = frame->as_event(); event.ok()) {
    auto encoded = protocol::encode_event(*event);
    auto again = protocol::ServerFrame::parse(encoded);
    require(again.ok() && again->is_event());
    auto reread = again->as_event();
    require(reread.ok() && protocol::encode_event(*reread) == encoded);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  check_request_side(text);
  check_frame_side(text);
  return 0;
}
