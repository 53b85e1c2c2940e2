#include <doctest/doctest.h>

#include "server/message_status.hpp"

using namespace messenger;

namespace {

Chat chat_of(std::vector<ChatMember> members) {
  Chat chat;
  chat.id = 1;
  chat.members = std::move(members);
  return chat;
}

Message message_from(UserId sender, Seq seq) {
  Message message;
  message.sender_id = sender;
  message.seq = seq;
  return message;
}

}  // namespace

TEST_CASE("the sender sees the lowest watermark of the other members") {
  auto chat = chat_of({{1, "a", MemberRole::owner, 9, 9},
                       {2, "b", MemberRole::member, 5, 3},
                       {3, "c", MemberRole::member, 7, 7}});
  CHECK(status_for(chat, 1, message_from(1, 3)) == MessageStatus::seen);
  CHECK(status_for(chat, 1, message_from(1, 4)) == MessageStatus::delivered);
  CHECK(status_for(chat, 1, message_from(1, 5)) == MessageStatus::delivered);
  CHECK(status_for(chat, 1, message_from(1, 6)) == MessageStatus::sent);
}

TEST_CASE("a receiver sees their own watermarks") {
  auto chat = chat_of({{1, "a", MemberRole::member, 9, 9}, {2, "b", MemberRole::member, 5, 3}});
  CHECK(status_for(chat, 2, message_from(1, 2)) == MessageStatus::seen);
  CHECK(status_for(chat, 2, message_from(1, 4)) == MessageStatus::delivered);
  CHECK(status_for(chat, 2, message_from(1, 6)) == MessageStatus::sent);
}

TEST_CASE("a message in a chat with oneself counts as seen") {
  auto chat = chat_of({{1, "a", MemberRole::owner, 4, 4}});
  CHECK(status_for(chat, 1, message_from(1, 4)) == MessageStatus::seen);
}
