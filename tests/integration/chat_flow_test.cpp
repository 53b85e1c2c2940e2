// Two people chat through a real server: real sockets on 127.0.0.1, a real SQLite file.
#include <doctest/doctest.h>

#include "integration/support/event_waiter.hpp"
#include "integration/support/test_server.hpp"

using namespace messenger;
using namespace messenger::test;

namespace {

Chat open_chat(Client& from, const std::string& other_name) {
  auto other = from.find_user(other_name);
  REQUIRE(other.ok());
  auto chat = from.open_direct_chat(other->id);
  REQUIRE(chat.ok());
  return *chat;
}

}  // namespace

TEST_CASE("two users register, open a chat and exchange messages live") {
  TestServer server;
  auto alice = server.registered_client("alice");
  auto bob = server.registered_client("bob");
  auto chat = open_chat(*alice, "bob");

  auto ack = alice->send_message(chat.id, "hello bob");
  REQUIRE(ack.ok());
  CHECK(ack->seq == 1);
  CHECK(ack->chat_id == chat.id);

  auto received = wait_for_message(*bob);
  REQUIRE(received);
  CHECK(received->text == "hello bob");
  CHECK(received->sender_id == alice->user()->id);
  CHECK(received->seq == 1);

  auto reply = bob->send_message(chat.id, "hi alice");
  REQUIRE(reply.ok());
  CHECK(reply->seq == 2);
  auto back = wait_for_message(*alice);
  REQUIRE(back);
  CHECK(back->text == "hi alice");
}

TEST_CASE("the sender sees sent, then delivered, then seen") {
  TestServer server;
  auto alice = server.registered_client("alice");
  auto bob = server.registered_client("bob");
  auto chat = open_chat(*alice, "bob");
  UserId bob_id = bob->user()->id;

  auto ack = alice->send_message(chat.id, "are you there?");
  REQUIRE(ack.ok());
  auto history = alice->history({.chat_id = chat.id});
  REQUIRE(history.ok());

  // Bob's client acknowledges delivery by itself when the message arrives.
  REQUIRE(wait_for_message(*bob));
  CHECK(wait_for_receipt(*alice, chat.id, bob_id, ack->seq, MessageStatus::delivered));
  auto delivered = alice->history({.chat_id = chat.id});
  REQUIRE(delivered.ok());
  REQUIRE(delivered->size() == 1);
  CHECK(delivered->front().status == MessageStatus::delivered);

  REQUIRE(bob->mark_seen(chat.id, ack->seq).ok());
  CHECK(wait_for_receipt(*alice, chat.id, bob_id, ack->seq, MessageStatus::seen));
  auto seen = alice->history({.chat_id = chat.id});
  REQUIRE(seen.ok());
  CHECK(seen->front().status == MessageStatus::seen);
}

TEST_CASE("a message sent before delivery shows as sent in the sender's history") {
  TestServer server;
  auto alice = server.registered_client("alice");
  { server.registered_client("bob"); }
  auto chat = open_chat(*alice, "bob");
  REQUIRE(alice->send_message(chat.id, "nobody home").ok());
  auto history = alice->history({.chat_id = chat.id});
  REQUIRE(history.ok());
  REQUIRE(history->size() == 1);
  CHECK(history->front().status == MessageStatus::sent);
}

TEST_CASE("a message to an offline user arrives, and turns delivered, when they connect") {
  TestServer server;
  auto alice = server.registered_client("alice");
  UserId bob_id = server.registered_client("bob")->user()->id;  // bob leaves at once
  auto chat = open_chat(*alice, "bob");
  auto ack = alice->send_message(chat.id, "read this later");
  REQUIRE(ack.ok());

  auto bob = server.logged_in_client("bob");
  auto received = wait_for_message(*bob);
  REQUIRE(received);
  CHECK(received->text == "read this later");
  CHECK(wait_for_receipt(*alice, chat.id, bob_id, ack->seq, MessageStatus::delivered));
}

