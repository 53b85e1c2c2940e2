#pragma once

#include "server/account_service.hpp"
#include "server/chat_service.hpp"
#include "server/delivery.hpp"
#include "server/message_service.hpp"
#include "server/request_router.hpp"

namespace messenger {

/// The services of a server, and the table that sends each request type to one of them.
class ServiceRouter final : public RequestRouter {
 public:
  explicit ServiceRouter(ServerContext& context)
      : delivery_(context),
        accounts_(context, delivery_),
        chats_(context, delivery_),
        messages_(context, delivery_) {}

  void route(const std::shared_ptr<ClientSession>& session, protocol::Request request) override;

 private:
  Delivery delivery_;
  AccountService accounts_;
  ChatService chats_;
  MessageService messages_;
};

}  // namespace messenger
