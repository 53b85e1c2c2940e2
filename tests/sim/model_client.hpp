#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "messenger/transport.hpp"
#include "protocol/codec.hpp"
#include "protocol/messages.hpp"
#include "sim/virtual_clock.hpp"

namespace messenger::sim {

/// What a device learned, in the order it learned it; the run's digest hashes every line.
using Trace = std::vector<std::string>;

/// Broken promises a device noticed as they happened; the run fails if any is found.
using Violations = std::vector<std::string>;

/// One device of one user, speaking protocol v1 (docs/protocol.md) as a well-behaved client
/// does: hello, register/login/resume, the sync loop with live events held back, dedup by
/// cursor, delivery acknowledgements, and an outbox resent with the same client_msg_id after
/// every reconnect. It has no timers and no threads: the simulation calls it, and its
/// transport callbacks run when the simulation polls the clients' io_context.
///
/// What survives a restart of the device (`restart`) is what a real client keeps on disk:
/// token, cursor, outbox, the messages and watermarks it applied. The rest is lost.
class ModelClient {
 public:
  struct Options {
    std::string name;           ///< user name
    std::string device;         ///< for the trace
    bool registers = false;     ///< the first connection registers the user; else it logs in
    std::size_t sync_page = 0;  ///< sync limit; small pages make the loop page
  };

  ModelClient(Options options, Transport& transport, const VirtualClock& clock,
              Violations& violations);

  // Actions the simulation takes.
  void connect(const std::string& url);
  /// The link dies at once: frames in flight to this device are lost, those on their way to
  /// the server still arrive there, and the server sees the connection close.
  void cut(const std::string& why);
  /// The device's process restarts: `cut`, and everything not kept on disk is forgotten.
  void restart();
  void queue_message(ChatId chat, const std::string& text);
  void mark_seen(ChatId chat);
  void typing(ChatId chat);
  void open_direct_chat(UserId other);
  void create_group(const std::string& title, const std::vector<UserId>& members);
  void add_member(ChatId chat, UserId user);
  void remove_member(ChatId chat, UserId user);
  void leave_chat(ChatId chat);
  /// Drops typing indicators whose time is up.
  void expire_typing();

  enum class Link { down, connecting, logging_in, syncing, live };
  Link link() const { return link_; }
  bool live() const { return link_ == Link::live; }
  /// Live with nothing in flight and nothing to send, or down.
  bool settled() const;

  // What the device holds, for the checks at the end.
  UserId user_id() const { return user_id_; }
  const std::string& name() const { return options_.name; }
  const std::string& device() const { return options_.device; }
  /// Messages applied, per chat, in the order applied.
  const std::map<ChatId, std::vector<Message>>& messages() const { return messages_; }
  /// Watermarks per chat and member, as the device's receipts and chat updates say.
  const std::map<ChatId, std::map<UserId, std::pair<Seq, Seq>>>& watermarks() const {
    return watermarks_;
  }
  std::optional<bool> shows_online(UserId user) const;
  bool shows_typing(ChatId chat, UserId user) const;
  bool any_typing() const { return !typing_until_.empty(); }
  /// Acknowledgements received, by client_msg_id.
  const std::map<std::string, SendAck>& acked() const { return acked_; }
  std::size_t outbox_size() const { return outbox_.size(); }
  /// Chats as the replies to open_direct_chat and create_group returned them.
  const std::vector<Chat>& chats_made() const { return chats_made_; }
  /// Whether the device's own stream says the user is in the chat now.
  bool member_of(ChatId chat) const;
  const Trace& trace() const { return trace_; }

 private:
  enum class Pending { hello, login, sync, send, ack, seen, typing, presence, chat_made, change };
  struct InFlight {
    Pending kind;
    std::string client_msg_id;  ///< for sends
    ChatId chat = 0;            ///< for acknowledgements
    Seq seq = 0;
  };
  struct Outgoing {
    std::string client_msg_id;
    ChatId chat = 0;
    std::string text;
  };

  void send(protocol::RequestBody body, InFlight in_flight);
  void on_text(std::uint64_t generation, const std::string& text);
  void on_reply(const InFlight& in_flight, const protocol::ServerFrame& frame);
  void on_event(const protocol::ServerEvent& event);
  void on_logged_in(const User& user, const std::string& token);
  void on_sync_page(const protocol::SyncReply& page);
  void on_send_reply(const std::string& client_msg_id, const Result<protocol::SendReply>& reply);
  void go_live();
  void request_presence();

  /// `how` says where the update came from, for the trace and the checks: "sync" or "live".
  void apply_stream(const protocol::ServerEvent& event, const char* how);
  /// `how` is as for apply_stream, or "ack" for the device's own message.
  void apply_message(const Message& message, std::string_view how);
  void apply_chat(const Chat& chat);
  void apply_typing(const TypingEvent& event);
  void apply_presence(const Presence& presence);
  void flush_acks();
  void violation(const std::string& what);
  void note(std::string line);

  Options options_;
  Transport& transport_;
  const VirtualClock& clock_;
  Violations& violations_;

  // Kept on disk.
  UserId user_id_ = 0;
  std::string token_;
  Cursor cursor_ = 0;
  std::vector<Outgoing> outbox_;
  std::uint64_t next_client_msg_ = 0;
  std::map<ChatId, std::vector<Message>> messages_;
  std::set<MessageId> message_ids_;
  std::map<ChatId, std::set<UserId>> members_;
  std::map<ChatId, std::map<UserId, std::pair<Seq, Seq>>> watermarks_;
  std::map<std::pair<ChatId, UserId>, std::pair<Seq, Seq>> last_receipt_;
  std::map<std::string, SendAck> acked_;
  std::set<MessageId> acked_unseen_;  ///< own messages known from an ack only, not the stream
  /// Newest seq from others whose acknowledgement has no reply yet.
  std::map<ChatId, Seq> to_ack_;
  std::vector<Chat> chats_made_;
  Trace trace_;

  // Lost with the connection or the process.
  Link link_ = Link::down;
  std::uint64_t generation_ = 0;
  std::shared_ptr<Connection> connection_;
  protocol::RequestId next_request_ = 0;
  std::map<protocol::RequestId, InFlight> in_flight_;
  std::vector<protocol::ServerEvent> held_;
  std::map<ChatId, Seq> acks_sent_;
  std::map<std::pair<ChatId, UserId>, std::chrono::milliseconds> typing_until_;
  std::map<UserId, Presence> presence_;
};

}  // namespace messenger::sim
