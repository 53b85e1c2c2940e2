#include "server/sync_service.hpp"

#include <optional>
#include <unordered_map>

#include "server/client_session.hpp"
#include "server/message_status.hpp"
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

}  // namespace

void SyncService::sync(const std::shared_ptr<ClientSession>& session, protocol::RequestId id,
                       const protocol::Sync& request) {
  UserId me = session->identity()->user.id;
  std::size_t limit = request.limit ? request.limit : kDefaultSyncPage;
  context_.reads.submit([session, id, me, cursor = request.cursor, limit](StoreReader& reader) {
    auto page = reader.updates_since(me, cursor, limit);
    if (!page) return session->fail(id, page.error());

    fill_statuses(reader, me, *page);
    protocol::SyncReply reply;
    reply.cursor = page->cursor;
    reply.more = page->more;
    reply.updates.reserve(page->updates.size());
    for (const auto& update : page->updates)
      reply.updates.push_back(to_event(update));
    session->reply(id, reply);
  });
}

}  // namespace messenger
