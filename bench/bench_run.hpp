#pragma once

#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "bench_options.hpp"
#include "seed.hpp"
#include "server_child.hpp"
#include "session_opener.hpp"

namespace messenger::bench {

using Json = nlohmann::ordered_json;

struct LatencySummary {
  double p50_ms = 0;
  double p99_ms = 0;
  double p999_ms = 0;
  double max_ms = 0;
};

/// Sorts `ms` and reads its percentiles; zeros when empty.
LatencySummary summarize(std::vector<double>& ms);
void add_latency(Json& report, std::vector<double>& ms);

/// The parts every scenario shares: a temporary data folder (removed at the end), the seeded
/// store, the server child, and the generator's io_context and WebSocket transport.
class BenchRun {
 public:
  explicit BenchRun(const BenchOptions& options);
  ~BenchRun();
  BenchRun(const BenchRun&) = delete;
  BenchRun& operator=(const BenchRun&) = delete;

  const std::string& error() const { return error_; }
  Result<SeededWorld> seed(SeedPlan plan);
  /// Starts messenger-server on the folder. Errors go to `error()`.
  bool start_server();
  /// Starts this same program in `--scenario echo-server` mode instead.
  bool start_echo_server();
  int stop_server();
  /// Uses the running server at `options.attach` instead of starting one.
  bool attached() const { return !options_.attach.empty(); }

  asio::io_context& io() { return io_; }
  Transport& transport() { return *transport_; }
  std::string url() const;
  pid_t server_pid() const;
  const std::filesystem::path& folder() const { return folder_; }
  std::string database_path() const { return (folder_ / "messenger.db").string(); }
  /// Runs the io loop for `seconds`, for pauses between phases.
  void run_for(double seconds);

 private:
  const BenchOptions& options_;
  std::filesystem::path folder_;
  std::string error_;
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> guard_;
  std::shared_ptr<Transport> transport_;
  std::unique_ptr<ServerChild> server_;
};

/// Counts what a scenario stored: `SELECT count(*) FROM messages` on a read-only connection.
long long count_stored_messages(const std::string& database_path);

/// Raises RLIMIT_NOFILE to its hard limit; returns the new soft limit.
long raise_file_limit();

}  // namespace messenger::bench
