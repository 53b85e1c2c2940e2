#pragma once

#include <memory>

#include "protocol/messages.hpp"

namespace messenger {

class ClientSession;

/// Hands each decoded request of a logged-in (or logging-in) connection to the service that
/// answers it.
class RequestRouter {
 public:
  virtual ~RequestRouter() = default;
  virtual void route(const std::shared_ptr<ClientSession>& session, protocol::Request request) = 0;
};

}  // namespace messenger
