// A tiny peer for interop tests, on the public transport API only.
//
//   ws_echo server          listens on 127.0.0.1:0, prints "PORT <n>", echoes every text
//                           message; "close:<code>" makes it close with that code instead.
//                           Exits when stdin closes, or after kServerLifetime.
//   ws_echo client URL N    sends N messages (small, 70 KB, emoji), expects each echoed in
//                           order, closes normally; exits 0 when all came back, else 1.

#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "messenger/transport.hpp"

using namespace messenger;

namespace {

constexpr auto kServerLifetime = std::chrono::minutes(2);
constexpr auto kClientLimit = std::chrono::seconds(20);
constexpr std::size_t kLargeMessage = 70'000;
constexpr std::string_view kClosePrefix = "close:";

int run_server() {
  asio::io_context io;
  auto guard = asio::make_work_guard(io);
  auto transport = make_websocket_transport(io);
  auto port = transport->listen({}, [](std::shared_ptr<Connection> connection) {
    // Weak: the session keeps itself alive while it reads; a strong capture would be a cycle.
    std::weak_ptr<Connection> weak = connection;
    ConnectionEvents events;
    events.on_text = [weak](std::string text) {
      auto strong = weak.lock();
      if (!strong) return;
      if (text.rfind(kClosePrefix, 0) == 0) {
        const int code = std::atoi(text.c_str() + kClosePrefix.size());
        strong->close(static_cast<CloseCode>(code), "requested");
        return;
      }
      strong->send_text(std::move(text));
    };
    events.on_closed = [](CloseCode, std::string_view) {};
    return events;
  });
  if (!port) {
    std::cerr << "listen failed: " << port.error().message << "\n";
    return 1;
  }
  std::cout << "PORT " << *port << std::endl;

  std::thread io_thread([&io] { io.run_for(kServerLifetime); });
  // The test that started us ends us by closing our stdin.
  std::string line;
  while (std::getline(std::cin, line)) {
  }
  transport->stop_listening();
  io.stop();
  io_thread.join();
  return 0;
}

std::string message_number(int i) {
  std::string text = "message " + std::to_string(i);
  if (i % 10 == 3) text += " \xF0\x9F\x98\x80 \xC3\xA9";
  if (i % 10 == 7) text += std::string(kLargeMessage, static_cast<char>('a' + i % 26));
  return text;
}

int run_client(const std::string& url, int count) {
  asio::io_context io;
  auto guard = asio::make_work_guard(io);
  auto transport = make_websocket_transport(io);
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<std::string> received;
  bool finished = false;
  std::shared_ptr<Connection> connection;

  ConnectionEvents events;
  events.on_text = [&](std::string text) {
    std::lock_guard lock(mutex);
    received.push_back(std::move(text));
    changed.notify_all();
  };
  events.on_closed = [&](CloseCode, std::string_view) {
    std::lock_guard lock(mutex);
    finished = true;
    changed.notify_all();
  };
  ConnectOptions options;
  options.url = url;
  transport->connect(options, events, [&](Result<std::shared_ptr<Connection>> result) {
    std::lock_guard lock(mutex);
    if (result) {
      connection = *result;
    } else {
      std::cerr << "connect failed: " << result.error().message << "\n";
      finished = true;
    }
    changed.notify_all();
  });
  std::thread io_thread([&io] { io.run_for(kClientLimit); });

  bool ok = false;
  {
    std::unique_lock lock(mutex);
    changed.wait_for(lock, kClientLimit, [&] { return connection || finished; });
    if (connection) {
      for (int i = 0; i < count; ++i)
        connection->send_text(message_number(i));
      changed.wait_for(lock, kClientLimit, [&] {
        return received.size() >= static_cast<std::size_t>(count) || finished;
      });
      ok = received.size() == static_cast<std::size_t>(count);
      for (int i = 0; ok && i < count; ++i)
        ok = received[i] == message_number(i);
      connection->close(CloseCode::normal, "done");
      changed.wait_for(lock, kClientLimit, [&] { return finished; });
    }
  }
  io.stop();
  io_thread.join();
  std::cout << (ok ? "all echoed" : "echo mismatch") << std::endl;
  return ok ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  if (mode == "server" && argc == 2) return run_server();
  if (mode == "client" && argc == 4) return run_client(argv[2], std::atoi(argv[3]));
  std::cerr << "usage: ws_echo server | ws_echo client URL COUNT\n";
  return 2;
}
