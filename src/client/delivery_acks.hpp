#pragma once

#include <cstdint>
#include <map>

#include "client/request_table.hpp"

namespace asio {
class io_context;
}

namespace messenger {

/// Delivery acknowledgements owed to the server, one watermark per chat. A burst of messages
/// costs one request per chat, sent once the burst is read; an acknowledgement the connection
/// lost is sent again once the client is back. Network thread only.
class DeliveryAcks {
 public:
  DeliveryAcks(asio::io_context& io, SendRequest send) : io_(io), send_(std::move(send)) {}

  /// Every message up to `seq` in `chat` is here.
  void want(ChatId chat, Seq seq);
  /// Sends what is owed and not already on its way.
  void flush();
  /// Requests on the lost connection will not be answered; they count as owed again.
  void connection_lost();

 private:
  void on_reply(std::uint64_t epoch, ChatId chat, Seq seq, const Result<protocol::ServerFrame>&);

  asio::io_context& io_;
  SendRequest send_;
  std::map<ChatId, Seq> owed_;
  std::map<ChatId, Seq> sending_;
  std::uint64_t epoch_ = 0;  // counts connections, to ignore answers meant for a lost one
  bool flush_scheduled_ = false;
};

}  // namespace messenger
