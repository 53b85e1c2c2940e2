#include <doctest/doctest.h>

#include <algorithm>

#include "unit/store/store_fixture.hpp"

namespace messenger::testing {
namespace {

template <typename Backend>
struct Three : StoreTest<Backend> {
  Three() {
    alice = this->add_user("alice");
    bob = this->add_user("bob");
    carol = this->add_user("carol");
  }

  DirectChatResult open_direct(UserId a, UserId b) {
    return this->write([&](WriteTransaction& w) { return w.open_direct_chat(a, b, this->now()); });
  }

  ChatChange create_group(UserId creator, std::vector<UserId> members) {
    return this->write([&](WriteTransaction& w) {
      return w.create_group_chat(creator, "group", members, this->now());
    });
  }

  User alice;
  User bob;
  User carol;
};

TEST_CASE_TEMPLATE("a member's stream holds the updates of their chats in cursor order", Backend,
                   SqliteBackend, MemoryBackend) {
  Three<Backend> t;
  DirectChatResult ab = t.open_direct(t.alice.id, t.bob.id);
  ChatChange group = t.create_group(t.alice.id, {t.bob.id});
  AppendResult hi = t.append(ab.chat.id, t.alice.id, "a-1", "hi");
  AppendResult in_group = t.append(group.chat.id, t.bob.id, "b-1");
  WatermarkResult seen = t.receipt(ab.chat.id, t.bob.id, 1, 1);
  DirectChatResult bc = t.open_direct(t.bob.id, t.carol.id);
  AppendResult to_carol = t.append(bc.chat.id, t.carol.id, "c-1");

  std::vector<Update> alice = t.stream(t.alice.id);
  CHECK(cursors_of(alice) ==
        std::vector{ab.cursor, group.added_cursors[0], hi.cursor, in_group.cursor, seen.cursor});
  CHECK(cursors_of(t.stream(t.bob.id)) == std::vector{ab.cursor, group.added_cursors[1], hi.cursor,
                                                      in_group.cursor, seen.cursor, bc.cursor,
                                                      to_carol.cursor});
  CHECK(cursors_of(t.stream(t.carol.id)) == std::vector{bc.cursor, to_carol.cursor});

  REQUIRE(alice.size() == 5);
  CHECK(alice[0].kind == UpdateKind::chat);
  CHECK(alice[0].chat_id == ab.chat.id);
  CHECK(alice[0].chat.id == ab.chat.id);
  CHECK(alice[0].chat.members.size() == 2);
  CHECK(alice[2].kind == UpdateKind::message);
  CHECK(alice[2].chat_id == ab.chat.id);
  CHECK(alice[2].message.id == hi.message.id);
  CHECK(alice[2].message.text == "hi");
  CHECK(alice[2].message.kind == MessageKind::text);
  CHECK(alice[4].kind == UpdateKind::receipt);
  CHECK(alice[4].chat_id == ab.chat.id);
  CHECK(alice[4].member.user_id == t.bob.id);
  CHECK(alice[4].member.name == "bob");
  CHECK(alice[4].member.delivered_seq == 1);
  CHECK(alice[4].member.seen_seq == 1);
}

TEST_CASE_TEMPLATE("a message's update is the message id, and tells the chat's members", Backend,
                   SqliteBackend, MemoryBackend) {
  Three<Backend> t;
  ChatChange group = t.create_group(t.bob.id, {t.carol.id, t.alice.id});
  AppendResult first = t.append(group.chat.id, t.carol.id, "c-1");
  AppendResult second = t.append(group.chat.id, t.alice.id, "a-1");
  CHECK(first.cursor == first.message.id);
  CHECK(second.cursor == second.message.id);
  CHECK(second.cursor > first.cursor);
  CHECK(first.cursor > group.added_cursors[0]);
  CHECK(first.members == std::vector{t.alice.id, t.bob.id, t.carol.id});
  CHECK(second.members == first.members);
}

TEST_CASE_TEMPLATE("a new chat is one update that tells each of its members", Backend,
                   SqliteBackend, MemoryBackend) {
  Three<Backend> t;
  DirectChatResult ab = t.open_direct(t.alice.id, t.bob.id);
  CHECK(ab.created);
  CHECK(ab.cursor > 0);
  DirectChatResult again = t.open_direct(t.bob.id, t.alice.id);
  CHECK_FALSE(again.created);
  CHECK(again.cursor == 0);

  ChatChange group = t.create_group(t.bob.id, {t.carol.id, t.alice.id, t.carol.id});
  CHECK(group.added == std::vector{t.alice.id, t.bob.id, t.carol.id});
  CHECK(group.added_cursors == std::vector(3, group.added_cursors[0]));
  CHECK(group.added_cursors[0] > ab.cursor);
  CHECK(group.notify == group.added);
  CHECK(group.messages.empty());

  CHECK(cursors_of(t.stream(t.alice.id)) == std::vector{ab.cursor, group.added_cursors[0]});
  std::vector<Update> carol = t.stream(t.carol.id);
  REQUIRE(carol.size() == 1);
  CHECK(carol[0].kind == UpdateKind::chat);
  CHECK(carol[0].chat.title == "group");
  CHECK(carol[0].chat.kind == ChatKind::group);
}

TEST_CASE_TEMPLATE("a removed member's stream ends with their removal", Backend, SqliteBackend,
                   MemoryBackend) {
  Three<Backend> t;
  ChatChange group = t.create_group(t.alice.id, {t.bob.id, t.carol.id});
  ChatId chat = group.chat.id;
  AppendResult before = t.append(chat, t.bob.id, "b-1");
  ChatChange removed = t.remove(chat, t.alice.id, t.carol.id);
  Cursor removal = removed.messages.at(0).id;
  AppendResult after = t.append(chat, t.bob.id, "b-2");
  WatermarkResult receipt = t.receipt(chat, t.alice.id, 3, 3);

  std::vector<Update> carol = t.stream(t.carol.id);
  CHECK(cursors_of(carol) == std::vector{group.added_cursors[0], before.cursor, removal});
  CHECK(carol.back().message.kind == MessageKind::member_removed);
  CHECK(carol.back().message.subject_id == t.carol.id);
  CHECK(cursors_of(t.stream(t.bob.id)) ==
        std::vector{group.added_cursors[0], before.cursor, removal, after.cursor, receipt.cursor});

  UpdatePage rest = t.page(t.carol.id, removal, 10);
  CHECK(rest.updates.empty());
  CHECK_FALSE(rest.more);
  CHECK(rest.cursor == receipt.cursor);
}

TEST_CASE_TEMPLATE("a re-added member reads their new membership and not the gap", Backend,
                   SqliteBackend, MemoryBackend) {
  Three<Backend> t;
  ChatChange group = t.create_group(t.alice.id, {t.bob.id, t.carol.id});
  ChatId chat = group.chat.id;
  Cursor removal = t.remove(chat, t.alice.id, t.carol.id).messages.at(0).id;
  t.append(chat, t.bob.id, "b-gap");
  t.receipt(chat, t.bob.id, 2, 2);
  ChatChange added = t.add(chat, t.alice.id, {t.carol.id});
  AppendResult after = t.append(chat, t.bob.id, "b-after");

  Cursor record = added.messages.at(0).id;
  Cursor chat_update = added.added_cursors.at(0);
  std::vector<Update> carol = t.stream(t.carol.id);
  CHECK(cursors_of(carol) ==
        std::vector{group.added_cursors[0], removal, record, chat_update, after.cursor});
  CHECK(cursors_of(t.stream(t.carol.id, removal)) ==
        std::vector{record, chat_update, after.cursor});

  REQUIRE(carol.size() == 5);
  CHECK(carol[2].message.kind == MessageKind::member_added);
  CHECK(carol[3].kind == UpdateKind::chat);
  CHECK(member_of(carol[3].chat, t.carol.id) != nullptr);
  CHECK(t.chats_of(t.carol.id).at(0).unread == 2);
}

TEST_CASE_TEMPLATE("those added to a group get a chat update and read the records of joining",
                   Backend, SqliteBackend, MemoryBackend) {
  Three<Backend> t;
  User dave = t.add_user("dave");
  ChatChange group = t.create_group(t.alice.id, {t.bob.id});
  ChatChange added = t.add(group.chat.id, t.alice.id, {dave.id, t.carol.id});
  REQUIRE(added.messages.size() == 2);
  REQUIRE(added.added_cursors.size() == 2);
  Cursor about_carol = added.messages[0].id;
  Cursor about_dave = added.messages[1].id;

  CHECK(cursors_of(t.stream(t.carol.id)) ==
        std::vector{about_carol, about_dave, added.added_cursors[0]});
  CHECK(cursors_of(t.stream(dave.id)) ==
        std::vector{about_carol, about_dave, added.added_cursors[1]});
  CHECK(cursors_of(t.stream(t.bob.id)) ==
        std::vector{group.added_cursors[0], about_carol, about_dave});

  std::vector<Update> dave_stream = t.stream(dave.id);
  CHECK(dave_stream.back().chat.id == group.chat.id);
  CHECK(dave_stream.back().chat.members.size() == 4);
}

TEST_CASE_TEMPLATE("a receipt is an update with the watermarks after the move", Backend,
                   SqliteBackend, MemoryBackend) {
  Three<Backend> t;
  DirectChatResult ab = t.open_direct(t.alice.id, t.bob.id);
  t.send_many(ab.chat.id, t.alice.id, 3);
  WatermarkResult moved = t.receipt(ab.chat.id, t.bob.id, 3, 2);
  CHECK(moved.moved);
  CHECK(moved.cursor > 0);
  CHECK(moved.members == std::vector{t.alice.id, t.bob.id});

  WatermarkResult still = t.receipt(ab.chat.id, t.bob.id, 1, 1);
  CHECK_FALSE(still.moved);
  CHECK(still.cursor == 0);
  CHECK(still.members == std::vector{t.alice.id, t.bob.id});

  std::vector<Update> alice = t.stream(t.alice.id);
  REQUIRE(alice.size() == 5);
  const Update& receipt = alice.back();
  CHECK(receipt.cursor == moved.cursor);
  CHECK(receipt.kind == UpdateKind::receipt);
  CHECK(receipt.member.user_id == t.bob.id);
  CHECK(receipt.member.role == MemberRole::member);
  CHECK(receipt.member.delivered_seq == 3);
  CHECK(receipt.member.seen_seq == 2);
}

TEST_CASE_TEMPLATE("a duplicate message adds no update", Backend, SqliteBackend, MemoryBackend) {
  Three<Backend> t;
  DirectChatResult ab = t.open_direct(t.alice.id, t.bob.id);
  AppendResult first = t.append(ab.chat.id, t.alice.id, "a-1", "once");
  AppendResult again = t.append(ab.chat.id, t.alice.id, "a-1", "twice");
  CHECK(again.duplicate);
  CHECK(again.cursor == first.cursor);
  CHECK(again.members == std::vector{t.alice.id, t.bob.id});
  AppendResult next = t.append(ab.chat.id, t.bob.id, "b-1");

  std::vector<Update> bob = t.stream(t.bob.id);
  CHECK(cursors_of(bob) == std::vector{ab.cursor, first.cursor, next.cursor});
  CHECK(bob[1].message.text == "once");
}

TEST_CASE_TEMPLATE("failed and dropped writes add no updates", Backend, SqliteBackend,
                   MemoryBackend) {
  Three<Backend> t;
  DirectChatResult ab = t.open_direct(t.alice.id, t.bob.id);
  ChatChange group = t.create_group(t.alice.id, {t.bob.id});
  {
    auto transaction = t.begin();
    std::vector<UserId> unknown{t.carol.id, 404};
    CHECK_FALSE(transaction->add_members(group.chat.id, t.alice.id, unknown, 1).ok());
    CHECK_FALSE(transaction->append_message({ab.chat.id, t.carol.id, "c", "x", 1}).ok());
    CHECK_FALSE(transaction->rename_chat(group.chat.id, t.bob.id, "x", 1).ok());
    REQUIRE(transaction->commit().ok());
  }
  {
    auto transaction = t.begin();
    REQUIRE(transaction->append_message({ab.chat.id, t.alice.id, "lost", "x", 1}).ok());
    REQUIRE(transaction->leave_chat(group.chat.id, t.bob.id, 1).ok());
  }

  UpdatePage page = t.page(t.bob.id, 0, 100);
  CHECK(cursors_of(page.updates) == std::vector{ab.cursor, group.added_cursors[0]});
  CHECK(page.cursor == group.added_cursors[0]);
  AppendResult kept = t.append(ab.chat.id, t.alice.id, "kept");
  CHECK(cursors_of(t.stream(t.bob.id, page.cursor)) == std::vector{kept.cursor});
}

// Alice is in three chats whose updates interleave.
template <typename Backend>
struct Interleaved : Three<Backend> {
  Interleaved() {
    ChatId ab = this->open_direct(this->alice.id, this->bob.id).chat.id;
    ChatId ac = this->open_direct(this->alice.id, this->carol.id).chat.id;
    ChatId group = this->create_group(this->bob.id, {this->alice.id, this->carol.id}).chat.id;
    for (int i = 0; i < 8; ++i) {
      std::string n = std::to_string(i);
      this->append(ab, this->bob.id, "ab-" + n);
      if (i % 2 == 0) this->append(ac, this->carol.id, "ac-" + n);
      if (i % 3 == 0) this->append(group, this->carol.id, "g-" + n);
      if (i % 4 == 1) this->receipt(ab, this->alice.id, i, std::nullopt);
    }
    whole = this->page(this->alice.id, 0, 1000);
  }

