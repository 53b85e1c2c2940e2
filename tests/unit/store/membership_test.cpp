#include <doctest/doctest.h>

#include "unit/store/store_fixture.hpp"

namespace messenger::testing {
namespace {

// Alice owns a group with Bob and Carol; Dave is in no chat.
template <typename Backend>
struct Team : StoreTest<Backend> {
  Team() {
    alice = this->add_user("alice");
    bob = this->add_user("bob");
    carol = this->add_user("carol");
    dave = this->add_user("dave");
    team = this->group(alice.id, {bob.id, carol.id}, "team");
  }

  User alice;
  User bob;
  User carol;
  User dave;
  Chat team;
};

TEST_CASE_TEMPLATE("adding members writes a record for each and makes them members", Backend,
                   SqliteBackend, MemoryBackend) {
  Team<Backend> t;
  t.send(t.team.id, t.bob.id, "b-1");
  User erin = t.add_user("erin");

  ChatChange change = t.add(t.team.id, t.alice.id, {erin.id, t.dave.id, erin.id, t.bob.id});
  REQUIRE(change.messages.size() == 2);
  CHECK(change.messages[0].kind == MessageKind::member_added);
  CHECK(change.messages[0].subject_id == t.dave.id);
  CHECK(change.messages[0].sender_id == t.alice.id);
  CHECK(change.messages[0].seq == 2);
  CHECK(change.messages[1].subject_id == erin.id);
  CHECK(change.messages[1].seq == 3);
  CHECK(change.added == std::vector{t.dave.id, erin.id});
  REQUIRE(change.added_cursors.size() == 2);
  CHECK(change.added_cursors[0] != change.added_cursors[1]);
  CHECK(change.notify == std::vector{t.alice.id, t.bob.id, t.carol.id, t.dave.id, erin.id});
  CHECK(change.chat.last_seq == 3);
  CHECK(user_ids_of(change.chat.members) == change.notify);
  CHECK(member_of(change.chat, t.dave.id)->role == MemberRole::member);

  Chat read = *t.reader->get_chat(t.team.id);
  CHECK(user_ids_of(read.members) == change.notify);
  // The records of their joining are unread for those who joined, not what came before.
  CHECK(member_of(read, t.dave.id)->seen_seq == 1);
  CHECK(t.chats_of(t.dave.id)[0].unread == 2);
  CHECK(t.chats_of(erin.id)[0].unread == 2);
  CHECK(t.send(t.team.id, t.dave.id, "d-1").seq == 4);
}

TEST_CASE_TEMPLATE("adding only members already in the group changes nothing", Backend,
                   SqliteBackend, MemoryBackend) {
  Team<Backend> t;
  ChatChange change = t.add(t.team.id, t.alice.id, {t.bob.id, t.alice.id});
  CHECK(change.messages.empty());
  CHECK(change.added.empty());
  CHECK(change.notify.empty());
  CHECK(change.chat.last_seq == 0);
  CHECK(t.reader->get_chat(t.team.id)->last_seq == 0);
}

TEST_CASE_TEMPLATE("only the owner or an admin may add, remove and rename", Backend, SqliteBackend,
                   MemoryBackend) {
  Team<Backend> t;
  auto transaction = t.begin();
  std::vector<UserId> dave{t.dave.id};
  CHECK(transaction->add_members(t.team.id, t.bob.id, dave, 1).code() == Errc::forbidden);
  CHECK(transaction->remove_member(t.team.id, t.bob.id, t.carol.id, 1).code() == Errc::forbidden);
  CHECK(transaction->rename_chat(t.team.id, t.bob.id, "mine", 1).code() == Errc::forbidden);
  REQUIRE(transaction->commit().ok());

  Chat read = *t.reader->get_chat(t.team.id);
  CHECK(read.members.size() == 3);
  CHECK(read.title == "team");
  CHECK(read.last_seq == 0);
}

TEST_CASE_TEMPLATE("non-members and unknown chats are not_a_member for every change", Backend,
                   SqliteBackend, MemoryBackend) {
  Team<Backend> t;
  auto transaction = t.begin();
  std::vector<UserId> dave{t.dave.id};
  for (ChatId chat : {t.team.id, ChatId{999}}) {
    CAPTURE(chat);
    CHECK(transaction->add_members(chat, t.dave.id, dave, 1).code() == Errc::not_a_member);
    CHECK(transaction->remove_member(chat, t.dave.id, t.bob.id, 1).code() == Errc::not_a_member);
    CHECK(transaction->leave_chat(chat, t.dave.id, 1).code() == Errc::not_a_member);
    CHECK(transaction->rename_chat(chat, t.dave.id, "x", 1).code() == Errc::not_a_member);
  }
  CHECK(transaction->remove_member(t.team.id, t.alice.id, t.dave.id, 1).code() ==
        Errc::not_a_member);
  REQUIRE(transaction->commit().ok());
  CHECK(t.reader->get_chat(t.team.id)->last_seq == 0);
}

TEST_CASE_TEMPLATE("adding an unknown user is not_found and adds no one", Backend, SqliteBackend,
                   MemoryBackend) {
  Team<Backend> t;
  auto transaction = t.begin();
  std::vector<UserId> users{t.dave.id, 404};
  CHECK(transaction->add_members(t.team.id, t.alice.id, users, 1).code() == Errc::not_found);
  REQUIRE(transaction->commit().ok());
  Chat read = *t.reader->get_chat(t.team.id);
  CHECK(read.members.size() == 3);
  CHECK(read.last_seq == 0);
  CHECK(t.chats_of(t.dave.id).empty());
}

TEST_CASE_TEMPLATE("direct chats never change members or title", Backend, SqliteBackend,
                   MemoryBackend) {
  Team<Backend> t;
  Chat direct = t.direct(t.alice.id, t.bob.id);
  auto transaction = t.begin();
  std::vector<UserId> dave{t.dave.id};
  CHECK(transaction->add_members(direct.id, t.alice.id, dave, 1).code() == Errc::forbidden);
  CHECK(transaction->remove_member(direct.id, t.alice.id, t.bob.id, 1).code() == Errc::forbidden);
  CHECK(transaction->leave_chat(direct.id, t.bob.id, 1).code() == Errc::forbidden);
  CHECK(transaction->rename_chat(direct.id, t.alice.id, "us", 1).code() == Errc::forbidden);
  REQUIRE(transaction->commit().ok());
  CHECK(t.reader->get_chat(direct.id)->members.size() == 2);
}

TEST_CASE_TEMPLATE("a removed member is gone from the chat and can no longer write to it", Backend,
                   SqliteBackend, MemoryBackend) {
  Team<Backend> t;
  t.send(t.team.id, t.carol.id, "c-1");

  ChatChange change = t.remove(t.team.id, t.alice.id, t.carol.id);
  REQUIRE(change.messages.size() == 1);
  const Message& record = change.messages[0];
  CHECK(record.kind == MessageKind::member_removed);
  CHECK(record.sender_id == t.alice.id);
  CHECK(record.subject_id == t.carol.id);
  CHECK(record.seq == 2);
  CHECK(change.added.empty());
  CHECK(change.notify == std::vector{t.alice.id, t.bob.id, t.carol.id});
  CHECK(user_ids_of(change.chat.members) == std::vector{t.alice.id, t.bob.id});

  CHECK(user_ids_of(t.reader->get_chat(t.team.id)->members) == std::vector{t.alice.id, t.bob.id});
  CHECK(t.chats_of(t.carol.id).empty());
  auto transaction = t.begin();
  CHECK(transaction->append_message({t.team.id, t.carol.id, "c-2", "hi", 1}).code() ==
        Errc::not_a_member);
  CHECK(transaction->advance_watermarks(t.team.id, t.carol.id, 2, 2).code() == Errc::not_a_member);
  CHECK(transaction->leave_chat(t.team.id, t.carol.id, 1).code() == Errc::not_a_member);
  auto sent = transaction->append_message({t.team.id, t.bob.id, "b-1", "hi", 1});
  REQUIRE(sent.ok());
  CHECK(sent->members == std::vector{t.alice.id, t.bob.id});
  REQUIRE(transaction->commit().ok());
}

TEST_CASE_TEMPLATE("the owner cannot be removed, not even by themselves", Backend, SqliteBackend,
                   MemoryBackend) {
  Team<Backend> t;
  auto transaction = t.begin();
  CHECK(transaction->remove_member(t.team.id, t.alice.id, t.alice.id, 1).code() == Errc::forbidden);
  REQUIRE(transaction->commit().ok());
  CHECK(member_of(*t.reader->get_chat(t.team.id), t.alice.id)->role == MemberRole::owner);
}

TEST_CASE_TEMPLATE("any member may leave a group, and hears of it", Backend, SqliteBackend,
                   MemoryBackend) {
  Team<Backend> t;
  ChatChange change = t.leave(t.team.id, t.bob.id);
  REQUIRE(change.messages.size() == 1);
  CHECK(change.messages[0].kind == MessageKind::member_left);
  CHECK(change.messages[0].sender_id == t.bob.id);
  CHECK(change.messages[0].subject_id == t.bob.id);
  CHECK(change.notify == std::vector{t.alice.id, t.bob.id, t.carol.id});
  CHECK(user_ids_of(change.chat.members) == std::vector{t.alice.id, t.carol.id});
  CHECK(t.chats_of(t.bob.id).empty());
  CHECK(member_of(change.chat, t.alice.id)->role == MemberRole::owner);
}

TEST_CASE_TEMPLATE("when the owner leaves the longest-standing member becomes owner", Backend,
                   SqliteBackend, MemoryBackend) {
  StoreTest<Backend> t;
  User alice = t.add_user("alice");
  User bob = t.add_user("bob");
  User carol = t.add_user("carol");
  User dave = t.add_user("dave");
  Chat group = t.group(alice.id, {dave.id, carol.id});
  t.add(group.id, alice.id, {bob.id});

  // Carol and Dave joined with the group, before Bob; of the two, the lower id wins.
  ChatChange change = t.leave(group.id, alice.id);
  CHECK(member_of(change.chat, carol.id)->role == MemberRole::owner);
  CHECK(member_of(change.chat, bob.id)->role == MemberRole::member);
  CHECK(member_of(change.chat, dave.id)->role == MemberRole::member);
  CHECK(member_of(*t.reader->get_chat(group.id), carol.id)->role == MemberRole::owner);

  // The new owner has the owner's rights.
  CHECK(t.rename(group.id, carol.id, "carol's").chat.title == "carol's");
  t.leave(group.id, carol.id);
  CHECK(member_of(*t.reader->get_chat(group.id), dave.id)->role == MemberRole::owner);
}

TEST_CASE_TEMPLATE("the last member leaving leaves an empty group", Backend, SqliteBackend,
                   MemoryBackend) {
  StoreTest<Backend> t;
  User alice = t.add_user("alice");
  Chat alone = t.group(alice.id, {});
  ChatChange change = t.leave(alone.id, alice.id);
  CHECK(change.chat.members.empty());
  CHECK(change.notify == std::vector{alice.id});
  CHECK(t.chats_of(alice.id).empty());
}

TEST_CASE_TEMPLATE("renaming writes a record with the new title", Backend, SqliteBackend,
                   MemoryBackend) {
  Team<Backend> t;
  ChatChange change = t.rename(t.team.id, t.alice.id, "Weekend");
  REQUIRE(change.messages.size() == 1);
  CHECK(change.messages[0].kind == MessageKind::chat_renamed);
  CHECK(change.messages[0].text == "Weekend");
  CHECK(change.messages[0].sender_id == t.alice.id);
  CHECK(change.messages[0].subject_id == 0);
  CHECK(change.chat.title == "Weekend");
  CHECK(change.notify == std::vector{t.alice.id, t.bob.id, t.carol.id});
  CHECK(t.reader->get_chat(t.team.id)->title == "Weekend");
  CHECK(t.chats_of(t.bob.id)[0].chat.title == "Weekend");

  ChatChange same = t.rename(t.team.id, t.alice.id, "Weekend");
  CHECK(same.messages.empty());
  CHECK(same.notify.empty());
  CHECK(t.reader->get_chat(t.team.id)->last_seq == 1);
}

TEST_CASE_TEMPLATE("records count as unread like messages from their sender", Backend,
                   SqliteBackend, MemoryBackend) {
  Team<Backend> t;
  t.send(t.team.id, t.bob.id, "b-1");
  t.rename(t.team.id, t.alice.id, "new");
  t.add(t.team.id, t.alice.id, {t.dave.id});

  CHECK(t.chats_of(t.alice.id)[0].unread == 0);
  CHECK(t.chats_of(t.bob.id)[0].unread == 2);
  CHECK(t.chats_of(t.carol.id)[0].unread == 3);
  ChatSummary summary = t.chats_of(t.carol.id)[0];
  REQUIRE(summary.last_message.has_value());
  CHECK(summary.last_message->kind == MessageKind::member_added);
  CHECK(summary.last_message->subject_id == t.dave.id);

  t.leave(t.team.id, t.carol.id);
  CHECK(t.chats_of(t.bob.id)[0].unread == 3);
  CHECK(t.chats_of(t.dave.id)[0].unread == 2);
}

TEST_CASE_TEMPLATE("history returns records with their kind and subject", Backend, SqliteBackend,
                   MemoryBackend) {
  Team<Backend> t;
  t.add(t.team.id, t.alice.id, {t.dave.id});
  t.rename(t.team.id, t.alice.id, "renamed");
  t.remove(t.team.id, t.alice.id, t.dave.id);

  auto page = t.reader->history({.chat_id = t.team.id, .order = HistoryOrder::oldest_first});
  REQUIRE(page.ok());
  REQUIRE(page->size() == 3);
  CHECK((*page)[0].kind == MessageKind::member_added);
  CHECK((*page)[0].subject_id == t.dave.id);
  CHECK((*page)[1].kind == MessageKind::chat_renamed);
  CHECK((*page)[1].text == "renamed");
  CHECK((*page)[2].kind == MessageKind::member_removed);
  CHECK((*page)[2].client_msg_id.empty());
}

TEST_CASE_TEMPLATE("contacts are everyone who shares a chat, once each", Backend, SqliteBackend,
                   MemoryBackend) {
  Team<Backend> t;
  t.direct(t.alice.id, t.bob.id);
  t.direct(t.dave.id, t.dave.id);
  CHECK(*t.reader->contacts(t.alice.id) == std::vector{t.bob.id, t.carol.id});
  CHECK(*t.reader->contacts(t.bob.id) == std::vector{t.alice.id, t.carol.id});
  CHECK(t.reader->contacts(t.dave.id)->empty());
  CHECK(t.reader->contacts(999)->empty());

  t.remove(t.team.id, t.alice.id, t.carol.id);
  CHECK(*t.reader->contacts(t.alice.id) == std::vector{t.bob.id});
  CHECK(t.reader->contacts(t.carol.id)->empty());
}

TEST_CASE_TEMPLATE("last seen is kept with the user", Backend, SqliteBackend, MemoryBackend) {
  StoreTest<Backend> t;
  User alice = t.add_user("alice");
  CHECK(alice.last_seen == 0);
  CHECK(t.reader->get_user(alice.id)->last_seen == 0);

  t.write([&](WriteTransaction& w) { return w.set_last_seen(alice.id, 1234); });
  CHECK(t.reader->get_user(alice.id)->last_seen == 1234);
  CHECK(t.reader->find_user_by_name("alice")->last_seen == 1234);
  CHECK(t.reader->get_credentials("alice")->user.last_seen == 1234);

  auto transaction = t.begin();
  CHECK(transaction->set_last_seen(404, 1).code() == Errc::not_found);
  REQUIRE(transaction->commit().ok());
}

}  // namespace
}  // namespace messenger::testing
