#pragma once

#include "messenger/types.hpp"

namespace messenger {

/// The status of `message` as `viewer` sees it, from the chat's watermarks: for the sender,
/// how far every other member got (a chat with oneself counts as seen); for anyone else, how
/// far they themselves got.
MessageStatus status_for(const Chat& chat, UserId viewer, const Message& message);

}  // namespace messenger