  UpdatePage whole;
};

TEST_CASE_TEMPLATE("pages follow each other without gaps or repeats", Backend, SqliteBackend,
                   MemoryBackend) {
  Interleaved<Backend> t;
  REQUIRE_FALSE(t.whole.more);
  const std::vector<Cursor> expected = cursors_of(t.whole.updates);
  REQUIRE(expected.size() == 3 + 8 + 4 + 3 + 2);
  CHECK(std::is_sorted(expected.begin(), expected.end()));

  for (std::size_t limit :
       {std::size_t{1}, std::size_t{2}, std::size_t{3}, std::size_t{7}, expected.size() - 1}) {
    CAPTURE(limit);
    std::vector<Cursor> read;
    Cursor after = 0;
    UpdatePage page;
    for (std::size_t pages = 0; pages <= expected.size(); ++pages) {
      page = t.page(t.alice.id, after, limit);
      std::vector<Cursor> got = cursors_of(page.updates);
      read.insert(read.end(), got.begin(), got.end());
      if (!page.more) break;
      CHECK(page.updates.size() == limit);
      CHECK(page.cursor == got.back());
      after = page.cursor;
    }
    CHECK_FALSE(page.more);
    CHECK(page.cursor == t.whole.cursor);
    CHECK(read == expected);
  }
}

TEST_CASE_TEMPLATE("a page that takes the last update says there is no more", Backend,
                   SqliteBackend, MemoryBackend) {
  Interleaved<Backend> t;
  std::size_t all = t.whole.updates.size();
  UpdatePage exact = t.page(t.alice.id, 0, all);
  CHECK(exact.updates.size() == all);
  CHECK_FALSE(exact.more);
  CHECK(exact.cursor == t.whole.cursor);

  UpdatePage none = t.page(t.alice.id, 0, 0);
  CHECK(none.updates.empty());
  CHECK(none.more);
  CHECK(none.cursor == 0);
}

TEST_CASE_TEMPLATE("with nothing left a page ends at the store's newest position", Backend,
                   SqliteBackend, MemoryBackend) {
  Three<Backend> t;
  ChatId ab = t.open_direct(t.alice.id, t.bob.id).chat.id;
  AppendResult mine = t.append(ab, t.bob.id, "b-1");
  ChatId bc = t.open_direct(t.bob.id, t.carol.id).chat.id;
  t.send_many(bc, t.carol.id, 3);
  WatermarkResult newest = t.receipt(bc, t.bob.id, 3, 3);

  UpdatePage first = t.page(t.alice.id, 0, 100);
  CHECK(cursors_of(first.updates).back() == mine.cursor);
  CHECK_FALSE(first.more);
  CHECK(first.cursor == newest.cursor);

  UpdatePage quiet = t.page(t.alice.id, first.cursor, 100);
  CHECK(quiet.updates.empty());
  CHECK_FALSE(quiet.more);
  CHECK(quiet.cursor == newest.cursor);

  AppendResult later = t.append(ab, t.bob.id, "b-2");
  CHECK(cursors_of(t.page(t.alice.id, quiet.cursor, 100).updates) == std::vector{later.cursor});
}

TEST_CASE_TEMPLATE("a cursor the stream never reached is cursor_expired", Backend, SqliteBackend,
                   MemoryBackend) {
  Three<Backend> t;
  UpdatePage empty = t.page(t.alice.id, 0, 10);
  CHECK(empty.updates.empty());
  CHECK(empty.cursor == 0);
  CHECK(t.reader->updates_since(t.alice.id, 1, 10).code() == Errc::cursor_expired);

  ChatId ab = t.open_direct(t.alice.id, t.bob.id).chat.id;
  Cursor newest = t.append(ab, t.bob.id, "b-1").cursor;
  CHECK(t.reader->updates_since(t.alice.id, newest + 1, 10).code() == Errc::cursor_expired);
  CHECK(t.reader->updates_since(t.alice.id, -1, 10).code() == Errc::cursor_expired);
  CHECK(t.reader->updates_since(t.carol.id, newest + 1, 10).code() == Errc::cursor_expired);
  CHECK(t.page(t.alice.id, newest, 10).updates.empty());
  CHECK(t.page(999, 0, 10).cursor == newest);
}

TEST_CASE_TEMPLATE("a user in a thousand chats reads their whole stream in order", Backend,
                   SqliteBackend, MemoryBackend) {
  StoreTest<Backend> t;
  constexpr int kChats = 1000;
  User alice = t.add_user("alice");
  std::vector<ChatId> chats;
  std::vector<Cursor> expected;
  auto transaction = t.begin();
  for (int i = 0; i < kChats; ++i) {
    auto friend_user = transaction->create_user("friend" + std::to_string(i), "h", 1);
    REQUIRE(friend_user.ok());
    auto chat = transaction->open_direct_chat(alice.id, friend_user->id, 1);
    REQUIRE(chat.ok());
    chats.push_back(chat->chat.id);
    expected.push_back(chat->cursor);
  }
  // Newest chats first, so that the stream's order differs from the chats' order.
  for (int i = kChats - 1; i >= 0; --i) {
    auto sent = transaction->append_message({chats[i], alice.id, "m", "x", 2});
    REQUIRE(sent.ok());
    expected.push_back(sent->cursor);
  }
  REQUIRE(transaction->commit().ok());
  transaction.reset();

  CHECK(cursors_of(t.stream(alice.id, 0, 100)) == expected);
  AppendResult one_more = t.append(chats[kChats / 2], alice.id, "late");
  CHECK(cursors_of(t.stream(alice.id, expected.back(), 100)) == std::vector{one_more.cursor});
}

}  // namespace
}  // namespace messenger::testing
