#include "bench_run.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <cmath>

namespace messenger::bench {
namespace {

constexpr const char* kFolderPattern = "/messenger-bench-XXXXXX";

double at_fraction(const std::vector<double>& sorted, double fraction) {
  auto index = static_cast<std::size_t>(std::ceil(fraction * static_cast<double>(sorted.size())));
  index = std::clamp<std::size_t>(index, 1, sorted.size()) - 1;
  return sorted[index];
}

double round3(double value) {
  return std::round(value * 1000.0) / 1000.0;
}

std::string self_program() {
  std::error_code error;
  auto path = std::filesystem::read_symlink("/proc/self/exe", error);
  return error ? std::string() : path.string();
}

}  // namespace

LatencySummary summarize(std::vector<double>& ms) {
  if (ms.empty()) return {};
  std::sort(ms.begin(), ms.end());
  return {at_fraction(ms, 0.50), at_fraction(ms, 0.99), at_fraction(ms, 0.999), ms.back()};
}

void add_latency(Json& report, std::vector<double>& ms) {
  auto summary = summarize(ms);
  report["p50_ms"] = round3(summary.p50_ms);
  report["p99_ms"] = round3(summary.p99_ms);
  report["p999_ms"] = round3(summary.p999_ms);
  report["max_ms"] = round3(summary.max_ms);
}

BenchRun::BenchRun(const BenchOptions& options)
    : options_(options), guard_(asio::make_work_guard(io_)) {
  std::string pattern = options.work_dir + kFolderPattern;
  if (::mkdtemp(pattern.data()) == nullptr) {
    error_ = "cannot make a folder in " + options.work_dir;
  }
  folder_ = pattern;
  transport_ = make_websocket_transport(io_);
}

BenchRun::~BenchRun() {
  stop_server();
  std::error_code ignored;
  if (!error_.empty() || folder_.empty()) return;
  std::filesystem::remove_all(folder_, ignored);
}

Result<SeededWorld> BenchRun::seed(SeedPlan plan) {
  plan.database_path = database_path();
  return seed_store(plan);
}

bool BenchRun::start_server() {
  std::vector<std::string> extra{"--durability", options_.durability, "--log-level", "info"};
  server_ = std::make_unique<ServerChild>(options_.server, folder_.string(), extra);
  if (!server_->running()) error_ = server_->error();
  return server_->running();
}

bool BenchRun::start_echo_server() {
  if (attached()) return true;
  server_ = std::make_unique<ServerChild>(self_program(), folder_.string(),
                                          std::vector<std::string>{"--scenario", "echo-server"});
  if (!server_->running()) error_ = server_->error();
  return server_->running();
}

int BenchRun::stop_server() {
  if (!server_) return -1;
  int status = server_->stop();
  server_.reset();
  return status;
}

pid_t BenchRun::server_pid() const {
  if (attached()) return options_.server_pid;
  return server_ ? server_->pid() : -1;
}

std::string BenchRun::url() const {
  if (attached()) return options_.attach;
  return "ws://127.0.0.1:" + std::to_string(server_ ? server_->port() : 0) + "/ws";
}

void BenchRun::run_for(double seconds) {
  auto until = Clock::now() +
               std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  run_until(
      io_, [] { return false; }, until);
}

long long count_stored_messages(const std::string& database_path) {
  SQLite::Database database(database_path, SQLite::OPEN_READONLY);
  SQLite::Statement count(database, "SELECT count(*) FROM messages");
  count.executeStep();
  return count.getColumn(0).getInt64();
}

long raise_file_limit() {
  rlimit limit{};
  ::getrlimit(RLIMIT_NOFILE, &limit);
  limit.rlim_cur = limit.rlim_max;
  ::setrlimit(RLIMIT_NOFILE, &limit);
  ::getrlimit(RLIMIT_NOFILE, &limit);
  return static_cast<long>(limit.rlim_cur);
}

}  // namespace messenger::bench
