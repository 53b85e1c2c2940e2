#pragma once

#include <memory>

#include "protocol/messages.hpp"

namespace messenger {

struct ServerContext;
class ClientSession;

/// Pages of a user's update stream, for clients catching up after being away.
class SyncService {
 public:
  explicit SyncService(ServerContext& context) : context_(context) {}

  void sync(const std::shared_ptr<ClientSession>& session, protocol::RequestId id,
            const protocol::Sync& request);

 private:
  ServerContext& context_;
};

}  // namespace messenger
