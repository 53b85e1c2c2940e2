// What a host may do from inside the client's event handler, which runs on the client's own
// network thread.
#include <doctest/doctest.h>

#include <chrono>
#include <future>

#include "integration/support/test_server.hpp"

using namespace messenger;
using namespace messenger::test;

TEST_CASE("a blocking request from the event handler fails at once instead of stalling") {
  TestServer server;
  auto options = server.client_options();
  // Longer than the wait below: a request that waited its time out would fail the test.
  options.request_timeout = std::chrono::seconds(30);
  Client alice(options);
  REQUIRE(alice.register_user("alice", password_of("alice")).ok());
  auto bob = server.registered_client("bob");
  auto chat = alice.open_direct_chat(bob->user()->id);
  REQUIRE(chat.ok());

  std::promise<Error> from_handler;
  std::promise<std::size_t> outbox_from_handler;
  bool asked = false;
  alice.set_event_handler([&](const ClientEvent& event) {
    if (asked || !std::holds_alternative<MessageEvent>(event)) return;
    asked = true;
    auto found = alice.find_user("bob");
    from_handler.set_value(found.ok() ? Error{} : found.error());
    // The calls documented as allowed still work here.
    outbox_from_handler.set_value(alice.outbox_size());
  });
  REQUIRE(bob->send_message(chat->id, "hello").ok());

  auto error = from_handler.get_future();
  REQUIRE(error.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
  CHECK(error.get().code == Errc::bad_request);
  auto outbox = outbox_from_handler.get_future();
  REQUIRE(outbox.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
  CHECK(outbox.get() == 0);
  // Outside the handler the same request works.
  CHECK(alice.find_user("bob").ok());
  alice.set_event_handler(nullptr);
}
