#pragma once

#include <functional>

#include "client/delivery_acks.hpp"
#include "client/typing_timers.hpp"
#include "protocol/messages.hpp"

namespace messenger {

/// Turns an event from the server into what the host sees: the event itself, typing that ends
/// when the typist's message arrives, and the delivery acknowledgement the message is owed.
/// Network thread only.
class UpdateApplier {
 public:
  UpdateApplier(std::function<void(ClientEvent)> emit, TypingTimers& typing, DeliveryAcks& acks,
                bool auto_ack)
      : emit_(std::move(emit)), typing_(typing), acks_(acks), auto_ack_(auto_ack) {}

  /// The logged-in user, whose own messages need no acknowledgement.
  void set_self(UserId self) { self_ = self; }
  void apply(protocol::ServerEvent event);

 private:
  void on(MessageEvent event);
  void on(TypingEvent event);
  template <typename Event>
  void on(Event event) {
    emit_(std::move(event));
  }

  std::function<void(ClientEvent)> emit_;
  TypingTimers& typing_;
  DeliveryAcks& acks_;
  bool auto_ack_;
  UserId self_ = 0;
};

}  // namespace messenger
