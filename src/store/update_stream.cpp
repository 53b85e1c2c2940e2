#include "store/update_stream.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <queue>

namespace messenger {
namespace {

struct Head {
  Cursor cursor = 0;
  std::size_t source = 0;
  bool operator>(const Head& other) const { return cursor > other.cursor; }
};

using HeadQueue = std::priority_queue<Head, std::vector<Head>, std::greater<>>;

}  // namespace

Result<void> check_stream_cursor(Cursor after, Cursor newest, Cursor pruned_through) {
  if (after == 0) return {};
  if (after < 0 || after > newest) {
    return Error{
        Errc::cursor_expired,
        fmt::format("cursor {} is not a position of this stream (newest {})", after, newest)};
  }
  if (after < pruned_through) {
    return Error{
        Errc::cursor_expired,
        fmt::format("cursor {} is older than the stream keeps (from {})", after, pruned_through)};
  }
  return {};
}

UpdatePage read_stream_page(std::span<const StreamSource> sources, Cursor after, std::size_t limit,
                            Cursor newest, StreamSourceReader& reader) {
  HeadQueue heads;
  for (std::size_t i = 0; i < sources.size(); ++i) {
    const StreamSource& source = sources[i];
    if (source.last <= after) continue;
    if (auto next = reader.next(source, std::max(after, source.first - 1), source.last)) {
      heads.push({*next, i});
    }
  }

  // Takes from the source with the lowest next update everything up to where another source
  // comes next; a user's sources never share a cursor.
  UpdatePage page;
  while (!heads.empty()) {
    if (page.updates.size() >= limit) {
      page.more = true;
      break;
    }
    Head head = heads.top();
    heads.pop();
    const StreamSource& source = sources[head.source];
    Cursor through = heads.empty() ? source.last : std::min(source.last, heads.top().cursor - 1);
    std::size_t before = page.updates.size();
    reader.read(source, head.cursor - 1, through, limit - before, page.updates);

    Cursor read_to = page.updates.size() > before ? page.updates.back().cursor : head.cursor;
    if (auto next = reader.next(source, read_to, source.last)) heads.push({*next, head.source});
  }

  if (page.more) {
    page.cursor = page.updates.empty() ? after : page.updates.back().cursor;
  } else {
    page.cursor = newest;
  }
  return page;
}

}  // namespace messenger
