#include <doctest/doctest.h>

#include <string>

#include "loopback_harness.hpp"

using namespace messenger;
using namespace messenger::test;

namespace {

struct InProcessPair {
  explicit InProcessPair(std::string host = "pair") : server(make_in_process_transport(io.io())) {
    ListenOptions options;
    options.host = std::move(host);
    auto bound = server.transport->listen(options, server.accept_handler(true));
    REQUIRE(bound.ok());
    url = "inproc://" + options.host + ":" + std::to_string(*bound);
    client = make_in_process_transport(io.io());
  }

  std::shared_ptr<Connection> connect(Recorder& recorder, ConnectWaiter& waiter) {
    ConnectOptions options;
    options.url = url;
    client->connect(options, recorder.events(), waiter.handler());
    return waiter.wait();
  }

  IoThreads io;
  RecordingServer server;
  std::shared_ptr<Transport> client;
  std::string url;
};

}  // namespace

TEST_CASE("an in-process pair carries messages both ways, in order") {
  InProcessPair pair;
  Recorder recorder;
  ConnectWaiter waiter;
  auto connection = pair.connect(recorder, waiter);
  REQUIRE(connection);
  for (int i = 0; i < 1000; ++i)
    connection->send_text(std::to_string(i));
  REQUIRE(recorder.wait_for_texts(1000));
  auto texts = recorder.texts();
  for (int i = 0; i < 1000; ++i)
    CHECK(texts[i] == std::to_string(i));
}

TEST_CASE("an in-process close reaches both ends once, after the messages sent before it") {
  InProcessPair pair;
  Recorder recorder;
  ConnectWaiter waiter;
  auto connection = pair.connect(recorder, waiter);
  REQUIRE(connection);
  auto server_side = pair.server.wait_connection();
  REQUIRE(server_side);
  for (int i = 0; i < 10; ++i)
    server_side->send_text("m");
  server_side->close(CloseCode::auth_failed, "revoked");
  server_side->close(CloseCode::normal, "twice");
  CHECK(recorder.wait_closed() == CloseCode::auth_failed);
  CHECK(recorder.close_reason() == "revoked");
  CHECK(pair.server.first.wait_closed() == CloseCode::auth_failed);
  CHECK(recorder.texts().size() == 10);
  connection->send_text("ignored");
  CHECK(recorder.close_count() == 1);
  CHECK(pair.server.first.close_count() == 1);
  CHECK_FALSE(pair.server.first.text_after_close());
}

TEST_CASE("an in-process sender past the queue cap is closed with policy_violation") {
  IoThreads client_io;
  asio::io_context stalled_io;  // the server's: nothing runs, so nothing is received
  RecordingServer server(make_in_process_transport(stalled_io));
  ListenOptions options;
  options.host = "stalled";
  auto bound = server.transport->listen(options, server.accept_handler(false));
  REQUIRE(bound.ok());

  auto client = make_in_process_transport(client_io.io());
  Recorder recorder;
  ConnectWaiter waiter;
  ConnectOptions connect;
  connect.url = "inproc://stalled:" + std::to_string(*bound);
  connect.limits.max_queued_bytes = 10000;
  client->connect(connect, recorder.events(), waiter.handler());
  auto connection = waiter.wait();
  REQUIRE(connection);
  for (int i = 0; i < 20; ++i)
    connection->send_text(std::string(1000, 'x'));
  CHECK(recorder.wait_closed() == CloseCode::policy_violation);
  CHECK(connection->queued_bytes() <= 10000);

  // The sends that `stalled_io` never ran hold the pipe, with its strand on `client_io`: that
  // context must outlive them, and its threads must not still be running a handler that drops
  // the pipe's last reference once `stalled_io` is gone.
  client_io.stop();
}

TEST_CASE("connecting in-process to a name nobody listens on fails with disconnected") {
  InProcessPair pair("present");
  Recorder recorder;
  ConnectWaiter waiter;
  ConnectOptions options;
  options.url = "inproc://absent:1";
  pair.client->connect(options, recorder.events(), waiter.handler());
  CHECK_FALSE(waiter.wait());
  CHECK(waiter.error() == Errc::disconnected);

  pair.server.transport->stop_listening();
  ConnectWaiter after_stop;
  CHECK_FALSE(pair.connect(recorder, after_stop));
  CHECK(after_stop.error() == Errc::disconnected);
}

TEST_CASE("two in-process listeners cannot share a name, and port 0 picks distinct ports") {
  IoThreads io;
  auto first = make_in_process_transport(io.io());
  auto second = make_in_process_transport(io.io());
  auto accept = [](std::shared_ptr<Connection>) { return ConnectionEvents{}; };
  ListenOptions options;
  options.host = "shared";
  auto a = first->listen(options, accept);
  auto b = second->listen(options, accept);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(*a != *b);
  options.port = *a;
  CHECK(second->listen(options, accept).code() == Errc::disconnected);
}
