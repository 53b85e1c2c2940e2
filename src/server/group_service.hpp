#pragma once

#include <memory>

#include "protocol/messages.hpp"

namespace messenger {

struct ServerContext;
class ClientSession;
class Delivery;

/// A chat's details and the changes to a group: members added, removed or leaving, renames.
class GroupService {
 public:
  GroupService(ServerContext& context, Delivery& delivery)
      : context_(context), delivery_(delivery) {}

  void get_chat(const std::shared_ptr<ClientSession>& session, protocol::RequestId id,
                const protocol::GetChat& request);
  void add_members(const std::shared_ptr<ClientSession>& session, protocol::RequestId id,
                   const protocol::AddMembers& request);
  void remove_member(const std::shared_ptr<ClientSession>& session, protocol::RequestId id,
                     const protocol::RemoveMember& request);
  void leave_chat(const std::shared_ptr<ClientSession>& session, protocol::RequestId id,
                  const protocol::LeaveChat& request);
  void rename_chat(const std::shared_ptr<ClientSession>& session, protocol::RequestId id,
                   const protocol::RenameChat& request);

 private:
  /// Commits one change; replies with the chat (or nothing) and tells everyone concerned.
  void change(const std::shared_ptr<ClientSession>& session, protocol::RequestId id,
              std::function<Result<ChatChange>(WriteTransaction&)> apply, bool reply_with_chat);

  ServerContext& context_;
  Delivery& delivery_;
};

}  // namespace messenger
