#include "server/delivery.hpp"

#include "protocol/codec.hpp"
#include "server/client_session.hpp"

namespace messenger {
namespace {

constexpr std::size_t kCatchUpPage = 500;
// LIMITATION: a connection catches up on at most this many messages when it logs in; the rest
// follow on its next login, once its delivered watermark has moved. A pulled, paged sync that
// the client drives removes this bound.
constexpr std::size_t kMaxCatchUpMessages = 10'000;

std::string encode_receipt(ChatId chat, const ChatMember& member) {
  return protocol::encode_event(
      ReceiptEvent{chat, member.user_id, member.delivered_seq, member.seen_seq});
}

}  // namespace

void Delivery::message(const Message& message, const std::vector<UserId>& members,
                       const ClientSession* except) {
  EncodedMessage encoded{message.chat_id, message.seq,
                         protocol::encode_event(MessageEvent{message})};
  for (UserId member : members) {
    for (const auto& session : context_.registry.connections_of_user(member)) {
      if (session.get() != except) session->push_message(encoded);
    }
  }
}

void Delivery::receipt(ChatId chat, const ChatMember& member) {
  with_members(chat, [this, chat, member](MemberDirectory::Members members) {
    if (!members) return;
    auto encoded = encode_receipt(chat, member);
    for (UserId user : *members) {
      for (const auto& session : context_.registry.connections_of_user(user)) {
        session->push_event(encoded);
      }
    }
  });
}

void Delivery::chat(const Chat& chat, const ClientSession* except) {
  auto encoded = protocol::encode_event(ChatEvent{chat});
  for (const auto& member : chat.members) {
    for (const auto& session : context_.registry.connections_of_user(member.user_id)) {
      if (session.get() != except) session->push_event(encoded);
    }
  }
}

void Delivery::with_members(ChatId chat, std::function<void(MemberDirectory::Members)> then) {
  if (auto members = context_.directory.find(chat)) {
    then(std::move(members));
    return;
  }
  context_.reads.submit([this, chat, then = std::move(then)](StoreReader& reader) {
    auto loaded = reader.get_chat(chat);
    if (!loaded) {
      then(nullptr);
      return;
    }
    context_.directory.put(*loaded);
    then(context_.directory.find(chat));
  });
}

void Delivery::catch_up(const std::shared_ptr<ClientSession>& session) {
  context_.reads.submit([this, session](StoreReader& reader) {
    auto identity = session->identity();
    if (!identity) return;
    UserId user = identity->user.id;

    std::vector<EncodedMessage> missed;
    std::vector<std::string> receipts;
    auto chats = reader.list_chats(user);
    if (!chats) {
      context_.log.warn("catch-up of user {} failed: {}", user, chats.error().message);
      session->finish_catch_up(missed, receipts);
      return;
    }

    for (const auto& summary : *chats) {
      const Chat& chat = summary.chat;
      context_.directory.put(chat);
      Seq from = 0;
      for (const auto& member : chat.members) {
        if (member.user_id == user) {
          from = member.delivered_seq;
        } else if (member.delivered_seq > 0) {
          receipts.push_back(encode_receipt(chat.id, member));
        }
      }
      while (from < chat.last_seq && missed.size() < kMaxCatchUpMessages) {
        HistoryQuery query{chat.id, from, HistoryDirection::after, HistoryOrder::oldest_first,
                           kCatchUpPage};
        auto page = reader.history(query);
        if (!page || page->empty()) break;
        for (const auto& message : *page) {
          missed.push_back({chat.id, message.seq, protocol::encode_event(MessageEvent{message})});
          from = message.seq;
        }
      }
    }
    session->finish_catch_up(missed, receipts);
  });
}

}  // namespace messenger
