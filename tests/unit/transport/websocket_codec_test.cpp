#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "loopback_harness.hpp"
#include "transport/websocket_codec.hpp"

using namespace messenger;
using namespace messenger::transport;
using messenger::test::close_payload;
using messenger::test::make_frame;

namespace {

constexpr std::uint8_t kText = 0x1;
constexpr std::uint8_t kBinary = 0x2;
constexpr std::uint8_t kContinuation = 0x0;
constexpr std::uint8_t kClose = 0x8;
constexpr std::uint8_t kPing = 0x9;
constexpr std::uint8_t kPong = 0xA;

WebSocketCodec server_codec(std::size_t max_message = 1 << 20) {
  return WebSocketCodec(CodecOptions{Role::server, max_message, {}});
}

WebSocketCodec client_codec() {
  return WebSocketCodec(CodecOptions{Role::client, 1 << 20, [] { return MaskKey{1, 2, 3, 4}; }});
}

std::vector<Decoded> decode_all(WebSocketCodec& codec, std::string_view bytes) {
  std::vector<Decoded> events;
  for (int guard = 0; guard < 100000; ++guard) {
    Decoded event = codec.decode(bytes);
    if (event.kind == DecodedKind::none) break;
    events.push_back(std::move(event));
  }
  CHECK(bytes.empty());
  return events;
}

Decoded decode_one(std::string_view bytes, std::size_t max_message = 1 << 20) {
  auto codec = server_codec(max_message);
  auto events = decode_all(codec, bytes);
  REQUIRE(events.size() == 1);
  return events.front();
}

void check_fails(std::string_view bytes, CloseCode code) {
  Decoded event = decode_one(bytes);
  CHECK(event.kind == DecodedKind::failed);
  CHECK(event.code == code);
}

}  // namespace

TEST_CASE("masked text frames of every length class decode on the server") {
  for (std::size_t size : {0, 1, 125, 126, 65535, 65536, 70000}) {
    CAPTURE(size);
    const std::string payload(size, 'x');
    Decoded event = decode_one(make_frame(kText, payload));
    CHECK(event.kind == DecodedKind::text);
    CHECK(event.payload == payload);
  }
}

TEST_CASE("the encoder picks the shortest length form and masks as a client") {
  auto client = client_codec();
  struct Case {
    std::size_t size;
    std::size_t header;
  };
  for (auto [size, header] :
       {Case{0, 6}, Case{125, 6}, Case{126, 8}, Case{65535, 8}, Case{65536, 14}}) {
    CAPTURE(size);
    const std::string payload(size, 'y');
    auto frame = client.encode(Opcode::binary, payload);
    CHECK(frame.header_size == header);
    CHECK(frame.to_bytes() == make_frame(kBinary, payload, true, true, {1, 2, 3, 4}));
  }
}

TEST_CASE("the server sends unmasked frames that a client decodes") {
  auto server = server_codec();
  auto client = client_codec();
  const std::string payload = "h\xC3\xA9llo";
  auto bytes = server.encode(Opcode::text, payload).to_bytes();
  CHECK(bytes == make_frame(kText, payload, true, false));
  auto events = decode_all(client, bytes);
  REQUIRE(events.size() == 1);
  CHECK(events[0].payload == payload);
}

TEST_CASE("a server fails an unmasked frame and a client a masked one") {
  check_fails(make_frame(kText, "hi", true, false), CloseCode::protocol_error);
  auto client = client_codec();
  auto events = decode_all(client, make_frame(kText, "hi", true, true));
  REQUIRE(events.size() == 1);
  CHECK(events[0].kind == DecodedKind::failed);
  CHECK(events[0].code == CloseCode::protocol_error);
}

TEST_CASE("each opcode decodes to its kind") {
  CHECK(decode_one(make_frame(kBinary, std::string("\0\xFF", 2))).kind == DecodedKind::binary);
  Decoded ping = decode_one(make_frame(kPing, "are you there"));
  CHECK(ping.kind == DecodedKind::ping);
  CHECK(ping.payload == "are you there");
  CHECK(decode_one(make_frame(kPong, "yes")).kind == DecodedKind::pong);
  Decoded close = decode_one(make_frame(kClose, close_payload(1000, "bye")));
  CHECK(close.kind == DecodedKind::close);
  CHECK(close.code == CloseCode::normal);
  CHECK(close.payload == "bye");
}

