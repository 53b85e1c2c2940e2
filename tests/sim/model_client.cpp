#include "sim/model_client.hpp"

#include <algorithm>

#include "client/typing_timers.hpp"
#include "messenger/version.hpp"

namespace messenger::sim {
namespace {

constexpr const char* kPassword = "simulated password";

Cursor cursor_of(const protocol::ServerEvent& event) {
  if (auto* message = std::get_if<MessageEvent>(&event)) return message->cursor;
  if (auto* receipt = std::get_if<ReceiptEvent>(&event)) return receipt->cursor;
  if (auto* chat = std::get_if<ChatEvent>(&event)) return chat->cursor;
  return 0;
}

bool is_stream(const protocol::ServerEvent& event) {
  return std::holds_alternative<MessageEvent>(event) ||
         std::holds_alternative<ReceiptEvent>(event) || std::holds_alternative<ChatEvent>(event);
}

std::string describe(const Error& error) {
  return std::string(to_wire(error.code)) + " (" + error.message + ")";
}

}  // namespace

ModelClient::ModelClient(Options options, Transport& transport, const VirtualClock& clock,
                         Violations& violations)
    : options_(std::move(options)), transport_(transport), clock_(clock), violations_(violations) {}

void ModelClient::connect(const std::string& url) {
  if (link_ != Link::down) return;
  link_ = Link::connecting;
  const auto generation = ++generation_;
  note("connect");

  ConnectionEvents events;
  events.on_text = [this, generation](std::string text) { on_text(generation, text); };
  events.on_closed = [this, generation](CloseCode code, std::string_view) {
    if (generation != generation_) return;
    note("closed " + std::to_string(static_cast<int>(code)));
    cut("closed by the server");
  };
  transport_.connect(
      {.url = url, .origin = {}, .limits = {}}, std::move(events),
      [this, generation](Result<std::shared_ptr<Connection>> connected) {
        if (generation != generation_) {
          if (connected) (*connected)->close(CloseCode::abnormal, "given up");
          return;
        }
        if (!connected) {
          note("connect failed");
          link_ = Link::down;
          return;
        }
        connection_ = *connected;
        link_ = Link::logging_in;
        send(protocol::Hello{kProtocolVersion, "sim"}, {Pending::hello, {}});
        if (!token_.empty()) {
          send(protocol::Resume{token_}, {Pending::login, {}});
        } else if (options_.registers) {
          send(protocol::Register{options_.name, kPassword, options_.device}, {Pending::login, {}});
        } else {
          send(protocol::Login{options_.name, kPassword, options_.device}, {Pending::login, {}});
        }
      });
}

void ModelClient::cut(const std::string& why) {
  if (link_ == Link::down) return;
  ++generation_;
  note("cut: " + why);
  if (connection_) connection_->close(CloseCode::abnormal, why);
  connection_.reset();
  link_ = Link::down;
  in_flight_.clear();
  held_.clear();
  acks_sent_.clear();
  typing_until_.clear();
  presence_.clear();
}

void ModelClient::restart() {
  cut("restart");
  next_request_ = 0;
}

void ModelClient::queue_message(ChatId chat, const std::string& text) {
  Outgoing outgoing{options_.device + "-" + std::to_string(++next_client_msg_), chat, text};
  note("queue " + outgoing.client_msg_id + " chat " + std::to_string(chat));
  outbox_.push_back(outgoing);
  if (live()) {
    send(protocol::SendMessage{chat, outgoing.client_msg_id, text},
         {Pending::send, outgoing.client_msg_id});
  }
}

void ModelClient::mark_seen(ChatId chat) {
  auto found = messages_.find(chat);
  if (!live() || found == messages_.end() || found->second.empty()) return;
  Seq seq = found->second.back().seq;
  note("mark_seen chat " + std::to_string(chat) + " seq " + std::to_string(seq));
  send(protocol::MarkSeen{chat, seq}, {Pending::seen, {}});
}

void ModelClient::typing(ChatId chat) {
  if (!live()) return;
  note("send typing chat " + std::to_string(chat));
  send(protocol::Typing{chat}, {Pending::typing, {}});
}

void ModelClient::open_direct_chat(UserId other) {
  if (live()) send(protocol::OpenDirectChat{other}, {Pending::chat_made, {}});
}

void ModelClient::create_group(const std::string& title, const std::vector<UserId>& members) {
  if (live()) send(protocol::CreateGroup{title, members}, {Pending::chat_made, {}});
}

void ModelClient::add_member(ChatId chat, UserId user) {
  if (!live()) return;
  note("add " + std::to_string(user) + " to chat " + std::to_string(chat));
  send(protocol::AddMembers{chat, {user}}, {Pending::change, {}});
}

void ModelClient::remove_member(ChatId chat, UserId user) {
  if (!live()) return;
  note("remove " + std::to_string(user) + " from chat " + std::to_string(chat));
  send(protocol::RemoveMember{chat, user}, {Pending::change, {}});
}

void ModelClient::leave_chat(ChatId chat) {
  if (!live()) return;
  note("leave chat " + std::to_string(chat));
  send(protocol::LeaveChat{chat}, {Pending::change, {}});
}

void ModelClient::expire_typing() {
  std::erase_if(typing_until_,
                [now = clock_.elapsed()](const auto& entry) { return entry.second <= now; });
}

bool ModelClient::settled() const {
  if (link_ == Link::down) return true;
  return link_ == Link::live && in_flight_.empty() && outbox_.empty() && to_ack_.empty();
}

std::optional<bool> ModelClient::shows_online(UserId user) const {
  auto found = presence_.find(user);
  if (found == presence_.end()) return std::nullopt;
  return found->second.online;
}

bool ModelClient::shows_typing(ChatId chat, UserId user) const {
  return typing_until_.count({chat, user}) != 0;
}

bool ModelClient::member_of(ChatId chat) const {
  auto found = members_.find(chat);
  return found != members_.end() && found->second.count(user_id_) != 0;
}

void ModelClient::send(protocol::RequestBody body, InFlight in_flight) {
  if (!connection_) return;
  protocol::Request request{++next_request_, std::move(body)};
  in_flight_.emplace(request.id, std::move(in_flight));
  connection_->send_text(protocol::encode_request(request));
}

void ModelClient::on_text(std::uint64_t generation, const std::string& text) {
  // A frame still on its way when the link was cut is lost with it.
  if (generation != generation_) return;
  auto frame = protocol::ServerFrame::parse(text);
  if (!frame) return violation("unreadable frame: " + text);
  if (frame->is_event()) {
    auto event = frame->as_event();
    if (!event) return violation("unreadable event: " + text);
    return on_event(*event);
  }
  auto id = frame->id();
  auto found = id ? in_flight_.find(*id) : in_flight_.end();
  if (found == in_flight_.end()) return violation("a reply to no request: " + text);
  InFlight in_flight = std::move(found->second);
  in_flight_.erase(found);
  on_reply(in_flight, *frame);
}

void ModelClient::on_reply(const InFlight& in_flight, const protocol::ServerFrame& frame) {
  const auto& error = frame.error();
  switch (in_flight.kind) {
    case Pending::hello:
      if (error) violation("hello refused: " + describe(*error));
      return;
    case Pending::login: {
      if (error) return violation("login refused: " + describe(*error));
      if (auto session = frame.as_session()) return on_logged_in(session->user, session->token);
      auto resumed = frame.as_user();
      if (!resumed) return violation("unreadable login reply");
      return on_logged_in(resumed->user, {});
    }
    case Pending::sync: {
      auto page = frame.as_sync();
      if (!page) return violation("sync failed: " + describe(page.error()));
      return on_sync_page(*page);
    }
    case Pending::send:
      return on_send_reply(in_flight.client_msg_id, frame.as_send());
    case Pending::presence: {
      auto reply = frame.as_presence();
      if (!reply) return violation("get_presence failed: " + describe(reply.error()));
      for (const auto& presence : reply->presence)
        apply_presence(presence);
      return;
    }
    case Pending::chat_made: {
      auto reply = frame.as_chat();
      if (!reply) return violation("making a chat failed: " + describe(reply.error()));
      chats_made_.push_back(reply->chat);
      return;
    }
    case Pending::ack:
      if (auto owed = to_ack_.find(in_flight.chat);
          owed != to_ack_.end() && owed->second <= in_flight.seq) {
        to_ack_.erase(owed);
      }
      [[fallthrough]];
    case Pending::seen:
    case Pending::typing:
    case Pending::change:
      // A member removed meanwhile is refused; the request raced with the removal.
      if (error && error->code != Errc::not_a_member && error->code != Errc::forbidden) {
        violation("request refused: " + describe(*error));
      }
      if (error) note("refused: " + std::string(to_wire(error->code)));
      return;
  }
}

void ModelClient::on_logged_in(const User& user, const std::string& token) {
  if (user_id_ != 0 && user.id != user_id_) violation("logged in as another user");
  user_id_ = user.id;
  if (!token.empty()) token_ = token;
  link_ = Link::syncing;
  note("logged in as " + std::to_string(user.id) + ", sync from " + std::to_string(cursor_));
  send(protocol::Sync{cursor_, options_.sync_page}, {Pending::sync, {}});
  request_presence();
  flush_acks();
}

void ModelClient::on_sync_page(const protocol::SyncReply& page) {
  for (const auto& update : page.updates) {
    if (!is_stream(update)) {
      violation("a sync page holds an ephemeral event");
      continue;
    }
    if (cursor_of(update) <= cursor_) {
      violation("a sync page repeats cursor " + std::to_string(cursor_of(update)));
      continue;
    }
    apply_stream(update, "sync");
  }
  if (page.cursor < cursor_) violation("a sync page moved the cursor back");
  cursor_ = std::max(cursor_, page.cursor);
  note("page to " + std::to_string(page.cursor) + (page.more ? " more" : " end"));
  flush_acks();
  if (page.more) {
    send(protocol::Sync{cursor_, options_.sync_page}, {Pending::sync, {}});
  } else {
    go_live();
  }
}

void ModelClient::go_live() {
  link_ = Link::live;
  auto held = std::move(held_);
  held_.clear();
  for (const auto& event : held) {
    if (cursor_of(event) > cursor_) apply_stream(event, "live");
  }
  flush_acks();
  for (const auto& outgoing : outbox_) {
    send(protocol::SendMessage{outgoing.chat, outgoing.client_msg_id, outgoing.text},
         {Pending::send, outgoing.client_msg_id});
  }
}

void ModelClient::request_presence() {
  std::set<UserId> users;
  for (const auto& [chat, members] : members_)
    users.insert(members.begin(), members.end());
  users.erase(user_id_);
  if (users.empty()) return;
  send(protocol::GetPresence{{users.begin(), users.end()}}, {Pending::presence, {}});
}

void ModelClient::on_send_reply(const std::string& client_msg_id,
                                const Result<protocol::SendReply>& reply) {
  auto outgoing = std::find_if(outbox_.begin(), outbox_.end(), [&](const Outgoing& entry) {
    return entry.client_msg_id == client_msg_id;
  });
  if (!reply) {
    if (reply.code() != Errc::not_a_member) {
      return violation("send " + client_msg_id + " refused: " + describe(reply.error()));
    }
    note("send " + client_msg_id + " refused: not a member");
    if (outgoing != outbox_.end()) outbox_.erase(outgoing);
    return;
  }

  const SendAck& ack = reply->ack;
  auto [first, fresh] = acked_.try_emplace(client_msg_id, ack);
  if (!fresh && (first->second.message_id != ack.message_id || first->second.seq != ack.seq)) {
    violation("send " + client_msg_id + " acknowledged as two messages");
  }
  note("ack " + client_msg_id + " id " + std::to_string(ack.message_id) + " seq " +
       std::to_string(ack.seq));
  if (outgoing == outbox_.end()) return;
  Message own{.id = ack.message_id,
              .chat_id = ack.chat_id,
              .seq = ack.seq,
              .sender_id = user_id_,
              .client_msg_id = client_msg_id,
              .text = outgoing->text,
              .created_at = ack.created_at};
  outbox_.erase(outgoing);
  if (!message_ids_.count(own.id)) {
    apply_message(own, "ack");
    acked_unseen_.insert(own.id);
  }
}

void ModelClient::on_event(const protocol::ServerEvent& event) {
  if (auto* typing = std::get_if<TypingEvent>(&event)) return apply_typing(*typing);
  if (auto* presence = std::get_if<PresenceEvent>(&event))
    return apply_presence(presence->presence);
  if (link_ != Link::live) {
    held_.push_back(event);
    return;
  }
  if (cursor_of(event) <= cursor_) {
    note("drop cursor " + std::to_string(cursor_of(event)));
    return;
  }
  apply_stream(event, "live");
  flush_acks();
}

void ModelClient::apply_stream(const protocol::ServerEvent& event, const char* how) {
  cursor_ = cursor_of(event);
  if (auto* message = std::get_if<MessageEvent>(&event)) {
    apply_message(message->message, how);
  } else if (auto* chat = std::get_if<ChatEvent>(&event)) {
    apply_chat(chat->chat);
  } else if (auto* receipt = std::get_if<ReceiptEvent>(&event)) {
    if (members_.count(receipt->chat_id) && !member_of(receipt->chat_id)) {
      violation("a receipt in chat " + std::to_string(receipt->chat_id) + " after leaving it");
    }
    if (receipt->seen_seq > receipt->delivered_seq) violation("seen above delivered");
    auto& last = last_receipt_[{receipt->chat_id, receipt->user_id}];
    if (receipt->delivered_seq < last.first || receipt->seen_seq < last.second) {
      violation("a watermark of user " + std::to_string(receipt->user_id) + " in chat " +
                std::to_string(receipt->chat_id) + " moved back");
    }
    last = {receipt->delivered_seq, receipt->seen_seq};
    auto& view = watermarks_[receipt->chat_id][receipt->user_id];
    view = {std::max(view.first, receipt->delivered_seq), std::max(view.second, receipt->seen_seq)};
    note("receipt chat " + std::to_string(receipt->chat_id) + " user " +
         std::to_string(receipt->user_id) + " " + std::to_string(receipt->delivered_seq) + "/" +
         std::to_string(receipt->seen_seq));
  }
}

void ModelClient::apply_message(const Message& message, std::string_view how) {
  if (message_ids_.count(message.id)) {
    // The sender's own message comes back in a sync page when the ack came first; live, the
    // connection that sent it must get the reply only.
    if (how == "sync" && acked_unseen_.erase(message.id)) return;
    return violation("message " + std::to_string(message.id) + " applied twice (" +
                     std::string(how) + ")");
  }
  if (how != "ack" && members_.count(message.chat_id) && !member_of(message.chat_id) &&
      !(message.kind == MessageKind::member_added && message.subject_id == user_id_)) {
    violation("a message in chat " + std::to_string(message.chat_id) + " after leaving it");
  }
  auto& chat = messages_[message.chat_id];
  if (!chat.empty() && chat.back().seq >= message.seq) {
    violation("chat " + std::to_string(message.chat_id) + ": seq " + std::to_string(message.seq) +
              " after " + std::to_string(chat.back().seq));
  }
  chat.push_back(message);
  message_ids_.insert(message.id);

  // Sending moves the sender's own watermarks to the message, with no receipt of its own.
  auto& sender = watermarks_[message.chat_id][message.sender_id];
  sender = {std::max(sender.first, message.seq), std::max(sender.second, message.seq)};

  auto& members = members_[message.chat_id];
  if (message.kind == MessageKind::member_added) members.insert(message.subject_id);
  if (message.kind == MessageKind::member_removed || message.kind == MessageKind::member_left) {
    members.erase(message.subject_id);
  }
  if (message.sender_id != user_id_) {
    auto& newest = to_ack_[message.chat_id];
    newest = std::max(newest, message.seq);
    typing_until_.erase({message.chat_id, message.sender_id});
  }
  note(std::string(how) + " chat " + std::to_string(message.chat_id) + " seq " +
       std::to_string(message.seq) + " id " + std::to_string(message.id) + " " +
       to_string(message.kind) + " from " + std::to_string(message.sender_id) + " about " +
       std::to_string(message.subject_id) + " at " + std::to_string(message.created_at) + ": " +
       message.text);
}

void ModelClient::apply_chat(const Chat& chat) {
  auto& members = members_[chat.id];
  members.clear();
  for (const auto& member : chat.members) {
    members.insert(member.user_id);
    auto& view = watermarks_[chat.id][member.user_id];
    view = {std::max(view.first, member.delivered_seq), std::max(view.second, member.seen_seq)};
  }
  // The update says the user joined here; its chat is as read later, maybe without them.
  members.insert(user_id_);
  note("chat " + std::to_string(chat.id) + " with " + std::to_string(members.size()) +
       " members, last seq " + std::to_string(chat.last_seq));
  if (connection_) request_presence();
}

void ModelClient::apply_typing(const TypingEvent& event) {
  if (event.user_id == user_id_) violation("a device received its own user's typing");
  auto members = members_.find(event.chat_id);
  if (members != members_.end() && !members->second.count(user_id_)) {
    violation("typing in chat " + std::to_string(event.chat_id) + " after leaving it");
  }
  typing_until_[{event.chat_id, event.user_id}] = clock_.elapsed() + kTypingTimeout;
  note("typing chat " + std::to_string(event.chat_id) + " user " + std::to_string(event.user_id));
}

void ModelClient::apply_presence(const Presence& presence) {
  if (presence.last_seen > clock_.now()) violation("last_seen in the future");
  presence_[presence.user_id] = presence;
  note("presence " + std::to_string(presence.user_id) + (presence.online ? " online" : " offline") +
       " last seen " + std::to_string(presence.last_seen));
}

void ModelClient::flush_acks() {
  if (link_ != Link::syncing && link_ != Link::live) return;
  for (const auto& [chat, seq] : to_ack_) {
    auto& sent = acks_sent_[chat];
    if (sent >= seq) continue;
    sent = seq;
    send(protocol::AckDelivered{chat, seq}, {Pending::ack, {}, chat, seq});
  }
}

void ModelClient::violation(const std::string& what) {
  violations_.push_back(options_.device + ": " + what);
  note("VIOLATION " + what);
}

void ModelClient::note(std::string line) {
  trace_.push_back(std::to_string(clock_.elapsed().count()) + " " + std::move(line));
}

}  // namespace messenger::sim
