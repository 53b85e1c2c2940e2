// Several devices of one user and a second user, all writing and reading while the network cuts
// them off at random and the server crashes once: in the end every device holds the same.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <thread>

#include "fault/support/event_views.hpp"
#include "fault/support/fault_proxy.hpp"
#include "fault/support/full_history.hpp"
#include "fault/support/recorded_client.hpp"
#include "fault/support/retry_request.hpp"
#include "fault/support/server_process.hpp"

using namespace messenger;
using namespace messenger::test;

namespace {

constexpr int kRounds = 60;
constexpr int kCrashRound = kRounds / 2;
constexpr int kSeenEvery = 10;
constexpr auto kRoundPause = std::chrono::milliseconds(30);
constexpr auto kDowntime = std::chrono::milliseconds(300);
constexpr auto kLimit = std::chrono::seconds(60);

struct Device {
  std::string name;
  RecordedClient client;
};

Seq newest_seq(const RecordedClient& client, ChatId chat) {
  Seq newest = 0;
  for (const auto& message : messages_in(client.events(), chat))
    newest = std::max(newest, message.seq);
  return newest;
}

bool acknowledged_all(const RecordedClient& client, std::size_t count) {
  return client.record->wait_until(
      [count](const std::vector<ClientEvent>& events) {
        return acks_by_client_id(events).size() + refusals(events).size() >= count;
      },
      kLimit);
}

// Waits until the device has heard that `user` saw the message at `seq` (which comes after the
// message itself in the device's stream).
bool heard_seen(const RecordedClient& client, ChatId chat, UserId user, Seq seq) {
  return client.record->wait_until(
      [&](const std::vector<ClientEvent>& events) {
        return watermarks_of(events, chat, user).seen_seq >= seq;
      },
      kLimit);
}

bool same_cursor(const std::vector<Device*>& devices) {
  constexpr auto kPoll = std::chrono::milliseconds(50);
  auto deadline = std::chrono::steady_clock::now() + kLimit;
  while (std::chrono::steady_clock::now() < deadline) {
    auto first = devices.front()->client->cursor();
    bool same = true;
    for (auto* device : devices)
      same = same && device->client->cursor() == first;
    if (same) return true;
    std::this_thread::sleep_for(kPoll);
  }
  return false;
}

}  // namespace

TEST_CASE("three devices of one user and another user converge on one history and watermarks") {
  ServerProcess server;
  FaultProxy network(server.port());
  auto options = quick_reconnect_options(network.url());
  Device phone{"phone", register_recorded(options, "alice")};
  Device laptop{"laptop", login_recorded(options, "alice")};
  Device tablet{"tablet", login_recorded(options, "alice")};
  Device bob{"bob", register_recorded(options, "bob")};
  std::vector<Device*> devices{&phone, &laptop, &tablet, &bob};
  std::vector<Device*> alices{&phone, &laptop, &tablet};
  UserId alice_id = phone.client->user()->id;
  UserId bob_id = bob.client->user()->id;
  auto direct = phone.client->open_direct_chat(bob_id);
  auto group = laptop.client->create_group("trip", {bob_id});
  REQUIRE(direct.ok());
  REQUIRE(group.ok());
  std::vector<ChatId> chats{direct->id, group->id};

  network.start_random_cuts({.seed = 99,
                             .min_gap = std::chrono::milliseconds(150),
                             .max_gap = std::chrono::milliseconds(500)});
  for (int round = 0; round < kRounds; ++round) {
    for (std::size_t k = 0; k < devices.size(); ++k) {
      ChatId chat = chats[(round + k) % chats.size()];
      devices[k]->client->queue_message(chat, devices[k]->name + "-" + std::to_string(round));
    }
    if (round % kSeenEvery == kSeenEvery - 1) {
      ChatId chat = chats[round % chats.size()];
      Seq seq = newest_seq(tablet.client, chat);
      if (seq > 0) CHECK(retry_request([&] { return tablet.client->mark_seen(chat, seq); }).ok());
    }
    if (round == kCrashRound) {
      server.kill();
      std::this_thread::sleep_for(kDowntime);
      server.restart();
    }
    std::this_thread::sleep_for(kRoundPause);
  }
  for (auto* device : devices)
    REQUIRE(acknowledged_all(device->client, kRounds));
  network.stop_random_cuts();
  CHECK(network.cuts() > 0);

  // A last word from bob in each chat, seen from the laptop, marks the end on every device.
  std::vector<Seq> ends;
  std::vector<MessageId> bobs_ends;  // sent, not queued: only the reply tells bob's device
  for (ChatId chat : chats) {
    auto last = retry_request(
        [&] { return bob.client->send_message(chat, "end", "end-" + std::to_string(chat)); });
    REQUIRE(last.ok());
    REQUIRE(retry_request([&] { return laptop.client->mark_seen(chat, last->seq); }).ok());
    ends.push_back(last->seq);
    bobs_ends.push_back(last->message_id);
  }
  for (std::size_t c = 0; c < chats.size(); ++c) {
    for (auto* device : devices) {
      INFO(device->name, " in chat ", chats[c]);
      REQUIRE(heard_seen(device->client, chats[c], alice_id, ends[c]));
    }
  }
  CHECK(same_cursor(alices));

  for (std::size_t c = 0; c < chats.size(); ++c) {
    ChatId chat = chats[c];
    auto reference = read_full_history(*bob.client.client, chat);
    auto stored = bob.client->get_chat(chat);
    REQUIRE(reference.ok());
    REQUIRE(stored.ok());
    for (auto* device : devices) {
      INFO(device->name, " in chat ", chat);
      auto events = device->client.events();
      auto received = messages_in(events, chat);
      for (std::size_t i = 1; i < received.size(); ++i)
        CHECK(received[i - 1].seq < received[i].seq);
      auto held = held_message_ids(events, chat);
      if (device == &bob) held.insert(bobs_ends[c]);
      std::set<MessageId> expected;
      for (const auto& message : *reference)
        expected.insert(message.id);
      std::string missing;
      for (MessageId id : expected) {
        if (!held.count(id)) missing += " " + std::to_string(id);
      }
      std::string extra;
      for (MessageId id : held) {
        if (!expected.count(id)) extra += " " + std::to_string(id);
      }
      INFO("missing:", missing, "; not in history:", extra);
      CHECK(held == expected);
      auto history = read_full_history(*device->client.client, chat);
      REQUIRE(history.ok());
      REQUIRE(history->size() == reference->size());
      for (std::size_t i = 0; i < history->size(); ++i)
        CHECK((*history)[i].id == (*reference)[i].id);

      auto chat_now = device->client->get_chat(chat);
      REQUIRE(chat_now.ok());
      for (const auto& member : stored->members) {
        auto heard = watermarks_of(events, chat, member.user_id);
        if (device == &bob && member.user_id == bob_id) {
          // Sending "end" moved bob's own watermarks; his device knows it from the reply.
          heard.delivered_seq = std::max(heard.delivered_seq, ends[c]);
          heard.seen_seq = std::max(heard.seen_seq, ends[c]);
        }
        auto seen_by =
            std::find_if(chat_now->members.begin(), chat_now->members.end(),
                         [&](const ChatMember& other) { return other.user_id == member.user_id; });
        REQUIRE(seen_by != chat_now->members.end());
        CHECK(seen_by->delivered_seq == member.delivered_seq);
        CHECK(seen_by->seen_seq == member.seen_seq);
        CHECK(heard.delivered_seq == member.delivered_seq);
        CHECK(heard.seen_seq == member.seen_seq);
      }
    }
  }
}
