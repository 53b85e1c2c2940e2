// The connection scenarios: idle connections, session setup rate, reconnect storm.
#include <cmath>
#include <fstream>
#include <functional>
#include <sstream>

#include "messenger/crypto.hpp"
#include "scenarios.hpp"

namespace messenger::bench {
namespace {

constexpr int kGroupMembers = 1000;  // the most one group may hold
constexpr int kSyncLimit = 500;
// Below the server's 256 unanswered requests per connection.
constexpr std::size_t kSendWindow = 100;
constexpr int kMaxSyncPages = 10'000;
constexpr double kSettleSeconds = 3;
constexpr auto kSendLimit = std::chrono::seconds(120);
constexpr auto kCatchUpLimit = std::chrono::seconds(300);

std::vector<int> user_range(int first, int count) {
  std::vector<int> users;
  for (int i = 0; i < count; ++i)
    users.push_back(first + i);
  return users;
}

struct SocketMemory {
  long long tcp_in_use = 0;
  long long tcp_mem_pages = 0;
};

// /proc/net/sockstat: "TCP: inuse 5 orphan 0 tw 0 alloc 7 mem 1".
SocketMemory read_sockstat() {
  std::ifstream file("/proc/net/sockstat");
  std::string line;
  SocketMemory memory;
  while (std::getline(file, line)) {
    if (line.rfind("TCP:", 0) != 0) continue;
    std::istringstream words(line.substr(4));
    std::string key;
    long long value = 0;
    while (words >> key >> value) {
      if (key == "inuse") memory.tcp_in_use = value;
      if (key == "mem") memory.tcp_mem_pages = value;
    }
  }
  return memory;
}

void close_all(BenchRun& run, OpenOutcome& opened) {
  for (auto& connection : opened.connections)
    if (connection) connection->close();
  run.run_for(1.0);
  opened.connections.clear();
}

double ms_p99(std::vector<double> ms) {
  return std::round(summarize(ms).p99_ms * 1000.0) / 1000.0;
}

// Syncs one connection from `cursor` until `more` is false; counts message updates.
struct SyncLoop : std::enable_shared_from_this<SyncLoop> {
  std::shared_ptr<LoadConnection> connection;
  std::int64_t cursor = 0;
  int pages = 0;
  long long messages = 0;
  bool done = false;
  bool failed = false;
  Clock::time_point finished;

  void next() {
    std::string fields = R"("type":"sync","cursor":)" + std::to_string(cursor) + R"(,"limit":)" +
                         std::to_string(kSyncLimit);
    connection->request(fields, [self = shared_from_this()](bool ok, const std::string& frame) {
      self->on_page(ok, frame);
    });
  }

  void on_page(bool ok, const std::string& frame) {
    if (!ok || ++pages > kMaxSyncPages) {
      failed = done = true;
      finished = Clock::now();
      return;
    }
    for (auto at = frame.find("{\"event\":\"message\""); at != std::string::npos;
         at = frame.find("{\"event\":\"message\"", at + 1))
      ++messages;
    const auto tail = frame.rfind("\"cursor\":");
    cursor = json_integer(std::string_view(frame).substr(tail), "cursor");
    if (frame.rfind("\"more\":true") != std::string::npos) return next();
    done = true;
    finished = Clock::now();
  }
};

// Starts every loop afresh on its connection (none where the login failed) and runs until
// all of them are caught up.
void sync_all(BenchRun& run, std::vector<std::shared_ptr<SyncLoop>>& loops,
              const std::vector<std::shared_ptr<LoadConnection>>& connections) {
  for (std::size_t i = 0; i < loops.size(); ++i) {
    auto& loop = *loops[i];
    loop.connection = connections[i];
    loop.done = loop.failed = false;
    loop.messages = 0;
    loop.pages = 0;
    if (loop.connection) loop.next();
  }
  auto all_done = [&] {
    for (auto& loop : loops)
      if (loop->connection && !loop->done) return false;
    return true;
  };
  run_until(run.io(), all_done, Clock::now() + kCatchUpLimit);
}

struct SendOutcome {
  long long acked = 0;
  long long errors = 0;  ///< error replies, and messages never answered
};

// User `sender` sends `count` messages round robin over `groups`, at most kSendWindow at once.
SendOutcome send_while_away(BenchRun& run, int sender, const std::vector<ChatId>& groups,
                            int count) {
  auto sending = open_sessions(run.io(), run.transport(), {.url = run.url(), .users = {sender}});
  SendOutcome outcome;
  auto connection = sending.connections.at(0);
  if (!connection) {
    outcome.errors = count;
    return outcome;
  }
  int next = 0;
  std::function<void()> pump = [&] {
    while (next < count && connection->in_flight() < kSendWindow) {
      const ChatId chat = groups[next % groups.size()];
      std::string fields = R"("type":"send_message","chat_id":)" + std::to_string(chat) +
                           R"(,"client_msg_id":"away-)" + std::to_string(next++) +
                           R"(","text":"while you were away")";
      connection->request(fields, [&](bool ok, const std::string&) {
        ok ? ++outcome.acked : ++outcome.errors;
        pump();
      });
    }
  };
  pump();
  run_until(
      run.io(), [&] { return outcome.acked + outcome.errors == count; }, Clock::now() + kSendLimit);
  outcome.errors = count - outcome.acked;
  close_all(run, sending);
  return outcome;
}

}  // namespace

