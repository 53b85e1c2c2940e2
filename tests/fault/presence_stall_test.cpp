// Presence and typing when a connection goes silent: no close, no reset, just nothing.
#include <doctest/doctest.h>

#include "client/typing_timers.hpp"
#include "fault/support/event_views.hpp"
#include "fault/support/fault_proxy.hpp"
#include "fault/support/recorded_client.hpp"
#include "fault/support/server_process.hpp"

using namespace messenger;
using namespace messenger::test;

namespace {

constexpr auto kPingInterval = std::chrono::milliseconds(500);
constexpr auto kPongTimeout = std::chrono::milliseconds(500);
// Room for scheduling on a loaded machine on top of the bounds the server and client promise.
constexpr auto kSlack = std::chrono::seconds(3);
// The server finds a silent peer after a ping interval of silence plus the wait for the pong.
constexpr auto kOfflineBound = kPingInterval + kPongTimeout + kSlack;
constexpr auto kLimit = std::chrono::seconds(20);

bool shows(const RecordedClient& client, UserId user, bool online,
           std::chrono::milliseconds limit) {
  return client.record->wait_until(
      [&](const std::vector<ClientEvent>& events) {
        auto presence = last_presence(events, user);
        return presence && presence->online == online;
      },
      limit);
}

bool shows_typing(const RecordedClient& client, ChatId chat, UserId user, bool typing,
                  std::chrono::milliseconds limit) {
  return client.record->wait_until(
      [&](const std::vector<ClientEvent>& events) {
        auto last = last_typing(events, chat, user);
        return last && last->typing == typing;
      },
      limit);
}

}  // namespace

TEST_CASE("a silent link shows its user offline within the keep-alive bound and ends typing") {
  REQUIRE(ServerProcess::has_keepalive_flags());
  ServerProcess server({.ping_interval = kPingInterval, .pong_timeout = kPongTimeout});
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
  REQUIRE(shows_typing(alice, chat->id, bob_id, true, kLimit));

  bobs_network.stall();

  CHECK(shows(alice, bob_id, false, kOfflineBound));
  auto after = alice->get_presence({bob_id});
  REQUIRE(after.ok());
  REQUIRE(after->size() == 1);
  CHECK_FALSE(after->front().online);
  CHECK(after->front().last_seen > 0);
  // Typing lasts its timeout unless renewed, and a silent peer renews nothing.
  CHECK(shows_typing(alice, chat->id, bob_id, false, kTypingTimeout + kSlack));

  // Once the network lets bob through again, he reconnects and shows online.
  bobs_network.cut_all();
  bobs_network.resume();
  CHECK(shows(alice, bob_id, true, kLimit));
}
