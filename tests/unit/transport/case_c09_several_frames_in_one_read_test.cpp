#include <doctest/doctest.h>

#include <string>

#include "loopback_harness.hpp"

using namespace messenger;
using namespace messenger::test;

// c09: several frames in one read, one frame over many reads. A server that assumes one frame
// per read, or a whole header per read, loses or corrupts messages.
TEST_CASE("case_c09_several_frames_in_one_read") {
  IoThreads io;
  RecordingServer server(make_websocket_transport(io.io()));
  auto port = server.transport->listen({}, server.accept_handler(true));
  REQUIRE(port.ok());
  RawClient raw(*port);
  REQUIRE(raw.handshake().rfind("HTTP/1.1 101", 0) == 0);

  // Three small complete frames in one TCP write.
  REQUIRE(raw.write(make_frame(0x1, "one") + make_frame(0x1, "two") + make_frame(0x1, "three")));

  // A 70,000-byte frame one byte per write: its 14-byte header (64-bit length, mask key) is
  // split at every byte too.
  std::string big(70000, '\0');
  for (std::size_t i = 0; i < big.size(); ++i)
    big[i] = static_cast<char>('a' + i % 26);
  const std::string big_frame = make_frame(0x1, big);
  bool written = true;
  for (char byte : big_frame)
    written = written && raw.write(std::string_view(&byte, 1));
  REQUIRE(written);

  // A fragmented message with a ping between its fragments, in one write.
  REQUIRE(raw.write(make_frame(0x1, "frag", false) + make_frame(0x9, "are you there") +
                    make_frame(0x0, "mented", true)));

  REQUIRE(server.first.wait_for_texts(5));
  const std::vector<std::string> expected = {"one", "two", "three", big, "fragmented"};
  CHECK(server.first.texts() == expected);

  // The echoes come back in order, and the ping is answered with its payload.
  std::vector<std::string> echoed;
  bool ponged = false;
  for (int frames = 0; frames < 6; ++frames) {
    auto frame = raw.read_frame();
    REQUIRE(frame);
    if (frame->opcode == 0xA) {
      ponged = frame->payload == "are you there";
    } else {
      REQUIRE(frame->opcode == 0x1);
      echoed.push_back(frame->payload);
    }
  }
  CHECK(ponged);
  CHECK(echoed == expected);

  REQUIRE(raw.write(make_frame(0x1, "still open")));
  REQUIRE(server.first.wait_for_texts(6));
  CHECK_FALSE(server.first.closed());
}
