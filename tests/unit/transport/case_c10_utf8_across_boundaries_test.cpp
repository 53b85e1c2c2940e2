#include <doctest/doctest.h>

#include <string>
#include <thread>

#include "loopback_harness.hpp"

using namespace messenger;
using namespace messenger::test;

// c10: UTF-8 checked per frame or per read rejects valid text split inside a code point, and
// UTF-8 checked only at the end of a message lets a peer hold invalid bytes in our buffers.
TEST_CASE("case_c10_utf8_across_boundaries") {
  IoThreads io;
  RecordingServer server(make_websocket_transport(io.io()));
  auto port = server.transport->listen({}, server.accept_handler(false));
  REQUIRE(port.ok());
  RawClient raw(*port);
  REQUIRE(raw.handshake().rfind("HTTP/1.1 101", 0) == 0);

  SUBCASE("an emoji split across two fragments is accepted byte for byte") {
    REQUIRE(raw.write(make_frame(0x1, "smile \xF0\x9F", false) +
                      make_frame(0x0, "\x98\x80 done", true)));
    REQUIRE(server.first.wait_for_texts(1));
    CHECK(server.first.texts()[0] == "smile \xF0\x9F\x98\x80 done");
    CHECK_FALSE(server.first.closed());
  }

  SUBCASE("an emoji split across two TCP writes is accepted byte for byte") {
    const std::string frame = make_frame(0x1, "split \xF0\x9F\x98\x80 write");
    const std::size_t inside_emoji = 6 + 6 + 2;  // header, "split ", two bytes of the emoji
    REQUIRE(raw.write(frame.substr(0, inside_emoji)));
    // Give the server a chance to read the first part on its own.
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    REQUIRE(raw.write(frame.substr(inside_emoji)));
    REQUIRE(server.first.wait_for_texts(1));
    CHECK(server.first.texts()[0] == "split \xF0\x9F\x98\x80 write");
    CHECK_FALSE(server.first.closed());
  }

  SUBCASE("an invalid byte in a first fragment fails with 1007 before the rest is sent") {
    REQUIRE(raw.write(make_frame(0x1, "bad \xC0\xAF and more", false)));
    // The remaining fragments are withheld: the answer must come without them.
    auto close = raw.read_frame();
    REQUIRE(close);
    CHECK(close->opcode == 0x8);
    CHECK(close_code_of(*close) == 1007);
    CHECK(server.first.wait_closed() == CloseCode::invalid_payload);
    CHECK(server.first.texts().empty());
    CHECK(raw.wait_eof());
  }

  SUBCASE("a close frame whose reason is not UTF-8 fails the connection") {
    REQUIRE(raw.write(make_frame(0x8, close_payload(1000, "bye \xC0\xAF"))));
    auto close = raw.read_frame();
    REQUIRE(close);
    CHECK(close->opcode == 0x8);
    CHECK(close_code_of(*close) == 1007);
    CHECK(server.first.wait_closed() == CloseCode::invalid_payload);
    CHECK(raw.wait_eof());
  }
}