TEST_CASE("unknown opcodes fail with protocol_error") {
  for (std::uint8_t opcode : {3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF}) {
    CAPTURE(int(opcode));
    check_fails(make_frame(opcode, "x"), CloseCode::protocol_error);
  }
}

TEST_CASE("reserved bits fail with protocol_error") {
  for (std::uint8_t bit : {0x40, 0x20, 0x10}) {
    std::string frame = make_frame(kText, "x");
    frame[0] = static_cast<char>(frame[0] | bit);
    check_fails(frame, CloseCode::protocol_error);
  }
}

TEST_CASE("fragments reassemble into one message, with control frames between them") {
  auto codec = server_codec();
  std::string bytes = make_frame(kText, "one ", false) + make_frame(kPing, "p") +
                      make_frame(kContinuation, "two ", false) + make_frame(kPong, "") +
                      make_frame(kContinuation, "three", true);
  auto events = decode_all(codec, bytes);
  REQUIRE(events.size() == 3);
  CHECK(events[0].kind == DecodedKind::ping);
  CHECK(events[1].kind == DecodedKind::pong);
  CHECK(events[2].kind == DecodedKind::text);
  CHECK(events[2].payload == "one two three");
}

TEST_CASE("a continuation without a message and a message inside a message fail") {
  check_fails(make_frame(kContinuation, "x"), CloseCode::protocol_error);
  auto codec = server_codec();
  auto events = decode_all(codec, make_frame(kText, "a", false) + make_frame(kText, "b"));
  REQUIRE(events.size() == 1);
  CHECK(events[0].code == CloseCode::protocol_error);
}

TEST_CASE("control frames must be short and unfragmented") {
  CHECK(decode_one(make_frame(kPing, std::string(125, 'p'))).kind == DecodedKind::ping);
  check_fails(make_frame(kPing, std::string(126, 'p')), CloseCode::protocol_error);
  check_fails(make_frame(kPing, "p", false), CloseCode::protocol_error);
  check_fails(make_frame(kClose, close_payload(1000), false), CloseCode::protocol_error);
}

TEST_CASE("close codes in the valid ranges are accepted") {
  const std::uint16_t valid[] = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010,
                                 1011, 1012, 1013, 1014, 3000, 4001, 4999};
  for (std::uint16_t code : valid) {
    CAPTURE(code);
    Decoded event = decode_one(make_frame(kClose, close_payload(code)));
    CHECK(event.kind == DecodedKind::close);
    CHECK(static_cast<std::uint16_t>(event.code) == code);
  }
}

TEST_CASE("invalid close codes fail with protocol_error") {
  const std::uint16_t invalid[] = {0,    999,  1004, 1005, 1006, 1015,
                                   1016, 1100, 2000, 2999, 5000, 65535};
  for (std::uint16_t code : invalid) {
    CAPTURE(code);
    check_fails(make_frame(kClose, close_payload(code)), CloseCode::protocol_error);
  }
}

TEST_CASE("an empty close reports no status and a one-byte close fails") {
  Decoded event = decode_one(make_frame(kClose, ""));
  CHECK(event.kind == DecodedKind::close);
  CHECK(event.code == CloseCode::no_status);
  check_fails(make_frame(kClose, "\x03"), CloseCode::protocol_error);
}

TEST_CASE("a close reason that is not UTF-8 fails with invalid_payload") {
  check_fails(make_frame(kClose, close_payload(1000, "\xC0\xAF")), CloseCode::invalid_payload);
}

TEST_CASE("text that is not UTF-8 fails with invalid_payload") {
  for (std::string bad : {"\xC0\xAF", "\xE0\x80\xAF", "\xF0\x80\x80\xAF", "\xED\xA0\x80",
                          "\xF4\x90\x80\x80", "\xF8\x88\x80\x80\x80", "\x80", "ok\xC3"}) {
    CAPTURE(bad);
    check_fails(make_frame(kText, bad), CloseCode::invalid_payload);
  }
}

