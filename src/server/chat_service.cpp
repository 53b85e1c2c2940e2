#include "server/chat_service.hpp"

#include "server/client_session.hpp"
#include "server/delivery.hpp"
#include "server/message_status.hpp"
#include "server/server_context.hpp"

namespace messenger {

void ChatService::find_user(const std::shared_ptr<ClientSession>& session, protocol::RequestId id,
                            const protocol::FindUser& request) {
  context_.reads.submit([session, id, request](StoreReader& reader) {
    auto user = reader.find_user_by_name(request.name);
    if (!user) return session->fail(id, {Errc::not_found, "no user is called that"});
    session->reply(id, protocol::UserReply{*user});
  });
}

void ChatService::open_direct_chat(const std::shared_ptr<ClientSession>& session,
                                   protocol::RequestId id,
                                   const protocol::OpenDirectChat& request) {
  UserId me = session->identity()->user.id;
  auto opened = std::make_shared<std::optional<Result<DirectChatResult>>>();
  context_.writes.submit(
      {[opened, me, other = request.user_id, clock = context_.clock](WriteTransaction& txn) {
         *opened = txn.open_direct_chat(me, other, clock->now());
       },
       [this, session, id, opened](const Result<void>& committed) {
         if (!committed) return session->fail(id, committed.error());
         if (!**opened) return session->fail(id, (*opened)->error());
         const auto& result = ***opened;
         session->reply(id, protocol::ChatReply{result.chat});
         if (!result.created) return;
         std::vector<UserId> users;
         for (const auto& member : result.chat.members)
           users.push_back(member.user_id);
         delivery_.chat(result.chat, users, std::vector<Cursor>(users.size(), result.cursor),
                        nullptr);
       }});
}

void ChatService::create_group(const std::shared_ptr<ClientSession>& session,
                               protocol::RequestId id, const protocol::CreateGroup& request) {
  UserId me = session->identity()->user.id;
  auto created = std::make_shared<std::optional<Result<ChatChange>>>();
  context_.writes.submit({[created, me, request, clock = context_.clock](WriteTransaction& txn) {
                            *created = txn.create_group_chat(me, request.title, request.members,
                                                             clock->now());
                          },
                          [this, session, id, created](const Result<void>& committed) {
                            if (!committed) return session->fail(id, committed.error());
                            if (!**created) return session->fail(id, (*created)->error());
                            const ChatChange& change = ***created;
                            context_.log.debug("group {} created with {} members", change.chat.id,
                                               change.chat.members.size());
                            session->reply(id, protocol::ChatReply{change.chat});
                            delivery_.chat_change(change);
                          }});
}

void ChatService::list_chats(const std::shared_ptr<ClientSession>& session,
                             protocol::RequestId id) {
  UserId me = session->identity()->user.id;
  context_.reads.submit([session, id, me](StoreReader& reader) {
    auto chats = reader.list_chats(me);
    if (!chats) return session->fail(id, chats.error());
    for (auto& summary : *chats) {
      if (summary.last_message) {
        summary.last_message->status = status_for(summary.chat, me, *summary.last_message);
      }
    }
    session->reply(id, protocol::ChatListReply{std::move(*chats)});
  });
}

}  // namespace messenger
