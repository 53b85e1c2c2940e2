#include "protocol/codec.hpp"

#include <nlohmann/json.hpp>

#include <type_traits>

// The encoders. Output keeps fields in the order written here (ordered_json), so frames read
// like the examples in docs/protocol.md.
namespace messenger::protocol {
namespace {

using Json = nlohmann::ordered_json;

template <typename... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <typename... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

// Text from the store or the application may hold invalid UTF-8; replacing it keeps encoding
// total instead of throwing.
std::string dump(const Json& value) {
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

Json user_json(const User& user) {
  return Json::object({{"id", user.id},
                       {"name", user.name},
                       {"created_at", user.created_at},
                       {"last_seen", user.last_seen}});
}

Json member_json(const ChatMember& member) {
  return Json::object({{"user_id", member.user_id},
                       {"name", member.name},
                       {"role", to_string(member.role)},
                       {"delivered_seq", member.delivered_seq},
                       {"seen_seq", member.seen_seq}});
}

Json chat_json(const Chat& chat) {
  auto members = Json::array();
  for (const auto& member : chat.members)
    members.push_back(member_json(member));
  return Json::object({{"id", chat.id},
                       {"kind", to_string(chat.kind)},
                       {"title", chat.title},
                       {"created_at", chat.created_at},
                       {"last_seq", chat.last_seq},
                       {"members", std::move(members)}});
}

Json message_json(const Message& message) {
  return Json::object({{"id", message.id},
                       {"chat_id", message.chat_id},
                       {"seq", message.seq},
                       {"sender_id", message.sender_id},
                       {"kind", to_string(message.kind)},
                       {"subject_id", message.subject_id},
                       {"client_msg_id", message.client_msg_id},
                       {"text", message.text},
                       {"created_at", message.created_at},
                       {"status", to_string(message.status)}});
}

/// The length of `text` as a JSON string's contents: quotes and backslashes take two bytes,
/// other control characters up to six (\u00XX), everything else (UTF-8 too) one each.
std::size_t escaped_size(std::string_view text) {
  std::size_t size = 0;
  for (unsigned char c : text)
    size += c == '"' || c == '\\' ? 2 : c < 0x20 ? 6 : 1;
  return size;
}

Json summary_json(const ChatSummary& summary) {
  return Json::object(
      {{"chat", chat_json(summary.chat)},
       {"last_message", summary.last_message ? message_json(*summary.last_message) : Json()},
       {"unread", summary.unread}});
}

Json presence_json(const Presence& presence) {
  return Json::object({{"user_id", presence.user_id},
                       {"online", presence.online},
                       {"last_seen", presence.last_seen}});
}

// The wire never says that typing stopped: it lasts a fixed time unless renewed, so `typing` is
// not written.
Json event_json(const ServerEvent& event) {
  return std::visit(
      Overloaded{
          [](const MessageEvent& e) {
            return Json::object(
                {{"event", "message"}, {"cursor", e.cursor}, {"message", message_json(e.message)}});
          },
          [](const ReceiptEvent& e) {
            return Json::object({{"event", "receipt"},
                                 {"cursor", e.cursor},
                                 {"chat_id", e.chat_id},
                                 {"user_id", e.user_id},
                                 {"delivered_seq", e.delivered_seq},
                                 {"seen_seq", e.seen_seq}});
          },
          [](const ChatEvent& e) {
            return Json::object(
                {{"event", "chat"}, {"cursor", e.cursor}, {"chat", chat_json(e.chat)}});
          },
          [](const TypingEvent& e) {
            return Json::object(
                {{"event", "typing"}, {"chat_id", e.chat_id}, {"user_id", e.user_id}});
          },
          [](const PresenceEvent& e) {
            return Json::object({{"event", "presence"},
                                 {"user_id", e.presence.user_id},
                                 {"online", e.presence.online},
                                 {"last_seen", e.presence.last_seen}});
          },
      },
      event);
}

void add_reply_fields(Json& frame, const ReplyBody& reply) {
  std::visit(Overloaded{
                 [&](const HelloReply& r) {
                   frame["protocol"] = r.protocol;
                   frame["server"] = r.server;
                 },
                 [&](const SessionReply& r) {
                   frame["user"] = user_json(r.user);
                   frame["token"] = r.token;
                 },
                 [&](const UserReply& r) { frame["user"] = user_json(r.user); },
                 [&](const ChatReply& r) { frame["chat"] = chat_json(r.chat); },
                 [&](const ChatListReply& r) {
                   auto& chats = frame["chats"] = Json::array();
                   for (const auto& summary : r.chats)
                     chats.push_back(summary_json(summary));
                 },
                 [&](const SendReply& r) {
                   frame["message_id"] = r.ack.message_id;
                   frame["chat_id"] = r.ack.chat_id;
                   frame["seq"] = r.ack.seq;
                   frame["created_at"] = r.ack.created_at;
                 },
                 [&](const HistoryReply& r) {
                   auto& messages = frame["messages"] = Json::array();
                   for (const auto& message : r.messages)
                     messages.push_back(message_json(message));
                   if (r.more) frame["more"] = true;
                 },
                 [](const EmptyReply&) {},
                 [&](const SyncReply& r) {
                   auto& updates = frame["updates"] = Json::array();
                   for (const auto& update : r.updates)
                     updates.push_back(event_json(update));
                   frame["cursor"] = r.cursor;
                   frame["more"] = r.more;
                 },
                 [&](const PresenceReply& r) {
                   auto& presence = frame["presence"] = Json::array();
                   for (const auto& entry : r.presence)
                     presence.push_back(presence_json(entry));
                 },
             },
             reply);
}

void add_history_fields(Json& frame, const HistoryQuery& query) {
  frame["chat_id"] = query.chat_id;
  if (query.direction == HistoryDirection::after) {
    // "After nothing" means from the oldest end, which is what after 0 asks for.
    frame["after"] = query.anchor.value_or(0);
  } else if (query.anchor) {
    frame["before"] = *query.anchor;
  }
  frame["order"] = query.order == HistoryOrder::oldest_first ? "oldest_first" : "newest_first";
  frame["limit"] = query.limit;
}

void add_request_fields(Json& frame, const RequestBody& body) {
  std::visit(Overloaded{
                 [&](const Hello& r) {
                   frame["protocol"] = r.protocol;
                   frame["client"] = r.client;
                 },
                 [&](const Register& r) {
                   frame["name"] = r.name;
                   frame["password"] = r.password;
                   if (!r.device.empty()) frame["device"] = r.device;
                 },
                 [&](const Login& r) {
                   frame["name"] = r.name;
                   frame["password"] = r.password;
                   if (!r.device.empty()) frame["device"] = r.device;
                 },
                 [&](const Resume& r) { frame["token"] = r.token; },
                 [&](const Logout& r) {
                   if (r.all) frame["all"] = true;
                 },
                 [&](const ChangePassword& r) {
                   frame["current"] = r.current;
                   frame["password"] = r.password;
                 },
                 [&](const FindUser& r) { frame["name"] = r.name; },
                 [&](const OpenDirectChat& r) { frame["user_id"] = r.user_id; },
                 [&](const CreateGroup& r) {
                   frame["title"] = r.title;
                   frame["members"] = r.members;
                 },
                 [](const ListChats&) {},
                 [&](const SendMessage& r) {
                   frame["chat_id"] = r.chat_id;
                   frame["client_msg_id"] = r.client_msg_id;
                   frame["text"] = r.text;
                 },
                 [&](const AckDelivered& r) {
                   frame["chat_id"] = r.chat_id;
                   frame["seq"] = r.seq;
                 },
                 [&](const MarkSeen& r) {
                   frame["chat_id"] = r.chat_id;
                   frame["seq"] = r.seq;
                 },
                 [&](const GetHistory& r) { add_history_fields(frame, r.query); },
                 [&](const Sync& r) {
                   frame["cursor"] = r.cursor;
                   if (r.limit != 0) frame["limit"] = r.limit;
                 },
                 [&](const Typing& r) { frame["chat_id"] = r.chat_id; },
                 [&](const GetPresence& r) { frame["user_ids"] = r.user_ids; },
                 [&](const GetChat& r) { frame["chat_id"] = r.chat_id; },
                 [&](const AddMembers& r) {
                   frame["chat_id"] = r.chat_id;
                   frame["user_ids"] = r.user_ids;
                 },
                 [&](const RemoveMember& r) {
                   frame["chat_id"] = r.chat_id;
                   frame["user_id"] = r.user_id;
                 },
                 [&](const LeaveChat& r) { frame["chat_id"] = r.chat_id; },
                 [&](const RenameChat& r) {
                   frame["chat_id"] = r.chat_id;
                   frame["title"] = r.title;
                 },
             },
             body);
}

}  // namespace

std::string encode_reply(RequestId id, const ReplyBody& reply) {
  Json frame = Json::object({{"id", id}, {"ok", true}});
  add_reply_fields(frame, reply);
  return dump(frame);
}

std::string encode_error(std::optional<RequestId> id, const Error& error) {
  Json frame = Json::object(
      {{"id", id ? Json(*id) : Json()},
       {"error", Json::object({{"code", to_wire(error.code)}, {"message", error.message}})}});
  return dump(frame);
}

std::size_t encoded_size_bound(const Message& message) {
  // The keys, six numbers of up to 20 digits, kind and status, and an event's wrapper.
  constexpr std::size_t kFixedBytes = 320;
  return kFixedBytes + escaped_size(message.client_msg_id) + escaped_size(message.text);
}

std::string encode_event(const ServerEvent& event) {
  return dump(event_json(event));
}

std::string encode_request(const Request& request) {
  Json frame = Json::object({{"id", request.id}, {"type", type_name(request.body)}});
  add_request_fields(frame, request.body);
  return dump(frame);
}

Result<std::string> encode_request_exactly(const Request& request) {
  Json frame = Json::object({{"id", request.id}, {"type", type_name(request.body)}});
  add_request_fields(frame, request.body);
  try {
    return frame.dump(-1, ' ', false, Json::error_handler_t::strict);
  } catch (const Json::type_error&) {
    return Error{Errc::bad_request, "a text of the request is not valid UTF-8"};
  }
}

}  // namespace messenger::protocol