Json run_idle(const BenchOptions& options) {
  const long file_limit = raise_file_limit();
  BenchRun run(options);
  auto seeded = run.seed({.users = options.users});
  if (!seeded) return failed_run(options.scenario, seeded.error().message);
  if (!run.start_server()) return failed_run(options.scenario, run.error());
  run.run_for(0.5);
  const auto before = sample_process(run.server_pid());
  const auto sockets_before = read_sockstat();
  auto opened = open_sessions(run.io(), run.transport(),
                              {.url = run.url(),
                               .users = user_range(0, options.users),
                               .in_flight = options.handshakes,
                               .limit = std::chrono::seconds(600)});
  run.run_for(kSettleSeconds);
  const auto after = sample_process(run.server_pid());
  const auto sockets_after = read_sockstat();
  const int ready = std::max(opened.ready, 1);

  Json out{{"scenario", options.scenario}, {"users", options.users}};
  out["ready"] = opened.ready;
  out["logins_per_s"] = std::round(opened.ready / std::max(opened.seconds, 1e-9));
  out["lost"] = 0;
  out["errors"] = opened.errors;
  out["server_rss_kb"] = after.rss_kb;
  out["server_hwm_kb"] = after.hwm_kb;
  out["server_kb_per_conn"] =
      std::round(100.0 * static_cast<double>(after.rss_kb - before.rss_kb) / ready) / 100.0;
  out["kernel_tcp_sockets"] = sockets_after.tcp_in_use - sockets_before.tcp_in_use;
  // Both ends of each loopback connection are on this machine; the pages are both ends'.
  out["kernel_tcp_kb_per_conn"] =
      std::round(100.0 * 4.0 *
                 static_cast<double>(sockets_after.tcp_mem_pages - sockets_before.tcp_mem_pages) /
                 ready) /
      100.0;
  out["file_limit"] = file_limit;
  close_all(run, opened);
  return out;
}

