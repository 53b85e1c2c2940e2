#include "server/service_router.hpp"

#include "server/client_session.hpp"

namespace messenger {

void ServiceRouter::route(const std::shared_ptr<ClientSession>& session,
                          protocol::Request request) {
  const auto id = request.id;
  std::visit(
      [&](auto& body) {
        using T = std::decay_t<decltype(body)>;
        if constexpr (std::is_same_v<T, protocol::Register>) {
          accounts_.register_user(session, id, body);
        } else if constexpr (std::is_same_v<T, protocol::Login>) {
          accounts_.login(session, id, body);
        } else if constexpr (std::is_same_v<T, protocol::Resume>) {
          accounts_.resume(session, id, body);
        } else if constexpr (std::is_same_v<T, protocol::Logout>) {
          accounts_.logout(session, id, body);
        } else if constexpr (std::is_same_v<T, protocol::ChangePassword>) {
          accounts_.change_password(session, id, body);
        } else if constexpr (std::is_same_v<T, protocol::FindUser>) {
          chats_.find_user(session, id, body);
        } else if constexpr (std::is_same_v<T, protocol::OpenDirectChat>) {
          chats_.open_direct_chat(session, id, body);
        } else if constexpr (std::is_same_v<T, protocol::CreateGroup>) {
          chats_.create_group(session, id, body);
        } else if constexpr (std::is_same_v<T, protocol::ListChats>) {
          chats_.list_chats(session, id);
        } else if constexpr (std::is_same_v<T, protocol::SendMessage>) {
          messages_.send(session, id, body);
        } else if constexpr (std::is_same_v<T, protocol::AckDelivered>) {
          messages_.ack_delivered(session, id, body);
        } else if constexpr (std::is_same_v<T, protocol::MarkSeen>) {
          messages_.mark_seen(session, id, body);
        } else if constexpr (std::is_same_v<T, protocol::GetHistory>) {
          messages_.history(session, id, body);
        } else if constexpr (std::is_same_v<T, protocol::Sync>) {
          sync_.sync(session, id, body);
        } else if constexpr (std::is_same_v<T, protocol::Typing>) {
          presence_.typing(session, id, body);
        } else if constexpr (std::is_same_v<T, protocol::GetPresence>) {
          presence_.get_presence(session, id, body);
        } else if constexpr (std::is_same_v<T, protocol::GetChat>) {
          groups_.get_chat(session, id, body);
        } else if constexpr (std::is_same_v<T, protocol::AddMembers>) {
          groups_.add_members(session, id, body);
        } else if constexpr (std::is_same_v<T, protocol::RemoveMember>) {
          groups_.remove_member(session, id, body);
        } else if constexpr (std::is_same_v<T, protocol::LeaveChat>) {
          groups_.leave_chat(session, id, body);
        } else if constexpr (std::is_same_v<T, protocol::RenameChat>) {
          groups_.rename_chat(session, id, body);
        } else if constexpr (std::is_same_v<T, protocol::Hello>) {
          // The session answers hello itself; reaching here is a bug in the session.
          session->fail(id, {Errc::internal, "hello was routed"});
        } else {
          static_assert(sizeof(T) == 0, "every request type needs a route");
        }
      },
      request.body);
}

}  // namespace messenger
