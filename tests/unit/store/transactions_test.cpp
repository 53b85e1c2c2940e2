#include <doctest/doctest.h>

#include <thread>

#include "unit/store/store_fixture.hpp"

namespace messenger::testing {
namespace {

TEST_CASE_TEMPLATE("a failed operation leaves the rest of its transaction intact", Backend,
                   SqliteBackend, MemoryBackend) {
  StoreTest<Backend> t;
  User alice = t.add_user("alice");
  User bob = t.add_user("bob");
  Chat chat = t.direct(alice.id, bob.id);

  auto transaction = t.begin();
  REQUIRE(transaction->create_user("carol", "h", t.now()).ok());
  REQUIRE(transaction->append_message({chat.id, alice.id, "a-1", "one", t.now()}).ok());
  CHECK(transaction->create_user("ALICE", "h", t.now()).code() == Errc::name_taken);
  CHECK(transaction->append_message({chat.id, 999, "z", "no", t.now()}).code() ==
        Errc::not_a_member);
  std::vector<UserId> unknown{404};
  CHECK(transaction->create_group_chat(alice.id, "g", unknown, t.now()).code() == Errc::not_found);
  REQUIRE(transaction->append_message({chat.id, bob.id, "b-1", "two", t.now()}).ok());
  REQUIRE(transaction->advance_watermarks(chat.id, alice.id, 2, 2).ok());
  REQUIRE(transaction->commit().ok());

  CHECK(t.reader->find_user_by_name("carol").ok());
  Chat read = *t.reader->get_chat(chat.id);
  CHECK(read.last_seq == 2);
  CHECK(member_of(read, alice.id)->seen_seq == 2);
  CHECK(t.chats_of(alice.id).size() == 1);
}

TEST_CASE_TEMPLATE("a transaction dropped without commit leaves nothing behind", Backend,
                   SqliteBackend, MemoryBackend) {
  StoreTest<Backend> t;
  User alice = t.add_user("alice");
  User bob = t.add_user("bob");
  Chat chat = t.direct(alice.id, bob.id);
  t.send(chat.id, alice.id, "a-1");
  {
    auto transaction = t.begin();
    REQUIRE(transaction->create_user("carol", "h", t.now()).ok());
    REQUIRE(transaction->append_message({chat.id, bob.id, "b-1", "lost", t.now()}).ok());
    REQUIRE(transaction->advance_watermarks(chat.id, bob.id, 2, 2).ok());
    REQUIRE(transaction->create_session(alice.id, "tok", "d", t.now()).ok());
    REQUIRE(transaction->open_direct_chat(alice.id, alice.id, t.now()).ok());
  }

  CHECK(t.reader->find_user_by_name("carol").code() == Errc::not_found);
  CHECK(t.reader->find_session("tok").code() == Errc::not_found);
  Chat read = *t.reader->get_chat(chat.id);
  CHECK(read.last_seq == 1);
  CHECK(member_of(read, bob.id)->seen_seq == 0);
  CHECK(t.chats_of(alice.id).size() == 1);

  // The store goes on as if the dropped transaction never was.
  CHECK(t.send(chat.id, bob.id, "b-1", "kept").seq == 2);
  CHECK(t.add_user("carol").name == "carol");
}

TEST_CASE_TEMPLATE("only one write transaction is open at a time", Backend, SqliteBackend,
                   MemoryBackend) {
  StoreTest<Backend> t;
  {
    auto first = t.begin();
    auto second = t.store->begin_write();
    CHECK(second.code() == Errc::internal);
  }
  auto after = t.store->begin_write();
  CHECK(after.ok());
}

TEST_CASE_TEMPLATE("a committed transaction refuses further operations", Backend, SqliteBackend,
                   MemoryBackend) {
  StoreTest<Backend> t;
  auto transaction = t.begin();
  REQUIRE(transaction->create_user("alice", "h", t.now()).ok());
  REQUIRE(transaction->commit().ok());
  CHECK_FALSE(transaction->create_user("bob", "h", t.now()).ok());
  CHECK_FALSE(transaction->commit().ok());
  transaction.reset();
  CHECK(t.reader->find_user_by_name("alice").ok());
  CHECK(t.reader->find_user_by_name("bob").code() == Errc::not_found);
}

TEST_CASE_TEMPLATE("a reader on another thread sees what is committed, not what is still open",
                   Backend, SqliteBackend, MemoryBackend) {
  StoreTest<Backend> t;
  User alice = t.add_user("alice");
  Chat chat = t.direct(alice.id, alice.id);
  t.send(chat.id, alice.id, "committed");

  auto transaction = t.begin();
  REQUIRE(transaction->create_user("bob", "h", t.now()).ok());
  REQUIRE(transaction->append_message({chat.id, alice.id, "open", "x", t.now()}).ok());

  auto read_from_another_thread = [&] {
    Result<User> alice_seen = Error{};
    Result<User> bob_seen = Error{};
    Result<Chat> chat_seen = Error{};
    std::thread reader_thread([&] {
      auto reader = t.store->open_reader();
      if (!reader.ok()) return;
      alice_seen = (*reader)->get_user(alice.id);
      bob_seen = (*reader)->find_user_by_name("bob");
      chat_seen = (*reader)->get_chat(chat.id);
    });
    reader_thread.join();
    CHECK(alice_seen.ok());
    REQUIRE(chat_seen.ok());
    return std::pair{bob_seen.ok(), chat_seen->last_seq};
  };
  CHECK(read_from_another_thread() == std::pair{false, Seq{1}});

  REQUIRE(transaction->commit().ok());
  CHECK(read_from_another_thread() == std::pair{true, Seq{2}});
}

}  // namespace
}  // namespace messenger::testing