TEST_CASE("sending twice with one client message id stores one message") {
  TestServer server;
  auto alice = server.registered_client("alice");
  auto bob = server.registered_client("bob");
  auto chat = open_chat(*alice, "bob");

  auto first = alice->send_message(chat.id, "once", "client-id-1");
  auto second = alice->send_message(chat.id, "once", "client-id-1");
  REQUIRE(first.ok());
  REQUIRE(second.ok());
  CHECK(second->message_id == first->message_id);
  CHECK(second->seq == first->seq);

  auto history = bob->history({.chat_id = chat.id});
  REQUIRE(history.ok());
  CHECK(history->size() == 1);
}

TEST_CASE("a stranger can neither read nor write a chat") {
  TestServer server;
  auto alice = server.registered_client("alice");
  auto bob = server.registered_client("bob");
  auto mallory = server.registered_client("mallory");
  auto chat = open_chat(*alice, "bob");
  REQUIRE(alice->send_message(chat.id, "private").ok());

  auto sent = mallory->send_message(chat.id, "let me in");
  CHECK(sent.code() == Errc::not_a_member);
  auto read = mallory->history({.chat_id = chat.id});
  CHECK(read.code() == Errc::not_a_member);
  CHECK(mallory->mark_seen(chat.id, 1).code() == Errc::not_a_member);

  auto history = bob->history({.chat_id = chat.id});
  REQUIRE(history.ok());
  CHECK(history->size() == 1);
}

TEST_CASE("requests before login are refused with a clear error") {
  TestServer server;
  Client client(server.client_options());
  REQUIRE(client.connect().ok());
  CHECK(client.list_chats().code() == Errc::unauthenticated);
  CHECK(client.login("nobody", "wrong password").code() == Errc::invalid_credentials);
}

TEST_CASE("history and the chat list survive a server restart") {
  TestServer server;
  ChatId chat_id = 0;
  std::string token;
  {
    auto alice = server.registered_client("alice");
    auto bob = server.registered_client("bob");
    chat_id = open_chat(*alice, "bob").id;
    for (int i = 1; i <= 5; ++i) {
      REQUIRE(alice->send_message(chat_id, "message " + std::to_string(i)).ok());
    }
    REQUIRE(bob->send_message(chat_id, "reply").ok());
  }

  server.restart();

  auto alice = server.logged_in_client("alice");
  auto chats = alice->list_chats();
  REQUIRE(chats.ok());
  REQUIRE(chats->size() == 1);
  CHECK(chats->front().chat.id == chat_id);
  REQUIRE(chats->front().last_message);
  CHECK(chats->front().last_message->text == "reply");
  CHECK(chats->front().unread == 1);

  HistoryQuery query{.chat_id = chat_id};
  query.order = HistoryOrder::oldest_first;
  query.direction = HistoryDirection::after;
  auto history = alice->history(query);
  REQUIRE(history.ok());
  REQUIRE(history->size() == 6);
  for (int i = 0; i < 5; ++i)
    CHECK((*history)[i].text == "message " + std::to_string(i + 1));
  CHECK((*history)[5].seq == 6);
}

TEST_CASE("the chat list puts the newest activity first with unread counts") {
  TestServer server;
  auto alice = server.registered_client("alice");
  auto bob = server.registered_client("bob");
  auto carol = server.registered_client("carol");
  auto with_bob = open_chat(*alice, "bob");
  auto with_carol = open_chat(*alice, "carol");

  REQUIRE(bob->send_message(with_bob.id, "one").ok());
  REQUIRE(bob->send_message(with_bob.id, "two").ok());
  REQUIRE(carol->send_message(with_carol.id, "three").ok());

  auto chats = alice->list_chats();
  REQUIRE(chats.ok());
  REQUIRE(chats->size() == 2);
  CHECK(chats->at(0).chat.id == with_carol.id);
  CHECK(chats->at(0).unread == 1);
  CHECK(chats->at(1).chat.id == with_bob.id);
  CHECK(chats->at(1).unread == 2);

  REQUIRE(alice->mark_seen(with_bob.id, 2).ok());
  chats = alice->list_chats();
  REQUIRE(chats.ok());
  CHECK(chats->at(1).unread == 0);
}

