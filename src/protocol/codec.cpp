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
  return Json::object({{"id", user.id}, {"name", user.name}, {"created_at", user.created_at}});
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
                       {"client_msg_id", message.client_msg_id},
                       {"text", message.text},
                       {"created_at", message.created_at},
                       {"status", to_string(message.status)}});
}

Json summary_json(const ChatSummary& summary) {
  return Json::object(
      {{"chat", chat_json(summary.chat)},
       {"last_message", summary.last_message ? message_json(*summary.last_message) : Json()},
       {"unread", summary.unread}});
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
                 },
                 [](const EmptyReply&) {},
             },
             reply);
}

void add_event_fields(Json& frame, const ServerEvent& event) {
  std::visit(Overloaded{
                 [&](const MessageEvent& e) {
                   frame["event"] = "message";
                   frame["message"] = message_json(e.message);
                 },
                 [&](const ReceiptEvent& e) {
                   frame["event"] = "receipt";
                   frame["chat_id"] = e.chat_id;
                   frame["user_id"] = e.user_id;
                   frame["delivered_seq"] = e.delivered_seq;
                   frame["seen_seq"] = e.seen_seq;
                 },
                 [&](const ChatEvent& e) {
                   frame["event"] = "chat";
                   frame["chat"] = chat_json(e.chat);
                 },
             },
             event);
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
                 [](const Logout&) {},
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

std::string encode_event(const ServerEvent& event) {
  Json frame = Json::object();
  add_event_fields(frame, event);
  return dump(frame);
}

std::string encode_request(const Request& request) {
  Json frame = Json::object({{"id", request.id}, {"type", type_name(request.body)}});
  add_request_fields(frame, request.body);
  return dump(frame);
}

}  // namespace messenger::protocol
