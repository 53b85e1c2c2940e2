// Messages queued with queue_message: stored once each, in order, across drops of the
// connection, server restarts and restarts of the program (with a data file).
#include <doctest/doctest.h>

#include "integration/support/event_waiter.hpp"
#include "integration/support/temp_dir.hpp"
#include "integration/support/test_server.hpp"

using namespace messenger;
using namespace messenger::test;

namespace {

ClientOptions quick_reconnect(const TestServer& server) {
  auto options = server.client_options();
  options.reconnect_min = std::chrono::milliseconds(20);
  options.reconnect_max = std::chrono::milliseconds(200);
  return options;
}

std::optional<SendResultEvent> wait_for_result(Client& client, const std::string& id) {
  auto event = wait_for_event(client, [&](const ClientEvent& e) {
    auto* result = std::get_if<SendResultEvent>(&e);
    return result && result->client_msg_id == id;
  });
  if (!event) return std::nullopt;
  return std::get<SendResultEvent>(*event);
}

bool wait_for_state(Client& client, ConnectionState state) {
  return wait_for_event(client,
                        [state](const ClientEvent& e) {
                          auto* change = std::get_if<ConnectionEvent>(&e);
                          return change && change->state == state;
                        })
      .has_value();
}

std::vector<std::string> texts_in(Client& reader, ChatId chat) {
  HistoryQuery query{.chat_id = chat};
  query.order = HistoryOrder::oldest_first;
  query.direction = HistoryDirection::after;
  auto history = reader.history(query);
  REQUIRE(history.ok());
  std::vector<std::string> texts;
  for (const auto& message : *history)
    texts.push_back(message.text);
  return texts;
}

}  // namespace

TEST_CASE("a message queued while connected is sent and acknowledged by an event") {
  TestServer server;
  auto alice = server.registered_client("alice");
  auto bob = server.registered_client("bob");
  auto chat = alice->open_direct_chat(bob->user()->id);
  REQUIRE(chat.ok());

  auto id = alice->queue_message(chat->id, "queued");
  CHECK(id.size() == 32);
  auto result = wait_for_result(*alice, id);
  REQUIRE(result);
  REQUIRE(result->ack);
  CHECK_FALSE(result->error);
  CHECK(result->chat_id == chat->id);
  CHECK(result->ack->seq == 1);
  CHECK(alice->outbox_size() == 0);
  auto received = wait_for_message(*bob);
  REQUIRE(received);
  CHECK(received->text == "queued");
  CHECK(received->client_msg_id == id);
}

TEST_CASE("messages queued while the server is down are stored once each, in order") {
  TestServer server;
  Client alice(quick_reconnect(server));
  REQUIRE(alice.register_user("alice", password_of("alice")).ok());
  auto bob = server.registered_client("bob");
  auto chat = alice.open_direct_chat(bob->user()->id);
  REQUIRE(chat.ok());

  server.stop();
  REQUIRE(wait_for_state(alice, ConnectionState::disconnected));
  std::vector<std::string> ids;
  for (int i = 1; i <= 5; ++i)
    ids.push_back(alice.queue_message(chat->id, "offline " + std::to_string(i)));
  CHECK(alice.queue_message(chat->id, "offline 1", ids[0]) == ids[0]);  // queued once
  CHECK(alice.outbox_size() == 5);

  server.start();
  for (const auto& id : ids) {
    auto result = wait_for_result(alice, id);
    REQUIRE(result);
    CHECK(result->ack);
  }
  CHECK(alice.outbox_size() == 0);
  CHECK(texts_in(alice, chat->id) ==
        std::vector<std::string>{"offline 1", "offline 2", "offline 3", "offline 4", "offline 5"});
}

TEST_CASE("a queued message refused for good leaves the outbox with its error") {
  TestServer server;
  auto alice = server.registered_client("alice");
  auto bob = server.registered_client("bob");
  auto carol = server.registered_client("carol");
  auto theirs = bob->open_direct_chat(carol->user()->id);
  REQUIRE(theirs.ok());

  auto refused = alice->queue_message(theirs->id, "let me in");
  auto result = wait_for_result(*alice, refused);
  REQUIRE(result);
  REQUIRE(result->error);
  CHECK(result->error->code == Errc::not_a_member);
  CHECK_FALSE(result->ack);
  CHECK(alice->outbox_size() == 0);
}

