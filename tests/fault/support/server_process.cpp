#include "fault/support/server_process.hpp"

#include <signal.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <thread>

#include "fault/support/loopback_port.hpp"

namespace messenger::test {
namespace {

constexpr const char* kProgramVariable = "MESSENGER_SERVER_BIN";
constexpr const char* kListeningLine = "listening on";
constexpr const char* kDatabaseFile = "messenger.db";
// Opening the database after a crash replays its WAL; sanitizer builds are slow too.
constexpr auto kStartLimit = std::chrono::seconds(30);
// A clean stop waits up to 3 s for closing handshakes, then commits.
constexpr auto kStopLimit = std::chrono::seconds(20);
constexpr auto kKillLimit = std::chrono::seconds(10);
constexpr auto kHelpLimit = std::chrono::seconds(10);
// Restarting on the fixed port can race with another program taking it for a moment.
constexpr int kStartTries = 5;
constexpr auto kStartRetryPause = std::chrono::milliseconds(300);

std::string program_path() {
  const char* path = std::getenv(kProgramVariable);
  if (!path || !*path) {
    throw std::runtime_error(std::string(kProgramVariable) + " is not set (CMake sets it)");
  }
  return path;
}

}  // namespace

ServerProcess::ServerProcess(ServerProcessOptions options)
    : options_(std::move(options)), port_(pick_free_loopback_port()) {
  if (options_.start_now) start();
}

ServerProcess::~ServerProcess() {
  if (running()) kill();
}

void ServerProcess::start() {
  if (running()) throw std::runtime_error("messenger-server is already running");
  for (int attempt = 1; attempt <= kStartTries; ++attempt) {
    process_ = std::make_unique<ChildProcess>(program_path(), arguments());
    if (process_->wait_for_line(kListeningLine, kStartLimit)) return;
    process_->send_signal(SIGKILL);
    process_->wait_exit(kKillLimit);
    last_output_ = process_->output_tail();
    process_.reset();
    std::this_thread::sleep_for(kStartRetryPause);
  }
  throw std::runtime_error("messenger-server did not start; it printed:\n" + last_output_);
}

void ServerProcess::kill() {
  if (!process_) return;
  process_->send_signal(SIGKILL);
  process_->wait_exit(kKillLimit);
  last_output_ = process_->output_tail();
  process_.reset();
}

int ServerProcess::stop() {
  if (!process_) return -1;
  process_->send_signal(SIGTERM);
  auto status = process_->wait_exit(kStopLimit);
  if (!status) {
    process_->send_signal(SIGKILL);
    process_->wait_exit(kKillLimit);
  }
  last_output_ = process_->output_tail();
  process_.reset();
  return status.value_or(-1);
}

void ServerProcess::restart() {
  kill();
  start();
}

bool ServerProcess::running() const {
  return process_ != nullptr;
}

pid_t ServerProcess::pid() const {
  return process_ ? process_->pid() : -1;
}

std::string ServerProcess::url() const {
  return "ws://127.0.0.1:" + std::to_string(port_) + "/ws";
}

std::string ServerProcess::database_path() const {
  return (dir_.path() / kDatabaseFile).string();
}

std::string ServerProcess::output_tail() const {
  return process_ ? process_->output_tail() : last_output_;
}

bool ServerProcess::has_keepalive_flags() {
  static const bool has = [] {
    ChildProcess help(program_path(), {"--help"});
    bool found = help.wait_for_line("--ping-interval-ms", kHelpLimit);
    help.wait_exit(kHelpLimit);
    return found;
  }();
  return has;
}

std::vector<std::string> ServerProcess::arguments() const {
  // The scenarios hammer the server on purpose; the request rate limit is not under test.
  std::vector<std::string> args{
      "--host",   "127.0.0.1", "--port", std::to_string(port_),   "--data-dir",
      dir_.str(), "--threads", "2",      "--requests-per-second", "100000"};
  if (has_keepalive_flags()) {
    args.insert(args.end(), {"--ping-interval-ms", std::to_string(options_.ping_interval.count()),
                             "--pong-timeout-ms", std::to_string(options_.pong_timeout.count())});
  }
  args.insert(args.end(), options_.extra_args.begin(), options_.extra_args.end());
  return args;
}

}  // namespace messenger::test
