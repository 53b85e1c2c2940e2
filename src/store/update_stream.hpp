#pragma once

#include <cstddef>
#include <limits>
#include <optional>
#include <span>
#include <vector>

#include "messenger/result.hpp"
#include "messenger/store.hpp"

namespace messenger {

/// The last cursor of a membership that has not ended.
inline constexpr Cursor kOpenEnd = std::numeric_limits<Cursor>::max();

/// One run of a user's update stream: a chat's updates during one membership (`first` and `last`
/// inclusive), or every chat update addressed to the user.
struct StreamSource {
  enum class Kind { chat_membership, addressed };
  Kind kind = Kind::chat_membership;
  ChatId chat_id = 0;    ///< chat_membership only
  UserId addressee = 0;  ///< addressed only
  Cursor first = 0;
  Cursor last = kOpenEnd;
};

/// How a store reads the updates of one source. Each store implements it on its own tables;
/// `read_stream_page` does the rest, so the stores cannot disagree on what a stream holds.
class StreamSourceReader {
 public:
  virtual ~StreamSourceReader() = default;
  /// The cursor of the source's first update in (after, through], if there is one.
  virtual std::optional<Cursor> next(const StreamSource& source, Cursor after, Cursor through) = 0;
  /// Appends the source's updates in (after, through] to `out` in cursor order, at most `limit`.
  virtual void read(const StreamSource& source, Cursor after, Cursor through, std::size_t limit,
                    std::vector<Update>& out) = 0;
};

/// Refuses a cursor the stream cannot continue from: one beyond `newest` (from another
/// database, or forged) or one older than what pruning kept. 0 is always accepted: it means the
/// start of what is kept, which is where a client that had to refetch its state starts over.
Result<void> check_stream_cursor(Cursor after, Cursor newest, Cursor pruned_through);

/// A page of the stream made of `sources` after `after`: merged in cursor order, cut at `limit`.
/// Touches each source a bounded number of times (once to find where it resumes, then once per
/// run of consecutive updates taken from it), so a user in many quiet chats reads cheaply.
/// `newest` is the store's newest position, which the page ends at when nothing is left.
UpdatePage read_stream_page(std::span<const StreamSource> sources, Cursor after, std::size_t limit,
                            Cursor newest, StreamSourceReader& reader);

}  // namespace messenger
