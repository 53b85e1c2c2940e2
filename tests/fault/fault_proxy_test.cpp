// The fault proxy itself, against plain TCP peers: what it forwards, cuts and holds back.
#include <doctest/doctest.h>

#include <thread>
#include <vector>

#include "fault/support/fault_proxy.hpp"
#include "fault/support/tcp_peer.hpp"

using namespace messenger::test;

namespace {

constexpr auto kLimit = std::chrono::seconds(10);
// Long enough for bytes on loopback to arrive if they were going to; used only to show that
// something does NOT happen while the proxy holds it back.
constexpr auto kQuiet = std::chrono::milliseconds(300);

// A client connected through the proxy, and the server's end of that connection.
struct Path {
  TcpStream client;
  TcpStream server;
};

Path open_path(TcpListener& server, FaultProxy& proxy) {
  auto client = TcpStream::connect(proxy.port());
  auto accepted = server.accept(kLimit);
  REQUIRE(accepted);
  return {std::move(client), std::move(*accepted)};
}

std::string pattern(std::size_t size) {
  std::string bytes(size, '\0');
  for (std::size_t i = 0; i < size; ++i)
    bytes[i] = static_cast<char>('a' + (i * 7 + i / 251) % 26);
  return bytes;
}

}  // namespace

TEST_CASE("the proxy forwards bytes both ways in order") {
  TcpListener server;
  FaultProxy proxy(server.port());
  auto path = open_path(server, proxy);
  auto up = pattern(1 << 20);
  auto down = pattern(300'000);

  std::thread writer([&] { path.client.send(up); });
  CHECK(path.server.receive(up.size(), kLimit) == up);
  writer.join();
  path.server.send(down);
  CHECK(path.client.receive(down.size(), kLimit) == down);
  CHECK(proxy.bytes_to_server() == up.size());
  CHECK(proxy.bytes_to_client() == down.size());
}

TEST_CASE("a reset cut ends every open connection on both sides") {
  TcpListener server;
  FaultProxy proxy(server.port());
  std::vector<Path> paths;
  for (int i = 0; i < 3; ++i)
    paths.push_back(open_path(server, proxy));
  paths[0].client.send("ping");
  CHECK(paths[0].server.receive(4, kLimit) == "ping");

  proxy.cut_all(CutKind::reset);

  for (auto& path : paths) {
    CHECK(path.client.wait_end(kLimit) == StreamEnd::reset);
    CHECK(path.server.wait_end(kLimit) == StreamEnd::reset);
  }
  CHECK(proxy.cuts() == 3);
  CHECK(proxy.open_links() == 0);
}

TEST_CASE("a fin cut ends the streams in order") {
  TcpListener server;
  FaultProxy proxy(server.port());
  auto path = open_path(server, proxy);

  proxy.cut_all(CutKind::fin);

  CHECK(path.client.wait_end(kLimit) == StreamEnd::fin);
  CHECK(path.server.wait_end(kLimit) == StreamEnd::fin);
}

TEST_CASE("a stalled proxy holds bytes back without closing and resume delivers them in order") {
  TcpListener server;
  FaultProxy proxy(server.port());
  auto path = open_path(server, proxy);

  proxy.stall();
  path.client.send("first ");
  path.server.send("reply");
  CHECK(path.server.receive(6, kQuiet).empty());
  CHECK(path.client.receive(5, kQuiet).empty());
  CHECK(path.client.end() == StreamEnd::open);
  CHECK(path.server.end() == StreamEnd::open);

  path.client.send("second");
  proxy.resume();
  CHECK(path.server.receive(12, kLimit) == "first second");
  CHECK(path.client.receive(5, kLimit) == "reply");
}

TEST_CASE("a connection opened while the proxy stalls stays silent until it resumes") {
  TcpListener server;
  FaultProxy proxy(server.port());
  proxy.stall();
  auto path = open_path(server, proxy);
  path.client.send("hello");
  CHECK(path.server.receive(5, kQuiet).empty());

  proxy.resume();
  CHECK(path.server.receive(5, kLimit) == "hello");
}

TEST_CASE("stalling replies only still forwards requests") {
  TcpListener server;
  FaultProxy proxy(server.port());
  auto path = open_path(server, proxy);

  proxy.stall(StallDirection::to_client);
  path.client.send("request");
  CHECK(path.server.receive(7, kLimit) == "request");
  path.server.send("reply");
  CHECK(path.client.receive(5, kQuiet).empty());

  proxy.resume();
  CHECK(path.client.receive(5, kLimit) == "reply");
}

TEST_CASE("an unreachable proxy resets new connections and leaves open ones alone") {
  TcpListener server;
  FaultProxy proxy(server.port());
  auto open = open_path(server, proxy);

  proxy.set_reachable(false);
  auto refused = TcpStream::connect(proxy.port());
  CHECK(refused.wait_end(kLimit) == StreamEnd::reset);
  CHECK_FALSE(server.accept(kQuiet));
  open.client.send("still here");
  CHECK(open.server.receive(10, kLimit) == "still here");

  proxy.set_reachable(true);
  auto again = open_path(server, proxy);
  again.client.send("back");
  CHECK(again.server.receive(4, kLimit) == "back");
}

TEST_CASE("a connection to a server that is down is reset") {
  std::uint16_t closed_port = 0;
  {
    TcpListener gone;
    closed_port = gone.port();
  }
  FaultProxy proxy(closed_port);
  auto client = TcpStream::connect(proxy.port());
  CHECK(client.wait_end(kLimit) == StreamEnd::reset);
}

TEST_CASE("the side that closes first still gets the other side's last bytes") {
  TcpListener server;
  FaultProxy proxy(server.port());
  auto path = open_path(server, proxy);

  path.client.send("bye");
  path.client.shut_down_sending();
  CHECK(path.server.receive(3, kLimit) == "bye");
  CHECK(path.server.wait_end(kLimit) == StreamEnd::fin);
  path.server.send("last words");
  path.server.shut_down_sending();
  CHECK(path.client.receive(10, kLimit) == "last words");
  CHECK(path.client.wait_end(kLimit) == StreamEnd::fin);
}

TEST_CASE("random cuts end connections one at a time at a bounded rate") {
  constexpr auto kMinGap = std::chrono::milliseconds(40);
  constexpr std::size_t kWantedCuts = 5;
  TcpListener server;
  FaultProxy proxy(server.port());
  std::vector<Path> paths;
  for (int i = 0; i < 8; ++i)
    paths.push_back(open_path(server, proxy));

  auto started = std::chrono::steady_clock::now();
  proxy.start_random_cuts({.seed = 7, .min_gap = kMinGap, .max_gap = 2 * kMinGap});
  auto deadline = started + kLimit;
  while (proxy.cuts() < kWantedCuts && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(kMinGap / 4);
  proxy.stop_random_cuts();
  auto elapsed = std::chrono::steady_clock::now() - started;

  auto cuts = proxy.cuts();
  CHECK(cuts >= kWantedCuts);
  CHECK(cuts <= static_cast<std::size_t>(elapsed / kMinGap) + 1);
  std::size_t ended = 0;
  for (int round = 0; round < 100 && ended < cuts; ++round) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    ended = 0;
    for (auto& path : paths)
      ended += path.client.wait_end(std::chrono::milliseconds(0)) != StreamEnd::open;
  }
  CHECK(ended == cuts);
  CHECK(proxy.open_links() == paths.size() - cuts);
}
