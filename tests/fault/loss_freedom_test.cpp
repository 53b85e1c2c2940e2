// The delivery contract under faults: two users exchange messages through their outboxes while
// the network cuts their connections at random and the server crashes twice.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <set>
#include <thread>

#include "fault/support/event_views.hpp"
#include "fault/support/fault_proxy.hpp"
#include "fault/support/full_history.hpp"
#include "fault/support/recorded_client.hpp"
#include "fault/support/server_process.hpp"

using namespace messenger;
using namespace messenger::test;

namespace {

constexpr int kMessagesEachWay = 1000;
constexpr int kBatch = 50;
constexpr int kBatches = kMessagesEachWay / kBatch;
constexpr int kFirstCrash = kBatches / 3;
constexpr int kSecondCrash = 2 * kBatches / 3;
// Spreads the queueing over a few seconds, so that cuts and crashes land mid-stream.
constexpr auto kBatchPause = std::chrono::milliseconds(50);
constexpr auto kDowntime = std::chrono::milliseconds(300);
constexpr auto kSettleLimit = std::chrono::seconds(120);
// Once every message has arrived, the receipts that follow need only a round trip or two.
constexpr auto kReceiptLimit = std::chrono::seconds(20);

std::string text_of(char sender, int index) {
  return std::string(1, sender) + "-" + std::to_string(index);
}

int index_of(const std::string& text) {
  return std::stoi(text.substr(2));
}

// What one receiver must hold of one sender: each acknowledged message exactly once, in seq
// order, which is also the order they were queued in.
void check_exactly_once_in_order(const std::vector<Message>& received,
                                 const std::map<std::string, SendAck>& acks) {
  std::map<MessageId, SendAck> acked;
  for (const auto& [client_id, ack] : acks)
    acked.emplace(ack.message_id, ack);
  std::set<MessageId> seen;
  for (std::size_t i = 0; i < received.size(); ++i) {
    const auto& message = received[i];
    INFO("received #", i, ": ", message.text, " seq ", message.seq);
    CHECK(seen.insert(message.id).second);
    auto ack = acked.find(message.id);
    REQUIRE(ack != acked.end());
    CHECK(ack->second.seq == message.seq);
    if (i > 0) {
      CHECK(received[i - 1].seq < message.seq);
      CHECK(index_of(received[i - 1].text) < index_of(message.text));
    }
  }
  CHECK(seen.size() == acked.size());
}

bool all_acknowledged(const RecordedClient& client) {
  return client.record->wait_until(
      [](const std::vector<ClientEvent>& events) {
        return acks_by_client_id(events).size() + refusals(events).size() >=
               static_cast<std::size_t>(kMessagesEachWay);
      },
      kSettleLimit);
}

bool all_received(const RecordedClient& client, ChatId chat, UserId sender) {
  return client.record->wait_until(
      [&](const std::vector<ClientEvent>& events) {
        return texts_from(events, chat, sender).size() >=
               static_cast<std::size_t>(kMessagesEachWay);
      },
      kSettleLimit);
}

// The furthest delivered watermark of `member` that `client` has heard of, once it reaches
// `seq` (or the wait ends).
Seq delivered_heard(const RecordedClient& client, ChatId chat, UserId member, Seq seq) {
  client.record->wait_until(
      [&](const std::vector<ClientEvent>& events) {
        return watermarks_of(events, chat, member).delivered_seq >= seq;
      },
      kReceiptLimit);
  return watermarks_of(client.events(), chat, member).delivered_seq;
}

Seq delivered_stored(Client& client, ChatId chat, UserId member) {
  auto found = client.get_chat(chat);
  REQUIRE(found.ok());
  for (const auto& each : found->members) {
    if (each.user_id == member) return each.delivered_seq;
  }
  return 0;
}

}  // namespace

