#pragma once

#include <asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <utility>

#include "messenger/client.hpp"

namespace messenger {

/// How long a "typing" event from the server lasts unless renewed; the wire never says that
/// typing stopped.
inline constexpr std::chrono::milliseconds kTypingTimeout{6'000};

/// Who is typing where, each with a timer that ends it. Network thread only.
class TypingTimers {
 public:
  using Emit = std::function<void(TypingEvent)>;

  TypingTimers(asio::io_context& io, std::chrono::milliseconds timeout, Emit emit)
      : io_(io), timeout_(timeout), emit_(std::move(emit)) {}

  /// A typing event came: tells the host, and (re)starts the member's timer.
  void typing(ChatId chat, UserId user);
  /// A message from `user` arrived in `chat`: their typing, if any, ends now.
  void message_from(ChatId chat, UserId user);
  /// Forgets every timer without telling anyone, when the client shuts down.
  void clear() { active_.clear(); }

 private:
  using Key = std::pair<ChatId, UserId>;
  struct Active {
    std::unique_ptr<asio::steady_timer> timer;
    std::uint64_t serial = 0;  // tells a stale expiry from the current one
  };

  void expire(Key key, std::uint64_t serial);

  asio::io_context& io_;
  std::chrono::milliseconds timeout_;
  Emit emit_;
  std::map<Key, Active> active_;
  std::uint64_t next_serial_ = 1;
};

}  // namespace messenger
