#include <doctest/doctest.h>

#include <algorithm>

#include "unit/store/store_fixture.hpp"

namespace messenger::testing {
namespace {

std::vector<ChatId> ids_of(const std::vector<ChatSummary>& summaries) {
  std::vector<ChatId> ids;
  for (const ChatSummary& summary : summaries) {
    ids.push_back(summary.chat.id);
  }
  return ids;
}

TEST_CASE_TEMPLATE("a user with no chats has an empty chat list", Backend, SqliteBackend,
                   MemoryBackend) {
  StoreTest<Backend> t;
  User alice = t.add_user("alice");
  CHECK(t.chats_of(alice.id).empty());
  CHECK(t.chats_of(999).empty());
}

TEST_CASE_TEMPLATE("chats are listed by newest activity, then newest chat", Backend, SqliteBackend,
                   MemoryBackend) {
  StoreTest<Backend> t;
  User alice = t.add_user("alice");
  User bob = t.add_user("bob");
  User carol = t.add_user("carol");
  Chat with_bob = t.direct(alice.id, bob.id);
  Chat with_carol = t.direct(alice.id, carol.id);
  Chat group = t.group(bob.id, {alice.id, carol.id});
  CHECK(ids_of(t.chats_of(alice.id)) == std::vector{group.id, with_carol.id, with_bob.id});

  t.send(with_bob.id, bob.id, "1");
  CHECK(ids_of(t.chats_of(alice.id)) == std::vector{with_bob.id, group.id, with_carol.id});
  t.send(with_carol.id, alice.id, "2");
  CHECK(ids_of(t.chats_of(alice.id)) == std::vector{with_carol.id, with_bob.id, group.id});
  CHECK(ids_of(t.chats_of(bob.id)) == std::vector{with_bob.id, group.id});
}

TEST_CASE_TEMPLATE("chats with the same last activity are listed newest chat first", Backend,
                   SqliteBackend, MemoryBackend) {
  StoreTest<Backend> t;
  User alice = t.add_user("alice");
  User bob = t.add_user("bob");
  std::vector<UserId> members{bob.id};
  auto [first, second] = t.write([&](WriteTransaction& w) -> Result<std::pair<Chat, Chat>> {
    auto a = w.create_group_chat(alice.id, "a", members, 100);
    auto b = w.create_group_chat(alice.id, "b", members, 100);
    if (!a || !b) return Error{Errc::internal, "create_group_chat failed"};
    return std::pair{a->chat, b->chat};
  });
  CHECK(ids_of(t.chats_of(alice.id)) == std::vector{second.id, first.id});
}

TEST_CASE_TEMPLATE("unread counts messages from others above the user's seen watermark", Backend,
                   SqliteBackend, MemoryBackend) {
  StoreTest<Backend> t;
  User alice = t.add_user("alice");
  User bob = t.add_user("bob");
  User carol = t.add_user("carol");
  Chat group = t.group(alice.id, {bob.id, carol.id});
  t.send_many(group.id, bob.id, 3, "b");
  t.send_many(group.id, carol.id, 2, "c");
  CHECK(t.chats_of(alice.id)[0].unread == 5);
  CHECK(t.chats_of(bob.id)[0].unread == 2);

  t.advance(group.id, alice.id, 5, 4);
  CHECK(t.chats_of(alice.id)[0].unread == 1);
  t.send(group.id, alice.id, "a-1");
  CHECK(t.chats_of(alice.id)[0].unread == 0);
  // Sending moved carol's seen watermark to her last message (5); bob's stayed at 3.
  CHECK(t.chats_of(carol.id)[0].unread == 1);
  CHECK(t.chats_of(bob.id)[0].unread == 3);
}

TEST_CASE_TEMPLATE("the chat list shows the last message and every member's watermarks", Backend,
                   SqliteBackend, MemoryBackend) {
  StoreTest<Backend> t;
  User alice = t.add_user("alice");
  User bob = t.add_user("bob");
  Chat with_bob = t.direct(alice.id, bob.id);
  Chat notes = t.direct(alice.id, alice.id);
  t.send(with_bob.id, alice.id, "a-1", "first");
  Message last = t.send(with_bob.id, bob.id, "b-1", "second");
  t.advance(with_bob.id, alice.id, 2, 1);

  std::vector<ChatSummary> chats = t.chats_of(alice.id);
  REQUIRE(chats.size() == 2);
  const ChatSummary& summary = chats[0];
  CHECK(summary.chat.id == with_bob.id);
  CHECK(summary.chat.kind == ChatKind::direct);
  CHECK(summary.chat.last_seq == 2);
  CHECK(summary.chat.created_at == with_bob.created_at);
  REQUIRE(summary.last_message.has_value());
  CHECK(summary.last_message->id == last.id);
  CHECK(summary.last_message->text == "second");
  CHECK(summary.last_message->sender_id == bob.id);
  CHECK(summary.unread == 1);
  REQUIRE(summary.chat.members.size() == 2);
  CHECK(summary.chat.members[0].user_id == alice.id);
  CHECK(summary.chat.members[0].name == "alice");
  CHECK(summary.chat.members[0].delivered_seq == 2);
  CHECK(summary.chat.members[0].seen_seq == 1);
  CHECK(summary.chat.members[1].user_id == bob.id);
  CHECK(summary.chat.members[1].seen_seq == 2);

  CHECK(chats[1].chat.id == notes.id);
  CHECK_FALSE(chats[1].last_message.has_value());
  CHECK(chats[1].unread == 0);
  CHECK(chats[1].chat.members.size() == 1);
}

TEST_CASE_TEMPLATE("a long chat list keeps each chat's members apart", Backend, SqliteBackend,
                   MemoryBackend) {
  StoreTest<Backend> t;
  User alice = t.add_user("alice");
  constexpr int kFriends = 30;
  std::vector<UserId> friends;
  for (int i = 0; i < kFriends; ++i) {
    friends.push_back(t.add_user("friend" + std::to_string(i)).id);
    Chat chat = t.direct(alice.id, friends.back());
    t.send_many(chat.id, friends.back(), i % 4, "f" + std::to_string(i));
  }

  std::vector<ChatSummary> chats = t.chats_of(alice.id);
  REQUIRE(chats.size() == kFriends);
  for (const ChatSummary& summary : chats) {
    REQUIRE(summary.chat.members.size() == 2);
    UserId other = summary.chat.members[1].user_id;
    auto index = std::find(friends.begin(), friends.end(), other) - friends.begin();
    CHECK(summary.unread == index % 4);
    CHECK(summary.chat.last_seq == index % 4);
  }
}

}  // namespace
}  // namespace messenger::testing
