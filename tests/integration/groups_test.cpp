// Group membership and renames over a real server: changes are records in the chat's order.
#include <doctest/doctest.h>

#include "integration/support/event_waiter.hpp"
#include "integration/support/test_server.hpp"

using namespace messenger;
using namespace messenger::test;

namespace {

std::optional<Message> wait_for_kind(Client& client, MessageKind kind) {
  auto event = wait_for_event(client, [kind](const ClientEvent& e) {
    auto* message = std::get_if<MessageEvent>(&e);
    return message && message->message.kind == kind;
  });
  if (!event) return std::nullopt;
  return std::get<MessageEvent>(*event).message;
}

bool has_member(const Chat& chat, UserId user) {
  for (const auto& member : chat.members) {
    if (member.user_id == user) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("an admin adds a member, who gets the chat and then its messages") {
  TestServer server;
  auto alice = server.registered_client("alice");
  auto bob = server.registered_client("bob");
  auto carol = server.registered_client("carol");
  auto group = alice->create_group("team", {bob->user()->id});
  REQUIRE(group.ok());

  auto added = alice->add_members(group->id, {carol->user()->id});
  REQUIRE(added.ok());
  CHECK(has_member(*added, carol->user()->id));

  auto chat_event = wait_for_event(*carol, [&](const ClientEvent& e) {
    auto* chat = std::get_if<ChatEvent>(&e);
    return chat && chat->chat.id == group->id;
  });
  CHECK(chat_event);
  auto record = wait_for_kind(*bob, MessageKind::member_added);
  REQUIRE(record);
  CHECK(record->subject_id == carol->user()->id);
  CHECK(record->sender_id == alice->user()->id);

  REQUIRE(alice->send_message(group->id, "welcome carol").ok());
  auto at_carol = wait_for_event(*carol, [](const ClientEvent& e) {
    auto* message = std::get_if<MessageEvent>(&e);
    return message && message->message.kind == MessageKind::text;
  });
  REQUIRE(at_carol);
  CHECK(std::get<MessageEvent>(*at_carol).message.text == "welcome carol");
}

TEST_CASE("a member who is not an admin cannot add, remove or rename") {
  TestServer server;
  auto alice = server.registered_client("alice");
  auto bob = server.registered_client("bob");
  auto carol = server.registered_client("carol");
  auto group = alice->create_group("team", {bob->user()->id, carol->user()->id});
  REQUIRE(group.ok());

  CHECK(bob->add_members(group->id, {carol->user()->id}).code() == Errc::forbidden);
  CHECK(bob->remove_member(group->id, carol->user()->id).code() == Errc::forbidden);
  CHECK(bob->rename_chat(group->id, "mine now").code() == Errc::forbidden);
}

TEST_CASE("a removed member gets the removal and nothing after it") {
  TestServer server;
  auto alice = server.registered_client("alice");
  auto bob = server.registered_client("bob");
  auto carol = server.registered_client("carol");
  auto group = alice->create_group("team", {bob->user()->id, carol->user()->id});
  REQUIRE(group.ok());

  REQUIRE(alice->remove_member(group->id, carol->user()->id).ok());
  auto removal = wait_for_kind(*carol, MessageKind::member_removed);
  REQUIRE(removal);
  CHECK(removal->subject_id == carol->user()->id);

  REQUIRE(alice->send_message(group->id, "carol is gone").ok());
  REQUIRE(wait_for_kind(*bob, MessageKind::text));
  CHECK_FALSE(wait_for_kind(*carol, MessageKind::text));
  CHECK(carol->send_message(group->id, "let me back").code() == Errc::not_a_member);
  CHECK(carol->history({.chat_id = group->id}).code() == Errc::not_a_member);
  auto chats = carol->list_chats();
  REQUIRE(chats.ok());
  CHECK(chats->empty());
}

TEST_CASE("leaving a group and renaming it are records in the chat's order") {
  TestServer server;
  auto alice = server.registered_client("alice");
  auto bob = server.registered_client("bob");
  auto group = alice->create_group("team", {bob->user()->id});
  REQUIRE(group.ok());

  auto renamed = alice->rename_chat(group->id, "new name");
  REQUIRE(renamed.ok());
  CHECK(renamed->title == "new name");
  REQUIRE(bob->leave_chat(group->id).ok());

  HistoryQuery query{.chat_id = group->id};
  query.direction = HistoryDirection::after;
  query.order = HistoryOrder::oldest_first;
  auto history = alice->history(query);
  REQUIRE(history.ok());
  REQUIRE(history->size() == 2);
  CHECK((*history)[0].kind == MessageKind::chat_renamed);
  CHECK((*history)[0].text == "new name");
  CHECK((*history)[1].kind == MessageKind::member_left);
  CHECK((*history)[1].sender_id == bob->user()->id);
  CHECK((*history)[0].seq + 1 == (*history)[1].seq);

  auto chat = alice->get_chat(group->id);
  REQUIRE(chat.ok());
  CHECK_FALSE(has_member(*chat, bob->user()->id));
}

TEST_CASE("direct chats have no membership changes") {
  TestServer server;
  auto alice = server.registered_client("alice");
  auto bob = server.registered_client("bob");
  auto carol = server.registered_client("carol");
  auto chat = alice->open_direct_chat(bob->user()->id);
  REQUIRE(chat.ok());
  CHECK(alice->add_members(chat->id, {carol->user()->id}).code() == Errc::forbidden);
  CHECK(alice->leave_chat(chat->id).code() == Errc::forbidden);
}
