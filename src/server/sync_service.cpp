#include "server/sync_service.hpp"

#include <optional>
#include <unordered_map>

#include "protocol/codec.hpp"
#include "server/client_session.hpp"
#include "server/message_status.hpp"
#include "server/reply_budget.hpp"
#include "server/server_context.hpp"

namespace messenger {
namespace {

constexpr std::size_t kDefaultSyncPage = 100;

protocol::ServerEvent to_event(const Update& update) {
  switch (update.kind) {
    case UpdateKind::message:
      return MessageEvent{update.message, update.cursor};
    case UpdateKind::receipt:
      return ReceiptEvent{update.chat_id, update.member.user_id, update.member.delivered_seq,
                          update.member.seen_seq, update.cursor};
    case UpdateKind::chat:
      return ChatEvent{update.chat, update.cursor};
  }
  return MessageEvent{update.message, update.cursor};
}

/// Gives each message its status for `viewer`, as history does, so that a device that catches
/// up can tell messages it already had (delivered or seen) from new ones (sent).
void fill_statuses(StoreReader& reader, UserId viewer, UpdatePage& page) {
  std::unordered_map<ChatId, std::optional<Chat>> chats;
  for (auto& update : page.updates) {
    if (update.kind != UpdateKind::message) continue;
    auto [entry, fresh] = chats.try_emplace(update.chat_id);
    if (fresh) {
      if (auto chat = reader.get_chat(update.chat_id)) entry->second = std::move(*chat);
    }
    if (entry->second) update.message.status = status_for(*entry->second, viewer, update.message);
  }
}

std::size_t encoded_size(const protocol::ServerEvent& event) {
  // Messages are most of a stream and are counted without encoding them; the rest is rare.
  if (const auto* message = std::get_if<MessageEvent>(&event)) {
    return protocol::encoded_size_bound(message->message);
  }
  return protocol::encode_event(event).size();
}

}  // namespace

void SyncService::sync(const std::shared_ptr<ClientSession>& session, protocol::RequestId id,
                       const protocol::Sync& request) {
  UserId me = session->identity()->user.id;
  std::size_t limit = request.limit ? request.limit : kDefaultSyncPage;
  auto max_bytes = context_.limits.max_reply_bytes;
  context_.reads.submit(
      [session, id, me, cursor = request.cursor, limit, max_bytes](StoreReader& reader) {
        auto page = reader.updates_since(me, cursor, limit);
        if (!page) return session->fail(id, page.error());

        fill_statuses(reader, me, *page);
        protocol::SyncReply reply;
        reply.cursor = page->cursor;
        reply.more = page->more;
        reply.updates.reserve(page->updates.size());
        ReplyBudget budget(max_bytes);
        Cursor last_taken = cursor;
        for (const auto& update : page->updates) {
          auto event = to_event(update);
          if (!budget.take(encoded_size(event))) {
            // The client goes on from the last update it got.
            reply.cursor = last_taken;
            reply.more = true;
            break;
          }
          reply.updates.push_back(std::move(event));
          last_taken = update.cursor;
        }
        session->reply(id, reply);
      });
}

}  // namespace messenger
