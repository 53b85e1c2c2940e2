#include <doctest/doctest.h>

#include <limits>

#include "unit/store/store_fixture.hpp"

namespace messenger::testing {
namespace {

// A chat with messages 1..10.
template <typename Backend>
struct TenMessages : StoreTest<Backend> {
  TenMessages() {
    User alice = this->add_user("alice");
    User bob = this->add_user("bob");
    chat = this->direct(alice.id, bob.id);
    this->send_many(chat.id, alice.id, 5, "a");
    this->send_many(chat.id, bob.id, 5, "b");
  }

  std::vector<Seq> page(std::optional<Seq> anchor, HistoryDirection direction, HistoryOrder order,
                        std::size_t limit) {
    auto messages = this->reader->history(HistoryQuery{.chat_id = chat.id,
                                                       .anchor = anchor,
                                                       .direction = direction,
                                                       .order = order,
                                                       .limit = limit});
    REQUIRE(messages.ok());
    return seqs_of(*messages);
  }

  Chat chat;
};

HistoryQuery newest_of(ChatId chat, std::size_t limit = 50) {
  HistoryQuery query;
  query.chat_id = chat;
  query.limit = limit;
  return query;
}

using enum HistoryDirection;
using enum HistoryOrder;
using Seqs = std::vector<Seq>;

TEST_CASE_TEMPLATE("history before an anchor gives the messages just before it", Backend,
                   SqliteBackend, MemoryBackend) {
  TenMessages<Backend> t;
  CHECK(t.page(7, before, newest_first, 3) == Seqs{6, 5, 4});
  CHECK(t.page(7, before, oldest_first, 3) == Seqs{4, 5, 6});
  CHECK(t.page(3, before, newest_first, 5) == Seqs{2, 1});
  CHECK(t.page(1, before, newest_first, 5).empty());
}

TEST_CASE_TEMPLATE("history after an anchor gives the messages just after it", Backend,
                   SqliteBackend, MemoryBackend) {
  TenMessages<Backend> t;
  CHECK(t.page(7, after, oldest_first, 2) == Seqs{8, 9});
  CHECK(t.page(7, after, newest_first, 2) == Seqs{9, 8});
  CHECK(t.page(8, after, oldest_first, 5) == Seqs{9, 10});
  CHECK(t.page(10, after, oldest_first, 5).empty());
}

TEST_CASE_TEMPLATE("history without an anchor starts from the newest or the oldest end", Backend,
                   SqliteBackend, MemoryBackend) {
  TenMessages<Backend> t;
  CHECK(t.page(std::nullopt, before, newest_first, 3) == Seqs{10, 9, 8});
  CHECK(t.page(std::nullopt, before, oldest_first, 3) == Seqs{8, 9, 10});
  CHECK(t.page(std::nullopt, after, oldest_first, 3) == Seqs{1, 2, 3});
  CHECK(t.page(std::nullopt, after, newest_first, 3) == Seqs{3, 2, 1});
  CHECK(t.page(std::nullopt, after, oldest_first, 50).size() == 10);
}

TEST_CASE_TEMPLATE("history anchors beyond either end are cut to the chat", Backend, SqliteBackend,
                   MemoryBackend) {
  TenMessages<Backend> t;
  CHECK(t.page(100, before, newest_first, 2) == Seqs{10, 9});
  CHECK(t.page(-5, after, oldest_first, 2) == Seqs{1, 2});
  CHECK(t.page(0, after, oldest_first, 2) == Seqs{1, 2});
  CHECK(t.page(0, before, newest_first, 2).empty());
  constexpr Seq kMax = std::numeric_limits<Seq>::max();
  constexpr Seq kMin = std::numeric_limits<Seq>::min();
  CHECK(t.page(kMax, before, newest_first, 1) == Seqs{10});
  CHECK(t.page(kMax, after, oldest_first, 1).empty());
  CHECK(t.page(kMin, after, oldest_first, 1) == Seqs{1});
  CHECK(t.page(kMin, before, newest_first, 1).empty());
  CHECK(t.page(3, after, oldest_first, std::numeric_limits<std::size_t>::max()).size() == 7);
}

TEST_CASE_TEMPLATE("a history page of limit zero is empty", Backend, SqliteBackend, MemoryBackend) {
  TenMessages<Backend> t;
  CHECK(t.page(std::nullopt, before, newest_first, 0).empty());
  CHECK(t.page(3, after, oldest_first, 0).empty());
}

TEST_CASE_TEMPLATE("history of a chat with no messages, or of no chat, is empty", Backend,
                   SqliteBackend, MemoryBackend) {
  TenMessages<Backend> t;
  User carol = t.add_user("carol");
  Chat empty = t.direct(carol.id, carol.id);
  auto none = t.reader->history(newest_of(empty.id));
  REQUIRE(none.ok());
  CHECK(none->empty());
  auto unknown = t.reader->history(newest_of(999));
  REQUIRE(unknown.ok());
  CHECK(unknown->empty());
}

TEST_CASE_TEMPLATE("history returns whole messages of the asked chat only", Backend, SqliteBackend,
                   MemoryBackend) {
  TenMessages<Backend> t;
  User carol = t.add_user("carol");
  Chat other = t.direct(carol.id, carol.id);
  t.send(other.id, carol.id, "c-1", "elsewhere");

  auto messages = t.reader->history(newest_of(t.chat.id, 1));
  REQUIRE(messages.ok());
  REQUIRE(messages->size() == 1);
  const Message& newest = messages->front();
  CHECK(newest.seq == 10);
  CHECK(newest.chat_id == t.chat.id);
  CHECK(newest.client_msg_id == "b-4");
  CHECK(newest.text == "text");
  CHECK(newest.status == MessageStatus::sent);
}

}  // namespace
}  // namespace messenger::testing
