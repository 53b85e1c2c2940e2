#include "event_inbox.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <mutex>
#include <utility>

namespace messenger::cli {
namespace {

constexpr std::size_t kDrainChunk = 64;

}  // namespace

// Owned jointly by the inbox and the handler, because the client may still be running a copy
// of the handler when the inbox goes away.
struct EventInbox::Shared {
  std::mutex mutex;
  std::deque<ClientEvent> events;
  int read_fd = -1;
  int write_fd = -1;

  ~Shared() {
    if (read_fd >= 0) ::close(read_fd);
    if (write_fd >= 0) ::close(write_fd);
  }

  void push(const ClientEvent& event) {
    std::lock_guard lock(mutex);
    bool was_empty = events.empty();
    events.push_back(event);
    // One byte per batch is enough to wake the reader; a full pipe means it is awake already.
    if (was_empty) {
      char wake = 1;
      [[maybe_unused]] auto written = ::write(write_fd, &wake, 1);
    }
  }
};

Result<std::unique_ptr<EventInbox>> EventInbox::attach(Client& client) {
  auto shared = std::make_shared<Shared>();
  int fds[2];
  if (::pipe2(fds, O_NONBLOCK | O_CLOEXEC) != 0) {
    return Error{Errc::internal, std::string("cannot make a pipe: ") + std::strerror(errno)};
  }
  shared->read_fd = fds[0];
  shared->write_fd = fds[1];
  return std::unique_ptr<EventInbox>(new EventInbox(client, std::move(shared)));
}

EventInbox::EventInbox(Client& client, std::shared_ptr<Shared> shared)
    : client_(client), shared_(std::move(shared)) {
  client_.set_event_handler([shared = shared_](const ClientEvent& event) { shared->push(event); });
}

EventInbox::~EventInbox() {
  client_.set_event_handler({});
}

int EventInbox::wake_fd() const noexcept {
  return shared_->read_fd;
}

std::deque<ClientEvent> EventInbox::take() {
  std::lock_guard lock(shared_->mutex);
  char drain[kDrainChunk];
  while (::read(shared_->read_fd, drain, sizeof drain) > 0) {
  }
  return std::exchange(shared_->events, {});
}

}  // namespace messenger::cli
