// Feeds arbitrary bytes to server and client codecs, whole and in splits derived from the input,
// and checks that the split never changes what is decoded; then round-trips a payload taken
// from the input through encode (in fragments) and decode.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "transport/utf8_validator.hpp"
#include "transport/websocket_codec.hpp"

using namespace messenger;
using namespace messenger::transport;

namespace {

constexpr std::size_t kFuzzMaxMessage = 1 << 16;
constexpr int kMaxEvents = 100000;

void require(bool condition) {
  if (!condition) std::abort();
}

// Deterministic chunk sizes from a seed: mostly small, sometimes large.
class Splitter {
 public:
  explicit Splitter(std::uint32_t seed) : state_(seed | 1) {}
  std::size_t next() {
    state_ = state_ * 1664525u + 1013904223u;
    const std::uint32_t r = state_ >> 16;
    return (r & 3) == 0 ? 1 + (r % 4096) : 1 + (r % 7);
  }

 private:
  std::uint32_t state_;
};

struct Event {
  DecodedKind kind;
  std::string payload;
  CloseCode code;
  bool operator==(const Event&) const = default;
};

void check_event(const Decoded& event, std::vector<Event>& out) {
  require(out.empty() ||
          (out.back().kind != DecodedKind::failed && out.back().kind != DecodedKind::close));
  if (event.kind == DecodedKind::text) require(is_valid_utf8(event.payload));
  if (event.kind == DecodedKind::text || event.kind == DecodedKind::binary) {
    require(event.payload.size() <= kFuzzMaxMessage);
  }
  if (event.kind == DecodedKind::ping || event.kind == DecodedKind::pong) {
    require(event.payload.size() <= kMaxControlPayload);
  }
  out.push_back({event.kind, event.payload, event.code});
}

std::vector<Event> decode_in_splits(Role role, std::string_view bytes, std::uint32_t seed) {
  WebSocketCodec codec(CodecOptions{role, kFuzzMaxMessage, [] { return MaskKey{9, 8, 7, 6}; }});
  std::vector<Event> events;
  Splitter splitter(seed);
  while (!bytes.empty()) {
    std::string_view chunk = bytes.substr(0, splitter.next());
    bytes.remove_prefix(chunk.size());
    for (int i = 0; i < kMaxEvents; ++i) {
      Decoded event = codec.decode(chunk);
      if (event.kind == DecodedKind::none) break;
      check_event(event, events);
    }
    require(chunk.empty());
  }
  return events;
}

void check_split_independence(Role role, std::string_view bytes, std::uint32_t seed) {
  auto whole = decode_in_splits(role, bytes, 0);  // seed 0 still splits; compare two splits
  auto split = decode_in_splits(role, bytes, seed);
  require(whole == split);
}

void check_round_trip(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return;
  const bool text = data[0] & 1;
  const std::size_t fragments = 1 + (data[0] >> 1) % 5;
  std::string payload(reinterpret_cast<const char*>(data + 1), size - 1);

  WebSocketCodec client(CodecOptions{Role::client, kFuzzMaxMessage, {}});
  WebSocketCodec server(CodecOptions{Role::server, kFuzzMaxMessage, {}});
  std::string wire;
  const std::size_t piece = payload.size() / fragments + 1;
  for (std::size_t offset = 0, index = 0; index < fragments; ++index, offset += piece) {
    const Opcode opcode =
        index == 0 ? (text ? Opcode::text : Opcode::binary) : Opcode::continuation;
    const std::string part = offset < payload.size() ? payload.substr(offset, piece) : "";
    const Fin fin = index + 1 == fragments ? Fin::last : Fin::more;
    wire += client.encode_frame(opcode, part, fin).to_bytes();
  }
  wire += client.encode(Opcode::ping, payload.substr(0, kMaxControlPayload)).to_bytes();

  std::string_view input = wire;
  Decoded first = server.decode(input);
  if (text && !is_valid_utf8(payload)) {
    require(first.kind == DecodedKind::failed && first.code == CloseCode::invalid_payload);
    return;
  }
  require(first.kind == (text ? DecodedKind::text : DecodedKind::binary));
  require(first.payload == payload);
  Decoded ping = server.decode(input);
  require(ping.kind == DecodedKind::ping && ping.payload == payload.substr(0, kMaxControlPayload));
  require(input.empty());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1 || size > 2 * kFuzzMaxMessage) return 0;
  const std::uint32_t seed = data[0] * 2654435761u;
  std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  check_split_independence(Role::server, bytes, seed);
  check_split_independence(Role::client, bytes, seed ^ 0x5bd1e995u);
  check_round_trip(data, size);
  return 0;
}
