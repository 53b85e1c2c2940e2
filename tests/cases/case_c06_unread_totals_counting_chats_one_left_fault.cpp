// c06: unread totals counting chats one left. B has 2 unread in G and 1 in a direct chat, then
// leaves G (or is removed). B's total must be 1 at once, and stay 1 in what B's devices get
// afterwards, including one that was offline meanwhile.
#include <doctest/doctest.h>

#include "fault/support/event_views.hpp"
#include "fault/support/fault_proxy.hpp"
#include "fault/support/recorded_client.hpp"
#include "fault/support/server_process.hpp"

using namespace messenger;
using namespace messenger::test;

namespace {

constexpr auto kLimit = std::chrono::seconds(30);

std::int64_t total_unread(Client& client) {
  auto chats = client.list_chats();
  INFO("list_chats: ", (chats.ok() ? std::string("ok") : chats.error().message));
  REQUIRE(chats.ok());
  std::int64_t total = 0;
  for (const auto& summary : *chats)
    total += summary.unread;
  return total;
}

}  // namespace

TEST_CASE("case_c06_unread_totals_counting_chats_one_left") {
  ServerProcess server;
  FaultProxy tablets_network(server.port());
  auto alice = register_recorded(quick_reconnect_options(server.url()), "alice");
  auto phone = register_recorded(quick_reconnect_options(server.url()), "bob");
  auto tablet = login_recorded(quick_reconnect_options(tablets_network.url()), "bob");
  UserId bob_id = phone->user()->id;
  auto group = alice->create_group("G", {bob_id});
  auto direct = alice->open_direct_chat(bob_id);
  REQUIRE(group.ok());
  REQUIRE(direct.ok());
  REQUIRE(alice->send_message(group->id, "g1").ok());
  REQUIRE(alice->send_message(group->id, "g2").ok());
  auto last = alice->send_message(direct->id, "d1");
  REQUIRE(last.ok());
  REQUIRE(phone.record->wait_until(
      [&](const std::vector<ClientEvent>& events) {
        return !texts_from(events, direct->id, alice->user()->id).empty();
      },
      kLimit));
  CHECK(total_unread(*phone.client) == 3);

  // The tablet is offline while bob leaves.
  tablets_network.set_reachable(false);
  tablets_network.cut_all();
  SUBCASE("B leaves G") {
    REQUIRE(phone->leave_chat(group->id).ok());
  }
  SUBCASE("an admin removes B") {
    REQUIRE(alice->remove_member(group->id, bob_id).ok());
  }
  CHECK(total_unread(*phone.client) == 1);

  // What happens in G afterwards counts for nothing, on any of bob's devices.
  auto after = alice->send_message(group->id, "g3");
  REQUIRE(after.ok());
  CHECK(total_unread(*phone.client) == 1);
  tablets_network.set_reachable(true);
  REQUIRE(tablet.wait_caught_up(2, kLimit));
  CHECK(total_unread(*tablet.client) == 1);
  auto fresh = login_recorded(quick_reconnect_options(server.url()), "bob");
  CHECK(total_unread(*fresh.client) == 1);
  for (const auto* device : {&phone, &tablet, &fresh}) {
    for (const auto& message : messages_in(device->events(), group->id))
      CHECK(message.seq < after->seq);
  }
}