Json run_connect(const BenchOptions& options) {
  raise_file_limit();
  auto crypto = make_sodium_crypto();
  auto hash = crypto->hash_password(bench_password());
  if (!hash) return failed_run(options.scenario, hash.error().message);
  BenchRun run(options);
  auto seeded = run.seed({.users = options.users, .password_hash = *hash});
  if (!seeded) return failed_run(options.scenario, seeded.error().message);
  if (!run.start_server()) return failed_run(options.scenario, run.error());

  auto resumed = open_sessions(run.io(), run.transport(),
                               {.url = run.url(),
                                .users = user_range(0, options.users),
                                .in_flight = options.handshakes,
                                .limit = std::chrono::seconds(600)});
  close_all(run, resumed);
  const int logins = std::min(options.password_logins, options.users);
  auto passwords = open_sessions(run.io(), run.transport(),
                                 {.url = run.url(),
                                  .users = user_range(0, logins),
                                  .login = LoginKind::password,
                                  .in_flight = options.handshakes,
                                  .limit = std::chrono::seconds(600)});
  close_all(run, passwords);

  Json out{{"scenario", options.scenario},
           {"users", options.users},
           {"handshakes_in_flight", options.handshakes}};
  out["ready"] = resumed.ready;
  out["logins_per_s"] = std::round(resumed.ready / std::max(resumed.seconds, 1e-9));
  add_latency(out, resumed.ready_ms);
  out["password_ready"] = passwords.ready;
  out["password_logins_per_s"] =
      std::round(10.0 * passwords.ready / std::max(passwords.seconds, 1e-9)) / 10.0;
  out["password_p50_ms"] = std::round(summarize(passwords.ready_ms).p50_ms);
  out["password_p99_ms"] = ms_p99(passwords.ready_ms);
  out["lost"] = 0;
  out["errors"] = resumed.errors + passwords.errors;
  const auto sample = sample_process(run.server_pid());
  out["server_rss_kb"] = sample.rss_kb;
  out["server_hwm_kb"] = sample.hwm_kb;
  return out;
}

Json run_reconnect(const BenchOptions& options) {
  raise_file_limit();
  const int clients = options.users;
  const int sender = clients;  // the one who writes while they are away, in every group
  const int groups = (clients + kGroupMembers - 1) / kGroupMembers;
  BenchRun run(options);
  auto seeded = run.seed({.users = clients + 1,
                          .group_count = groups,
                          .group_size = kGroupMembers,
                          .group_owner = sender});
  if (!seeded) return failed_run(options.scenario, seeded.error().message);
  if (!run.start_server()) return failed_run(options.scenario, run.error());
  const OpenPlan plan{.url = run.url(),
                      .users = user_range(0, clients),
                      .in_flight = options.handshakes,
                      .limit = std::chrono::seconds(600)};

  // Everyone logs in once and syncs to the end, to hold a cursor.
  auto first = open_sessions(run.io(), run.transport(), plan);
  std::vector<std::shared_ptr<SyncLoop>> loops(first.connections.size());
  for (auto& loop : loops)
    loop = std::make_shared<SyncLoop>();
  sync_all(run, loops, first.connections);
  close_all(run, first);

  auto sent = send_while_away(run, sender, seeded->groups, options.messages);

  // The storm: everyone reconnects at once and syncs from their cursor.
  const auto storm = Clock::now();
  auto second = open_sessions(run.io(), run.transport(), plan);
  sync_all(run, loops, second.connections);
  const double storm_s = std::chrono::duration<double>(Clock::now() - storm).count();
  std::vector<double> caught_up_ms;
  long long received = 0;
  int failed = 0;
  for (auto& loop : loops) {
    if (!loop->connection || !loop->done) continue;
    if (loop->failed) ++failed;
    received += loop->messages;
    caught_up_ms.push_back(
        std::chrono::duration<double, std::milli>(loop->finished - storm).count());
  }
  // Each message was for the members of one group (the last group may be smaller).
  long long expected = 0;
  for (int i = 0; i < options.messages; ++i)
    expected += std::min(kGroupMembers, clients - (i % groups) * kGroupMembers);

  Json out{{"scenario", options.scenario}, {"users", clients}, {"messages", options.messages}};
  out["ready"] = second.ready;
  out["logins_per_s"] = std::round(second.ready / std::max(second.seconds, 1e-9));
  out["all_caught_up_s"] = std::round(storm_s * 1000.0) / 1000.0;
  add_latency(out, caught_up_ms);
  out["updates_received"] = received;
  // Counts the messages of clients that never came back too.
  out["lost"] = std::max<long long>(0, expected - received);
  out["errors"] = first.errors + second.errors + failed + sent.errors;
  const auto sample = sample_process(run.server_pid());
  out["server_rss_kb"] = sample.rss_kb;
  out["server_hwm_kb"] = sample.hwm_kb;
  close_all(run, second);
  return out;
}

}  // namespace messenger::bench
