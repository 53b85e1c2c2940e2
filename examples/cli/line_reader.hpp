#pragma once

#include <termios.h>

#include <cstddef>
#include <optional>
#include <string>

namespace messenger::cli {

/// Longer input lines are cut into pieces of this size.
inline constexpr std::size_t kMaxLineBytes = 64 << 10;

/// Reads lines from a file descriptor with read(2), not stdio, so that poll(2) on the
/// descriptor tells the truth: stdio may hold lines in its buffer that poll cannot see.
class LineReader {
 public:
  explicit LineReader(int fd) : fd_(fd) {}

  int fd() const noexcept { return fd_; }
  /// Reads what the descriptor has, once; blocks when it has nothing.
  void fill();
  /// The next complete line without its newline; the rest at end of input.
  std::optional<std::string> next_line();
  /// End of input reached and every line taken.
  bool finished() const noexcept { return at_end_ && buffer_.empty(); }
  /// Blocks until a line comes; nothing at end of input.
  std::optional<std::string> wait_line();

 private:
  int fd_;
  std::string buffer_;
  bool at_end_ = false;
};

/// Turns off the terminal's echo while it lives, for typing a password; does nothing when the
/// descriptor is not a terminal.
class EchoOff {
 public:
  explicit EchoOff(int fd);
  ~EchoOff();
  EchoOff(const EchoOff&) = delete;
  EchoOff& operator=(const EchoOff&) = delete;

 private:
  int fd_;
  bool active_ = false;
  termios saved_{};
};

}  // namespace messenger::cli
