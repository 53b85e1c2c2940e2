#pragma once

#include <chrono>
#include <cstddef>

namespace messenger {

/// Every size and rate the server enforces, in one place. Exceeding one gets an error reply
/// (`too_large`, `rate_limited`), never a crash.
struct Limits {
  std::size_t max_text_bytes = 16 << 10;     ///< body of one chat message (UTF-8 bytes)
  std::size_t max_request_bytes = 64 << 10;  ///< one request; larger gets too_large
  /// One WebSocket message; larger closes the connection with 1009 before it is read whole.
  std::size_t max_frame_bytes = 1 << 20;
  std::size_t max_name_bytes = 64;  ///< user name
  std::size_t min_password_bytes = 8;
  std::size_t max_password_bytes = 1024;
  std::size_t max_title_bytes = 256;  ///< group title
  std::size_t max_client_msg_id_bytes = 128;
  std::size_t max_group_members = 1000;
  std::size_t max_history_page = 200;  ///< messages in one history reply
  /// A history or sync reply stops adding items once it is this large, and says there is
  /// more; it always holds at least one. Keeps pages of large messages under the client's
  /// `max_frame_bytes` and the connection's `max_queued_bytes`.
  std::size_t max_reply_bytes = 512 << 10;
  std::size_t max_device_bytes = 128;
  double requests_per_second = 200;        ///< sustained, per connection
  double request_burst = 400;              ///< bucket size, per connection
  std::size_t max_pending_requests = 256;  ///< requests in the server's hands at once
  std::size_t max_queued_bytes = 4 << 20;  ///< outgoing bytes per connection
  std::chrono::milliseconds ping_interval{20'000};
  std::chrono::milliseconds pong_timeout{10'000};
  /// Wrong passwords in a row that one user name (for `login`) or one session (for
  /// `change_password`) may get without waiting. After them, the next check waits a second,
  /// doubling with every further wrong password up to `max_login_delay`; meanwhile the
  /// requests get `rate_limited`.
  std::size_t failed_logins_before_delay = 5;
  std::chrono::seconds max_login_delay{300};
};

}  // namespace messenger
