#include <fmt/format.h>

#include <array>
#include <climits>
#include <initializer_list>

#include "protocol/codec.hpp"
#include "protocol/json_reader.hpp"

// The client's reader of server frames. Unlike the request decoder it ignores fields it does
// not know, so that a newer server can add fields without breaking older clients.
namespace messenger::protocol {

struct ServerFrame::Json {
  nlohmann::json value;
};

namespace {

constexpr Errc kMalformed = Errc::protocol_error;

template <typename Enum>
Enum read_enum(FieldReader& fields, std::string_view key, std::initializer_list<Enum> values) {
  auto text = fields.text(key);
  for (auto value : values) {
    if (text == to_string(value)) return value;
  }
  fields.fail(kMalformed, fmt::format("field \"{}\" has an unknown value", key));
  return *values.begin();
}

template <typename T>
Result<T> read_object(const nlohmann::json& value, std::string_view key, T (*read)(FieldReader&)) {
  if (!value.is_object()) {
    return Error{kMalformed, fmt::format("field \"{}\": expected an object", key)};
  }
  FieldReader fields(value, kMalformed);
  T result = read(fields);
  if (!fields.ok()) return fields.error();
  return result;
}

template <typename T>
T nested(FieldReader& parent, std::string_view key, T (*read)(FieldReader&)) {
  auto result = read_object(parent.value(key), key, read);
  if (!result) {
    parent.fail(result.error().code, result.error().message);
    return T{};
  }
  return std::move(*result);
}

template <typename T>
std::vector<T> nested_array(FieldReader& parent, std::string_view key, T (*read)(FieldReader&)) {
  const auto& array = parent.value(key);
  if (!array.is_array()) {
    parent.fail(kMalformed, fmt::format("field \"{}\" must be an array", key));
    return {};
  }
  std::vector<T> elements;
  elements.reserve(array.size());
  for (const auto& element : array) {
    auto result = read_object(element, key, read);
    if (!result) {
      parent.fail(result.error().code, result.error().message);
      return {};
    }
    elements.push_back(std::move(*result));
  }
  return elements;
}

User user_fields(FieldReader& fields) {
  return User{.id = fields.integer("id"),
              .name = fields.text("name"),
              .created_at = fields.integer("created_at"),
              .last_seen = fields.integer("last_seen")};
}

constexpr std::initializer_list<MemberRole> kRoles = {MemberRole::member, MemberRole::admin,
                                                      MemberRole::owner};

ChatMember member_fields(FieldReader& fields) {
  return ChatMember{.user_id = fields.integer("user_id"),
                    .name = fields.text("name"),
                    .role = read_enum(fields, "role", kRoles),
                    .delivered_seq = fields.integer("delivered_seq"),
                    .seen_seq = fields.integer("seen_seq")};
}

Chat chat_fields(FieldReader& fields) {
  return Chat{.id = fields.integer("id"),
              .kind = read_enum(fields, "kind", {ChatKind::direct, ChatKind::group}),
              .title = fields.text("title"),
              .created_at = fields.integer("created_at"),
              .last_seq = fields.integer("last_seq"),
              .members = nested_array(fields, "members", member_fields)};
}

constexpr std::initializer_list<MessageKind> kMessageKinds = {
    MessageKind::text, MessageKind::member_added, MessageKind::member_removed,
    MessageKind::member_left, MessageKind::chat_renamed};

Message message_fields(FieldReader& fields) {
  return Message{
      .id = fields.integer("id"),
      .chat_id = fields.integer("chat_id"),
      .seq = fields.integer("seq"),
      .sender_id = fields.integer("sender_id"),
      .client_msg_id = fields.text("client_msg_id"),
      .text = fields.text("text"),
      .created_at = fields.integer("created_at"),
      .status = read_enum(fields, "status",
                          {MessageStatus::sent, MessageStatus::delivered, MessageStatus::seen}),
      .kind = read_enum(fields, "kind", kMessageKinds),
      .subject_id = fields.integer("subject_id")};
}

ChatSummary summary_fields(FieldReader& fields) {
  ChatSummary summary;
  summary.chat = nested(fields, "chat", chat_fields);
  if (!fields.value("last_message").is_null()) {
    summary.last_message = nested(fields, "last_message", message_fields);
  }
  summary.unread = fields.integer("unread");
  return summary;
}

HelloReply hello_fields(FieldReader& fields) {
  return HelloReply{static_cast<int>(fields.integer("protocol", INT_MIN, INT_MAX)),
                    fields.text("server")};
}

SessionReply session_fields(FieldReader& fields) {
  return SessionReply{nested(fields, "user", user_fields), fields.text("token")};
}

UserReply user_reply_fields(FieldReader& fields) {
  return UserReply{nested(fields, "user", user_fields)};
}

ChatReply chat_reply_fields(FieldReader& fields) {
  return ChatReply{nested(fields, "chat", chat_fields)};
}

ChatListReply chat_list_fields(FieldReader& fields) {
  return ChatListReply{nested_array(fields, "chats", summary_fields)};
}

SendReply send_fields(FieldReader& fields) {
  return SendReply{SendAck{.message_id = fields.integer("message_id"),
                           .chat_id = fields.integer("chat_id"),
                           .seq = fields.integer("seq"),
                           .created_at = fields.integer("created_at")}};
}

HistoryReply history_fields(FieldReader& fields) {
  return HistoryReply{.messages = nested_array(fields, "messages", message_fields),
                      .more = fields.optional_boolean("more").value_or(false)};
}

Presence presence_fields(FieldReader& fields) {
  return Presence{.user_id = fields.integer("user_id"),
                  .online = fields.boolean("online"),
                  .last_seen = fields.integer("last_seen")};
}

PresenceReply presence_reply_fields(FieldReader& fields) {
  return PresenceReply{nested_array(fields, "presence", presence_fields)};
}

ServerEvent message_event_fields(FieldReader& fields) {
  return MessageEvent{.message = nested(fields, "message", message_fields),
                      .cursor = fields.integer("cursor")};
}

ServerEvent receipt_event_fields(FieldReader& fields) {
  return ReceiptEvent{.chat_id = fields.integer("chat_id"),
                      .user_id = fields.integer("user_id"),
                      .delivered_seq = fields.integer("delivered_seq"),
                      .seen_seq = fields.integer("seen_seq"),
                      .cursor = fields.integer("cursor")};
}

ServerEvent chat_event_fields(FieldReader& fields) {
  auto chat = nested(fields, "chat", chat_fields);
  return ChatEvent{.chat = std::move(chat), .cursor = fields.integer("cursor")};
}

// The wire has no "stopped typing": an event means typing now.
ServerEvent typing_event_fields(FieldReader& fields) {
  return TypingEvent{
      .chat_id = fields.integer("chat_id"), .user_id = fields.integer("user_id"), .typing = true};
}

ServerEvent presence_event_fields(FieldReader& fields) {
  return PresenceEvent{presence_fields(fields)};
}

struct EventType {
  std::string_view name;
  ServerEvent (*read)(FieldReader&);
  bool in_stream;  // an update of the user's stream, with a cursor; may come in a sync reply
};

constexpr std::array<EventType, 5> kEventTypes = {{
    {"message", message_event_fields, true},
    {"receipt", receipt_event_fields, true},
    {"chat", chat_event_fields, true},
    {"typing", typing_event_fields, false},
    {"presence", presence_event_fields, false},
}};
static_assert(kEventTypes.size() == std::variant_size_v<ServerEvent>);

const EventType* find_event_type(std::string_view name) {
  for (const auto& type : kEventTypes) {
    if (type.name == name) return &type;
  }
  return nullptr;
}

Result<ServerEvent> read_event(const nlohmann::json& object, const EventType& type) {
  FieldReader fields(object, kMalformed);
  auto event = type.read(fields);
  if (!fields.ok()) return fields.error();
  return event;
}

// One entry of a sync reply's updates; nothing for an event this client does not know, which
// a newer server may add (the reply's cursor still moves past it).
Result<std::optional<ServerEvent>> read_update(const nlohmann::json& value) {
  if (!value.is_object()) return Error{kMalformed, "field \"updates\": expected objects"};
  FieldReader fields(value, kMalformed);
  auto name = fields.text("event", {1});
  if (!fields.ok()) return fields.error();
  const auto* type = find_event_type(name);
  if (!type) return std::optional<ServerEvent>{};
  if (!type->in_stream) {
    return Error{kMalformed, fmt::format("event \"{}\" is not an update of the stream", name)};
  }
  auto event = read_event(value, *type);
  if (!event) return event.error();
  return std::optional<ServerEvent>{std::move(*event)};
}

std::vector<ServerEvent> stream_updates(FieldReader& parent, std::string_view key) {
  const auto& array = parent.value(key);
  if (!parent.ok()) return {};
  if (!array.is_array()) {
    parent.fail(kMalformed, fmt::format("field \"{}\" must be an array", key));
    return {};
  }
  std::vector<ServerEvent> updates;
  updates.reserve(array.size());
  for (const auto& element : array) {
    auto update = read_update(element);
    if (!update) {
      parent.fail(update.error().code, update.error().message);
      return {};
    }
    if (*update) updates.push_back(std::move(**update));
  }
  return updates;
}

SyncReply sync_fields(FieldReader& fields) {
  return SyncReply{.updates = stream_updates(fields, "updates"),
                   .cursor = fields.integer("cursor"),
                   .more = fields.boolean("more")};
}

// The accessors check types before every read, so nlohmann should never throw; if it does, the
// frame is reported as malformed rather than letting the exception escape.
template <typename T, typename Read>
Result<T> guarded(Read read) {
  try {
    return read();
  } catch (const nlohmann::json::exception& e) {
    return Error{kMalformed, e.what()};
  }
}

template <typename T>
Result<T> read_reply(const nlohmann::json* frame, bool is_event, const std::optional<Error>& error,
                     T (*read)(FieldReader&)) {
  if (error) return *error;
  if (is_event || !frame) return Error{kMalformed, "the frame is not a reply"};
  return guarded<T>([&]() -> Result<T> {
    FieldReader fields(*frame, kMalformed);
    T reply = read(fields);
    if (!fields.ok()) return fields.error();
    return reply;
  });
}

// What kind of frame it is: an event, an error reply (its id may be null) or a success reply.
struct FrameShape {
  bool event = false;
  std::optional<RequestId> id;
  std::optional<Error> error;
};

Result<FrameShape> read_shape(const nlohmann::json& frame) {
  FieldReader fields(frame, kMalformed);
  if (fields.optional_value("event")) {
    fields.text("event", {1});
    if (!fields.ok()) return fields.error();
    return FrameShape{true, std::nullopt, std::nullopt};
  }
  if (!fields.optional_value("id")) return Error{kMalformed, "neither a reply nor an event"};

  FrameShape shape;
  if (const auto* error = fields.optional_value("error")) {
    if (!fields.value("id").is_null()) shape.id = fields.integer("id", 0);
    if (!error->is_object()) return Error{kMalformed, "field \"error\" must be an object"};
    FieldReader error_fields(*error, kMalformed);
    auto code = error_fields.text("code");
    auto message = error_fields.text("message");
    if (!error_fields.ok()) return error_fields.error();
    shape.error = Error{errc_from_wire(code), std::move(message)};
  } else {
    shape.id = fields.integer("id", 0);
    const auto& ok = fields.value("ok");
    if (fields.ok() && ok != true) fields.fail(kMalformed, "field \"ok\" must be true");
  }
  if (!fields.ok()) return fields.error();
  return shape;
}

}  // namespace

Result<ServerFrame> ServerFrame::parse(std::string_view text) {
  return guarded<ServerFrame>([&]() -> Result<ServerFrame> {
    auto value = parse_json(text, kMalformed);
    if (!value) return value.error();
    if (!value->is_object()) return Error{kMalformed, "a server frame must be a JSON object"};
    auto shape = read_shape(*value);
    if (!shape) return shape.error();

    ServerFrame frame;
    frame.id_ = shape->id;
    frame.error_ = std::move(shape->error);
    frame.json_ = std::make_shared<const Json>(Json{std::move(*value)});
    return frame;
  });
}

Result<HelloReply> ServerFrame::as_hello() const {
  return read_reply(json_ ? &json_->value : nullptr, is_event(), error_, hello_fields);
}

Result<SessionReply> ServerFrame::as_session() const {
  return read_reply(json_ ? &json_->value : nullptr, is_event(), error_, session_fields);
}

Result<UserReply> ServerFrame::as_user() const {
  return read_reply(json_ ? &json_->value : nullptr, is_event(), error_, user_reply_fields);
}

Result<ChatReply> ServerFrame::as_chat() const {
  return read_reply(json_ ? &json_->value : nullptr, is_event(), error_, chat_reply_fields);
}

Result<ChatListReply> ServerFrame::as_chat_list() const {
  return read_reply(json_ ? &json_->value : nullptr, is_event(), error_, chat_list_fields);
}

Result<SendReply> ServerFrame::as_send() const {
  return read_reply(json_ ? &json_->value : nullptr, is_event(), error_, send_fields);
}

Result<HistoryReply> ServerFrame::as_history() const {
  return read_reply(json_ ? &json_->value : nullptr, is_event(), error_, history_fields);
}

Result<SyncReply> ServerFrame::as_sync() const {
  return read_reply(json_ ? &json_->value : nullptr, is_event(), error_, sync_fields);
}

Result<PresenceReply> ServerFrame::as_presence() const {
  return read_reply(json_ ? &json_->value : nullptr, is_event(), error_, presence_reply_fields);
}

Result<ServerEvent> ServerFrame::as_event() const {
  if (!is_event() || !json_) return Error{kMalformed, "the frame is not an event"};
  return guarded<ServerEvent>([&]() -> Result<ServerEvent> {
    const auto& frame = json_->value;
    const auto& name = frame.at("event").get_ref<const std::string&>();
    const auto* type = find_event_type(name);
    if (!type) return Error{kMalformed, fmt::format("unknown event \"{}\"", name)};
    return read_event(frame, *type);
  });
}

}  // namespace messenger::protocol
