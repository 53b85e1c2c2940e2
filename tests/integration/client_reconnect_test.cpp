// The client reconnects by itself after a drop, with backoff, and stops when the session ends
// or the host closes it.
#include <doctest/doctest.h>

#include "integration/support/event_waiter.hpp"
#include "integration/support/test_server.hpp"

using namespace messenger;
using namespace messenger::test;

namespace {

/// Long enough for several tries at the backoff below, had any been made.
constexpr auto kNoRetryWindow = std::chrono::milliseconds(1'000);

ClientOptions quick_reconnect(const TestServer& server) {
  auto options = server.client_options();
  options.reconnect_min = std::chrono::milliseconds(20);
  options.reconnect_max = std::chrono::milliseconds(200);
  return options;
}

std::unique_ptr<Client> registered(const TestServer& server, const std::string& name) {
  auto client = std::make_unique<Client>(quick_reconnect(server));
  REQUIRE(client->register_user(name, password_of(name)).ok());
  return client;
}

std::optional<ConnectionEvent> wait_for_state(Client& client, ConnectionState state) {
  auto event = wait_for_event(client, [state](const ClientEvent& e) {
    auto* change = std::get_if<ConnectionEvent>(&e);
    return change && change->state == state;
  });
  if (!event) return std::nullopt;
  return std::get<ConnectionEvent>(*event);
}

bool tries_to_reconnect(Client& client) {
  return wait_for_event(
             client,
             [](const ClientEvent& e) {
               auto* change = std::get_if<ConnectionEvent>(&e);
               return change && change->state != ConnectionState::disconnected;
             },
             kNoRetryWindow)
      .has_value();
}

/// Takes the events already queued, so that what follows is what happens from now on.
void drain(Client& client) {
  for (int i = 0; i < 10'000 && client.poll_event(std::chrono::milliseconds(0)); ++i) {
  }
}

}  // namespace

TEST_CASE("after a server restart the client reconnects by itself, resumes and catches up") {
  TestServer server;
  auto alice = registered(server, "alice");
  auto bob = registered(server, "bob");
  auto chat = alice->open_direct_chat(bob->user()->id);
  REQUIRE(chat.ok());
  REQUIRE(wait_for_state(*bob, ConnectionState::connected));
  REQUIRE(wait_for_state(*bob, ConnectionState::connected));  // after its sync

  server.stop();
  auto dropped = wait_for_state(*bob, ConnectionState::disconnected);
  REQUIRE(dropped);
  REQUIRE(dropped->error);
  // While the server is down each try fails, and the next one waits its turn.
  for (int failed_try = 0; failed_try < 3; ++failed_try) {
    REQUIRE(wait_for_state(*bob, ConnectionState::connecting));
    auto failed = wait_for_state(*bob, ConnectionState::disconnected);
    REQUIRE(failed);
    CHECK(failed->error);
  }
  CHECK(bob->find_user("alice").code() == Errc::disconnected);

  server.start();
  REQUIRE(wait_for_state(*alice, ConnectionState::disconnected));  // events since the stop
  REQUIRE(wait_for_state(*alice, ConnectionState::syncing));
  REQUIRE(wait_for_state(*alice, ConnectionState::connected));
  REQUIRE(alice->send_message(chat->id, "after the restart").ok());

  // The message may come in the sync or live: either way once, and the states in order.
  std::vector<ConnectionState> states;
  std::vector<std::string> texts;
  for (int i = 0;
       i < 100 && (states.empty() || states.back() != ConnectionState::connected || texts.empty());
       ++i) {
    auto event = wait_for_event(*bob, [](const ClientEvent&) { return true; });
    if (!event) break;
    if (auto* change = std::get_if<ConnectionEvent>(&*event)) states.push_back(change->state);
    if (auto* arrived = std::get_if<MessageEvent>(&*event)) texts.push_back(arrived->message.text);
  }
  CHECK(texts == std::vector<std::string>{"after the restart"});
  REQUIRE(states.size() >= 3);
  CHECK(states[states.size() - 3] == ConnectionState::connecting);
  CHECK(states[states.size() - 2] == ConnectionState::syncing);
  CHECK(states.back() == ConnectionState::connected);
  CHECK(bob->user());
  CHECK(bob->find_user("alice").ok());
}

TEST_CASE("requests made while disconnected fail at once with disconnected") {
  TestServer server;
  auto options = server.client_options();
  options.reconnect = false;
  Client bob(options);
  REQUIRE(bob.register_user("bob", password_of("bob")).ok());
  server.stop();
  REQUIRE(wait_for_state(bob, ConnectionState::disconnected));
  CHECK(bob.list_chats().code() == Errc::disconnected);
  CHECK(bob.set_typing(1).code() == Errc::disconnected);
  CHECK_FALSE(tries_to_reconnect(bob));  // reconnect is off
}

TEST_CASE("close stops reconnecting") {
  TestServer server;
  auto bob = registered(server, "bob");
  server.stop();
  REQUIRE(wait_for_state(*bob, ConnectionState::disconnected));
  bob->close();
  drain(*bob);
  server.start();
  CHECK_FALSE(tries_to_reconnect(*bob));
  CHECK(bob->state() == ConnectionState::disconnected);

  REQUIRE(bob->connect().ok());  // the host may connect again; the session resumes
  REQUIRE(bob->user());
  CHECK(bob->list_chats().ok());
}

TEST_CASE("logout ends the session and stops reconnecting") {
  TestServer server;
  auto bob = registered(server, "bob");
  REQUIRE(bob->logout().ok());
  auto closed = wait_for_state(*bob, ConnectionState::disconnected);
  REQUIRE(closed);
  REQUIRE(closed->error);
  CHECK(closed->error->code == Errc::session_revoked);
  CHECK_FALSE(tries_to_reconnect(*bob));
  CHECK_FALSE(bob->user());
}

TEST_CASE("a session revoked elsewhere ends the client's session and stops reconnecting") {
  TestServer server;
  auto options = quick_reconnect(server);
  Client bob(options);
  auto session = bob.register_user("bob", password_of("bob"));
  REQUIRE(session.ok());

  Client other_device(options);
  REQUIRE(other_device.resume(session->token).ok());
  REQUIRE(other_device.logout().ok());

  auto closed = wait_for_state(bob, ConnectionState::disconnected);
  REQUIRE(closed);
  REQUIRE(closed->error);
  CHECK(closed->error->code == Errc::session_revoked);
  CHECK_FALSE(tries_to_reconnect(bob));
  CHECK_FALSE(bob.user());
  REQUIRE(bob.connect().ok());  // nothing left to resume: connected without a user
  CHECK_FALSE(bob.user());
  CHECK(bob.list_chats().code() == Errc::unauthenticated);
}

TEST_CASE("a client reconnecting to a server that stays down can be destroyed") {
  TestServer server;
  auto bob = registered(server, "bob");
  server.stop();
  REQUIRE(wait_for_state(*bob, ConnectionState::disconnected));
  REQUIRE(wait_for_state(*bob, ConnectionState::connecting));
  bob.reset();  // returns although a try may be under way
  CHECK_FALSE(bob);
}

TEST_CASE("resuming the session a reconnecting client holds joins its reconnection") {
  TestServer server;
  Client bob(quick_reconnect(server));
  auto session = bob.register_user("bob", password_of("bob"));
  REQUIRE(session.ok());
  server.restart();
  REQUIRE(wait_for_state(bob, ConnectionState::disconnected));
  auto again = bob.resume(session->token);  // not "already logged in", though it may be back
  REQUIRE(again.ok());
  CHECK(again->name == "bob");
  CHECK(bob.list_chats().ok());
}
