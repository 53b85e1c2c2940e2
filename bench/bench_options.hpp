#pragma once

#include <string>
#include <vector>

namespace messenger::bench {

/// Everything a run can be told on the command line (see `kBenchUsage`).
struct BenchOptions {
  std::string scenario;
  std::string server = "messenger-server";  ///< path of the server program
  std::string work_dir = "/tmp";            ///< where the temporary data folder goes
  std::string durability = "full";
  /// echo-ceiling: a running echo server's URL (loopback only) instead of starting one.
  std::string attach;
  int server_pid = -1;  ///< with --attach: the server's pid, for its CPU and memory
  int users = 1000;
  double rate = 1000;  ///< offered messages per second, all senders together; 0 = closed loop
  int in_flight = 4;   ///< closed loop: requests outstanding per sender
  double warmup_s = 3;
  double measure_s = 10;
  double drain_s = 5;
  int body_bytes = 100;
  int group_size = 100;
  int messages = 1000;   ///< fan-out / reconnect: messages to send
  int handshakes = 200;  ///< sessions being opened at once
  int password_logins = 200;
  long long history_messages = 1'000'000;
  int chats = 1000;   ///< history: chats in the user's list
  int samples = 200;  ///< history: requests per kind of page
  int batch = 256;    ///< sqlite ceiling: rows per transaction
  bool show_help = false;
};

extern const char* const kBenchUsage;

/// Returns an error message, or empty on success. Options of messenger-server that a bench
/// server mode is started with (--host, --port, --data-dir, --requests-per-second) are taken
/// and ignored.
std::string parse_bench_options(const std::vector<std::string>& args, BenchOptions& options);

}  // namespace messenger::bench
