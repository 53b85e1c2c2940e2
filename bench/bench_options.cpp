#include "bench_options.hpp"

#include "long_options.hpp"

#include <charconv>
#include <map>

namespace messenger::bench {
namespace {

constexpr const char* kLoopbackPrefix = "ws://127.";

bool parse_double(const std::string& text, double& out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size() && out >= 0;
}

std::string apply(const std::string& key, const std::string& value, BenchOptions& options) {
  const std::map<std::string, std::string*> texts{{"scenario", &options.scenario},
                                                  {"server", &options.server},
                                                  {"work-dir", &options.work_dir},
                                                  {"durability", &options.durability},
                                                  {"attach", &options.attach}};
  const std::map<std::string, double*> reals{{"rate", &options.rate},
                                             {"warmup", &options.warmup_s},
                                             {"measure", &options.measure_s},
                                             {"drain", &options.drain_s}};
  const std::map<std::string, int*> counts{{"users", &options.users},
                                           {"in-flight", &options.in_flight},
                                           {"body-bytes", &options.body_bytes},
                                           {"group-size", &options.group_size},
                                           {"messages", &options.messages},
                                           {"handshakes", &options.handshakes},
                                           {"password-logins", &options.password_logins},
                                           {"chats", &options.chats},
                                           {"samples", &options.samples},
                                           {"batch", &options.batch},
                                           {"server-pid", &options.server_pid}};
  if (auto found = texts.find(key); found != texts.end()) {
    *found->second = value;
    return {};
  }
  if (key == "host" || key == "port" || key == "requests-per-second" || key == "data-dir") {
    return {};
  }
  double number = 0;
  if (!parse_double(value, number)) return "--" + key + " needs a number >= 0";
  if (auto found = reals.find(key); found != reals.end()) {
    *found->second = number;
  } else if (auto count = counts.find(key); count != counts.end()) {
    *count->second = static_cast<int>(number);
  } else if (key == "history-messages") {
    options.history_messages = static_cast<long long>(number);
  } else if (key != "host" && key != "port" && key != "requests-per-second" && key != "data-dir") {
    return "unknown option --" + key;
  }
  return {};
}

}  // namespace

const char* const kBenchUsage = R"(usage: messenger-bench --scenario NAME [options]

Starts messenger-server (--server PATH) on 127.0.0.1 with a temporary data folder, drives it
over loopback WebSockets and prints one JSON object.

scenarios:
  chat            1:1 durable chat: --users (pairs), --rate (0 = closed loop, --in-flight)
  fanout          one sender to a group of --group-size; --rate or closed loop
  idle            --users logged-in idle connections; server memory per connection
  connect         sessions reaching ready per second, token resume and password login
  history         pages of 50 in a chat of --history-messages; list of --chats chats
  reconnect       --users clients drop, --messages are sent, all reconnect and sync
  sqlite-ceiling  the store alone: append_message rows in transactions of --batch
  echo-ceiling    the chat load against a bare WebSocket echo server of our transport
  echo-server     (used by echo-ceiling) the echo server itself

options:
  --server PATH  --work-dir DIR  --durability full|normal  --users N  --rate N
  --in-flight N  --warmup S  --measure S  --drain S  --body-bytes N  --group-size N
  --messages N  --handshakes N  --password-logins N  --history-messages N  --chats N
  --samples N  --batch N  --help
  --attach ws://127.0.0.1:PORT/ws  --server-pid PID   (echo-ceiling: use a running echo server)
)";

std::string parse_bench_options(const std::vector<std::string>& args, BenchOptions& options) {
  auto error = examples::read_long_options(
      args, options.show_help, [&options](const std::string& name, const std::string& value) {
        return apply(name, value, options);
      });
  if (!error.empty()) return error;
  if (!options.attach.empty() && options.attach.rfind(kLoopbackPrefix, 0) != 0) {
    return "--attach must be a ws://127.x.y.z URL: the benchmark stays on this machine";
  }
  return {};
}

}  // namespace messenger::bench
