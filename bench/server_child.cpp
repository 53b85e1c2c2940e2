#include "server_child.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>
#include <thread>

extern char** environ;

namespace messenger::bench {
namespace {

constexpr std::string_view kListeningLine = "listening on ws://127.0.0.1:";
constexpr auto kStartLimit = std::chrono::seconds(60);
constexpr auto kStopLimit = std::chrono::seconds(30);
constexpr auto kKillLimit = std::chrono::seconds(10);
constexpr auto kExitPoll = std::chrono::milliseconds(10);
constexpr auto kStartPoll = std::chrono::milliseconds(50);
constexpr const char* kLogFile = "server.log";
constexpr std::size_t kMaxStartOutput = 64 << 10;
constexpr std::size_t kMaxFileBytes = 1 << 20;
// The request rate limit protects a server from one client; the benchmark is that client on
// purpose, so it raises the limit out of the way.
constexpr const char* kRequestsPerSecond = "1000000";

// /proc files report a size of 0, so read until the end; the istreambuf_iterator form trips
// -Wnull-dereference at -O2.
std::string read_file(const std::string& path) {
  std::string text;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return text;
  char buffer[4096];
  for (std::size_t total = 0; total < kMaxFileBytes;) {
    auto got = ::read(fd, buffer, sizeof buffer);
    if (got <= 0) break;
    text.append(buffer, static_cast<std::size_t>(got));
    total += static_cast<std::size_t>(got);
  }
  ::close(fd);
  return text;
}

std::int64_t read_status_kb(const std::string& status, std::string_view key) {
  auto at = status.find(key);
  if (at == std::string::npos) return 0;
  at += key.size();
  while (at < status.size() && (status[at] == ' ' || status[at] == '\t' || status[at] == ':')) {
    ++at;
  }
  std::int64_t value = 0;
  std::from_chars(status.data() + at, status.data() + status.size(), value);
  return value;
}

std::int64_t ticks_to_us(long long ticks) {
  static const long per_second = ::sysconf(_SC_CLK_TCK);
  return ticks * 1'000'000 / per_second;
}

std::int64_t timeval_us(const timeval& time) {
  return static_cast<std::int64_t>(time.tv_sec) * 1'000'000 + time.tv_usec;
}

std::optional<int> wait_exit(pid_t pid, std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  for (;;) {
    int raw = 0;
    pid_t done = ::waitpid(pid, &raw, WNOHANG);
    if (done == pid) return WIFEXITED(raw) ? WEXITSTATUS(raw) : 128 + WTERMSIG(raw);
    if (done < 0 && errno != EINTR) return -1;
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(kExitPoll);
  }
}

}  // namespace

ProcessSample sample_process(pid_t pid) {
  ProcessSample sample;
  const std::string stat = read_file("/proc/" + std::to_string(pid) + "/stat");
  // The command name may hold spaces; the fields are counted from after its closing ')'.
  auto close = stat.rfind(')');
  if (close == std::string::npos) return sample;
  std::istringstream fields(stat.substr(close + 2));
  std::string field;
  long long utime = 0;
  long long stime = 0;
  // After ')': state is field 3; utime is 14 and stime 15.
  for (int index = 3; index <= 15 && fields >> field; ++index) {
    if (index == 14) utime = std::stoll(field);
    if (index == 15) stime = std::stoll(field);
  }
  sample.cpu_us = ticks_to_us(utime + stime);

  const std::string status = read_file("/proc/" + std::to_string(pid) + "/status");
  sample.rss_kb = read_status_kb(status, "VmRSS");
  sample.hwm_kb = read_status_kb(status, "VmHWM");
  sample.ok = true;
  return sample;
}

std::int64_t own_cpu_us() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  return timeval_us(usage.ru_utime) + timeval_us(usage.ru_stime);
}

ServerChild::ServerChild(const std::string& program, const std::string& data_dir,
                         const std::vector<std::string>& extra_args) {
  // The log goes to a file: a pipe that nobody drains would stall a chatty server.
  const std::string log_path = data_dir + "/" + kLogFile;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, log_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addclosefrom_np(&actions, STDERR_FILENO + 1);
  std::vector<std::string> words{program,
                                 "--host",
                                 "127.0.0.1",
                                 "--port",
                                 "0",
                                 "--data-dir",
                                 data_dir,
                                 "--requests-per-second",
                                 kRequestsPerSecond};
  words.insert(words.end(), extra_args.begin(), extra_args.end());
  std::vector<char*> argv;
  for (auto& word : words)
    argv.push_back(word.data());
  argv.push_back(nullptr);
  int spawned = ::posix_spawn(&pid_, program.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) {
    pid_ = -1;
    error_ = "cannot run " + program + ": " + std::strerror(spawned);
    return;
  }

  std::string output;
  auto deadline = std::chrono::steady_clock::now() + kStartLimit;
  while (port_ == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(kStartPoll);
    output = read_file(log_path);
    if (auto at = output.find(kListeningLine); at != std::string::npos) {
      const char* digits = output.data() + at + kListeningLine.size();
      unsigned port = 0;
      std::from_chars(digits, output.data() + output.size(), port);
      port_ = static_cast<std::uint16_t>(port);
    }
    if (wait_exit(pid_, std::chrono::milliseconds(0))) {
      pid_ = -1;
      break;
    }
  }
  if (port_ == 0) {
    error_ = "messenger-server did not start; it printed:\n" + output.substr(0, kMaxStartOutput);
  }
}

ServerChild::~ServerChild() {
  stop();
}

int ServerChild::stop() {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  auto status = wait_exit(pid_, kStopLimit);
  if (!status) {
    ::kill(pid_, SIGKILL);
    status = wait_exit(pid_, kKillLimit);
  }
  pid_ = -1;
  return status.value_or(-1);
}

}  // namespace messenger::bench
