// The outbox across a restart of the host program: messages queued while offline, and messages
// whose acknowledgements were lost, are each stored once when a new program takes over.
#include <doctest/doctest.h>

#include <set>

#include "fault/support/event_views.hpp"
#include "fault/support/fault_proxy.hpp"
#include "fault/support/full_history.hpp"
#include "fault/support/recorded_client.hpp"
#include "fault/support/server_process.hpp"
#include "integration/support/temp_dir.hpp"

using namespace messenger;
using namespace messenger::test;

namespace {

constexpr int kSentBeforeTheCut = 3;
constexpr int kQueuedOffline = 3;
constexpr int kQueued = kSentBeforeTheCut + kQueuedOffline;
constexpr auto kLimit = std::chrono::seconds(30);

bool has_texts_from(const RecordedClient& client, ChatId chat, UserId sender, std::size_t count) {
  return client.record->wait_until(
      [&](const std::vector<ClientEvent>& events) {
        return texts_from(events, chat, sender).size() >= count;
      },
      kLimit);
}

}  // namespace

TEST_CASE("messages queued offline are stored once each after the program restarts") {
  ServerProcess server;
  FaultProxy network(server.port());
  TempDir client_dir;
  auto alice_options = quick_reconnect_options(network.url());
  alice_options.data_file = (client_dir.path() / "alice.db").string();
  auto bob = register_recorded(quick_reconnect_options(server.url()), "bob");
  UserId bob_id = bob->user()->id;
  UserId alice_id = 0;
  ChatId chat = 0;
  std::vector<std::string> queued;

  {
    auto alice = register_recorded(alice_options, "alice");
    alice_id = alice->user()->id;
    auto opened = alice->open_direct_chat(bob_id);
    REQUIRE(opened.ok());
    chat = opened->id;

    // The first message reaches the server, but its acknowledgement is lost on the way back
    // (the outbox sends the next ones only after that answer).
    network.stall(StallDirection::to_client);
    for (int i = 0; i < kSentBeforeTheCut; ++i)
      queued.push_back(alice->queue_message(chat, "m" + std::to_string(i)));
    REQUIRE(has_texts_from(bob, chat, alice_id, 1));

    // Then the network goes away altogether, and more are queued offline.
    network.set_reachable(false);
    network.cut_all();
    network.resume();
    for (int i = kSentBeforeTheCut; i < kQueued; ++i)
      queued.push_back(alice->queue_message(chat, "m" + std::to_string(i)));
    CHECK(alice->outbox_size() == kQueued);
    CHECK(acks_by_client_id(alice.events()).empty());
  }  // the program ends with every message unanswered
  network.set_reachable(true);

  Client again(alice_options);
  EventRecord record(again);
  CHECK(again.outbox_size() == kQueued);
  REQUIRE(again.connect().ok());
  REQUIRE(again.user().has_value());
  CHECK(again.user()->id == alice_id);
  REQUIRE(record.wait_until(
      [](const std::vector<ClientEvent>& events) {
        return acks_by_client_id(events).size() + refusals(events).size() >= kQueued;
      },
      kLimit));

  auto acks = acks_by_client_id(record.events());
  CHECK(refusals(record.events()).empty());
  CHECK(again.outbox_size() == 0);
  for (const auto& id : queued)
    CHECK(acks.count(id) == 1);
  auto history = read_full_history(again, chat);
  REQUIRE(history.ok());
  REQUIRE(history->size() == kQueued);
  for (int i = 0; i < kQueued; ++i) {
    CHECK((*history)[i].text == "m" + std::to_string(i));
    CHECK((*history)[i].client_msg_id == queued[i]);
    CHECK(acks[queued[i]].message_id == (*history)[i].id);
  }

  // A last message marks the end of the stream: bob got each message once before it.
  REQUIRE(again.send_message(chat, "end").ok());
  REQUIRE(has_texts_from(bob, chat, alice_id, kQueued + 1));
  auto received = texts_from(bob.events(), chat, alice_id);
  REQUIRE(received.size() == kQueued + 1);
  std::set<MessageId> distinct;
  for (const auto& message : received)
    distinct.insert(message.id);
  CHECK(distinct.size() == received.size());
  CHECK(received.back().text == "end");
}