TEST_CASE("opening a direct chat twice, from either side, gives the same chat") {
  TestServer server;
  auto alice = server.registered_client("alice");
  auto bob = server.registered_client("bob");
  auto first = open_chat(*alice, "bob");
  auto second = open_chat(*alice, "bob");
  auto third = open_chat(*bob, "alice");
  CHECK(first.id == second.id);
  CHECK(first.id == third.id);
}

TEST_CASE("a group delivers to every member") {
  TestServer server;
  auto alice = server.registered_client("alice");
  auto bob = server.registered_client("bob");
  auto carol = server.registered_client("carol");
  auto group = alice->create_group("friends", {bob->user()->id, carol->user()->id});
  REQUIRE(group.ok());
  CHECK(group->kind == ChatKind::group);
  CHECK(group->members.size() == 3);

  REQUIRE(alice->send_message(group->id, "hello all").ok());
  auto at_bob = wait_for_message(*bob);
  auto at_carol = wait_for_message(*carol);
  REQUIRE(at_bob);
  REQUIRE(at_carol);
  CHECK(at_bob->text == "hello all");
  CHECK(at_carol->text == "hello all");
}

TEST_CASE("logout ends the session at once, also for its token") {
  TestServer server;
  auto alice = server.registered_client("alice");
  Client second(server.client_options());
  auto session = second.login("alice", password_of("alice"));
  REQUIRE(session.ok());

  REQUIRE(second.logout().ok());
  auto closed = wait_for_event(second, [](const ClientEvent& e) {
    auto* change = std::get_if<ConnectionEvent>(&e);
    return change && change->state == ConnectionState::disconnected;
  });
  REQUIRE(closed);
  CHECK(std::get<ConnectionEvent>(*closed).error->code == Errc::session_revoked);

  Client third(server.client_options());
  CHECK(third.resume(session->token).code() == Errc::session_revoked);
  CHECK(alice->list_chats().ok());
}

TEST_CASE("a session resumes with its token on a new connection") {
  TestServer server;
  std::string token;
  {
    Client first(server.client_options());
    auto session = first.register_user("alice", password_of("alice"));
    REQUIRE(session.ok());
    token = session->token;
  }
  Client again(server.client_options());
  auto user = again.resume(token);
  REQUIRE(user.ok());
  CHECK(user->name == "alice");
  CHECK(again.list_chats().ok());
}

TEST_CASE("a text over the message limit, or over the request limit, is refused as too large") {
  TestServer server;
  auto alice = server.registered_client("alice");
  auto bob = server.registered_client("bob");
  auto chat = open_chat(*alice, "bob");

  auto over_text = alice->send_message(chat.id, std::string(Limits{}.max_text_bytes + 1, 'x'));
  CHECK(over_text.code() == Errc::too_large);
  // Too large for the server to read the request's id: the client must answer by itself, not
  // wait for a reply that cannot name the request.
  auto over_request =
      alice->send_message(chat.id, std::string(Limits{}.max_request_bytes + 1, 'x'));
  CHECK(over_request.code() == Errc::too_large);

  auto history = bob->history({.chat_id = chat.id});
  REQUIRE(history.ok());
  CHECK(history->empty());
  CHECK(alice->send_message(chat.id, "still fine").ok());
}

TEST_CASE("text that is not valid UTF-8 is refused, not stored with replacement characters") {
  TestServer server;
  auto alice = server.registered_client("alice");
  auto bob = server.registered_client("bob");
  auto chat = open_chat(*alice, "bob");

  CHECK(alice->send_message(chat.id, "\xff\xfe\xfd").code() == Errc::bad_request);
  CHECK(alice->create_group("\xc0\xaf", {}).code() == Errc::bad_request);

  auto history = bob->history({.chat_id = chat.id});
  REQUIRE(history.ok());
  CHECK(history->empty());
  CHECK(alice->send_message(chat.id, "caf\xc3\xa9").ok());
}