TEST_CASE("binary messages are not checked as UTF-8") {
  CHECK(decode_one(make_frame(kBinary, "\xC0\xAF")).kind == DecodedKind::binary);
}

TEST_CASE("invalid UTF-8 fails at the fragment that holds it, before the message ends") {
  auto codec = server_codec();
  std::string first = make_frame(kText, "fine \xC0\xAF", false);
  std::string_view input = first;
  Decoded event = codec.decode(input);
  CHECK(event.kind == DecodedKind::failed);
  CHECK(event.code == CloseCode::invalid_payload);
}

TEST_CASE("invalid UTF-8 fails as soon as the bad byte is read, mid-frame") {
  auto codec = server_codec();
  std::string frame = make_frame(kText, "abc\xC0" + std::string(1000, 'z'));
  // 8 header bytes (2, a 16-bit length, the mask key), then "abc" and the bad byte.
  std::string_view head = std::string_view(frame).substr(0, 8 + 3);
  CHECK(codec.decode(head).kind == DecodedKind::none);
  std::string_view bad_byte = std::string_view(frame).substr(8 + 3, 1);
  CHECK(codec.decode(bad_byte).kind == DecodedKind::failed);
}

TEST_CASE("an emoji split across two fragments is accepted") {
  auto codec = server_codec();
  auto events = decode_all(codec, make_frame(kText, "smile \xF0\x9F", false) +
                                      make_frame(kContinuation, "\x98\x80!", true));
  REQUIRE(events.size() == 1);
  CHECK(events[0].payload == "smile \xF0\x9F\x98\x80!");
}

TEST_CASE("a text message that ends inside a code point fails") {
  auto codec = server_codec();
  auto events = decode_all(
      codec, make_frame(kText, "x\xF0\x9F", false) + make_frame(kContinuation, "\x98", true));
  REQUIRE(events.size() == 1);
  CHECK(events[0].code == CloseCode::invalid_payload);
}

TEST_CASE("non-minimal length encodings fail with protocol_error") {
  std::string sixteen = "\x81\xFE";
  sixteen += std::string("\x00\x7D", 2) + "abcd" + std::string(125, 'x');
  check_fails(sixteen, CloseCode::protocol_error);
  std::string sixty_four = "\x81\xFF";
  sixty_four += std::string("\x00\x00\x00\x00\x00\x00\xFF\xFF", 8) + "abcd";
  check_fails(sixty_four, CloseCode::protocol_error);
  std::string top_bit = "\x81\xFF";
  top_bit += std::string("\x80\x00\x00\x00\x00\x01\x00\x00", 8) + "abcd";
  check_fails(top_bit, CloseCode::protocol_error);
}

TEST_CASE("an oversized frame fails with message_too_big before its payload arrives") {
  auto codec = server_codec(1000);
  std::string frame = make_frame(kBinary, std::string(1001, 'b'));
  std::string_view header = std::string_view(frame).substr(0, 8);  // 2 + 2 length + 4 mask
  Decoded event = codec.decode(header);
  CHECK(event.kind == DecodedKind::failed);
  CHECK(event.code == CloseCode::message_too_big);
}

TEST_CASE("a frame claiming 2^62 bytes fails with message_too_big") {
  std::string frame = "\x82\xFF";
  frame += std::string("\x40\x00\x00\x00\x00\x00\x00\x00", 8) + "abcd";
  check_fails(frame, CloseCode::message_too_big);
}

TEST_CASE("a message over the limit across fragments fails with message_too_big") {
  auto codec = server_codec(1000);
  auto events = decode_all(codec, make_frame(kText, std::string(600, 'a'), false) +
                                      make_frame(kContinuation, std::string(401, 'a'), true));
  REQUIRE(events.size() == 1);
  CHECK(events[0].code == CloseCode::message_too_big);
  CHECK(decode_one(make_frame(kText, std::string(1000, 'a')), 1000).kind == DecodedKind::text);
}

