#include "fault/support/child_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace messenger::test {
namespace {

// Lines kept for failure messages; a chatty server must not fill memory.
constexpr std::size_t kTailLines = 400;
constexpr auto kExitPoll = std::chrono::milliseconds(5);
// SIGKILL cannot be refused; this only guards against a kernel that takes its time.
constexpr auto kKillLimit = std::chrono::seconds(10);

}  // namespace

struct ChildProcess::Output {
  std::mutex mutex;
  std::condition_variable changed;
  std::deque<std::string> tail;
  std::string partial;
  bool ended = false;
  std::thread reader;
  std::string wanted;  // the text a waiter looks for now
  bool wanted_found = false;

  void add(std::string_view bytes) {
    std::lock_guard lock(mutex);
    partial.append(bytes);
    for (auto end = partial.find('\n'); end != std::string::npos; end = partial.find('\n')) {
      std::string line = partial.substr(0, end);
      partial.erase(0, end + 1);
      if (!wanted.empty() && line.find(wanted) != std::string::npos) wanted_found = true;
      tail.push_back(std::move(line));
      if (tail.size() > kTailLines) tail.pop_front();
    }
    changed.notify_all();
  }
};

ChildProcess::ChildProcess(const std::string& program, const std::vector<std::string>& args)
    : output_(std::make_shared<Output>()) {
  int pipe_ends[2];
  if (::pipe2(pipe_ends, O_CLOEXEC) != 0) {
    throw std::runtime_error(std::string("pipe2: ") + std::strerror(errno));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_ends[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, pipe_ends[1], STDERR_FILENO);
  posix_spawn_file_actions_addclosefrom_np(&actions, STDERR_FILENO + 1);

  std::vector<std::string> words{program};
  words.insert(words.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& word : words)
    argv.push_back(word.data());
  argv.push_back(nullptr);
  int spawned = ::posix_spawn(&pid_, program.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(pipe_ends[1]);
  if (spawned != 0) {
    ::close(pipe_ends[0]);
    throw std::runtime_error("cannot run " + program + ": " + std::strerror(spawned));
  }

  output_->reader = std::thread([output = output_, fd = pipe_ends[0]] {
    char buffer[4096];
    for (;;) {
      auto got = ::read(fd, buffer, sizeof buffer);
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) break;
      output->add({buffer, static_cast<std::size_t>(got)});
    }
    ::close(fd);
    std::lock_guard lock(output->mutex);
    output->ended = true;
    output->changed.notify_all();
  });
}

ChildProcess::~ChildProcess() {
  if (!status_) {
    send_signal(SIGKILL);
    wait_exit(kKillLimit);
  }
  // The pipe ends when the child does; a child that outlived SIGKILL leaves the thread behind.
  if (status_) {
    output_->reader.join();
  } else {
    output_->reader.detach();
  }
}

pid_t ChildProcess::pid() const {
  return pid_;
}

bool ChildProcess::wait_for_line(std::string_view text, std::chrono::milliseconds limit) {
  std::unique_lock lock(output_->mutex);
  for (const auto& line : output_->tail) {
    if (line.find(text) != std::string::npos) return true;
  }
  output_->wanted = std::string(text);
  output_->wanted_found = false;
  output_->changed.wait_for(lock, limit,
                            [this] { return output_->wanted_found || output_->ended; });
  bool found = output_->wanted_found;
  output_->wanted.clear();
  return found;
}

void ChildProcess::send_signal(int signal) {
  if (!status_) ::kill(pid_, signal);
}

std::optional<int> ChildProcess::wait_exit(std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (!status_) {
    int raw = 0;
    pid_t done = ::waitpid(pid_, &raw, WNOHANG);
    if (done == pid_) {
      status_ = WIFEXITED(raw) ? WEXITSTATUS(raw) : 128 + WTERMSIG(raw);
      break;
    }
    if (done < 0 && errno != EINTR) {
      status_ = -1;  // not our child any more: nothing left to reap
      break;
    }
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(kExitPoll);
  }
  return status_;
}

bool ChildProcess::exited() const {
  return status_.has_value();
}

std::string ChildProcess::output_tail() const {
  std::lock_guard lock(output_->mutex);
  std::string text;
  for (const auto& line : output_->tail)
    text += line + "\n";
  return text;
}

}  // namespace messenger::test
