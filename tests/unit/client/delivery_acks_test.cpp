#include <doctest/doctest.h>

#include <asio/io_context.hpp>

#include "client/delivery_acks.hpp"
#include "unit/client/client_test_support.hpp"

using namespace messenger;
using messenger::test::error_frame;
using messenger::test::reply_frame;
using messenger::test::SentRequests;

TEST_CASE("a burst of messages is acknowledged with one request per chat, at the highest seq") {
  asio::io_context io;
  SentRequests requests;
  DeliveryAcks acks(io, requests.sender());
  acks.want(1, 3);
  acks.want(1, 5);
  acks.want(1, 4);
  acks.want(2, 1);
  CHECK(requests.sent.empty());  // sent once the burst is read
  io.poll();
  REQUIRE(requests.sent.size() == 2);
  CHECK(requests.oldest<protocol::AckDelivered>().chat_id == 1);
  CHECK(requests.oldest<protocol::AckDelivered>().seq == 5);
}

TEST_CASE("an acknowledgement lost with the connection is sent again") {
  asio::io_context io;
  SentRequests requests;
  DeliveryAcks acks(io, requests.sender());
  acks.want(1, 3);
  io.poll();
  REQUIRE(requests.sent.size() == 1);

  acks.connection_lost();
  requests.answer(Error{Errc::disconnected, "gone"});  // ignored: the connection is gone
  acks.flush();
  REQUIRE(requests.sent.size() == 1);
  CHECK(requests.oldest<protocol::AckDelivered>().seq == 3);

  requests.answer(reply_frame(protocol::EmptyReply{}));
  acks.flush();
  CHECK(requests.sent.empty());
}

TEST_CASE("an acknowledgement refused for good is not sent again") {
  asio::io_context io;
  SentRequests requests;
  DeliveryAcks acks(io, requests.sender());
  acks.want(1, 3);
  io.poll();
  requests.answer(error_frame(Errc::not_a_member));
  acks.flush();
  CHECK(requests.sent.empty());
}

TEST_CASE("a higher seq owed while an acknowledgement is on its way is acknowledged too") {
  asio::io_context io;
  SentRequests requests;
  DeliveryAcks acks(io, requests.sender());
  acks.want(1, 3);
  io.poll();
  acks.want(1, 8);
  io.restart();  // the first poll ran out of work
  io.poll();
  REQUIRE(requests.sent.size() == 2);
  requests.answer(reply_frame(protocol::EmptyReply{}));
  requests.answer(reply_frame(protocol::EmptyReply{}));
  acks.flush();
  CHECK(requests.sent.empty());
}

TEST_CASE("an acknowledgement refused for now stays owed") {
  asio::io_context io;
  SentRequests requests;
  DeliveryAcks acks(io, requests.sender());
  acks.want(1, 3);
  io.poll();
  requests.answer(error_frame(Errc::rate_limited));
  acks.flush();
  REQUIRE(requests.sent.size() == 1);
  CHECK(requests.oldest<protocol::AckDelivered>().seq == 3);
}
