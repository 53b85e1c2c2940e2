// c02: a message stored, its acknowledgement lost with the connection, then sent again.
#include <doctest/doctest.h>

#include <string>

#include "integration/support/event_waiter.hpp"
#include "integration/support/raw_connection.hpp"
#include "integration/support/test_server.hpp"

using namespace messenger;
using namespace messenger::test;

namespace {

std::string send_request(ChatId chat, const std::string& client_id, const std::string& text) {
  return R"({"id": 3, "type": "send_message", "chat_id": )" + std::to_string(chat) +
         R"(, "client_msg_id": ")" + client_id + R"(", "text": ")" + text + R"("})";
}

}  // namespace

TEST_CASE("case_c02_duplicate_after_lost_ack") {
  TestServer server;
  auto alice = server.registered_client("alice");
  auto bob = server.registered_client("bob");
  auto bob_user = alice->find_user("bob");
  REQUIRE(bob_user.ok());
  auto chat = alice->open_direct_chat(bob_user->id);
  REQUIRE(chat.ok());
  Client alice_login(server.client_options());
  auto session = alice_login.login("alice", password_of("alice"));
  REQUIRE(session.ok());

  // A raw connection sends M under client id X and drops before reading the acknowledgement.
  {
    RawConnection raw(server.url());
    raw.send(R"({"id": 1, "type": "hello", "protocol": 1, "client": "c02 test"})");
    auto hello = raw.receive();
    REQUIRE(hello);
    CHECK(hello->find(R"("ok":true)") != std::string::npos);
    raw.send(R"({"id": 2, "type": "resume", "token": ")" + session->token + R"("})");
    auto resumed = raw.receive();
    REQUIRE(resumed);
    CHECK(resumed->find(R"("ok":true)") != std::string::npos);
    raw.send(send_request(chat->id, "X", "M"));
    raw.drop();  // the acknowledgement is never read
  }
  auto first = wait_for_message(*bob);
  REQUIRE(first);
  CHECK(first->text == "M");

  // Resent once as it was and once with another body: both get the first acknowledgement.
  auto same = alice->send_message(chat->id, "M", "X");
  auto changed = alice->send_message(chat->id, "M, edited", "X");
  REQUIRE(same.ok());
  REQUIRE(changed.ok());
  CHECK(same->message_id == first->id);
  CHECK(same->seq == first->seq);
  CHECK(changed->message_id == first->id);
  CHECK(changed->seq == first->seq);

  auto history = bob->history({.chat_id = chat->id});
  REQUIRE(history.ok());
  REQUIRE(history->size() == 1);
  CHECK(history->front().text == "M");
  CHECK_FALSE(wait_for_message(*bob, std::chrono::milliseconds(300)));

  // The same client id in another chat is a separate message.
  auto group = alice->create_group("elsewhere", {bob_user->id});
  REQUIRE(group.ok());
  auto other = alice->send_message(group->id, "M", "X");
  REQUIRE(other.ok());
  CHECK(other->message_id != first->id);
  CHECK(other->seq == 1);
}
