// c01: "delivered" claimed from a socket write. B's connection goes silent (no close, no reset)
// and A sends M: the server's write to B's socket succeeds, which proves nothing. Only B's
// client, acknowledging M after it reconnects, may make it "delivered".
#include <doctest/doctest.h>

#include "fault/support/event_views.hpp"
#include "fault/support/fault_proxy.hpp"
#include "fault/support/full_history.hpp"
#include "fault/support/recorded_client.hpp"
#include "fault/support/server_process.hpp"

using namespace messenger;
using namespace messenger::test;

namespace {

constexpr auto kPingInterval = std::chrono::milliseconds(500);
constexpr auto kPongTimeout = std::chrono::milliseconds(500);
// The keep-alive interval: silence, a ping, and the wait for its answer.
constexpr auto kKeepAlive = kPingInterval + kPongTimeout;
constexpr auto kLimit = std::chrono::seconds(30);

bool heard_delivered(const RecordedClient& client, ChatId chat, UserId member, Seq seq,
                     std::chrono::milliseconds limit) {
  return client.record->wait_until(
      [&](const std::vector<ClientEvent>& events) {
        return watermarks_of(events, chat, member).delivered_seq >= seq;
      },
      limit);
}

std::optional<Message> find(const std::vector<Message>& messages, MessageId id) {
  for (const auto& message : messages) {
    if (message.id == id) return message;
  }
  return std::nullopt;
}

}  // namespace

TEST_CASE("case_c01_delivered_claimed_from_socket_write") {
  REQUIRE(ServerProcess::has_keepalive_flags());
  ServerProcess server({.ping_interval = kPingInterval, .pong_timeout = kPongTimeout});
  FaultProxy bobs_network(server.port());
  auto alice = register_recorded(quick_reconnect_options(server.url()), "alice");
  auto bob = register_recorded(quick_reconnect_options(bobs_network.url()), "bob");
  UserId bob_id = bob->user()->id;
  auto chat = alice->open_direct_chat(bob_id);
  REQUIRE(chat.ok());
  REQUIRE(bob.record->wait_until(
      [&](const std::vector<ClientEvent>& events) {
        for (const auto& event : all_of<ChatEvent>(events)) {
          if (event.chat.id == chat->id) return true;
        }
        return false;
      },
      kLimit));

  bobs_network.stall();
  auto sent = alice->send_message(chat->id, "M");
  REQUIRE(sent.ok());

  // For twice the keep-alive interval (in which the server also finds bob silent and drops
  // him), nothing may claim that M reached bob.
  CHECK_FALSE(heard_delivered(alice, chat->id, bob_id, sent->seq, 2 * kKeepAlive));
  auto history = alice->history({.chat_id = chat->id});
  REQUIRE(history.ok());
  auto stored = find(*history, sent->message_id);
  REQUIRE(stored);
  CHECK(stored->status == MessageStatus::sent);
  CHECK(texts_from(bob.events(), chat->id, alice->user()->id).empty());

  // Bob's network comes back; his client reconnects, catches up and acknowledges M.
  bobs_network.cut_all();
  bobs_network.resume();
  CHECK(heard_delivered(alice, chat->id, bob_id, sent->seq, kLimit));
  auto received = texts_from(bob.events(), chat->id, alice->user()->id);
  REQUIRE(received.size() == 1);
  CHECK(received.front().id == sent->message_id);
  auto bobs_history = read_full_history(*bob.client, chat->id);
  REQUIRE(bobs_history.ok());
  CHECK(find(*bobs_history, sent->message_id));
  history = alice->history({.chat_id = chat->id});
  REQUIRE(history.ok());
  stored = find(*history, sent->message_id);
  REQUIRE(stored);
  CHECK(stored->status == MessageStatus::delivered);
}
