#pragma once

#include "messenger/error.hpp"

namespace messenger {

/// The one answer for a chat the user may not see, whether it exists or not: telling the two
/// apart would let anyone probe which chat ids exist.
inline Error not_a_member_error() {
  return {Errc::not_a_member, "you are not a member of that chat"};
}

}  // namespace messenger
