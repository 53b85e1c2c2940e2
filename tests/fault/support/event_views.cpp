#include "fault/support/event_views.hpp"

#include <algorithm>

namespace messenger::test {

std::vector<Message> messages_in(const std::vector<ClientEvent>& events, ChatId chat) {
  std::vector<Message> found;
  for (const auto& event : all_of<MessageEvent>(events)) {
    if (event.message.chat_id == chat) found.push_back(event.message);
  }
  return found;
}

std::vector<Message> texts_from(const std::vector<ClientEvent>& events, ChatId chat,
                                UserId sender) {
  std::vector<Message> found;
  for (auto& message : messages_in(events, chat)) {
    if (message.kind == MessageKind::text && message.sender_id == sender) {
      found.push_back(std::move(message));
    }
  }
  return found;
}

std::set<MessageId> held_message_ids(const std::vector<ClientEvent>& events, ChatId chat) {
  std::set<MessageId> held;
  for (const auto& message : messages_in(events, chat))
    held.insert(message.id);
  for (const auto& [client_id, ack] : acks_by_client_id(events)) {
    if (ack.chat_id == chat) held.insert(ack.message_id);
  }
  return held;
}

std::map<std::string, SendAck> acks_by_client_id(const std::vector<ClientEvent>& events) {
  std::map<std::string, SendAck> acks;
  for (const auto& result : all_of<SendResultEvent>(events)) {
    if (result.ack) acks.emplace(result.client_msg_id, *result.ack);
  }
  return acks;
}

std::vector<SendResultEvent> refusals(const std::vector<ClientEvent>& events) {
  std::vector<SendResultEvent> found;
  for (auto& result : all_of<SendResultEvent>(events)) {
    if (result.error) found.push_back(std::move(result));
  }
  return found;
}

ChatMember watermarks_of(const std::vector<ClientEvent>& events, ChatId chat, UserId user) {
  ChatMember member;
  member.user_id = user;
  for (const auto& receipt : all_of<ReceiptEvent>(events)) {
    if (receipt.chat_id != chat || receipt.user_id != user) continue;
    member.delivered_seq = std::max(member.delivered_seq, receipt.delivered_seq);
    member.seen_seq = std::max(member.seen_seq, receipt.seen_seq);
  }
  for (const auto& message : messages_in(events, chat)) {
    if (message.sender_id != user) continue;
    member.delivered_seq = std::max(member.delivered_seq, message.seq);
    member.seen_seq = std::max(member.seen_seq, message.seq);
  }
  return member;
}

std::optional<ConnectionState> last_state(const std::vector<ClientEvent>& events) {
  auto changes = all_of<ConnectionEvent>(events);
  if (changes.empty()) return std::nullopt;
  return changes.back().state;
}

std::size_t times_caught_up(const std::vector<ClientEvent>& events) {
  std::size_t times = 0;
  bool syncing = false;
  for (const auto& change : all_of<ConnectionEvent>(events)) {
    if (change.state == ConnectionState::connected && syncing) ++times;
    syncing = change.state == ConnectionState::syncing;
  }
  return times;
}

std::optional<Presence> last_presence(const std::vector<ClientEvent>& events, UserId user) {
  std::optional<Presence> found;
  for (const auto& event : all_of<PresenceEvent>(events)) {
    if (event.presence.user_id == user) found = event.presence;
  }
  return found;
}

std::optional<TypingEvent> last_typing(const std::vector<ClientEvent>& events, ChatId chat,
                                       UserId user) {
  std::optional<TypingEvent> found;
  for (const auto& event : all_of<TypingEvent>(events)) {
    if (event.chat_id == chat && event.user_id == user) found = event;
  }
  return found;
}

}  // namespace messenger::test