TEST_CASE("every acknowledged message arrives once and in order through cuts and two crashes") {
  ServerProcess server;
  FaultProxy proxy(server.port());
  auto options = quick_reconnect_options(proxy.url());
  auto alice = register_recorded(options, "alice");
  auto bob = register_recorded(options, "bob");
  UserId alice_id = alice->user()->id;
  UserId bob_id = bob->user()->id;
  auto chat = alice->open_direct_chat(bob_id);
  REQUIRE(chat.ok());

  proxy.start_random_cuts({.seed = 20261204,
                           .min_gap = std::chrono::milliseconds(150),
                           .max_gap = std::chrono::milliseconds(600)});
  int crashes = 0;
  for (int batch = 0; batch < kBatches; ++batch) {
    for (int i = batch * kBatch; i < (batch + 1) * kBatch; ++i) {
      alice->queue_message(chat->id, text_of('a', i));
      bob->queue_message(chat->id, text_of('b', i));
    }
    if (batch == kFirstCrash || batch == kSecondCrash) {
      // The batch just queued is still on its way: the crash lands mid-stream.
      CHECK(alice->outbox_size() + bob->outbox_size() > 0);
      server.kill();
      ++crashes;
      std::this_thread::sleep_for(kDowntime);
      server.restart();
    }
    if (batch == kBatches / 2) {
      proxy.start_random_cuts({.seed = 7,
                               .min_gap = std::chrono::milliseconds(150),
                               .max_gap = std::chrono::milliseconds(600),
                               .kind = CutKind::fin});
    }
    std::this_thread::sleep_for(kBatchPause);
  }
  CHECK(crashes == 2);

  REQUIRE(all_acknowledged(alice));
  REQUIRE(all_acknowledged(bob));
  proxy.stop_random_cuts();
  CHECK(proxy.cuts() > 0);
  CHECK(refusals(alice.events()).empty());
  CHECK(refusals(bob.events()).empty());
  CHECK(alice->outbox_size() == 0);
  CHECK(bob->outbox_size() == 0);
  REQUIRE(all_received(bob, chat->id, alice_id));
  REQUIRE(all_received(alice, chat->id, bob_id));

  auto alice_events = alice.events();
  auto bob_events = bob.events();
  // The first connection, then at least one catch-up after the faults. No more can be promised:
  // a crash that lands while a client is already away after a cut costs it no extra reconnect.
  CHECK(times_caught_up(alice_events) >= 2);
  CHECK(times_caught_up(bob_events) >= 2);
  {
    INFO("alice's messages at bob");
    check_exactly_once_in_order(texts_from(bob_events, chat->id, alice_id),
                                acks_by_client_id(alice_events));
  }
  {
    INFO("bob's messages at alice");
    check_exactly_once_in_order(texts_from(alice_events, chat->id, bob_id),
                                acks_by_client_id(bob_events));
  }
  for (const auto* events : {&alice_events, &bob_events}) {
    auto all = messages_in(*events, chat->id);
    for (std::size_t i = 1; i < all.size(); ++i)
      CHECK(all[i - 1].seq < all[i].seq);
  }

  // Once the dust settles both sides hold one history, and each side's last receipts say the
  // other has every message.
  auto alice_history = read_full_history(*alice.client, chat->id);
  auto bob_history = read_full_history(*bob.client, chat->id);
  REQUIRE(alice_history.ok());
  REQUIRE(bob_history.ok());
  REQUIRE(alice_history->size() == 2 * kMessagesEachWay);
  REQUIRE(bob_history->size() == alice_history->size());
  for (std::size_t i = 0; i < alice_history->size(); ++i) {
    const auto& mine = (*alice_history)[i];
    const auto& theirs = (*bob_history)[i];
    CHECK(mine.seq == static_cast<Seq>(i + 1));
    CHECK(mine.id == theirs.id);
    CHECK(mine.text == theirs.text);
    CHECK(mine.sender_id == theirs.sender_id);
  }
  // A receipt tells of a member's acknowledgement; a sender's own messages need none.
  Seq last_from_alice = 0;
  Seq last_from_bob = 0;
  for (const auto& message : *alice_history)
    (message.sender_id == alice_id ? last_from_alice : last_from_bob) = message.seq;
  CHECK(delivered_heard(alice, chat->id, bob_id, last_from_alice) >= last_from_alice);
  CHECK(delivered_heard(bob, chat->id, alice_id, last_from_bob) >= last_from_bob);
  CHECK(delivered_stored(*alice.client, chat->id, bob_id) >= last_from_alice);
  CHECK(delivered_stored(*alice.client, chat->id, alice_id) >= last_from_bob);
  auto settled = read_full_history(*alice.client, chat->id);
  REQUIRE(settled.ok());
  for (const auto& message : *settled) {
    if (message.sender_id == alice_id) CHECK(message.status != MessageStatus::sent);
  }
}
