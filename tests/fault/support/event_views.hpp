#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "messenger/client.hpp"

namespace messenger::test {

/// The events of one kind, in arrival order.
template <class Kind>
std::vector<Kind> all_of(const std::vector<ClientEvent>& events) {
  std::vector<Kind> found;
  for (const auto& event : events) {
    if (const auto* kind = std::get_if<Kind>(&event)) found.push_back(*kind);
  }
  return found;
}

/// The messages that arrived in `chat` (text and change records), in arrival order.
std::vector<Message> messages_in(const std::vector<ClientEvent>& events, ChatId chat);

/// The text messages from `sender` that arrived in `chat`, in arrival order.
std::vector<Message> texts_from(const std::vector<ClientEvent>& events, ChatId chat, UserId sender);

/// The ids of the messages of `chat` the client holds: those that arrived and its own queued
/// ones that were acknowledged. (The server sends a message to every connection of its members
/// but the one it came from, which has the acknowledgement.)
std::set<MessageId> held_message_ids(const std::vector<ClientEvent>& events, ChatId chat);

/// The acknowledgements of queued messages, by client message id.
std::map<std::string, SendAck> acks_by_client_id(const std::vector<ClientEvent>& events);

/// The refusals of queued messages.
std::vector<SendResultEvent> refusals(const std::vector<ClientEvent>& events);

/// The furthest watermarks of `user` in `chat` that the events tell of (zero when none): their
/// receipts, and their own messages, since storing a message moves its sender's watermarks to
/// it without a receipt of its own.
ChatMember watermarks_of(const std::vector<ClientEvent>& events, ChatId chat, UserId user);

/// The connection state the last connection event told of.
std::optional<ConnectionState> last_state(const std::vector<ClientEvent>& events);

/// How many times the client caught up after logging in: went from `syncing` to `connected`.
std::size_t times_caught_up(const std::vector<ClientEvent>& events);

/// The last presence event about `user`.
std::optional<Presence> last_presence(const std::vector<ClientEvent>& events, UserId user);

/// The last typing event about `user` in `chat`.
std::optional<TypingEvent> last_typing(const std::vector<ClientEvent>& events, ChatId chat,
                                       UserId user);

}  // namespace messenger::test
