#include "client/typing_timers.hpp"

namespace messenger {

void TypingTimers::typing(ChatId chat, UserId user) {
  Key key{chat, user};
  auto& active = active_[key];
  if (!active.timer) active.timer = std::make_unique<asio::steady_timer>(io_);
  active.serial = next_serial_++;
  active.timer->expires_after(timeout_);
  active.timer->async_wait([this, key, serial = active.serial](const asio::error_code& error) {
    if (!error) expire(key, serial);
  });
  emit_(TypingEvent{chat, user, true});
}

void TypingTimers::message_from(ChatId chat, UserId user) {
  auto found = active_.find({chat, user});
  if (found == active_.end()) return;
  active_.erase(found);
  emit_(TypingEvent{chat, user, false});
}

void TypingTimers::expire(Key key, std::uint64_t serial) {
  // An expiry already queued when the timer was renewed or ended carries an old serial.
  auto found = active_.find(key);
  if (found == active_.end() || found->second.serial != serial) return;
  active_.erase(found);
  emit_(TypingEvent{key.first, key.second, false});
}

}  // namespace messenger
