#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>

#include "protocol/messages.hpp"

namespace messenger {

struct ServerContext;
class ClientSession;
class Delivery;

/// The ephemeral side: typing notices and online presence. Nothing here is stored but a
/// user's last-seen time.
class PresenceService {
 public:
  PresenceService(ServerContext& context, Delivery& delivery)
      : context_(context), delivery_(delivery) {}

  /// Forwards to the chat's other members, at most once per `kTypingForwardInterval` for each
  /// user and chat; more frequent notices are answered but not forwarded.
  void typing(const std::shared_ptr<ClientSession>& session, protocol::RequestId id,
              const protocol::Typing& request);
  /// Answers for the users who share a chat with the asker; others are left out.
  void get_presence(const std::shared_ptr<ClientSession>& session, protocol::RequestId id,
                    const protocol::GetPresence& request);
  /// A user's first connection logged in, or their last one closed.
  void changed(UserId user, bool online);

 private:
  bool may_forward(UserId user, ChatId chat);

  ServerContext& context_;
  Delivery& delivery_;
  std::mutex mutex_;
  std::map<std::pair<UserId, ChatId>, std::chrono::steady_clock::time_point> forwarded_;
};

}  // namespace messenger
