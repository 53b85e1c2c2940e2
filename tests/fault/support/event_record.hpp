#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <vector>

#include "messenger/client.hpp"

namespace messenger::test {

/// Every event of one client from the moment it is attached, kept in arrival order, with waits
/// on what has come. It takes the client's event handler; attach it before the client logs in
/// so that nothing passes unrecorded. The client may outlive it and the other way round.
class EventRecord {
 public:
  explicit EventRecord(Client& client);

  /// A copy of the events so far.
  std::vector<ClientEvent> events() const;
  std::size_t size() const;
  /// Waits until `done` holds for the events so far (it runs with the record locked and must
  /// be quick); false when `limit` passed first.
  bool wait_until(const std::function<bool(const std::vector<ClientEvent>&)>& done,
                  std::chrono::milliseconds limit) const;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace messenger::test
