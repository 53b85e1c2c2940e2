#include <doctest/doctest.h>

#include "unit/store/store_fixture.hpp"

namespace messenger::testing {
namespace {

// Alice sends five messages to Bob, whose watermarks start at 0.
template <typename Backend>
struct FiveMessages : StoreTest<Backend> {
  FiveMessages() {
    alice = this->add_user("alice");
    bob = this->add_user("bob");
    chat = this->direct(alice.id, bob.id);
    this->send_many(chat.id, alice.id, 5);
  }

  User alice;
  User bob;
  Chat chat;
};

TEST_CASE_TEMPLATE("watermarks only move forward", Backend, SqliteBackend, MemoryBackend) {
  FiveMessages<Backend> t;
  ChatMember member = t.advance(t.chat.id, t.bob.id, 4, 3);
  CHECK(member.delivered_seq == 4);
  CHECK(member.seen_seq == 3);

  auto back =
      t.write([&](WriteTransaction& w) { return w.advance_watermarks(t.chat.id, t.bob.id, 2, 1); });
  CHECK_FALSE(back.moved);
  CHECK(back.member.delivered_seq == 4);
  CHECK(back.member.seen_seq == 3);

  Chat read = *t.reader->get_chat(t.chat.id);
  CHECK(member_of(read, t.bob.id)->delivered_seq == 4);
  CHECK(member_of(read, t.bob.id)->seen_seq == 3);
}

TEST_CASE_TEMPLATE("watermarks stop at the chat's last message", Backend, SqliteBackend,
                   MemoryBackend) {
  FiveMessages<Backend> t;
  ChatMember member = t.advance(t.chat.id, t.bob.id, 100, 50);
  CHECK(member.delivered_seq == 5);
  CHECK(member.seen_seq == 5);
  CHECK(member.user_id == t.bob.id);
  CHECK(member.name == "bob");
}

TEST_CASE_TEMPLATE("seen moves delivered up with it", Backend, SqliteBackend, MemoryBackend) {
  FiveMessages<Backend> t;
  ChatMember member = t.advance(t.chat.id, t.bob.id, std::nullopt, 3);
  CHECK(member.delivered_seq == 3);
  CHECK(member.seen_seq == 3);

  member = t.advance(t.chat.id, t.bob.id, 4, std::nullopt);
  CHECK(member.delivered_seq == 4);
  CHECK(member.seen_seq == 3);
}

TEST_CASE_TEMPLATE("asking for watermarks already reached reports no move", Backend, SqliteBackend,
                   MemoryBackend) {
  FiveMessages<Backend> t;
  auto first =
      t.write([&](WriteTransaction& w) { return w.advance_watermarks(t.chat.id, t.bob.id, 2, 2); });
  CHECK(first.moved);
  auto same =
      t.write([&](WriteTransaction& w) { return w.advance_watermarks(t.chat.id, t.bob.id, 2, 2); });
  CHECK_FALSE(same.moved);
  auto nothing = t.write([&](WriteTransaction& w) {
    return w.advance_watermarks(t.chat.id, t.bob.id, std::nullopt, std::nullopt);
  });
  CHECK_FALSE(nothing.moved);
  CHECK(nothing.member.seen_seq == 2);
}

TEST_CASE_TEMPLATE("a non-member has no watermarks to move", Backend, SqliteBackend,
                   MemoryBackend) {
  FiveMessages<Backend> t;
  User carol = t.add_user("carol");
  auto transaction = t.begin();
  CHECK(transaction->advance_watermarks(t.chat.id, carol.id, 1, 1).code() == Errc::not_a_member);
  CHECK(transaction->advance_watermarks(999, t.bob.id, 1, 1).code() == Errc::not_a_member);
  REQUIRE(transaction->commit().ok());
}

}  // namespace
}  // namespace messenger::testing
