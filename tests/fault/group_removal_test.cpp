// A group of fifty under a cutting network: the member removed mid-stream stops hearing at the
// removal, live and after catching up; everyone else hears everything.
#include <doctest/doctest.h>

#include <set>
#include <thread>

#include "fault/support/account_seed.hpp"
#include "fault/support/event_views.hpp"
#include "fault/support/fault_proxy.hpp"
#include "fault/support/full_history.hpp"
#include "fault/support/recorded_client.hpp"
#include "fault/support/server_process.hpp"

using namespace messenger;
using namespace messenger::test;

namespace {

constexpr int kMembers = 50;
constexpr int kRemoved = 7;  // index of the member removed; 0 is the owner, 1 the other speaker
constexpr int kMessagesEach = 30;
constexpr auto kPause = std::chrono::milliseconds(20);
constexpr auto kLimit = std::chrono::seconds(60);

bool has_seq(const RecordedClient& client, ChatId chat, Seq seq) {
  return client.record->wait_until(
      [&](const std::vector<ClientEvent>& events) {
        auto messages = messages_in(events, chat);
        return !messages.empty() && messages.back().seq >= seq;
      },
      kLimit);
}

}  // namespace

TEST_CASE("a member removed mid-stream hears nothing after the removal and the others all") {
  ServerProcess server({.start_now = false});
  std::vector<std::string> names;
  for (int i = 0; i < kMembers; ++i)
    names.push_back("member-" + std::to_string(i));
  auto sessions = seed_accounts(server.data_dir(), names);
  server.start();
  FaultProxy network(server.port());
  FaultProxy removed_network(server.port());

  // The owner talks to the server directly, so that the removal happens exactly once.
  std::vector<RecordedClient> members;
  for (int i = 0; i < kMembers; ++i) {
    std::string url = network.url();
    if (i == 0) url = server.url();
    if (i == kRemoved) url = removed_network.url();
    members.push_back(resume_recorded(quick_reconnect_options(url), sessions[i].token));
  }
  std::vector<UserId> invited;
  for (int i = 1; i < kMembers; ++i)
    invited.push_back(sessions[i].user.id);
  auto& owner = members[0];
  auto& speaker = members[1];
  auto& removed = members[kRemoved];
  UserId removed_id = sessions[kRemoved].user.id;
  auto group = owner->create_group("fifty", invited);
  REQUIRE(group.ok());
  REQUIRE(group->members.size() == kMembers);

  network.start_random_cuts({.seed = 5,
                             .min_gap = std::chrono::milliseconds(100),
                             .max_gap = std::chrono::milliseconds(400)});
  for (int i = 0; i < kMessagesEach; ++i) {
    owner->queue_message(group->id, "owner-" + std::to_string(i));
    speaker->queue_message(group->id, "speaker-" + std::to_string(i));
    if (i == kMessagesEach / 2) REQUIRE(owner->remove_member(group->id, removed_id).ok());
    std::this_thread::sleep_for(kPause);
  }
  for (auto* sender : {&owner, &speaker}) {
    REQUIRE(sender->record->wait_until(
        [](const std::vector<ClientEvent>& events) {
          return acks_by_client_id(events).size() + refusals(events).size() >= kMessagesEach;
        },
        kLimit));
  }
  network.stop_random_cuts();
  CHECK(network.cuts() > 0);

  auto history = read_full_history(*owner.client, group->id);
  REQUIRE(history.ok());
  Seq removal_seq = 0;
  for (const auto& message : *history) {
    if (message.kind == MessageKind::member_removed && message.subject_id == removed_id) {
      removal_seq = message.seq;
    }
  }
  REQUIRE(removal_seq > 0);
  Seq last_seq = history->back().seq;
  REQUIRE(last_seq > removal_seq);

  // Those who only listened received the whole history; the two speakers each other's words.
  for (int i = 2; i < kMembers; ++i) {
    if (i == kRemoved) continue;
    INFO("member ", i);
    REQUIRE(has_seq(members[i], group->id, last_seq));
    auto received = messages_in(members[i].events(), group->id);
    REQUIRE(received.size() == history->size());
    for (std::size_t m = 0; m < received.size(); ++m)
      CHECK(received[m].id == (*history)[m].id);
  }
  for (auto [listener, speaking] : {std::pair{&owner, &speaker}, std::pair{&speaker, &owner}}) {
    UserId speaker_id = (*speaking)->user()->id;
    REQUIRE((*listener).record->wait_until(
        [&](const std::vector<ClientEvent>& events) {
          return texts_from(events, group->id, speaker_id).size() >= kMessagesEach;
        },
        kLimit));
    auto heard = texts_from(listener->events(), group->id, speaker_id);
    CHECK(heard.size() == kMessagesEach);
    for (std::size_t m = 1; m < heard.size(); ++m)
      CHECK(heard[m - 1].seq < heard[m].seq);
  }

  // Cut off and back, the removed member catches up from its cursor: still nothing new.
  auto caught_up_before = times_caught_up(removed.events());
  removed_network.cut_all();
  REQUIRE(removed.wait_caught_up(caught_up_before + 1, kLimit));
  auto received = messages_in(removed.events(), group->id);
  REQUIRE_FALSE(received.empty());
  std::set<MessageId> distinct;
  std::size_t removals = 0;
  for (const auto& message : received) {
    CHECK(message.seq <= removal_seq);
    distinct.insert(message.id);
    removals += message.kind == MessageKind::member_removed && message.subject_id == removed_id;
  }
  CHECK(removals == 1);
  CHECK(distinct.size() == received.size());
  CHECK(received.back().seq == removal_seq);
}
