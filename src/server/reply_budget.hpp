#pragma once

#include <cstddef>

namespace messenger {

/// The bytes left for the items of one reply. A page of large messages is cut where it
/// would outgrow what a client accepts in one frame; the reply then says there is more.
class ReplyBudget {
 public:
  explicit ReplyBudget(std::size_t max_bytes) : left_(max_bytes) {}

  /// Takes `bytes` for one more item if they fit. The first item always fits, so that every
  /// page makes progress.
  bool take(std::size_t bytes) {
    if (taken_any_ && bytes > left_) return false;
    left_ = bytes > left_ ? 0 : left_ - bytes;
    taken_any_ = true;
    return true;
  }

 private:
  std::size_t left_;
  bool taken_any_ = false;
};

}  // namespace messenger
