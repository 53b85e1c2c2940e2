// c12: a session that outlives logout. A is logged in on D1 and D2. D1 logs out; or A ends every
// session; or A changes the password (from a third device, D3). D1's open socket must close
// within a second with the auth close code, D1 must not reconnect with the token, and the token
// must be refused everywhere. D2 stays after the single logout and is closed like D1 in the
// other two variants.
#include <doctest/doctest.h>

#include <thread>

#include "fault/support/event_views.hpp"
#include "fault/support/fault_proxy.hpp"
#include "fault/support/recorded_client.hpp"
#include "fault/support/server_process.hpp"
#include "integration/support/raw_connection.hpp"
#include "integration/support/test_server.hpp"

using namespace messenger;
using namespace messenger::test;

namespace {

constexpr auto kWithinASecond = std::chrono::seconds(1);
constexpr auto kLimit = std::chrono::seconds(10);
// Several of the longest backoffs of quick_reconnect_options (1 s), in which a client that still
// held its token would have tried to connect.
constexpr auto kNoReconnectWatch = std::chrono::seconds(3);
constexpr const char* kNewPassword = "a brand new password";

enum class Ending { logout, logout_all, change_password };

std::string resume_request(const std::string& token) {
  return R"({"id": 2, "type": "resume", "token": ")" + token + R"("})";
}

// A raw connection of a session, past hello and resume.
std::unique_ptr<RawConnection> open_raw(const std::string& url, const std::string& token) {
  auto raw = std::make_unique<RawConnection>(url);
  raw->send(R"({"id": 1, "type": "hello", "protocol": 1, "client": "c12 test"})");
  auto hello = raw->receive();
  REQUIRE(hello);
  raw->send(resume_request(token));
  auto resumed = raw->receive();
  REQUIRE(resumed);
  REQUIRE(resumed->find(R"("ok":true)") != std::string::npos);
  return raw;
}

void check_refused_everywhere(const std::string& url, const std::string& token) {
  Client elsewhere(quick_reconnect_options(url));
  CHECK(elsewhere.resume(token).code() == Errc::session_revoked);

  RawConnection raw(url);
  raw.send(R"({"id": 1, "type": "hello", "protocol": 1, "client": "c12 test"})");
  REQUIRE(raw.receive(kLimit));
  raw.send(resume_request(token));
  auto refused = raw.receive(kLimit);
  REQUIRE(refused);
  CHECK(refused->find("session_revoked") != std::string::npos);
}

std::string connection_changes(const RecordedClient& client) {
  std::string changes;
  for (const auto& change : all_of<ConnectionEvent>(client.events())) {
    changes += " " + std::to_string(static_cast<int>(change.state));
    if (change.error) changes += "(" + change.error->message + ")";
  }
  return changes;
}

// A device that was logged out from elsewhere: its open sockets close with the auth code, and
// its client neither stays connected nor comes back.
void check_ended(RecordedClient& device, FaultProxy& network, RawConnection& socket,
                 std::size_t attempts_at_end, const std::string& url) {
  CHECK(socket.wait_closed(kWithinASecond) == CloseCode::auth_failed);
  socket.send(R"({"id": 3, "type": "list_chats"})");
  // Events pushed before the close may still be read; no reply to the request may come.
  for (int frame = 0; frame < 100; ++frame) {
    auto text = socket.receive(std::chrono::milliseconds(300));
    if (!text) break;
    CHECK(text->find(R"("id":3)") == std::string::npos);
  }

  INFO("connection changes:", connection_changes(device));
  CHECK(device.record->wait_until(
      [](const std::vector<ClientEvent>& events) {
        return last_state(events) == ConnectionState::disconnected;
      },
      kLimit));
  std::this_thread::sleep_for(kNoReconnectWatch);
  // A client that had already dialled when the close came may have got one connection in.
  CHECK(network.accepted() <= attempts_at_end + 1);
  CHECK(device->state() == ConnectionState::disconnected);
  CHECK_FALSE(device->list_chats().ok());
  check_refused_everywhere(url, device.token);
}

void play(Ending ending) {
  ServerProcess server;
  FaultProxy d1_network(server.port());
  FaultProxy d2_network(server.port());
  auto d1 = register_recorded(quick_reconnect_options(d1_network.url()), "alice");
  auto d2 = login_recorded(quick_reconnect_options(d2_network.url()), "alice");
  auto bob = register_recorded(quick_reconnect_options(server.url()), "bob");
  auto chat = d2->open_direct_chat(bob->user()->id);
  REQUIRE(chat.ok());
  auto d1_socket = open_raw(server.url(), d1.token);
  auto d2_socket = open_raw(server.url(), d2.token);

  std::optional<RecordedClient> d3;
  switch (ending) {
    case Ending::logout:
      REQUIRE(d1->logout().ok());
      break;
    case Ending::logout_all:
      REQUIRE(d1->logout_all().ok());
      break;
    case Ending::change_password:
      d3 = login_recorded(quick_reconnect_options(server.url()), "alice");
      CHECK((*d3)->change_password("wrong password", kNewPassword).code() ==
            Errc::invalid_credentials);
      CHECK((*d3)->change_password(password_of("alice"), "short").code() == Errc::bad_request);
      // Neither refusal ended a session.
      CHECK(d1->list_chats().ok());
      REQUIRE((*d3)->change_password(password_of("alice"), kNewPassword).ok());
      break;
  }
  auto d1_attempts = d1_network.accepted();
  auto d2_attempts = d2_network.accepted();

  check_ended(d1, d1_network, *d1_socket, d1_attempts, server.url());

  if (ending == Ending::logout) {
    // D2 is another session and stays.
    CHECK(d2->state() == ConnectionState::connected);
    CHECK(d2->send_message(chat->id, "still here").ok());
    INFO("d2's connection changes:", connection_changes(d2));
    CHECK(times_caught_up(d2.events()) == 1);
    return;
  }
  check_ended(d2, d2_network, *d2_socket, d2_attempts, server.url());

  if (ending == Ending::change_password) {
    // The device that changed the password stays, and only the new password logs in.
    CHECK((*d3)->state() == ConnectionState::connected);
    CHECK((*d3)->send_message(chat->id, "changed it").ok());
    Client again(quick_reconnect_options(server.url()));
    CHECK(again.login("alice", password_of("alice")).code() == Errc::invalid_credentials);
    CHECK(again.login("alice", kNewPassword).ok());
  }
}

}  // namespace

TEST_CASE("case_c12_session_outlives_logout") {
  play(Ending::logout);
}

TEST_CASE("case_c12_session_outlives_logout: every session revoked") {
  play(Ending::logout_all);
}

TEST_CASE("case_c12_session_outlives_logout: password changed") {
  play(Ending::change_password);
}
