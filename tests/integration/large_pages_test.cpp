// Pages of large messages: a sync or history reply is cut to a size every client accepts, and
// nothing is lost on the way.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "integration/support/event_waiter.hpp"
#include "integration/support/raw_connection.hpp"
#include "integration/support/test_server.hpp"

using namespace messenger;
using namespace messenger::test;

namespace {

constexpr int kMessages = 120;
// Quotes and backslashes take two bytes each in JSON: 16,000 of them make a 32 KB message,
// so a default page of 100 would be over 3 MB.
constexpr std::size_t kTextBytes = 16'000;

std::string large_text(int number) {
  std::string text = std::to_string(number) + ":";
  while (text.size() < kTextBytes)
    text += text.size() % 2 ? '"' : '\\';
  return text;
}

struct LargeChat {
  TestServer server;
  std::unique_ptr<Client> alice = server.registered_client("alice");
  ChatId chat = 0;

  /// Alice sends every message while bob has no device online.
  LargeChat() {
    server.registered_client("bob").reset();
    auto bob = alice->find_user("bob");
    REQUIRE(bob.ok());
    auto opened = alice->open_direct_chat(bob->id);
    REQUIRE(opened.ok());
    chat = opened->id;
    for (int i = 1; i <= kMessages; ++i)
      REQUIRE(alice->send_message(chat, large_text(i)).ok());
  }
};

/// Sends `request` and returns the reply to `id`, skipping the events that come before it.
nlohmann::json call(RawConnection& raw, int id, const std::string& request) {
  raw.send(request);
  for (int frame = 0; frame < 100; ++frame) {
    auto text = raw.receive();
    REQUIRE(text);
    CHECK(text->size() < Limits{}.max_frame_bytes);
    auto json = nlohmann::json::parse(*text);
    if (json.contains("id") && json["id"] == id) return json;
  }
  FAIL("no reply to request " << id);
  return {};
}

}  // namespace

TEST_CASE("a device catches up on a chat of large messages without being cut off") {
  LargeChat large;
  Client bob(large.server.client_options());
  REQUIRE(bob.login("bob", password_of("bob")).ok());

  int received = 0;
  while (auto message = wait_for_message(bob)) {
    ++received;
    CHECK(message->seq == static_cast<Seq>(received));
    CHECK(message->text == large_text(received));
    if (received == kMessages) break;
  }
  CHECK(received == kMessages);
  CHECK(bob.list_chats().ok());
}

TEST_CASE("history of large messages comes whole through the client") {
  LargeChat large;
  auto bob = large.server.logged_in_client("bob");

  auto newest_first = bob->history({.chat_id = large.chat, .limit = 200});
  REQUIRE(newest_first.ok());
  REQUIRE(newest_first->size() == kMessages);
  for (int i = 0; i < kMessages; ++i)
    CHECK((*newest_first)[static_cast<std::size_t>(i)].seq == static_cast<Seq>(kMessages - i));

  auto oldest_first = bob->history({.chat_id = large.chat,
                                    .anchor = 0,
                                    .direction = HistoryDirection::after,
                                    .order = HistoryOrder::oldest_first,
                                    .limit = 50});
  REQUIRE(oldest_first.ok());
  REQUIRE(oldest_first->size() == 50);
  for (int i = 0; i < 50; ++i)
    CHECK((*oldest_first)[static_cast<std::size_t>(i)].text == large_text(i + 1));
}

TEST_CASE("on the wire, a page of large messages is cut short and says there is more") {
  LargeChat large;
  Client bob(large.server.client_options());
  auto session = bob.login("bob", password_of("bob"));
  REQUIRE(session.ok());

  RawConnection raw(large.server.url());
  call(raw, 1, R"({"id": 1, "type": "hello", "protocol": 1})");
  call(raw, 2, R"({"id": 2, "type": "resume", "token": ")" + session->token + R"("})");

  auto history = call(raw, 3,
                      R"({"id": 3, "type": "get_history", "chat_id": )" +
                          std::to_string(large.chat) + R"(, "limit": 200})");
  REQUIRE(history["messages"].is_array());
  auto page = history["messages"].size();
  CHECK(page >= 1);
  CHECK(page < kMessages);
  CHECK(history["more"] == true);
  CHECK(history["messages"][0]["seq"] == kMessages);

  auto sync = call(raw, 4, R"({"id": 4, "type": "sync", "cursor": 0, "limit": 500})");
  REQUIRE(sync["updates"].is_array());
  CHECK(sync["more"] == true);
  CHECK(sync["updates"].size() < kMessages);
  auto last_cursor = sync["updates"].back()["cursor"];
  CHECK(sync["cursor"] == last_cursor);

  auto chats = call(raw, 5, R"({"id": 5, "type": "list_chats"})");
  CHECK(chats["ok"] == true);
}