TEST_CASE("the outbox and the cursor survive a restart of the program") {
  TestServer server;
  TempDir dir;
  auto options = quick_reconnect(server);
  options.data_file = (dir.path() / "alice.db").string();
  auto bob = server.registered_client("bob");
  ChatId chat = 0;
  Cursor cursor = 0;
  std::vector<std::string> queued;
  {
    Client alice(options);
    REQUIRE(alice.register_user("alice", password_of("alice")).ok());
    chat = alice.open_direct_chat(bob->user()->id)->id;
    REQUIRE(bob->send_message(chat, "before").ok());
    REQUIRE(wait_for_message(alice));
    REQUIRE(wait_for_receipt(*bob, chat, alice.user()->id, 1, MessageStatus::delivered));
    server.stop();
    REQUIRE(wait_for_state(alice, ConnectionState::disconnected));
    queued.push_back(alice.queue_message(chat, "queued 1"));
    queued.push_back(alice.queue_message(chat, "queued 2"));
    cursor = alice.cursor();
    CHECK(cursor > 0);
  }  // the program ends with the server still down

  server.start();
  REQUIRE(wait_for_state(*bob, ConnectionState::connected));
  REQUIRE(bob->send_message(chat, "while away").ok());

  Client alice(options);
  CHECK(alice.cursor() == cursor);
  CHECK(alice.outbox_size() == 2);
  REQUIRE(alice.connect().ok());  // resumes the saved session by itself
  REQUIRE(alice.user());
  CHECK(alice.user()->name == "alice");
  std::vector<ClientEvent> seen;
  for (const auto& id : queued) {
    auto result = wait_for_event(
        alice,
        [&](const ClientEvent& e) {
          auto* sent = std::get_if<SendResultEvent>(&e);
          return sent && sent->client_msg_id == id;
        },
        kWaitLimit, &seen);
    REQUIRE(result);
    CHECK(std::get<SendResultEvent>(*result).ack);
  }
  CHECK(alice.outbox_size() == 0);

  // Of bob's messages only the one after the saved cursor arrives, and it came first.
  std::vector<std::string> from_bob;
  for (const auto& event : seen) {
    auto* arrived = std::get_if<MessageEvent>(&event);
    if (arrived && arrived->message.sender_id == bob->user()->id) {
      from_bob.push_back(arrived->message.text);
    }
  }
  CHECK(from_bob == std::vector<std::string>{"while away"});
  CHECK(texts_in(alice, chat) ==
        std::vector<std::string>{"before", "while away", "queued 1", "queued 2"});
}

TEST_CASE("a saved session that was revoked is forgotten: the client connects without a user") {
  TestServer server;
  TempDir dir;
  auto options = server.client_options();
  options.data_file = (dir.path() / "bob.db").string();
  std::string token;
  {
    Client bob(options);
    auto session = bob.register_user("bob", password_of("bob"));
    REQUIRE(session.ok());
    token = session->token;
  }
  Client elsewhere(server.client_options());
  REQUIRE(elsewhere.resume(token).ok());
  REQUIRE(elsewhere.logout().ok());

  Client bob(options);
  REQUIRE(bob.connect().ok());
  CHECK_FALSE(bob.user());
  REQUIRE(bob.login("bob", password_of("bob")).ok());
  CHECK(bob.user());
}

TEST_CASE("after a logout the data file holds no session to resume") {
  TestServer server;
  TempDir dir;
  auto options = server.client_options();
  options.data_file = (dir.path() / "bob.db").string();
  {
    Client bob(options);
    REQUIRE(bob.register_user("bob", password_of("bob")).ok());
  }
  {
    Client bob(options);
    REQUIRE(bob.connect().ok());
    REQUIRE(bob.user());
    REQUIRE(bob.logout().ok());
  }
  Client bob(options);
  REQUIRE(bob.connect().ok());
  CHECK_FALSE(bob.user());
}
