#include "client/update_stream.hpp"

#include <algorithm>
#include <type_traits>

namespace messenger {

std::optional<Cursor> cursor_of(const protocol::ServerEvent& event) {
  return std::visit(
      [](const auto& e) -> std::optional<Cursor> {
        using T = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<T, MessageEvent> || std::is_same_v<T, ReceiptEvent> ||
                      std::is_same_v<T, ChatEvent>) {
          return e.cursor;
        } else {
          return std::nullopt;
        }
      },
      event);
}

std::vector<protocol::ServerEvent> UpdateStream::accept_page(protocol::SyncReply page) {
  std::vector<protocol::ServerEvent> fresh;
  for (auto& event : page.updates) {
    auto at = cursor_of(event);
    if (!at || *at <= cursor_) continue;
    cursor_ = *at;
    fresh.push_back(std::move(event));
  }
  cursor_ = std::max(cursor_, page.cursor);
  return fresh;
}

std::optional<protocol::ServerEvent> UpdateStream::accept_live(protocol::ServerEvent event) {
  auto at = cursor_of(event);
  if (!at) return event;
  if (syncing_) {
    if (overflowed_) return std::nullopt;
    if (held_.size() >= max_held_) {
      held_.clear();
      overflowed_ = true;
      return std::nullopt;
    }
    held_.push_back(std::move(event));
    return std::nullopt;
  }
  if (*at <= cursor_) return std::nullopt;
  cursor_ = *at;
  return event;
}

UpdateStream::SyncEnd UpdateStream::end_sync() {
  SyncEnd end;
  end.overflowed = overflowed_;
  syncing_ = false;
  overflowed_ = false;
  std::stable_sort(held_.begin(), held_.end(), [](const auto& a, const auto& b) {
    return cursor_of(a).value_or(0) < cursor_of(b).value_or(0);
  });
  for (auto& event : held_) {
    auto at = cursor_of(event).value_or(0);
    if (at <= cursor_) continue;
    cursor_ = at;
    end.held.push_back(std::move(event));
  }
  held_.clear();
  return end;
}

void UpdateStream::abandon_sync() {
  syncing_ = false;
  overflowed_ = false;
  held_.clear();
}

}  // namespace messenger
