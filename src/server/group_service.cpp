#include "server/group_service.hpp"

#include <algorithm>

#include "server/client_session.hpp"
#include "server/delivery.hpp"
#include "server/refusals.hpp"
#include "server/server_context.hpp"

namespace messenger {

void GroupService::get_chat(const std::shared_ptr<ClientSession>& session, protocol::RequestId id,
                            const protocol::GetChat& request) {
  UserId me = session->identity()->user.id;
  context_.reads.submit([session, id, me, chat_id = request.chat_id](StoreReader& reader) {
    auto chat = reader.get_chat(chat_id);
    if (!chat) return session->fail(id, not_a_member_error());
    bool member = std::any_of(chat->members.begin(), chat->members.end(),
                              [me](const ChatMember& m) { return m.user_id == me; });
    if (!member) return session->fail(id, not_a_member_error());
    session->reply(id, protocol::ChatReply{std::move(*chat)});
  });
}

void GroupService::change(const std::shared_ptr<ClientSession>& session, protocol::RequestId id,
                          std::function<Result<ChatChange>(WriteTransaction&)> apply,
                          bool reply_with_chat) {
  auto changed = std::make_shared<std::optional<Result<ChatChange>>>();
  context_.writes.submit(
      {[changed, apply = std::move(apply)](WriteTransaction& txn) { *changed = apply(txn); },
       [this, session, id, changed, reply_with_chat](const Result<void>& committed) {
         if (!committed) return session->fail(id, committed.error());
         if (!**changed) return session->fail(id, (*changed)->error());
         const ChatChange& change = ***changed;
         if (reply_with_chat) {
           session->reply(id, protocol::ChatReply{change.chat});
         } else {
           session->reply(id, protocol::EmptyReply{});
         }
         delivery_.chat_change(change);
       }});
}

// LIMITATION: Limits::max_group_members bounds the members named in one request, not the size
// a group reaches through many; the store interface has no count to check it against yet.
void GroupService::add_members(const std::shared_ptr<ClientSession>& session,
                               protocol::RequestId id, const protocol::AddMembers& request) {
  UserId me = session->identity()->user.id;
  change(
      session, id,
      [me, request, clock = context_.clock](WriteTransaction& txn) {
        return txn.add_members(request.chat_id, me, request.user_ids, clock->now());
      },
      true);
}

void GroupService::remove_member(const std::shared_ptr<ClientSession>& session,
                                 protocol::RequestId id, const protocol::RemoveMember& request) {
  UserId me = session->identity()->user.id;
  change(
      session, id,
      [me, request, clock = context_.clock](WriteTransaction& txn) {
        return txn.remove_member(request.chat_id, me, request.user_id, clock->now());
      },
      true);
}

void GroupService::leave_chat(const std::shared_ptr<ClientSession>& session, protocol::RequestId id,
                              const protocol::LeaveChat& request) {
  UserId me = session->identity()->user.id;
  change(
      session, id,
      [me, request, clock = context_.clock](WriteTransaction& txn) {
        return txn.leave_chat(request.chat_id, me, clock->now());
      },
      false);
}

void GroupService::rename_chat(const std::shared_ptr<ClientSession>& session,
                               protocol::RequestId id, const protocol::RenameChat& request) {
  UserId me = session->identity()->user.id;
  change(
      session, id,
      [me, request, clock = context_.clock](WriteTransaction& txn) {
        return txn.rename_chat(request.chat_id, me, request.title, clock->now());
      },
      true);
}

}  // namespace messenger
