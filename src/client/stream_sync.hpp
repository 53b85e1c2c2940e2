#pragma once

#include <cstdint>
#include <functional>

#include "client/request_table.hpp"
#include "client/update_stream.hpp"

namespace messenger {

/// Updates asked for in one sync request; 0 leaves the page size to the server.
inline constexpr std::size_t kSyncPageLimit = 0;

/// Catches up on the user's update stream after a login, and then passes live stream events
/// on: sends `sync` from the cursor page after page, applies each page in order, holds back
/// live events meanwhile, and applies those above the last page once caught up. Network
/// thread only.
class StreamSync {
 public:
  struct Hooks {
    SendRequest send;
    std::function<void(protocol::ServerEvent)> apply;
    std::function<void(Cursor)> cursor_moved;  ///< after each page or live event applied
    std::function<void()> reset;               ///< the server no longer has the updates
    std::function<void()> caught_up;
    std::function<void(Error)> failed;  ///< the sync cannot go on on this connection
  };

  StreamSync(Hooks hooks, Cursor start, std::size_t max_held = kMaxHeldBackEvents)
      : hooks_(std::move(hooks)), stream_(start, max_held) {}

  Cursor cursor() const { return stream_.cursor(); }
  /// Starts over at `cursor`, e.g. 0 for another user's stream.
  void set_cursor(Cursor cursor);
  /// Holds back live events from now until caught up: a new connection may carry them even
  /// before the reply that logs it in.
  void hold_live() { stream_.begin_sync(); }
  /// Starts a sync from the cursor.
  void start();
  /// A live event with a cursor.
  void on_live(protocol::ServerEvent event);
  /// Stops the sync under way, if any; its pending answer will be ignored.
  void abandon();

 private:
  void request_page();
  void on_page(std::uint64_t round, Result<protocol::ServerFrame> reply);
  void on_refused(const Error& error);
  void finish();

  Hooks hooks_;
  UpdateStream stream_;
  std::uint64_t round_ = 0;  // counts requests, to ignore answers nobody waits for any more
};

}  // namespace messenger
