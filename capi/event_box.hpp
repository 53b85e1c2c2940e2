#pragma once

#include <memory>
#include <string>

#include "messenger.h"
#include "messenger/client.hpp"
#include "result_boxes.hpp"

namespace messenger::capi {

/// A client event as the C struct `msgr_event`, owning every part it points to.
class EventBox : public msgr_event {
 public:
  explicit EventBox(const ClientEvent &event);
  EventBox(const EventBox &) = delete;
  EventBox &operator=(const EventBox &) = delete;

 private:
  void fill(const MessageEvent &event);
  void fill(const ReceiptEvent &event);
  void fill(const ChatEvent &event);
  void fill(const TypingEvent &event);
  void fill(const PresenceEvent &event);
  void fill(const SendResultEvent &event);
  void fill(const ResetEvent &event);
  void fill(const ConnectionEvent &event);
  void fill_error(const std::optional<Error> &error);

  std::unique_ptr<MessageBox> message_;
  std::unique_ptr<ChatBox> chat_;
  std::unique_ptr<PresenceBox> presence_;
  std::unique_ptr<SendAckBox> ack_;
  std::string client_msg_id_;
  std::string error_message_;
};

}  // namespace messenger::capi
