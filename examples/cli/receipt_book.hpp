#pragma once

#include <map>

#include "messenger/client.hpp"
#include "messenger/types.hpp"

namespace messenger::cli {

/// The other members' watermarks in each chat, from chat snapshots and receipt events. They
/// give the status of the user's own messages the way the server derives it: delivered once
/// every other member's delivered watermark reached the message, seen likewise.
class ReceiptBook {
 public:
  explicit ReceiptBook(UserId me);

  void remember(const Chat& chat);
  /// Receipts of chats not remembered are ignored.
  void update(const ReceiptEvent& receipt);

  /// Status of the user's own message `seq` in `chat`; `sent` for a chat not remembered.
  MessageStatus status_of_own(ChatId chat, Seq seq) const;

 private:
  struct Watermarks {
    Seq delivered = 0;
    Seq seen = 0;
  };
  void raise(ChatId chat, UserId user, Seq delivered, Seq seen);

  UserId me_;
  std::map<ChatId, std::map<UserId, Watermarks>> chats_;
};

}  // namespace messenger::cli
