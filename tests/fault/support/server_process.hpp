#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "fault/support/child_process.hpp"
#include "integration/support/temp_dir.hpp"

namespace messenger::test {

struct ServerProcessOptions {
  /// Keep-alive of the server's connections, passed as --ping-interval-ms and --pong-timeout-ms
  /// when the program has those flags (`ServerProcess::has_keepalive_flags`); else its defaults
  /// hold.
  std::chrono::milliseconds ping_interval{1000};
  std::chrono::milliseconds pong_timeout{1000};
  std::vector<std::string> extra_args;
  /// False leaves starting to the caller, who may fill its data folder first.
  bool start_now = true;
};

/// The real `messenger-server` program (its path in the environment variable
/// MESSENGER_SERVER_BIN) on 127.0.0.1, with a port picked once and a temporary data folder, both
/// kept across restarts, so that it can crash and come back where clients expect it.
///
/// The constructor starts it (see `start_now`). Every wait is bounded; what is still running
/// at the end is killed and reaped. Failures to start throw std::runtime_error with the
/// program's last lines.
class ServerProcess {
 public:
  explicit ServerProcess(ServerProcessOptions options = {});
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  /// Starts the program and returns once it prints that it is listening.
  void start();
  /// A crash: SIGKILL, then reaped. Nothing gets a chance to be flushed or closed.
  void kill();
  /// SIGTERM, and waits for the exit. Returns the exit status (0 is a clean stop; 128 + the
  /// signal when one ended it; -1 when it did not exit in time and was killed).
  int stop();
  /// Starts it again on the same port and data, killing it first if it still runs.
  void restart();
  bool running() const;
  /// The running program's process id; -1 when it does not run.
  pid_t pid() const;

  std::uint16_t port() const { return port_; }
  /// "ws://127.0.0.1:<port>/ws"
  std::string url() const;
  std::string data_dir() const { return dir_.str(); }
  std::string database_path() const;
  /// The program's last lines of output.
  std::string output_tail() const;

  /// True when the program takes --ping-interval-ms and --pong-timeout-ms.
  static bool has_keepalive_flags();

 private:
  std::vector<std::string> arguments() const;

  ServerProcessOptions options_;
  TempDir dir_;
  std::uint16_t port_ = 0;
  std::unique_ptr<ChildProcess> process_;
  std::string last_output_;  // of the previous run, once it has ended
};

}  // namespace messenger::test
