#include "fault/support/tcp_peer.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace messenger::test {
namespace {

constexpr std::size_t kReadChunk = 64 << 10;

[[noreturn]] void fail(const char* doing) {
  throw std::runtime_error(std::string(doing) + ": " + std::strerror(errno));
}

sockaddr_in loopback(std::uint16_t port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(port);
  return address;
}

int milliseconds_left(std::chrono::steady_clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  return static_cast<int>(std::max<std::int64_t>(left.count(), 0));
}

// Waits until `fd` is readable; false when `deadline` passed first.
bool readable(int fd, std::chrono::steady_clock::time_point deadline) {
  for (;;) {
    pollfd entry{fd, POLLIN, 0};
    int ready = ::poll(&entry, 1, milliseconds_left(deadline));
    if (ready > 0) return true;
    if (ready == 0) return false;
    if (errno != EINTR) fail("poll");
  }
}

}  // namespace

TcpStream TcpStream::connect(std::uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) fail("socket");
  TcpStream stream(fd);
  auto address = loopback(port);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) fail("connect");
  int on = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
  return stream;
}

TcpStream::~TcpStream() {
  if (fd_ >= 0) ::close(fd_);
}

void TcpStream::send(const std::string& bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    auto wrote = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (wrote < 0 && errno == EINTR) continue;
    if (wrote < 0) fail("send");
    sent += static_cast<std::size_t>(wrote);
  }
}

void TcpStream::shut_down_sending() {
  ::shutdown(fd_, SHUT_WR);
}

std::string TcpStream::receive(std::size_t bytes, std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  std::string got;
  while (got.size() < bytes && end_ == StreamEnd::open && readable(fd_, deadline)) {
    char buffer[kReadChunk];
    auto want = std::min(sizeof buffer, bytes - got.size());
    auto read = ::recv(fd_, buffer, want, 0);
    if (read > 0) {
      got.append(buffer, static_cast<std::size_t>(read));
    } else if (read == 0) {
      end_ = StreamEnd::fin;
    } else if (errno != EINTR) {
      end_ = StreamEnd::reset;
    }
  }
  return got;
}

StreamEnd TcpStream::wait_end(std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (end_ == StreamEnd::open && readable(fd_, deadline))
    receive(kReadChunk, std::chrono::milliseconds(0));
  return end_;
}

TcpListener::TcpListener() {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) fail("socket");
  auto address = loopback(0);
  socklen_t length = sizeof address;
  auto* generic = reinterpret_cast<sockaddr*>(&address);
  if (::bind(fd_, generic, sizeof address) != 0) fail("bind");
  if (::listen(fd_, SOMAXCONN) != 0) fail("listen");
  if (::getsockname(fd_, generic, &length) != 0) fail("getsockname");
  port_ = ntohs(address.sin_port);
}

TcpListener::~TcpListener() {
  ::close(fd_);
}

std::optional<TcpStream> TcpListener::accept(std::chrono::milliseconds limit) {
  if (!readable(fd_, std::chrono::steady_clock::now() + limit)) return std::nullopt;
  int fd = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
  if (fd < 0) fail("accept");
  return TcpStream(fd);
}

}  // namespace messenger::test
