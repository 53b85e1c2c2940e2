#include "server/message_service.hpp"

#include <algorithm>

#include "protocol/codec.hpp"
#include "server/client_session.hpp"
#include "server/delivery.hpp"
#include "server/message_status.hpp"
#include "server/refusals.hpp"
#include "server/reply_budget.hpp"
#include "server/server_context.hpp"

namespace messenger {

void MessageService::send(const std::shared_ptr<ClientSession>& session, protocol::RequestId id,
                          const protocol::SendMessage& request) {
  NewMessage message{request.chat_id, session->identity()->user.id, request.client_msg_id,
                     request.text, 0};
  auto appended = std::make_shared<std::optional<Result<AppendResult>>>();
  context_.writes.submit({[appended, message = std::move(message),
                           clock = context_.clock](WriteTransaction& txn) mutable {
                            message.created_at = clock->now();
                            *appended = txn.append_message(message);
                          },
                          [this, session, id, appended](const Result<void>& committed) {
                            if (!committed) return session->fail(id, committed.error());
                            if ((*appended)->code() == Errc::not_found)
                              return session->fail(id, not_a_member_error());
                            if (!**appended) return session->fail(id, (*appended)->error());
                            const auto& result = ***appended;
                            const Message& stored = result.message;
                            session->reply(
                                id, protocol::SendReply{SendAck{stored.id, stored.chat_id,
                                                                stored.seq, stored.created_at}});
                            if (!result.duplicate) delivery_.message(result, session.get());
                          }});
}

void MessageService::ack_delivered(const std::shared_ptr<ClientSession>& session,
                                   protocol::RequestId id, const protocol::AckDelivered& request) {
  advance(session, id, request.chat_id, request.seq, std::nullopt);
}

void MessageService::mark_seen(const std::shared_ptr<ClientSession>& session,
                               protocol::RequestId id, const protocol::MarkSeen& request) {
  advance(session, id, request.chat_id, std::nullopt, request.seq);
}

void MessageService::advance(const std::shared_ptr<ClientSession>& session, protocol::RequestId id,
                             ChatId chat, std::optional<Seq> delivered, std::optional<Seq> seen) {
  UserId me = session->identity()->user.id;
  auto advanced = std::make_shared<std::optional<Result<WatermarkResult>>>();
  context_.writes.submit({[advanced, chat, me, delivered, seen](WriteTransaction& txn) {
                            *advanced = txn.advance_watermarks(chat, me, delivered, seen);
                          },
                          [this, session, id, chat, advanced](const Result<void>& committed) {
                            if (!committed) return session->fail(id, committed.error());
                            if (!**advanced) return session->fail(id, (*advanced)->error());
                            session->reply(id, protocol::EmptyReply{});
                            if ((**advanced)->moved) delivery_.receipt(chat, ***advanced);
                          }});
}

void MessageService::history(const std::shared_ptr<ClientSession>& session, protocol::RequestId id,
                             const protocol::GetHistory& request) {
  UserId me = session->identity()->user.id;
  auto max_bytes = context_.limits.max_reply_bytes;
  context_.reads.submit([session, id, me, request, max_bytes](StoreReader& reader) {
    auto chat = reader.get_chat(request.query.chat_id);
    if (!chat) return session->fail(id, not_a_member_error());
    bool member = std::any_of(chat->members.begin(), chat->members.end(),
                              [me](const ChatMember& m) { return m.user_id == me; });
    if (!member) return session->fail(id, not_a_member_error());

    auto messages = reader.history(request.query);
    if (!messages) return session->fail(id, messages.error());

    protocol::HistoryReply reply;
    ReplyBudget budget(max_bytes);
    // A cut keeps the messages nearest the anchor, so that the next page goes on from the
    // last one kept: walk them nearest first.
    bool nearest_first = (request.query.direction == HistoryDirection::before) ==
                         (request.query.order == HistoryOrder::newest_first);
    if (!nearest_first) std::reverse(messages->begin(), messages->end());
    for (auto& message : *messages) {
      if (!budget.take(protocol::encoded_size_bound(message))) {
        reply.more = true;
        break;
      }
      message.status = status_for(*chat, me, message);
      reply.messages.push_back(std::move(message));
    }
    if (!nearest_first) std::reverse(reply.messages.begin(), reply.messages.end());
    session->reply(id, std::move(reply));
  });
}

}  // namespace messenger
