// Typing shown by the client library: the wire only says "typing"; the client ends it.
#include <doctest/doctest.h>

#include "integration/support/event_waiter.hpp"
#include "integration/support/test_server.hpp"

using namespace messenger;
using namespace messenger::test;

namespace {

std::optional<TypingEvent> wait_for_typing(Client& client, UserId user, bool typing) {
  auto event = wait_for_event(client, [&](const ClientEvent& e) {
    auto* shown = std::get_if<TypingEvent>(&e);
    return shown && shown->user_id == user && shown->typing == typing;
  });
  if (!event) return std::nullopt;
  return std::get<TypingEvent>(*event);
}

}  // namespace

// Waits out the real 6-second typing timeout: the public API has no shorter one.
TEST_CASE("typing shows, and ends by itself when it is not renewed") {
  TestServer server;
  auto alice = server.registered_client("alice");
  auto bob = server.registered_client("bob");
  auto chat = alice->open_direct_chat(bob->user()->id);
  REQUIRE(chat.ok());

  REQUIRE(alice->set_typing(chat->id).ok());
  auto started = wait_for_typing(*bob, alice->user()->id, true);
  REQUIRE(started);
  CHECK(started->chat_id == chat->id);
  auto ended = wait_for_typing(*bob, alice->user()->id, false);
  REQUIRE(ended);
  CHECK(ended->chat_id == chat->id);
}

TEST_CASE("typing ends before the typist's message is shown") {
  TestServer server;
  auto alice = server.registered_client("alice");
  auto bob = server.registered_client("bob");
  auto chat = alice->open_direct_chat(bob->user()->id);
  REQUIRE(chat.ok());

  REQUIRE(alice->set_typing(chat->id).ok());
  REQUIRE(wait_for_typing(*bob, alice->user()->id, true));
  REQUIRE(alice->send_message(chat->id, "here it is").ok());
  std::vector<ClientEvent> before;
  auto message = wait_for_event(
      *bob, [](const ClientEvent& e) { return std::holds_alternative<MessageEvent>(e); },
      kWaitLimit, &before);
  REQUIRE(message);
  bool ended = false;
  for (const auto& event : before) {
    auto* typing = std::get_if<TypingEvent>(&event);
    if (typing && !typing->typing && typing->user_id == alice->user()->id) ended = true;
  }
  CHECK(ended);
}
