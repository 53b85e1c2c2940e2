// Typing and presence: ephemeral state pushed to the users who share a chat.
#include <doctest/doctest.h>

#include "integration/support/event_waiter.hpp"
#include "integration/support/test_server.hpp"

using namespace messenger;
using namespace messenger::test;

namespace {

bool wait_for_presence(Client& client, UserId user, bool online) {
  return wait_for_event(client,
                        [&](const ClientEvent& e) {
                          auto* presence = std::get_if<PresenceEvent>(&e);
                          return presence && presence->presence.user_id == user &&
                                 presence->presence.online == online;
                        })
      .has_value();
}

}  // namespace

TEST_CASE("a member typing is shown to the other members only") {
  TestServer server;
  auto alice = server.registered_client("alice");
  auto bob = server.registered_client("bob");
  auto mallory = server.registered_client("mallory");
  auto chat = alice->open_direct_chat(bob->user()->id);
  REQUIRE(chat.ok());

  REQUIRE(alice->set_typing(chat->id).ok());
  auto typing = wait_for_event(*bob, [&](const ClientEvent& e) {
    auto* event = std::get_if<TypingEvent>(&e);
    return event && event->typing && event->user_id == alice->user()->id;
  });
  CHECK(typing);
  CHECK(mallory->set_typing(chat->id).code() == Errc::not_a_member);
}

TEST_CASE("typing stops when the typist's message arrives") {
  TestServer server;
  auto alice = server.registered_client("alice");
  auto bob = server.registered_client("bob");
  auto chat = alice->open_direct_chat(bob->user()->id);
  REQUIRE(chat.ok());

  REQUIRE(alice->set_typing(chat->id).ok());
  REQUIRE(alice->send_message(chat->id, "done typing").ok());
  auto stopped = wait_for_event(*bob, [&](const ClientEvent& e) {
    auto* event = std::get_if<TypingEvent>(&e);
    return event && !event->typing && event->user_id == alice->user()->id;
  });
  CHECK(stopped);
}

TEST_CASE("presence goes online and offline for users who share a chat") {
  TestServer server;
  auto alice = server.registered_client("alice");
  UserId bob_id = 0;
  {
    auto bob = server.registered_client("bob");
    bob_id = bob->user()->id;
    REQUIRE(alice->open_direct_chat(bob_id).ok());
    auto now = alice->get_presence({bob_id});
    REQUIRE(now.ok());
    REQUIRE(now->size() == 1);
    CHECK(now->front().online);
  }
  CHECK(wait_for_presence(*alice, bob_id, false));
  auto later = alice->get_presence({bob_id});
  REQUIRE(later.ok());
  REQUIRE(later->size() == 1);
  CHECK_FALSE(later->front().online);
  CHECK(later->front().last_seen > 0);

  auto bob = server.logged_in_client("bob");
  CHECK(wait_for_presence(*alice, bob_id, true));
}

TEST_CASE("presence is not told to strangers") {
  TestServer server;
  auto alice = server.registered_client("alice");
  auto stranger = server.registered_client("stranger");
  auto answer = stranger->get_presence({alice->user()->id});
  REQUIRE(answer.ok());
  CHECK(answer->empty());
}
