#include "line_reader.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace messenger::cli {
namespace {

constexpr std::size_t kReadChunk = 4096;

}  // namespace

void LineReader::fill() {
  if (at_end_) return;
  char chunk[kReadChunk];
  ssize_t got = 0;
  do {
    got = ::read(fd_, chunk, sizeof chunk);
  } while (got < 0 && errno == EINTR);
  if (got <= 0) {
    at_end_ = true;
    return;
  }
  buffer_.append(chunk, static_cast<std::size_t>(got));
}

std::optional<std::string> LineReader::next_line() {
  auto end = buffer_.find('\n');
  std::size_t separator = 1;
  if (end == std::string::npos) {
    bool last_piece = at_end_ && !buffer_.empty();
    if (buffer_.size() < kMaxLineBytes && !last_piece) return std::nullopt;
    end = std::min(buffer_.size(), kMaxLineBytes);
    separator = 0;
  }
  std::string line = buffer_.substr(0, end);
  buffer_.erase(0, end + separator);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

std::optional<std::string> LineReader::wait_line() {
  for (;;) {
    if (auto line = next_line()) return line;
    if (finished()) return std::nullopt;
    fill();
  }
}

EchoOff::EchoOff(int fd) : fd_(fd) {
  if (!::isatty(fd_) || ::tcgetattr(fd_, &saved_) != 0) return;
  termios quiet = saved_;
  quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
  active_ = ::tcsetattr(fd_, TCSANOW, &quiet) == 0;
}

EchoOff::~EchoOff() {
  if (active_) ::tcsetattr(fd_, TCSANOW, &saved_);
}

}  // namespace messenger::cli
