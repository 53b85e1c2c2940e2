#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "protocol/messages.hpp"

namespace messenger {

/// Live events held back while a sync runs. Past it the held events are dropped and another
/// sync round fetches them instead, so a flood during a long sync costs time, not memory.
inline constexpr std::size_t kMaxHeldBackEvents = 10'000;

/// The stream position of an event: message, receipt and chat events have one; typing and
/// presence are not part of the stream.
std::optional<Cursor> cursor_of(const protocol::ServerEvent& event);

/// Decides which stream events to apply and where the cursor stands, without any I/O.
///
/// Outside a sync a live event is applied when its cursor is above the cursor (else it is a
/// duplicate). During a sync the pages are applied in order and live events are held back;
/// when the last page is in, the held events above its cursor follow, in cursor order.
class UpdateStream {
 public:
  explicit UpdateStream(Cursor start = 0, std::size_t max_held = kMaxHeldBackEvents)
      : cursor_(start), max_held_(max_held) {}

  Cursor cursor() const { return cursor_; }
  /// Moves the cursor anywhere, e.g. back to 0 when the server no longer has the updates.
  void set_cursor(Cursor cursor) { cursor_ = cursor; }
  bool syncing() const { return syncing_; }

  /// Starts holding back live events (those already held stay).
  void begin_sync() { syncing_ = true; }
  /// The page's updates above the cursor, in order; the cursor moves to the page's cursor.
  std::vector<protocol::ServerEvent> accept_page(protocol::SyncReply page);
  /// A live event to apply now, or nothing: held back (syncing) or a duplicate.
  std::optional<protocol::ServerEvent> accept_live(protocol::ServerEvent event);

  struct SyncEnd {
    std::vector<protocol::ServerEvent> held;  ///< to apply now, in cursor order
    bool overflowed = false;  ///< held events were dropped: sync again from the cursor
  };
  /// Ends the sync after its last page.
  SyncEnd end_sync();
  /// Ends the sync without applying anything, when the connection is gone.
  void abandon_sync();

 private:
  Cursor cursor_;
  std::size_t max_held_;
  bool syncing_ = false;
  bool overflowed_ = false;
  std::vector<protocol::ServerEvent> held_;
};

}  // namespace messenger
