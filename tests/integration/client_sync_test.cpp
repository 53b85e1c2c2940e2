// The client catches up on its update stream after being away: every missed update once, in
// order, with live events that arrive meanwhile neither lost nor repeated.
#include <doctest/doctest.h>

#include <atomic>
#include <set>
#include <thread>

#include "integration/support/event_waiter.hpp"
#include "integration/support/temp_dir.hpp"
#include "integration/support/test_server.hpp"

using namespace messenger;
using namespace messenger::test;

namespace {

/// More than one sync page (the server's default page is 100 updates).
constexpr int kMissed = 250;
constexpr auto kQuiet = std::chrono::milliseconds(300);

Chat open_chat(Client& from, Client& to) {
  auto chat = from.open_direct_chat(to.user()->id);
  REQUIRE(chat.ok());
  return *chat;
}

/// Text messages arriving at `client` until `count` came or the wait limit passed.
std::vector<MessageEvent> collect_messages(Client& client, std::size_t count) {
  std::vector<MessageEvent> got;
  while (got.size() < count) {
    auto event = wait_for_event(client, [](const ClientEvent& e) {
      auto* message = std::get_if<MessageEvent>(&e);
      return message && message->message.kind == MessageKind::text;
    });
    if (!event) break;
    got.push_back(std::get<MessageEvent>(*event));
  }
  return got;
}

void check_once_in_order(const std::vector<MessageEvent>& got, int count) {
  REQUIRE(got.size() == static_cast<std::size_t>(count));
  std::set<Cursor> cursors;
  for (int i = 0; i < count; ++i) {
    CHECK(got[i].message.seq == i + 1);
    CHECK(got[i].message.text == "message " + std::to_string(i + 1));
    if (i > 0) CHECK(got[i].cursor > got[i - 1].cursor);
    cursors.insert(got[i].cursor);
  }
  CHECK(cursors.size() == got.size());
}

}  // namespace

TEST_CASE("a client that was offline gets every missed message once and in order") {
  TestServer server;
  auto alice = server.registered_client("alice");
  auto bob = server.registered_client("bob");
  auto chat = open_chat(*alice, *bob);
  bob->close();

  for (int i = 1; i <= kMissed; ++i) {
    REQUIRE(alice->send_message(chat.id, "message " + std::to_string(i)).ok());
  }
  REQUIRE(bob->connect().ok());  // resumes the session it holds, then syncs

  auto got = collect_messages(*bob, kMissed);
  check_once_in_order(got, kMissed);
  CHECK(bob->cursor() >= got.back().cursor);
  CHECK_FALSE(wait_for_message(*bob, kQuiet));
  CHECK(wait_for_receipt(*alice, chat.id, bob->user()->id, kMissed, MessageStatus::delivered));
}

TEST_CASE("messages sent while a client catches up arrive once each, in order") {
  // Alice sends faster than the default request rate allows; this test is about ordering.
  ServerOptions options;
  options.limits.requests_per_second = 100'000;
  options.limits.request_burst = 100'000;
  TestServer server(options);
  auto alice = server.registered_client("alice");
  auto bob = server.registered_client("bob");
  auto chat = open_chat(*alice, *bob);
  bob->close();
  for (int i = 1; i <= kMissed; ++i) {
    REQUIRE(alice->send_message(chat.id, "message " + std::to_string(i)).ok());
  }

  // Live events race the sync pages: the client holds them back and drops the duplicates.
  std::atomic<bool> all_sent{true};
  std::thread sender([&] {
    for (int i = kMissed + 1; i <= 2 * kMissed; ++i) {
      if (!alice->send_message(chat.id, "message " + std::to_string(i)).ok()) all_sent = false;
    }
  });
  auto connected = bob->connect();
  sender.join();
  REQUIRE(connected.ok());
  REQUIRE(all_sent);

  check_once_in_order(collect_messages(*bob, 2 * kMissed), 2 * kMissed);
  CHECK_FALSE(wait_for_message(*bob, kQuiet));
}

TEST_CASE("the client reports syncing, then connected, after logging in") {
  TestServer server;
  Client client(server.client_options());
  REQUIRE(client.register_user("alice", password_of("alice")).ok());
  std::vector<ConnectionState> states;
  for (int i = 0; i < 4; ++i) {
    auto event = wait_for_event(
        client, [](const ClientEvent& e) { return std::holds_alternative<ConnectionEvent>(e); });
    if (!event) break;
    states.push_back(std::get<ConnectionEvent>(*event).state);
  }
  // Connected once hello is done, then syncing once logged in, then caught up.
  CHECK(states == std::vector<ConnectionState>{ConnectionState::connecting,
                                               ConnectionState::connected, ConnectionState::syncing,
                                               ConnectionState::connected});
  CHECK(client.state() == ConnectionState::connected);
}

TEST_CASE("a cursor the server does not know resets the client, which syncs from the start") {
  TempDir dir;
  auto data_file = (dir.path() / "bob.db").string();
  Cursor old_cursor = 0;
  {
    TestServer first;
    auto options = first.client_options();
    options.data_file = data_file;
    Client bob(options);
    REQUIRE(bob.register_user("bob", password_of("bob")).ok());
    auto alice = first.registered_client("alice");
    auto chat = open_chat(*alice, bob);
    for (int i = 1; i <= 30; ++i) {
      REQUIRE(alice->send_message(chat.id, "message " + std::to_string(i)).ok());
    }
    REQUIRE(collect_messages(bob, 30).size() == 30);
    old_cursor = bob.cursor();
  }

  // Another server, with fewer updates than the saved cursor: bob has the same user id there.
  TestServer second;
  auto options = second.client_options();
  options.data_file = data_file;
  Client bob(options);
  CHECK(bob.cursor() >= old_cursor);  // a receipt may have moved it after the read above
  REQUIRE(bob.register_user("bob", password_of("bob")).ok());
  REQUIRE(wait_for_event(
      bob, [](const ClientEvent& e) { return std::holds_alternative<ResetEvent>(e); }));
  auto alice = second.registered_client("alice");
  auto chat = open_chat(*alice, bob);
  REQUIRE(alice->send_message(chat.id, "message 1").ok());
  check_once_in_order(collect_messages(bob, 1), 1);
  CHECK(bob.cursor() < old_cursor);
  CHECK(bob.state() == ConnectionState::connected);
}
