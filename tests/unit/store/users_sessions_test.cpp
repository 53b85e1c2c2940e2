#include <doctest/doctest.h>

#include "unit/store/store_fixture.hpp"

namespace messenger::testing {
namespace {

TEST_CASE_TEMPLATE("a created user can be read back by id and by name", Backend, SqliteBackend,
                   MemoryBackend) {
  StoreTest<Backend> t;
  User alice = t.add_user("alice");
  CHECK(alice.id > 0);
  CHECK(alice.name == "alice");
  CHECK(alice.created_at == kStart);

  auto by_id = t.reader->get_user(alice.id);
  REQUIRE(by_id.ok());
  CHECK(by_id->name == "alice");
  CHECK(by_id->created_at == kStart);
  auto by_name = t.reader->find_user_by_name("alice");
  REQUIRE(by_name.ok());
  CHECK(by_name->id == alice.id);
}

TEST_CASE_TEMPLATE("users get distinct ids", Backend, SqliteBackend, MemoryBackend) {
  StoreTest<Backend> t;
  User alice = t.add_user("alice");
  User bob = t.add_user("bob");
  CHECK(alice.id != bob.id);
  CHECK(t.reader->get_user(bob.id)->name == "bob");
}

TEST_CASE_TEMPLATE("a name already taken, in any letter case, is refused with name_taken", Backend,
                   SqliteBackend, MemoryBackend) {
  StoreTest<Backend> t;
  User alice = t.add_user("Alice");
  auto transaction = t.begin();
  for (const char* name : {"Alice", "alice", "ALICE"}) {
    auto again = transaction->create_user(name, "other-hash", t.now());
    REQUIRE_FALSE(again.ok());
    CHECK(again.code() == Errc::name_taken);
  }
  REQUIRE(transaction->commit().ok());

  auto credentials = t.reader->get_credentials("alice");
  REQUIRE(credentials.ok());
  CHECK(credentials->user.id == alice.id);
  CHECK(credentials->password_hash == "hash-Alice");
}

TEST_CASE_TEMPLATE("a user is found by name in any letter case and keeps the case it was given",
                   Backend, SqliteBackend, MemoryBackend) {
  StoreTest<Backend> t;
  User carol = t.add_user("CaRoL");
  for (const char* name : {"carol", "CAROL", "CaRoL"}) {
    auto found = t.reader->find_user_by_name(name);
    REQUIRE(found.ok());
    CHECK(found->id == carol.id);
    CHECK(found->name == "CaRoL");
  }
  CHECK(t.reader->find_user_by_name("caro").code() == Errc::not_found);
}

TEST_CASE_TEMPLATE("credentials hold the password hash given at creation", Backend, SqliteBackend,
                   MemoryBackend) {
  StoreTest<Backend> t;
  User dave = t.write([&](WriteTransaction& w) {
    return w.create_user("dave", "$argon2id$v=19$m=65536,t=2,p=1$salt$hash", t.now());
  });
  auto credentials = t.reader->get_credentials("DAVE");
  REQUIRE(credentials.ok());
  CHECK(credentials->user.id == dave.id);
  CHECK(credentials->user.name == "dave");
  CHECK(credentials->password_hash == "$argon2id$v=19$m=65536,t=2,p=1$salt$hash");
}

TEST_CASE_TEMPLATE("unknown users, names and credentials are not_found", Backend, SqliteBackend,
                   MemoryBackend) {
  StoreTest<Backend> t;
  t.add_user("alice");
  CHECK(t.reader->get_user(999).code() == Errc::not_found);
  CHECK(t.reader->find_user_by_name("bob").code() == Errc::not_found);
  CHECK(t.reader->get_credentials("bob").code() == Errc::not_found);
}

TEST_CASE_TEMPLATE("a session is found by its token hash until it is deleted", Backend,
                   SqliteBackend, MemoryBackend) {
  StoreTest<Backend> t;
  User alice = t.add_user("alice");
  SessionRecord session = t.write([&](WriteTransaction& w) {
    return w.create_session(alice.id, "token-hash-1", "laptop", t.now());
  });
  CHECK(session.user_id == alice.id);
  CHECK(session.device == "laptop");

  auto found = t.reader->find_session("token-hash-1");
  REQUIRE(found.ok());
  CHECK(found->id == session.id);
  CHECK(found->user_id == alice.id);
  CHECK(found->device == "laptop");
  CHECK(found->created_at == session.created_at);
  CHECK(t.reader->find_session("token-hash-2").code() == Errc::not_found);

  auto transaction = t.begin();
  REQUIRE(transaction->delete_session(session.id).ok());
  CHECK(transaction->delete_session(session.id).code() == Errc::not_found);
  REQUIRE(transaction->commit().ok());
  CHECK(t.reader->find_session("token-hash-1").code() == Errc::not_found);
}

TEST_CASE_TEMPLATE("a token hash of arbitrary bytes is matched exactly", Backend, SqliteBackend,
                   MemoryBackend) {
  StoreTest<Backend> t;
  User alice = t.add_user("alice");
  const std::string hash("\x00\xff\x10 binary\x00", 11);
  t.write([&](WriteTransaction& w) { return w.create_session(alice.id, hash, "", t.now()); });

  CHECK(t.reader->find_session(hash).ok());
  CHECK(t.reader->find_session(hash.substr(0, 10)).code() == Errc::not_found);
  CHECK(t.reader->find_session(std::string("\x00", 1)).code() == Errc::not_found);
}

TEST_CASE_TEMPLATE("deleting a user's sessions removes all of them and no one else's", Backend,
                   SqliteBackend, MemoryBackend) {
  StoreTest<Backend> t;
  User alice = t.add_user("alice");
  User bob = t.add_user("bob");
  std::vector<SessionId> alices;
  for (const char* token : {"a1", "a2", "a3"}) {
    alices.push_back(t.write([&](WriteTransaction& w) {
                        return w.create_session(alice.id, token, "phone", t.now());
                      }).id);
  }
  t.write([&](WriteTransaction& w) { return w.create_session(bob.id, "b1", "phone", t.now()); });

  auto removed = t.write([&](WriteTransaction& w) { return w.delete_sessions_of_user(alice.id); });
  CHECK(removed == alices);
  for (const char* token : {"a1", "a2", "a3"}) {
    CHECK(t.reader->find_session(token).code() == Errc::not_found);
  }
  CHECK(t.reader->find_session("b1").ok());
  auto none_left =
      t.write([&](WriteTransaction& w) { return w.delete_sessions_of_user(alice.id); });
  CHECK(none_left.empty());
}

TEST_CASE_TEMPLATE("deleting a user's sessions can keep one of them", Backend, SqliteBackend,
                   MemoryBackend) {
  StoreTest<Backend> t;
  User alice = t.add_user("alice");
  std::vector<SessionId> alices;
  for (const char* token : {"a1", "a2", "a3"}) {
    alices.push_back(t.write([&](WriteTransaction& w) {
                        return w.create_session(alice.id, token, "phone", t.now());
                      }).id);
  }

  auto removed =
      t.write([&](WriteTransaction& w) { return w.delete_sessions_of_user(alice.id, alices[1]); });
  CHECK(removed == std::vector<SessionId>{alices[0], alices[2]});
  CHECK(t.reader->find_session("a1").code() == Errc::not_found);
  CHECK(t.reader->find_session("a2").ok());
  CHECK(t.reader->find_session("a3").code() == Errc::not_found);
}

TEST_CASE_TEMPLATE("a new password hash replaces the old one in the credentials", Backend,
                   SqliteBackend, MemoryBackend) {
  StoreTest<Backend> t;
  User alice = t.add_user("alice");
  t.write([&](WriteTransaction& w) { return w.set_password_hash(alice.id, "new-hash"); });
  auto credentials = t.reader->get_credentials("alice");
  REQUIRE(credentials.ok());
  CHECK(credentials->password_hash == "new-hash");

  auto transaction = t.begin();
  CHECK(transaction->set_password_hash(alice.id + 100, "x").code() == Errc::not_found);
}

TEST_CASE_TEMPLATE("a renewed password hash is stored only over the hash it was made from", Backend,
                   SqliteBackend, MemoryBackend) {
  StoreTest<Backend> t;
  User alice = t.add_user("alice");

  CHECK(t.write([&](WriteTransaction& w) {
    return w.replace_password_hash(alice.id, "hash-alice", "renewed");
  }));
  CHECK(t.reader->get_credentials("alice")->password_hash == "renewed");

  // The password changed in between: the renewal of the old hash must not bring it back.
  t.write([&](WriteTransaction& w) { return w.set_password_hash(alice.id, "changed"); });
  CHECK_FALSE(t.write([&](WriteTransaction& w) {
    return w.replace_password_hash(alice.id, "renewed", "renewed again");
  }));
  CHECK(t.reader->get_credentials("alice")->password_hash == "changed");
  CHECK_FALSE(t.write(
      [&](WriteTransaction& w) { return w.replace_password_hash(alice.id + 100, "", ""); }));
}

TEST_CASE_TEMPLATE("a session for an unknown user is refused", Backend, SqliteBackend,
                   MemoryBackend) {
  StoreTest<Backend> t;
  auto transaction = t.begin();
  auto session = transaction->create_session(42, "token", "phone", t.now());
  CHECK(session.code() == Errc::not_found);
  REQUIRE(transaction->commit().ok());
  CHECK(t.reader->find_session("token").code() == Errc::not_found);
}

}  // namespace
}  // namespace messenger::testing
