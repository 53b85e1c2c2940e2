#pragma once

#include <mutex>
#include <optional>

#include "messenger/client.hpp"

namespace messenger {

/// What the host may ask about at any time from any thread: the network thread writes it as
/// things change.
class ClientStatus {
 public:
  ConnectionState state() const {
    std::lock_guard lock(mutex_);
    return state_;
  }
  void set_state(ConnectionState state) {
    std::lock_guard lock(mutex_);
    state_ = state;
  }
  std::optional<User> user() const {
    std::lock_guard lock(mutex_);
    return user_;
  }
  void set_user(std::optional<User> user) {
    std::lock_guard lock(mutex_);
    user_ = std::move(user);
  }
  Cursor cursor() const {
    std::lock_guard lock(mutex_);
    return cursor_;
  }
  void set_cursor(Cursor cursor) {
    std::lock_guard lock(mutex_);
    cursor_ = cursor;
  }

 private:
  mutable std::mutex mutex_;
  ConnectionState state_ = ConnectionState::disconnected;
  std::optional<User> user_;
  Cursor cursor_ = 0;
};

}  // namespace messenger
