// c03: a resume without a cursor loses state. C joins G, has received nothing yet, and goes
// silent; A posts M in G. Coming back with no cursor must mean "from the start of my
// membership", never "nothing missed".
#include <doctest/doctest.h>

#include "fault/support/event_views.hpp"
#include "fault/support/fault_proxy.hpp"
#include "fault/support/recorded_client.hpp"
#include "fault/support/server_process.hpp"

using namespace messenger;
using namespace messenger::test;

namespace {

constexpr auto kLimit = std::chrono::seconds(30);

bool has_chat(const std::vector<ClientEvent>& events, ChatId chat) {
  for (const auto& event : all_of<ChatEvent>(events)) {
    if (event.chat.id == chat) return true;
  }
  return false;
}

// The client learnt of the group and got M in it.
void check_caught_up(const RecordedClient& carol, ChatId group, MessageId m) {
  REQUIRE(carol.record->wait_until(
      [&](const std::vector<ClientEvent>& events) {
        for (const auto& message : messages_in(events, group)) {
          if (message.id == m) return true;
        }
        return false;
      },
      kLimit));
  auto events = carol.events();
  CHECK(has_chat(events, group));
  std::size_t copies = 0;
  for (const auto& message : messages_in(events, group))
    copies += message.id == m;
  CHECK(copies == 1);
  auto chat = carol->get_chat(group);
  REQUIRE(chat.ok());
  bool member = false;
  for (const auto& each : chat->members)
    member = member || each.user_id == carol->user()->id;
  CHECK(member);
}

}  // namespace

TEST_CASE("case_c03_resume_without_cursor") {
  ServerProcess server;
  FaultProxy carols_network(server.port());
  auto alice = register_recorded(quick_reconnect_options(server.url()), "alice");
  auto bob = register_recorded(quick_reconnect_options(server.url()), "bob");
  auto carol = register_recorded(quick_reconnect_options(carols_network.url()), "carol");
  REQUIRE(carol.wait_caught_up());
  auto group = alice->create_group("G", {bob->user()->id});
  REQUIRE(group.ok());

  // Carol's connection goes silent; she joins G and M is posted, none of which reaches her.
  carols_network.stall();
  REQUIRE(alice->add_members(group->id, {carol->user()->id}).ok());
  auto m = alice->send_message(group->id, "M");
  REQUIRE(m.ok());
  CHECK_FALSE(has_chat(carol.events(), group->id));

  SUBCASE("a new client with no cursor resumes the session") {
    auto fresh = resume_recorded(quick_reconnect_options(server.url()), carol.token);
    check_caught_up(fresh, group->id, m->message_id);
  }
  SUBCASE("the same client reconnects with the cursor it had before joining") {
    carols_network.cut_all();
    carols_network.resume();
    check_caught_up(carol, group->id, m->message_id);
  }
}
