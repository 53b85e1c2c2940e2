#include <doctest/doctest.h>

#include "unit/store/store_fixture.hpp"

namespace messenger::testing {
namespace {

TEST_CASE_TEMPLATE("opening a direct chat twice gives the same chat, whoever opens it", Backend,
                   SqliteBackend, MemoryBackend) {
  StoreTest<Backend> t;
  User alice = t.add_user("alice");
  User bob = t.add_user("bob");

  auto first =
      t.write([&](WriteTransaction& w) { return w.open_direct_chat(alice.id, bob.id, 5); });
  CHECK(first.created);
  CHECK(first.chat.kind == ChatKind::direct);
  CHECK(first.chat.title.empty());
  CHECK(first.chat.created_at == 5);
  CHECK(first.chat.last_seq == 0);
  REQUIRE(first.chat.members.size() == 2);
  CHECK(first.chat.members[0].user_id == alice.id);
  CHECK(first.chat.members[0].name == "alice");
  CHECK(first.chat.members[0].role == MemberRole::member);
  CHECK(first.chat.members[1].user_id == bob.id);
  CHECK(first.chat.members[1].name == "bob");

  for (auto [a, b] : {std::pair{alice.id, bob.id}, std::pair{bob.id, alice.id}}) {
    auto again = t.write([&](WriteTransaction& w) { return w.open_direct_chat(a, b, 9); });
    CHECK_FALSE(again.created);
    CHECK(again.chat.id == first.chat.id);
    CHECK(again.chat.created_at == 5);
    CHECK(again.chat.members.size() == 2);
  }
  CHECK(t.chats_of(alice.id).size() == 1);
}

TEST_CASE_TEMPLATE("direct chats of different pairs are different chats", Backend, SqliteBackend,
                   MemoryBackend) {
  StoreTest<Backend> t;
  User alice = t.add_user("alice");
  User bob = t.add_user("bob");
  User carol = t.add_user("carol");
  Chat ab = t.direct(alice.id, bob.id);
  Chat ac = t.direct(alice.id, carol.id);
  Chat bc = t.direct(bob.id, carol.id);
  CHECK(ab.id != ac.id);
  CHECK(ab.id != bc.id);
  CHECK(ac.id != bc.id);
  CHECK(t.chats_of(alice.id).size() == 2);
}

TEST_CASE_TEMPLATE("a direct chat with oneself has one member", Backend, SqliteBackend,
                   MemoryBackend) {
  StoreTest<Backend> t;
  User alice = t.add_user("alice");
  Chat notes = t.direct(alice.id, alice.id);
  REQUIRE(notes.members.size() == 1);
  CHECK(notes.members[0].user_id == alice.id);
  CHECK(t.direct(alice.id, alice.id).id == notes.id);

  auto read = t.reader->get_chat(notes.id);
  REQUIRE(read.ok());
  CHECK(read->members.size() == 1);
}

TEST_CASE_TEMPLATE("a direct chat with an unknown user is not_found and creates nothing", Backend,
                   SqliteBackend, MemoryBackend) {
  StoreTest<Backend> t;
  User alice = t.add_user("alice");
  auto transaction = t.begin();
  CHECK(transaction->open_direct_chat(alice.id, 77, t.now()).code() == Errc::not_found);
  CHECK(transaction->open_direct_chat(77, alice.id, t.now()).code() == Errc::not_found);
  REQUIRE(transaction->commit().ok());
  CHECK(t.chats_of(alice.id).empty());
}

TEST_CASE_TEMPLATE("a group has its creator as owner and every other member once", Backend,
                   SqliteBackend, MemoryBackend) {
  StoreTest<Backend> t;
  User alice = t.add_user("alice");
  User bob = t.add_user("bob");
  User carol = t.add_user("carol");

  Chat group = t.group(bob.id, {carol.id, alice.id, carol.id, bob.id}, "Weekend");
  CHECK(group.kind == ChatKind::group);
  CHECK(group.title == "Weekend");
  CHECK(group.last_seq == 0);
  REQUIRE(group.members.size() == 3);
  CHECK(group.members[0].user_id == alice.id);
  CHECK(group.members[0].role == MemberRole::member);
  CHECK(group.members[1].user_id == bob.id);
  CHECK(group.members[1].role == MemberRole::owner);
  CHECK(group.members[2].user_id == carol.id);
  CHECK(group.members[2].name == "carol");

  auto read = t.reader->get_chat(group.id);
  REQUIRE(read.ok());
  CHECK(read->title == "Weekend");
  CHECK(read->kind == ChatKind::group);
  CHECK(read->created_at == group.created_at);
  REQUIRE(read->members.size() == 3);
  CHECK(read->members[1].role == MemberRole::owner);
  CHECK(read->members[1].name == "bob");
}

TEST_CASE_TEMPLATE("groups are never merged, even with the same members and title", Backend,
                   SqliteBackend, MemoryBackend) {
  StoreTest<Backend> t;
  User alice = t.add_user("alice");
  User bob = t.add_user("bob");
  Chat first = t.group(alice.id, {bob.id}, "same");
  Chat second = t.group(alice.id, {bob.id}, "same");
  CHECK(first.id != second.id);
  CHECK(t.chats_of(bob.id).size() == 2);
}

TEST_CASE_TEMPLATE("a group with an unknown member is not_found and creates nothing", Backend,
                   SqliteBackend, MemoryBackend) {
  StoreTest<Backend> t;
  User alice = t.add_user("alice");
  User bob = t.add_user("bob");
  std::vector<UserId> members{bob.id, 404};
  auto transaction = t.begin();
  auto group = transaction->create_group_chat(alice.id, "g", members, t.now());
  CHECK(group.code() == Errc::not_found);
  REQUIRE(transaction->commit().ok());
  CHECK(t.chats_of(alice.id).empty());
  CHECK(t.chats_of(bob.id).empty());
}

TEST_CASE_TEMPLATE("an unknown chat is not_found", Backend, SqliteBackend, MemoryBackend) {
  StoreTest<Backend> t;
  CHECK(t.reader->get_chat(12345).code() == Errc::not_found);
}

}  // namespace
}  // namespace messenger::testing
