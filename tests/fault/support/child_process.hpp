#pragma once

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace messenger::test {

/// Another program run by a test, its stdout and stderr read line by line on a thread of ours.
/// The child gets no descriptor of ours besides those two, so a socket a test closes is really
/// closed. Whatever is still running when this object goes is killed and reaped.
class ChildProcess {
 public:
  /// Starts `program` with `args`. Throws std::runtime_error when it cannot be started.
  ChildProcess(const std::string& program, const std::vector<std::string>& args);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const;
  /// True once a line holding `text` was printed; false when the output ended or `limit`
  /// passed first.
  bool wait_for_line(std::string_view text, std::chrono::milliseconds limit);
  void send_signal(int signal);
  /// The exit status (the exit code, or 128 + the signal that ended it), once it has exited
  /// within `limit`; reaps it.
  std::optional<int> wait_exit(std::chrono::milliseconds limit);
  bool exited() const;
  /// The last lines printed (a bounded tail, for failure messages).
  std::string output_tail() const;

 private:
  struct Output;
  pid_t pid_ = -1;
  std::optional<int> status_;
  std::shared_ptr<Output> output_;
};

}  // namespace messenger::test
