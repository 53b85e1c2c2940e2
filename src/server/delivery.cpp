#include "server/delivery.hpp"

#include <algorithm>

#include "protocol/codec.hpp"
#include "server/client_session.hpp"

namespace messenger {

void Delivery::to_users(const std::vector<UserId>& users, const std::string& encoded,
                        const ClientSession* except) {
  for (UserId user : users) {
    for (const auto& session : context_.registry.connections_of_user(user)) {
      if (session.get() != except) session->push(encoded);
    }
  }
}

void Delivery::message(const AppendResult& appended, const ClientSession* except) {
  to_users(appended.members,
           protocol::encode_event(MessageEvent{appended.message, appended.cursor}), except);
}

void Delivery::receipt(ChatId chat, const WatermarkResult& moved) {
  const auto& member = moved.member;
  ReceiptEvent event{chat, member.user_id, member.delivered_seq, member.seen_seq, moved.cursor};
  to_users(moved.members, protocol::encode_event(event), nullptr);
}

void Delivery::chat(const Chat& chat, const std::vector<UserId>& users,
                    const std::vector<Cursor>& cursors, const ClientSession* except) {
  for (std::size_t i = 0; i < users.size(); ++i) {
    Cursor cursor = i < cursors.size() ? cursors[i] : 0;
    to_users({users[i]}, protocol::encode_event(ChatEvent{chat, cursor}), except);
  }
}

void Delivery::chat_change(const ChatChange& change) {
  struct Pending {
    Cursor cursor;
    std::string encoded;
    std::vector<UserId> users;
  };
  std::vector<Pending> pending;
  for (const auto& message : change.messages) {
    pending.push_back(
        {message.id, protocol::encode_event(MessageEvent{message, message.id}), change.notify});
  }
  for (std::size_t i = 0; i < change.added.size(); ++i) {
    Cursor cursor = i < change.added_cursors.size() ? change.added_cursors[i] : 0;
    pending.push_back(
        {cursor, protocol::encode_event(ChatEvent{change.chat, cursor}), {change.added[i]}});
  }
  std::stable_sort(pending.begin(), pending.end(),
                   [](const Pending& a, const Pending& b) { return a.cursor < b.cursor; });
  for (const auto& item : pending)
    to_users(item.users, item.encoded, nullptr);
}

void Delivery::typing(ChatId chat, UserId user, const std::vector<ChatMember>& members) {
  auto encoded = protocol::encode_event(TypingEvent{chat, user, true});
  for (const auto& member : members) {
    if (member.user_id != user) to_users({member.user_id}, encoded, nullptr);
  }
}

void Delivery::presence(UserId user) {
  context_.reads.submit([this, user](StoreReader& reader) {
    auto contacts = reader.contacts(user);
    auto stored = reader.get_user(user);
    if (!contacts || !stored) return;
    // The state now, not the one that triggered this: of several quick changes, the last
    // broadcast is always right.
    Presence presence{user, context_.presence.online(user), stored->last_seen};
    to_users(*contacts, protocol::encode_event(PresenceEvent{presence}), nullptr);
  });
}

}  // namespace messenger
