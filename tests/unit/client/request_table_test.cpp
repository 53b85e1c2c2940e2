#include <doctest/doctest.h>

#include <asio/io_context.hpp>
#include <optional>

#include "client/request_table.hpp"
#include "unit/client/client_test_support.hpp"

using namespace messenger;
using std::chrono::milliseconds;

namespace {

constexpr milliseconds kLong{60'000};
constexpr milliseconds kRunLimit{5'000};

}  // namespace

TEST_CASE("a reply runs the handler of its request once") {
  asio::io_context io;
  RequestTable table(io);
  int calls = 0;
  auto id = table.add(kLong, [&](Result<protocol::ServerFrame> reply) {
    ++calls;
    CHECK(reply.ok());
  });
  CHECK(table.complete(id, test::reply_frame(protocol::EmptyReply{})));
  CHECK_FALSE(table.complete(id, test::reply_frame(protocol::EmptyReply{})));
  CHECK(calls == 1);
  CHECK(table.size() == 0);
  io.run_for(milliseconds(10));  // the cancelled deadline finds nothing to do
  CHECK(calls == 1);
}

TEST_CASE("a request without a reply ends with timeout") {
  asio::io_context io;
  RequestTable table(io);
  std::optional<Errc> ended;
  (void)table.add(milliseconds(1),
                  [&](Result<protocol::ServerFrame> reply) { ended = reply.code(); });
  io.run_for(kRunLimit);  // returns once the deadline has run: nothing else is queued
  CHECK(ended == Errc::timeout);
  CHECK(table.size() == 0);
}

TEST_CASE("failing all requests ends each once, oldest first, and not requests sent meanwhile") {
  asio::io_context io;
  RequestTable table(io);
  std::vector<int> order;
  (void)table.add(kLong, [&](Result<protocol::ServerFrame> reply) {
    CHECK(reply.code() == Errc::disconnected);
    order.push_back(1);
    (void)table.add(kLong, [&](Result<protocol::ServerFrame>) { order.push_back(3); });
  });
  (void)table.add(kLong, [&](Result<protocol::ServerFrame>) { order.push_back(2); });
  table.fail_all({Errc::disconnected, "gone"});
  CHECK(order == std::vector<int>{1, 2});
  CHECK(table.size() == 1);
}

TEST_CASE("a late reply to an unknown request is ignored") {
  asio::io_context io;
  RequestTable table(io);
  CHECK_FALSE(table.complete(99, test::reply_frame(protocol::EmptyReply{})));
  CHECK(table.untracked() != table.untracked());
}
