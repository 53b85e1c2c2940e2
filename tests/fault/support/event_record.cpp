#include "fault/support/event_record.hpp"

#include <condition_variable>
#include <mutex>

namespace messenger::test {

struct EventRecord::State {
  mutable std::mutex mutex;
  mutable std::condition_variable added;
  std::vector<ClientEvent> events;
};

EventRecord::EventRecord(Client& client) : state_(std::make_shared<State>()) {
  // The handler shares the state, so a client that outlives the record writes into it safely.
  client.set_event_handler([state = state_](const ClientEvent& event) {
    std::lock_guard lock(state->mutex);
    state->events.push_back(event);
    state->added.notify_all();
  });
}

std::vector<ClientEvent> EventRecord::events() const {
  std::lock_guard lock(state_->mutex);
  return state_->events;
}

std::size_t EventRecord::size() const {
  std::lock_guard lock(state_->mutex);
  return state_->events.size();
}

bool EventRecord::wait_until(const std::function<bool(const std::vector<ClientEvent>&)>& done,
                             std::chrono::milliseconds limit) const {
  std::unique_lock lock(state_->mutex);
  return state_->added.wait_for(lock, limit, [&] { return done(state_->events); });
}

}  // namespace messenger::test
