#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace messenger::bench {

/// What /proc says about one process at one moment.
struct ProcessSample {
  std::int64_t cpu_us = 0;  ///< user + system time so far
  std::int64_t rss_kb = 0;
  std::int64_t hwm_kb = 0;  ///< peak resident set
  bool ok = false;
};

/// Reads /proc/<pid>/stat and /proc/<pid>/status.
ProcessSample sample_process(pid_t pid);

/// CPU time this process has used so far (getrusage), to show the generator is not the limit.
std::int64_t own_cpu_us();

/// A messenger-server started by the benchmark on a loopback port it picks itself, with its data
/// folder (its log goes to server.log there); stopped (SIGTERM, then SIGKILL) when this object
/// goes.
class ServerChild {
 public:
  /// Starts `program` and waits for its "listening on" line. On failure `running()` is false
  /// and `error()` says why.
  ServerChild(const std::string& program, const std::string& data_dir,
              const std::vector<std::string>& extra_args);
  ~ServerChild();
  ServerChild(const ServerChild&) = delete;
  ServerChild& operator=(const ServerChild&) = delete;

  bool running() const { return pid_ > 0 && port_ != 0; }
  const std::string& error() const { return error_; }
  pid_t pid() const { return pid_; }
  std::uint16_t port() const { return port_; }
  /// Stops it cleanly (it commits what is queued) and reaps it; returns its exit status.
  int stop();

 private:
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
  std::string error_;
};

}  // namespace messenger::bench
