// c05: order taken from client clocks. A's clock runs slow and B's fast while they alternate
// messages in G; A drops mid-burst, queues three offline and flushes them on reconnecting. Every
// member, live and from history, must see one order: the server's per-chat sequence.
//
// The protocol carries no client time at all (a message is its chat, client id and text; the
// server stamps `created_at`), so skewed clocks have nothing to act on and are not simulated;
// what is checked is that every view shows the one server order, whatever the timing.
#include <doctest/doctest.h>

#include <thread>

#include "fault/support/event_views.hpp"
#include "fault/support/fault_proxy.hpp"
#include "fault/support/full_history.hpp"
#include "fault/support/recorded_client.hpp"
#include "fault/support/server_process.hpp"

using namespace messenger;
using namespace messenger::test;

namespace {

constexpr int kBurst = 20;
constexpr int kDropAt = kBurst / 2;
constexpr int kQueuedOffline = 3;
constexpr auto kPause = std::chrono::milliseconds(10);
constexpr auto kLimit = std::chrono::seconds(30);

bool acknowledged(const RecordedClient& client, std::size_t count) {
  return client.record->wait_until(
      [count](const std::vector<ClientEvent>& events) {
        return acks_by_client_id(events).size() + refusals(events).size() >= count;
      },
      kLimit);
}

// The texts of `sender` in the order the view holds them.
std::vector<std::string> texts_of(const std::vector<Message>& view, UserId sender) {
  std::vector<std::string> texts;
  for (const auto& message : view) {
    if (message.kind == MessageKind::text && message.sender_id == sender) {
      texts.push_back(message.text);
    }
  }
  return texts;
}

void check_one_server_order(const std::vector<Message>& view, UserId alice, UserId bob) {
  for (std::size_t i = 1; i < view.size(); ++i) {
    CHECK(view[i - 1].seq < view[i].seq);
    CHECK(view[i - 1].created_at <= view[i].created_at);
  }
  for (const auto& message : view) {
    if (message.kind != MessageKind::text) continue;
    // Each message keeps its sender: the text names who queued it.
    CHECK(message.text.rfind(message.sender_id == alice ? "a-" : "b-", 0) == 0);
    CHECK((message.sender_id == alice || message.sender_id == bob));
  }
}

}  // namespace

TEST_CASE("case_c05_order_taken_from_client_clocks") {
  ServerProcess server;
  FaultProxy alices_network(server.port());
  auto alice = register_recorded(quick_reconnect_options(alices_network.url()), "alice");
  auto bob = register_recorded(quick_reconnect_options(server.url()), "bob");
  auto carol = register_recorded(quick_reconnect_options(server.url()), "carol");
  UserId alice_id = alice->user()->id;
  UserId bob_id = bob->user()->id;
  auto group = alice->create_group("G", {bob_id, carol->user()->id});
  REQUIRE(group.ok());

  std::vector<std::string> alices_order;
  for (int i = 0; i < kBurst; ++i) {
    if (i % 2 == 0) {
      alices_order.push_back("a-" + std::to_string(i));
      alice->queue_message(group->id, alices_order.back());
    } else {
      bob->queue_message(group->id, "b-" + std::to_string(i));
    }
    if (i == kDropAt) {
      alices_network.set_reachable(false);
      alices_network.cut_all();
    }
    std::this_thread::sleep_for(kPause);
  }
  for (int i = 0; i < kQueuedOffline; ++i) {
    alices_order.push_back("a-offline-" + std::to_string(i));
    alice->queue_message(group->id, alices_order.back());
  }
  REQUIRE(acknowledged(bob, kBurst / 2));
  alices_network.set_reachable(true);
  REQUIRE(acknowledged(alice, alices_order.size()));

  auto fresh = read_full_history(*carol.client, group->id);
  REQUIRE(fresh.ok());
  check_one_server_order(*fresh, alice_id, bob_id);
  CHECK(texts_of(*fresh, alice_id) == alices_order);
  CHECK(texts_of(*fresh, bob_id).size() == kBurst / 2);

  // Carol's live view is the history's order, and so is everyone's after a reconnect.
  REQUIRE(carol.record->wait_until(
      [&](const std::vector<ClientEvent>& events) {
        auto live = messages_in(events, group->id);
        return !live.empty() && live.back().seq >= fresh->back().seq;
      },
      kLimit));
  auto live = messages_in(carol.events(), group->id);
  check_one_server_order(live, alice_id, bob_id);
  REQUIRE(live.size() == fresh->size());
  for (std::size_t i = 0; i < live.size(); ++i)
    CHECK(live[i].id == (*fresh)[i].id);
  REQUIRE(bob.record->wait_until(
      [&](const std::vector<ClientEvent>& events) {
        return texts_from(events, group->id, alice_id).size() >= alices_order.size();
      },
      kLimit));
  auto bobs_live = messages_in(bob.events(), group->id);
  check_one_server_order(bobs_live, alice_id, bob_id);
  CHECK(texts_of(bobs_live, alice_id) == alices_order);

  auto carol_again = login_recorded(quick_reconnect_options(server.url()), "carol");
  auto again = read_full_history(*carol_again.client, group->id);
  REQUIRE(again.ok());
  REQUIRE(again->size() == fresh->size());
  for (std::size_t i = 0; i < again->size(); ++i) {
    CHECK((*again)[i].id == (*fresh)[i].id);
    CHECK((*again)[i].seq == (*fresh)[i].seq);
    CHECK((*again)[i].sender_id == (*fresh)[i].sender_id);
  }
}
