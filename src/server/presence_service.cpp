#include "server/presence_service.hpp"

#include <algorithm>
#include <unordered_set>

#include "server/client_session.hpp"
#include "server/delivery.hpp"
#include "server/refusals.hpp"
#include "server/server_context.hpp"

namespace messenger {
namespace {

constexpr auto kTypingForwardInterval = std::chrono::seconds(1);
// Past this many (user, chat) pairs the forwarding times start over, which at worst lets one
// extra notice through for each pair.
constexpr std::size_t kMaxTypingEntries = 100'000;

}  // namespace

bool PresenceService::may_forward(UserId user, ChatId chat) {
  auto now = context_.clock->monotonic();
  std::lock_guard lock(mutex_);
  if (forwarded_.size() >= kMaxTypingEntries) forwarded_.clear();
  auto [entry, fresh] = forwarded_.try_emplace({user, chat}, now);
  if (fresh) return true;
  if (now - entry->second < kTypingForwardInterval) return false;
  entry->second = now;
  return true;
}

void PresenceService::typing(const std::shared_ptr<ClientSession>& session, protocol::RequestId id,
                             const protocol::Typing& request) {
  UserId me = session->identity()->user.id;
  context_.reads.submit([this, session, id, me, chat_id = request.chat_id](StoreReader& reader) {
    auto chat = reader.get_chat(chat_id);
    if (!chat) return session->fail(id, not_a_member_error());
    bool member = std::any_of(chat->members.begin(), chat->members.end(),
                              [me](const ChatMember& m) { return m.user_id == me; });
    if (!member) return session->fail(id, not_a_member_error());
    session->reply(id, protocol::EmptyReply{});
    if (may_forward(me, chat_id)) delivery_.typing(chat_id, me, chat->members);
  });
}

void PresenceService::get_presence(const std::shared_ptr<ClientSession>& session,
                                   protocol::RequestId id, const protocol::GetPresence& request) {
  UserId me = session->identity()->user.id;
  context_.reads.submit([this, session, id, me, request](StoreReader& reader) {
    auto contacts = reader.contacts(me);
    if (!contacts) return session->fail(id, contacts.error());
    std::unordered_set<UserId> known(contacts->begin(), contacts->end());
    known.insert(me);

    protocol::PresenceReply reply;
    for (UserId user : request.user_ids) {
      if (!known.count(user)) continue;
      auto stored = reader.get_user(user);
      if (!stored) continue;
      reply.presence.push_back({user, context_.presence.online(user), stored->last_seen});
    }
    session->reply(id, reply);
  });
}

void PresenceService::changed(UserId user, bool online) {
  if (online) {
    delivery_.presence(user);
    return;
  }
  context_.writes.submit({[user, clock = context_.clock](WriteTransaction& txn) {
                            (void)txn.set_last_seen(user, clock->now());
                          },
                          [this, user](const Result<void>& committed) {
                            if (committed) delivery_.presence(user);
                          }});
}

}  // namespace messenger
