#pragma once

#include <memory>

#include "protocol/messages.hpp"

namespace messenger {

struct ServerContext;
class ClientSession;
class Delivery;

/// Users and chats: look a user up, open a direct chat, create a group, list one's chats.
class ChatService {
 public:
  ChatService(ServerContext& context, Delivery& delivery)
      : context_(context), delivery_(delivery) {}

  void find_user(const std::shared_ptr<ClientSession>& session, protocol::RequestId id,
                 const protocol::FindUser& request);
  void open_direct_chat(const std::shared_ptr<ClientSession>& session, protocol::RequestId id,
                        const protocol::OpenDirectChat& request);
  void create_group(const std::shared_ptr<ClientSession>& session, protocol::RequestId id,
                    const protocol::CreateGroup& request);
  void list_chats(const std::shared_ptr<ClientSession>& session, protocol::RequestId id);

 private:
  ServerContext& context_;
  Delivery& delivery_;
};

}  // namespace messenger
