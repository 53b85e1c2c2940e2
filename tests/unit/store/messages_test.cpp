#include <doctest/doctest.h>

#include "unit/store/store_fixture.hpp"

namespace messenger::testing {
namespace {

std::vector<Message> whole_history(StoreReader& reader, ChatId chat) {
  auto page = reader.history(HistoryQuery{.chat_id = chat,
                                          .anchor = std::nullopt,
                                          .direction = HistoryDirection::after,
                                          .order = HistoryOrder::oldest_first,
                                          .limit = 1000});
  REQUIRE(page.ok());
  return std::move(*page);
}

TEST_CASE_TEMPLATE("appended messages get seqs 1, 2, 3 without gaps", Backend, SqliteBackend,
                   MemoryBackend) {
  StoreTest<Backend> t;
  User alice = t.add_user("alice");
  User bob = t.add_user("bob");
  Chat chat = t.direct(alice.id, bob.id);

  Message first = t.send(chat.id, alice.id, "a-1", "hi");
  Message second = t.send(chat.id, bob.id, "b-1", "hello");
  Message third = t.send(chat.id, alice.id, "a-2", "how are you?");
  CHECK(first.seq == 1);
  CHECK(second.seq == 2);
  CHECK(third.seq == 3);
  CHECK(first.id != second.id);
  CHECK(second.id != third.id);
  CHECK(third.chat_id == chat.id);
  CHECK(third.sender_id == alice.id);
  CHECK(third.client_msg_id == "a-2");
  CHECK(third.text == "how are you?");
  CHECK(third.status == MessageStatus::sent);

  CHECK(t.reader->get_chat(chat.id)->last_seq == 3);
  std::vector<Message> stored = whole_history(*t.reader, chat.id);
  CHECK(seqs_of(stored) == std::vector<Seq>{1, 2, 3});
  CHECK(stored[1].text == "hello");
  CHECK(stored[1].id == second.id);
  CHECK(stored[1].created_at == second.created_at);
}

TEST_CASE_TEMPLATE("each chat counts its own seqs", Backend, SqliteBackend, MemoryBackend) {
  StoreTest<Backend> t;
  User alice = t.add_user("alice");
  User bob = t.add_user("bob");
  Chat direct = t.direct(alice.id, bob.id);
  Chat group = t.group(alice.id, {bob.id});
  t.send(direct.id, alice.id, "1");
  t.send(direct.id, alice.id, "2");
  CHECK(t.send(group.id, alice.id, "3").seq == 1);
  CHECK(t.send(direct.id, bob.id, "4").seq == 3);
}

TEST_CASE_TEMPLATE("sending moves the sender's own watermarks to the new message", Backend,
                   SqliteBackend, MemoryBackend) {
  StoreTest<Backend> t;
  User alice = t.add_user("alice");
  User bob = t.add_user("bob");
  Chat chat = t.direct(alice.id, bob.id);
  t.send(chat.id, alice.id, "a-1");
  t.send(chat.id, bob.id, "b-1");

  auto read = t.reader->get_chat(chat.id);
  REQUIRE(read.ok());
  const ChatMember* a = member_of(*read, alice.id);
  const ChatMember* b = member_of(*read, bob.id);
  REQUIRE(a);
  REQUIRE(b);
  CHECK(a->delivered_seq == 1);
  CHECK(a->seen_seq == 1);
  CHECK(b->delivered_seq == 2);
  CHECK(b->seen_seq == 2);
}

TEST_CASE_TEMPLATE("a repeated client_msg_id returns the first message and stores nothing", Backend,
                   SqliteBackend, MemoryBackend) {
  StoreTest<Backend> t;
  User alice = t.add_user("alice");
  User bob = t.add_user("bob");
  Chat chat = t.direct(alice.id, bob.id);
  Message first = t.send(chat.id, alice.id, "x-1", "original");

  for (const char* text : {"original", "edited body"}) {
    NewMessage retry{chat.id, alice.id, "x-1", text, t.now()};
    auto again = t.write([&](WriteTransaction& w) { return w.append_message(retry); });
    CHECK(again.duplicate);
    CHECK(again.message.id == first.id);
    CHECK(again.message.seq == first.seq);
    CHECK(again.message.text == "original");
    CHECK(again.message.created_at == first.created_at);
    CHECK(again.message.client_msg_id == "x-1");
  }

  auto transaction = t.begin();
  NewMessage inside{chat.id, bob.id, "y-1", "in one transaction", t.now()};
  auto stored = transaction->append_message(inside);
  auto repeated = transaction->append_message(inside);
  REQUIRE(stored.ok());
  REQUIRE(repeated.ok());
  CHECK_FALSE(stored->duplicate);
  CHECK(repeated->duplicate);
  CHECK(repeated->message.id == stored->message.id);
  REQUIRE(transaction->commit().ok());

  CHECK(seqs_of(whole_history(*t.reader, chat.id)) == std::vector<Seq>{1, 2});
  CHECK(t.reader->get_chat(chat.id)->last_seq == 2);
}

TEST_CASE_TEMPLATE("the same client_msg_id in another chat is a separate message", Backend,
                   SqliteBackend, MemoryBackend) {
  StoreTest<Backend> t;
  User alice = t.add_user("alice");
  User bob = t.add_user("bob");
  Chat direct = t.direct(alice.id, bob.id);
  Chat group = t.group(alice.id, {bob.id});

  Message in_direct = t.send(direct.id, alice.id, "same-id", "one");
  NewMessage other{group.id, alice.id, "same-id", "two", t.now()};
  auto in_group = t.write([&](WriteTransaction& w) { return w.append_message(other); });
  CHECK_FALSE(in_group.duplicate);
  CHECK(in_group.message.id != in_direct.id);
  CHECK(in_group.message.chat_id == group.id);
  CHECK(in_group.message.text == "two");
  CHECK(whole_history(*t.reader, group.id).size() == 1);
  CHECK(whole_history(*t.reader, direct.id).size() == 1);
}

TEST_CASE_TEMPLATE("the same client_msg_id from another sender is a separate message", Backend,
                   SqliteBackend, MemoryBackend) {
  StoreTest<Backend> t;
  User alice = t.add_user("alice");
  User bob = t.add_user("bob");
  Chat chat = t.direct(alice.id, bob.id);
  Message from_alice = t.send(chat.id, alice.id, "1");
  Message from_bob = t.send(chat.id, bob.id, "1");
  CHECK(from_bob.id != from_alice.id);
  CHECK(from_bob.seq == 2);
}

TEST_CASE_TEMPLATE("messages without a client_msg_id are never taken for repeats", Backend,
                   SqliteBackend, MemoryBackend) {
  StoreTest<Backend> t;
  User alice = t.add_user("alice");
  Chat chat = t.direct(alice.id, alice.id);
  Message first = t.send(chat.id, alice.id, "", "one");
  Message second = t.send(chat.id, alice.id, "", "two");
  CHECK(second.id != first.id);
  CHECK(second.seq == 2);
  std::vector<Message> stored = whole_history(*t.reader, chat.id);
  REQUIRE(stored.size() == 2);
  CHECK(stored[0].client_msg_id.empty());
  CHECK(stored[1].text == "two");
}

TEST_CASE_TEMPLATE("a non-member cannot send to a chat and nothing is stored", Backend,
                   SqliteBackend, MemoryBackend) {
  StoreTest<Backend> t;
  User alice = t.add_user("alice");
  User bob = t.add_user("bob");
  User mallory = t.add_user("mallory");
  Chat chat = t.direct(alice.id, bob.id);

  auto transaction = t.begin();
  auto refused = transaction->append_message({chat.id, mallory.id, "m-1", "let me in", t.now()});
  CHECK(refused.code() == Errc::not_a_member);
  auto unknown = transaction->append_message({999, alice.id, "a-1", "where?", t.now()});
  CHECK(unknown.code() == Errc::not_found);
  REQUIRE(transaction->commit().ok());

  CHECK(whole_history(*t.reader, chat.id).empty());
  CHECK(t.reader->get_chat(chat.id)->last_seq == 0);
  CHECK(t.chats_of(mallory.id).empty());
}

}  // namespace
}  // namespace messenger::testing
