// The message scenarios: 1:1 chat, group fan-out, and their ceiling, a bare echo server.
#include <signal.h>

#include <cmath>
#include <cstdio>
#include <thread>

#include "message_load.hpp"
#include "messenger/crypto.hpp"
#include "scenarios.hpp"

namespace messenger::bench {
namespace {

constexpr int kEchoThreads = 2;

std::vector<int> first_users(int count) {
  std::vector<int> users(static_cast<std::size_t>(std::max(count, 0)));
  for (int i = 0; i < count; ++i)
    users[i] = i;
  return users;
}

LoadPlan plan_from(const BenchOptions& options, const OpenOutcome& opened, pid_t server) {
  LoadPlan plan;
  plan.connections = opened.connections;
  plan.sender_chat.assign(opened.connections.size(), 0);
  plan.rate = options.rate;
  plan.in_flight = options.in_flight;
  plan.warmup_s = options.warmup_s;
  plan.measure_s = options.measure_s;
  plan.drain_s = options.drain_s;
  plan.body_bytes = options.body_bytes;
  plan.server_pid = server;
  return plan;
}

void add_sessions(Json& out, const OpenOutcome& opened) {
  out["ready"] = opened.ready;
  out["logins_per_s"] = std::round(opened.ready / std::max(opened.seconds, 1e-9));
}

void close_all(BenchRun& run, const OpenOutcome& opened) {
  for (auto& connection : opened.connections)
    if (connection) connection->close();
  run.run_for(0.5);
}

// Runs the load over sessions opened on a started server, and finishes the report.
Json drive(BenchRun& run, const BenchOptions& options, LoginKind login,
           const std::function<void(LoadPlan&)>& shape) {
  const auto idle = sample_process(run.server_pid());
  auto opened = open_sessions(run.io(), run.transport(),
                              {.url = run.url(),
                               .users = first_users(options.users),
                               .login = login,
                               .in_flight = options.handshakes});
  const auto connected = sample_process(run.server_pid());
  auto plan = plan_from(options, opened, run.server_pid());
  shape(plan);
  Json out{{"scenario", options.scenario}, {"users", options.users}, {"rate", options.rate}};
  if (options.rate <= 0) out["in_flight"] = options.in_flight;
  add_sessions(out, opened);
  Json load = run_message_load(run.io(), plan);
  for (auto& [key, value] : load.items())
    out[key] = value;
  out["errors"] = out["errors"].get<long long>() + opened.errors;
  out["server_kb_per_conn"] =
      std::round(10.0 * static_cast<double>(connected.rss_kb - idle.rss_kb) /
                 std::max(opened.ready, 1)) /
      10.0;
  close_all(run, opened);
  return out;
}

}  // namespace

Json failed_run(const std::string& scenario, const std::string& error) {
  return Json{{"scenario", scenario}, {"ready", 0}, {"lost", 0}, {"errors", 1}, {"error", error}};
}

Json run_chat(const BenchOptions& options) {
  BenchRun run(options);
  auto seeded = run.seed({.users = options.users, .pair_users = true});
  if (!seeded) return failed_run(options.scenario, seeded.error().message);
  if (!run.start_server()) return failed_run(options.scenario, run.error());
  const auto& world = *seeded;
  Json out = drive(run, options, LoginKind::resume, [&](LoadPlan& plan) {
    for (std::size_t i = 0; i < plan.sender_chat.size(); ++i)
      plan.sender_chat[i] = world.pair_chats[i / 2];
  });
  out["durability"] = options.durability;
  // Every acknowledged message must be in the file: the server commits before it replies.
  run.stop_server();
  const auto stored = count_stored_messages(run.database_path());
  out["stored_messages"] = stored;
  out["stored_equals_delivered"] = stored == out["deliveries"].get<long long>();
  return out;
}

Json run_echo_ceiling(const BenchOptions& options) {
  BenchRun run(options);
  if (!run.start_echo_server()) return failed_run(options.scenario, run.error());
  return drive(run, options, LoginKind::none, [](LoadPlan& plan) {
    plan.echo = true;
    // Any number will do: the echo server does not read the frame.
    for (auto& chat : plan.sender_chat)
      chat = 1;
  });
}

Json run_fanout(const BenchOptions& options) {
  BenchOptions group = options;
  group.users = options.group_size;
  BenchRun run(group);
  auto seeded = run.seed({.users = group.users, .group_count = 1, .group_size = group.users});
  if (!seeded) return failed_run(options.scenario, seeded.error().message);
  if (!run.start_server()) return failed_run(options.scenario, run.error());
  const ChatId chat = seeded->groups.at(0);
  Json out = drive(run, group, LoginKind::resume, [&](LoadPlan& plan) {
    plan.sender_chat[0] = chat;
    plan.receivers_per_message = group.users - 1;
  });
  out["group_size"] = group.users;
  return out;
}

int serve_echo() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  asio::io_context io;
  auto guard = asio::make_work_guard(io);
  auto transport = make_websocket_transport(io);
  auto port = transport->listen({}, [](std::shared_ptr<Connection> connection) {
    // Weak: the transport keeps the connection alive while it reads; strong would be a cycle.
    std::weak_ptr<Connection> weak = connection;
    ConnectionEvents events;
    events.on_text = [weak](std::string text) {
      if (auto strong = weak.lock()) strong->send_text(std::move(text));
    };
    events.on_closed = [](CloseCode, std::string_view) {};
    return events;
  });
  if (!port) {
    std::fprintf(stderr, "listen failed: %s\n", port.error().message.c_str());
    return 1;
  }
  std::fprintf(stderr, "listening on ws://127.0.0.1:%u/ws\n", static_cast<unsigned>(*port));
  std::fflush(stderr);
  std::vector<std::thread> threads;
  for (int i = 0; i < kEchoThreads; ++i)
    threads.emplace_back([&io] { io.run(); });
  int received = 0;
  sigwait(&signals, &received);
  transport->stop_listening();
  io.stop();
  for (auto& thread : threads)
    thread.join();
  return 0;
}

}  // namespace messenger::bench