TEST_CASE("input after a close frame or an error is ignored") {
  auto codec = server_codec();
  auto events =
      decode_all(codec, make_frame(kClose, close_payload(1000)) + make_frame(kText, "late"));
  REQUIRE(events.size() == 1);
  CHECK(codec.finished());

  auto failed = server_codec();
  events = decode_all(failed, make_frame(kText, "\xFF") + make_frame(kText, "late"));
  CHECK(events.size() == 1);
}

TEST_CASE("a sequence of frames decodes the same when split at every byte boundary") {
  const std::string bytes = make_frame(kText, "hello") + make_frame(kPing, "p1") +
                            make_frame(kText, "emoji \xF0\x9F", false) + make_frame(kPong, "") +
                            make_frame(kContinuation, "\x98\x80 done", true) +
                            make_frame(kBinary, std::string(300, '\x07')) +
                            make_frame(kText, std::string(70000, 'l')) +
                            make_frame(kClose, close_payload(1001, "going"));
  auto whole_codec = server_codec();
  const auto expected = decode_all(whole_codec, bytes);
  REQUIRE(expected.size() == 7);

  auto same = [&](const std::vector<Decoded>& got) {
    REQUIRE(got.size() == expected.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
      CHECK(got[i].kind == expected[i].kind);
      CHECK(got[i].payload == expected[i].payload);
      CHECK(got[i].code == expected[i].code);
    }
  };
  for (std::size_t cut = 0; cut <= bytes.size(); cut += (cut < 400 ? 1 : 997)) {
    CAPTURE(cut);
    auto codec = server_codec();
    auto got = decode_all(codec, std::string_view(bytes).substr(0, cut));
    auto rest = decode_all(codec, std::string_view(bytes).substr(cut));
    got.insert(got.end(), rest.begin(), rest.end());
    same(got);
  }

  auto codec = server_codec();
  std::vector<Decoded> got;
  for (char byte : bytes) {
    auto events = decode_all(codec, std::string_view(&byte, 1));
    got.insert(got.end(), events.begin(), events.end());
  }
  same(got);
}

TEST_CASE("a close frame is encoded with its code, and a long reason is cut on a code point") {
  auto codec = server_codec();
  auto frame = codec.encode_close(CloseCode::auth_failed, "logged out");
  CHECK(frame.payload == close_payload(4001, "logged out"));

  std::string long_reason(122, 'r');
  long_reason += "\xE2\x82\xAC";  // € straddles the 123-byte limit
  auto cut = codec.encode_close(CloseCode::normal, long_reason);
  CHECK(cut.payload.size() == 2 + 122);

  CHECK(codec.encode_close(CloseCode::no_status, "x").payload.empty());
  CHECK(codec.encode_close(CloseCode::abnormal, "x").payload.empty());
}

TEST_CASE("a client's frames round-trip through a server codec for any payload") {
  auto client = WebSocketCodec(CodecOptions{Role::client, 1 << 20, {}});
  auto server = server_codec();
  std::string payload;
  for (int i = 0; i < 300; ++i)
    payload.push_back(static_cast<char>(i % 128));
  auto events = decode_all(server, client.encode(Opcode::text, payload).to_bytes());
  REQUIRE(events.size() == 1);
  CHECK(events[0].payload == payload);
}

TEST_CASE("masking works from any offset of the key cycle") {
  const MaskKey key{0xA1, 0xB2, 0xC3, 0xD4};
  const std::string plain = "the quick brown fox jumps";
  std::string once(plain.size(), '\0');
  apply_mask(plain.data(), once.data(), plain.size(), key, 0);
  std::string pieces(plain.size(), '\0');
  apply_mask(plain.data(), pieces.data(), 3, key, 0);
  apply_mask(plain.data() + 3, pieces.data() + 3, plain.size() - 3, key, 3);
  CHECK(pieces == once);
  apply_mask(once.data(), once.data(), once.size(), key, 0);
  CHECK(once == plain);
}
