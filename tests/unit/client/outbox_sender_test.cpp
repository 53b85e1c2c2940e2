#include <doctest/doctest.h>

#include <asio/io_context.hpp>

#include "client/outbox_sender.hpp"
#include "unit/client/client_test_support.hpp"

using namespace messenger;
using messenger::test::error_frame;
using messenger::test::reply_frame;
using messenger::test::SentRequests;

namespace {

struct Harness {
  asio::io_context io;
  Logger log;
  Outbox outbox{nullptr, {}, log};
  SentRequests requests;
  bool connected = true;
  std::vector<SendResultEvent> results;
  OutboxSender sender{
      io,
      outbox,
      {.send = requests.sender(),
       .can_send = [this] { return connected; },
       .emit = [this](ClientEvent event) { results.push_back(std::get<SendResultEvent>(event)); }}};

  void queue(const std::string& id) { outbox.push({id, 7, "text of " + id}); }
  std::string sending() { return requests.oldest<protocol::SendMessage>().client_msg_id; }
  void ack(Seq seq) {
    protocol::SendReply reply;
    reply.ack = SendAck{seq * 10, 7, seq, 0};
    requests.answer(reply_frame(reply));
  }
};

}  // namespace

TEST_CASE("the outbox is sent one message at a time in the order queued") {
  Harness h;
  h.queue("a");
  h.queue("b");
  h.sender.flush();
  h.sender.flush();
  REQUIRE(h.requests.sent.size() == 1);
  CHECK(h.sending() == "a");
  h.ack(1);
  REQUIRE(h.requests.sent.size() == 1);
  CHECK(h.sending() == "b");
  h.ack(2);
  CHECK(h.outbox.size() == 0);
  REQUIRE(h.results.size() == 2);
  CHECK(h.results[0].client_msg_id == "a");
  REQUIRE(h.results[0].ack);
  CHECK(h.results[0].ack->seq == 1);
  CHECK(h.results[1].client_msg_id == "b");
}

TEST_CASE("a message refused for good leaves the outbox with its error") {
  Harness h;
  h.queue("a");
  h.queue("b");
  h.sender.flush();
  h.requests.answer(error_frame(Errc::not_a_member));
  REQUIRE(h.results.size() == 1);
  REQUIRE(h.results[0].error);
  CHECK(h.results[0].error->code == Errc::not_a_member);
  CHECK_FALSE(h.results[0].ack);
  CHECK(h.outbox.size() == 1);
  CHECK(h.sending() == "b");
}

TEST_CASE("a message whose connection dropped is sent again, with the same id, first") {
  Harness h;
  h.queue("a");
  h.queue("b");
  h.sender.flush();
  h.connected = false;
  h.sender.connection_lost();
  h.requests.answer(Error{Errc::disconnected, "gone"});
  CHECK(h.results.empty());
  CHECK(h.outbox.size() == 2);

  h.connected = true;
  h.sender.flush();
  REQUIRE(h.requests.sent.size() == 1);
  CHECK(h.sending() == "a");
}

TEST_CASE("nothing is sent while the client cannot send") {
  Harness h;
  h.connected = false;
  h.queue("a");
  h.sender.flush();
  CHECK(h.requests.sent.empty());
}

TEST_CASE("a message refused for now stays first in the outbox and is retried") {
  Harness h;
  h.queue("a");
  h.queue("b");
  h.sender.flush();
  h.requests.answer(error_frame(Errc::rate_limited));
  CHECK(h.results.empty());
  CHECK(h.requests.sent.empty());
  h.io.run_one_for(kOutboxRetryDelay * 5);  // the retry timer
  REQUIRE(h.requests.sent.size() == 1);
  CHECK(h.sending() == "a");
}
