// c07: presence stuck online after a crash. B is online and typing; the server is killed, B does
// not come back, the server restarts. A must see B offline right after the restart, and B's
// typing gone. (A connection that dies silently while the server runs is covered by
// tests/fault/presence_stall_test.cpp: offline within the keep-alive bound.)
#include <doctest/doctest.h>

#include "client/typing_timers.hpp"
#include "fault/support/event_views.hpp"
#include "fault/support/fault_proxy.hpp"
#include "fault/support/recorded_client.hpp"
#include "fault/support/retry_request.hpp"
#include "fault/support/server_process.hpp"

using namespace messenger;
using namespace messenger::test;

namespace {

constexpr auto kLimit = std::chrono::seconds(30);
// Room for scheduling on a loaded machine on top of the typing timeout.
constexpr auto kSlack = std::chrono::seconds(3);

}  // namespace

TEST_CASE("case_c07_presence_stuck_online_after_crash") {
  ServerProcess server;
  FaultProxy bobs_network(server.port());
  auto alice = register_recorded(quick_reconnect_options(server.url()), "alice");
  auto bob = register_recorded(quick_reconnect_options(bobs_network.url()), "bob");
  UserId bob_id = bob->user()->id;
  auto chat = alice->open_direct_chat(bob_id);
  REQUIRE(chat.ok());
  auto before = alice->get_presence({bob_id});
  REQUIRE(before.ok());
  REQUIRE(before->size() == 1);
  CHECK(before->front().online);
  REQUIRE(bob->set_typing(chat->id).ok());
  REQUIRE(alice.record->wait_until(
      [&](const std::vector<ClientEvent>& events) {
        auto typing = last_typing(events, chat->id, bob_id);
        return typing && typing->typing;
      },
      kLimit));

  bobs_network.set_reachable(false);  // bob does not come back
  server.kill();
  auto events_before_restart = alice.record->size();
  server.restart();
  REQUIRE(alice.wait_caught_up(2, kLimit));

  auto after = retry_request([&] { return alice->get_presence({bob_id}); });
  REQUIRE(after.ok());
  REQUIRE(after->size() == 1);
  CHECK_FALSE(after->front().online);
  // Typing ends by its timeout, and nothing after the restart says bob types or is online.
  CHECK(alice.record->wait_until(
      [&](const std::vector<ClientEvent>& events) {
        auto typing = last_typing(events, chat->id, bob_id);
        return typing && !typing->typing;
      },
      kTypingTimeout + kSlack));
  auto events = alice.events();
  for (std::size_t i = events_before_restart; i < events.size(); ++i) {
    if (const auto* typing = std::get_if<TypingEvent>(&events[i])) CHECK_FALSE(typing->typing);
    if (const auto* presence = std::get_if<PresenceEvent>(&events[i])) {
      if (presence->presence.user_id == bob_id) CHECK_FALSE(presence->presence.online);
    }
  }
}
