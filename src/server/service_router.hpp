#pragma once

#include "server/account_service.hpp"
#include "server/chat_service.hpp"
#include "server/delivery.hpp"
#include "server/group_service.hpp"
#include "server/message_service.hpp"
#include "server/presence_service.hpp"
#include "server/request_router.hpp"
#include "server/sync_service.hpp"

namespace messenger {

/// The services of a server, and the table that sends each request type to one of them.
class ServiceRouter final : public RequestRouter {
 public:
  explicit ServiceRouter(ServerContext& context)
      : delivery_(context),
        accounts_(context),
        chats_(context, delivery_),
        messages_(context, delivery_),
        sync_(context),
        groups_(context, delivery_),
        presence_(context, delivery_) {}

  void route(const std::shared_ptr<ClientSession>& session, protocol::Request request) override;
  /// For the presence table: a user came online or went offline.
  void presence_changed(UserId user, bool online) { presence_.changed(user, online); }

 private:
  Delivery delivery_;
  AccountService accounts_;
  ChatService chats_;
  MessageService messages_;
  SyncService sync_;
  GroupService groups_;
  PresenceService presence_;
};

}  // namespace messenger
