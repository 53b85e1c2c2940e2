// messenger-server: the standalone messenger backend, on SQLite in a local data folder.
#include <csignal>
#include <cstdio>
#include <ctime>
#include <mutex>

#include "messenger/messenger.hpp"
#include "server_config.hpp"

namespace {

void print_log_line(messenger::LogLevel level, std::string_view tag, std::string_view line) {
  static std::mutex mutex;
  char stamp[32];
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &utc);
  std::lock_guard lock(mutex);
  std::fprintf(stderr, "%s %-5s %.*s: %.*s\n", stamp, messenger::to_string(level),
               static_cast<int>(tag.size()), tag.data(), static_cast<int>(line.size()),
               line.data());
  std::fflush(stderr);
}

}  // namespace

int main(int argc, char** argv) {
  ServerConfig config;
  auto error = parse_server_config({argv + 1, argv + argc}, config);
  if (!error.empty()) {
    std::fprintf(stderr, "messenger-server: %s\n(see --help)\n", error.c_str());
    return 2;
  }
  if (config.show_help) {
    std::fputs(kServerUsage, stdout);
    return 0;
  }
  config.options.log.sink = print_log_line;

  // Signals are taken by sigwait below, so block them before any library thread starts.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  messenger::Server server(config.options);
  if (auto started = server.start(); !started) {
    std::fprintf(stderr, "messenger-server: cannot start: %s\n", started.error().message.c_str());
    return 1;
  }

  int received = 0;
  sigwait(&signals, &received);
  // The library filters its own lines by level; this one is ours to filter.
  if (config.options.log.level <= messenger::LogLevel::info) {
    print_log_line(messenger::LogLevel::info, "main",
                   received == SIGINT ? "SIGINT received" : "SIGTERM received");
  }
  server.stop();
  return 0;
}
