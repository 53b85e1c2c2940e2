// c08: removed members still receive. C is in G with an open connection; an admin removes C;
// A posts M and types in G; C tries to post in G and to read its history. C must get one
// "removed" event and nothing after it; C's post is refused and not stored; the history too.
#include <doctest/doctest.h>

#include <thread>

#include "fault/support/event_views.hpp"
#include "fault/support/full_history.hpp"
#include "fault/support/recorded_client.hpp"
#include "fault/support/server_process.hpp"

using namespace messenger;
using namespace messenger::test;

namespace {

constexpr auto kLimit = std::chrono::seconds(30);
// After bob, who stayed, has M and the typing event, what was sent to carol too would have
// reached her in this time on loopback.
constexpr auto kQuiet = std::chrono::milliseconds(500);

}  // namespace

TEST_CASE("case_c08_removed_members_still_receive") {
  ServerProcess server;
  auto alice = register_recorded(quick_reconnect_options(server.url()), "alice");
  auto bob = register_recorded(quick_reconnect_options(server.url()), "bob");
  auto carol = register_recorded(quick_reconnect_options(server.url()), "carol");
  UserId alice_id = alice->user()->id;
  UserId carol_id = carol->user()->id;
  auto group = alice->create_group("G", {bob->user()->id, carol_id});
  REQUIRE(group.ok());
  REQUIRE(carol.record->wait_until(
      [&](const std::vector<ClientEvent>& events) { return !all_of<ChatEvent>(events).empty(); },
      kLimit));

  auto removed = alice->remove_member(group->id, carol_id);
  REQUIRE(removed.ok());
  auto m = alice->send_message(group->id, "M");
  REQUIRE(m.ok());
  REQUIRE(alice->set_typing(group->id).ok());
  // Bob, who stayed, gets both (in either order: the typing may overtake M).
  REQUIRE(bob.record->wait_until(
      [&](const std::vector<ClientEvent>& events) {
        bool typed = false;
        for (const auto& typing : all_of<TypingEvent>(events))
          typed = typed || (typing.chat_id == group->id && typing.typing);
        return typed && !texts_from(events, group->id, alice_id).empty();
      },
      kLimit));
  std::this_thread::sleep_for(kQuiet);

  auto events = carol.events();
  std::size_t removals = 0;
  Seq removal_seq = 0;
  for (const auto& message : messages_in(events, group->id)) {
    if (message.kind == MessageKind::member_removed && message.subject_id == carol_id) {
      ++removals;
      removal_seq = message.seq;
    }
  }
  CHECK(removals == 1);
  for (const auto& message : messages_in(events, group->id))
    CHECK(message.seq <= removal_seq);
  for (const auto& typing : all_of<TypingEvent>(events))
    CHECK(typing.chat_id != group->id);

  auto post = carol->send_message(group->id, "C after removal");
  CHECK(post.code() == Errc::not_a_member);
  auto queued = carol->queue_message(group->id, "C queued after removal");
  REQUIRE(carol.record->wait_until(
      [&](const std::vector<ClientEvent>& all) {
        for (const auto& refused : refusals(all)) {
          if (refused.client_msg_id == queued) return true;
        }
        return false;
      },
      kLimit));
  for (const auto& refused : refusals(carol.events())) {
    if (refused.client_msg_id == queued) CHECK(refused.error->code == Errc::not_a_member);
  }
  CHECK(carol->history({.chat_id = group->id}).code() == Errc::not_a_member);
  HistoryQuery after_removal{.chat_id = group->id, .anchor = removal_seq};
  after_removal.direction = HistoryDirection::after;
  CHECK(carol->history(after_removal).code() == Errc::not_a_member);

  auto stored = read_full_history(*alice.client, group->id);
  REQUIRE(stored.ok());
  for (const auto& message : *stored)
    CHECK(message.sender_id != carol_id);
}
