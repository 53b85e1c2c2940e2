#pragma once

#include <memory>

#include "protocol/messages.hpp"

namespace messenger {

struct ServerContext;
class ClientSession;
class Delivery;

/// Messages and their receipts: send, acknowledge delivery, mark seen, read history.
class MessageService {
 public:
  MessageService(ServerContext& context, Delivery& delivery)
      : context_(context), delivery_(delivery) {}

  /// Acknowledged only after the commit; then delivered to the members online.
  void send(const std::shared_ptr<ClientSession>& session, protocol::RequestId id,
            const protocol::SendMessage& request);
  void ack_delivered(const std::shared_ptr<ClientSession>& session, protocol::RequestId id,
                     const protocol::AckDelivered& request);
  void mark_seen(const std::shared_ptr<ClientSession>& session, protocol::RequestId id,
                 const protocol::MarkSeen& request);
  void history(const std::shared_ptr<ClientSession>& session, protocol::RequestId id,
               const protocol::GetHistory& request);

 private:
  void advance(const std::shared_ptr<ClientSession>& session, protocol::RequestId id, ChatId chat,
               std::optional<Seq> delivered, std::optional<Seq> seen);

  ServerContext& context_;
  Delivery& delivery_;
};

}  // namespace messenger
