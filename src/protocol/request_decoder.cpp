#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <climits>

#include "protocol/codec.hpp"
#include "protocol/json_reader.hpp"

namespace messenger::protocol {
namespace {

// An error message names at most this many unknown fields, each cut to this length, so that a
// hostile frame cannot make its error reply large.
constexpr std::size_t kMaxListedFields = 4;
constexpr std::size_t kMaxListedFieldBytes = 64;

constexpr std::int64_t kMinId = 1;
constexpr std::int64_t kMinSeq = 0;
constexpr std::int64_t kMinCursor = 0;

TextBounds name_bounds(const Limits& limits) {
  return {1, limits.max_name_bytes};
}
TextBounds device_bounds(const Limits& limits) {
  return {0, limits.max_device_bytes};
}
TextBounds title_bounds(const Limits& limits) {
  return {0, limits.max_title_bytes};
}

RequestBody decode_hello(FieldReader& fields, const Limits& limits) {
  return Hello{.protocol = static_cast<int>(fields.integer("protocol", 1, INT_MAX)),
               .client = fields.optional_text("client", device_bounds(limits)).value_or("")};
}

RequestBody decode_register(FieldReader& fields, const Limits& limits) {
  return Register{
      .name = fields.text("name", name_bounds(limits)),
      .password = fields.text("password", {limits.min_password_bytes, limits.max_password_bytes}),
      .device = fields.optional_text("device", device_bounds(limits)).value_or("")};
}

// The minimum length is a rule for new passwords only: raising it must not lock out accounts
// whose passwords were set under the old rule.
RequestBody decode_login(FieldReader& fields, const Limits& limits) {
  return Login{.name = fields.text("name", name_bounds(limits)),
               .password = fields.text("password", {1, limits.max_password_bytes}),
               .device = fields.optional_text("device", device_bounds(limits)).value_or("")};
}

RequestBody decode_resume(FieldReader& fields, const Limits&) {
  return Resume{.token = fields.text("token", {1})};
}

RequestBody decode_logout(FieldReader& fields, const Limits&) {
  return Logout{.all = fields.optional_boolean("all").value_or(false)};
}

RequestBody decode_change_password(FieldReader& fields, const Limits& limits) {
  return ChangePassword{
      .current = fields.text("current", {1, limits.max_password_bytes}),
      .password = fields.text("password", {limits.min_password_bytes, limits.max_password_bytes})};
}

RequestBody decode_find_user(FieldReader& fields, const Limits& limits) {
  return FindUser{.name = fields.text("name", name_bounds(limits))};
}

RequestBody decode_open_direct_chat(FieldReader& fields, const Limits&) {
  return OpenDirectChat{.user_id = fields.integer("user_id", kMinId)};
}

RequestBody decode_create_group(FieldReader& fields, const Limits& limits) {
  return CreateGroup{.title = fields.text("title", title_bounds(limits)),
                     .members = fields.integers("members", kMinId, limits.max_group_members)};
}

RequestBody decode_list_chats(FieldReader&, const Limits&) {
  return ListChats{};
}

RequestBody decode_send_message(FieldReader& fields, const Limits& limits) {
  return SendMessage{
      .chat_id = fields.integer("chat_id", kMinId),
      .client_msg_id = fields.text("client_msg_id", {1, limits.max_client_msg_id_bytes}),
      .text = fields.text("text", {1, limits.max_text_bytes})};
}

RequestBody decode_ack_delivered(FieldReader& fields, const Limits&) {
  return AckDelivered{.chat_id = fields.integer("chat_id", kMinId),
                      .seq = fields.integer("seq", kMinSeq)};
}

RequestBody decode_mark_seen(FieldReader& fields, const Limits&) {
  return MarkSeen{.chat_id = fields.integer("chat_id", kMinId),
                  .seq = fields.integer("seq", kMinSeq)};
}

// A page size: from 1 to `max`, `fallback` when the field is left out.
std::size_t page_limit(FieldReader& fields, std::size_t max, std::size_t fallback) {
  auto limit = fields.optional_integer("limit", 1);
  if (!limit) return fallback;
  if (static_cast<std::uint64_t>(*limit) > max) {
    fields.fail(Errc::too_large, fmt::format("field \"limit\" must be at most {}", max));
    return fallback;
  }
  return static_cast<std::size_t>(*limit);
}

RequestBody decode_get_history(FieldReader& fields, const Limits& limits) {
  HistoryQuery query;
  query.chat_id = fields.integer("chat_id", kMinId);
  auto before = fields.optional_integer("before", kMinSeq);
  auto after = fields.optional_integer("after", kMinSeq);
  auto order = fields.optional_text("order");

  if (before && after) fields.fail(Errc::bad_request, "give \"before\" or \"after\", not both");
  query.direction = after ? HistoryDirection::after : HistoryDirection::before;
  query.anchor = after ? after : before;
  if (order == "oldest_first") {
    query.order = HistoryOrder::oldest_first;
  } else if (order && order != "newest_first") {
    fields.fail(Errc::bad_request, "field \"order\" must be \"newest_first\" or \"oldest_first\"");
  }
  query.limit = page_limit(fields, limits.max_history_page, query.limit);
  return GetHistory{.query = query};
}

RequestBody decode_sync(FieldReader& fields, const Limits&) {
  return Sync{.cursor = fields.integer("cursor", kMinCursor),
              .limit = page_limit(fields, kMaxSyncPage, kDefaultSyncPage)};
}

RequestBody decode_typing(FieldReader& fields, const Limits&) {
  return Typing{.chat_id = fields.integer("chat_id", kMinId)};
}

std::vector<UserId> user_ids(FieldReader& fields, const Limits& limits) {
  return fields.integers("user_ids", kMinId, limits.max_group_members);
}

RequestBody decode_get_presence(FieldReader& fields, const Limits& limits) {
  return GetPresence{.user_ids = user_ids(fields, limits)};
}

RequestBody decode_get_chat(FieldReader& fields, const Limits&) {
  return GetChat{.chat_id = fields.integer("chat_id", kMinId)};
}

// An empty list would write nothing and tell no one; refusing it points at the caller's bug.
RequestBody decode_add_members(FieldReader& fields, const Limits& limits) {
  AddMembers add{.chat_id = fields.integer("chat_id", kMinId),
                 .user_ids = user_ids(fields, limits)};
  if (fields.ok() && add.user_ids.empty()) {
    fields.fail(Errc::bad_request, "field \"user_ids\" must not be empty");
  }
  return add;
}

RequestBody decode_remove_member(FieldReader& fields, const Limits&) {
  return RemoveMember{.chat_id = fields.integer("chat_id", kMinId),
                      .user_id = fields.integer("user_id", kMinId)};
}

RequestBody decode_leave_chat(FieldReader& fields, const Limits&) {
  return LeaveChat{.chat_id = fields.integer("chat_id", kMinId)};
}

RequestBody decode_rename_chat(FieldReader& fields, const Limits& limits) {
  return RenameChat{.chat_id = fields.integer("chat_id", kMinId),
                    .title = fields.text("title", title_bounds(limits))};
}

struct RequestType {
  const char* name;
  RequestBody (*decode)(FieldReader&, const Limits&);
};

// In the order of the RequestBody alternatives, so that a body's index finds its name.
constexpr std::array<RequestType, 22> kRequestTypes = {{
    {"hello", decode_hello},
    {"register", decode_register},
    {"login", decode_login},
    {"resume", decode_resume},
    {"logout", decode_logout},
    {"change_password", decode_change_password},
    {"find_user", decode_find_user},
    {"open_direct_chat", decode_open_direct_chat},
    {"create_group", decode_create_group},
    {"list_chats", decode_list_chats},
    {"send_message", decode_send_message},
    {"ack_delivered", decode_ack_delivered},
    {"mark_seen", decode_mark_seen},
    {"get_history", decode_get_history},
    {"sync", decode_sync},
    {"typing", decode_typing},
    {"get_presence", decode_get_presence},
    {"get_chat", decode_get_chat},
    {"add_members", decode_add_members},
    {"remove_member", decode_remove_member},
    {"leave_chat", decode_leave_chat},
    {"rename_chat", decode_rename_chat},
}};
static_assert(kRequestTypes.size() == std::variant_size_v<RequestBody>);

std::string shortened(const std::string& key) {
  if (key.size() <= kMaxListedFieldBytes) return key;
  auto end = kMaxListedFieldBytes;
  // Back off to a character boundary so that the message stays valid UTF-8.
  while (end > 0 && (static_cast<unsigned char>(key[end]) & 0xC0) == 0x80) {
    --end;
  }
  return key.substr(0, end) + "...";
}

Error unknown_fields_error(const std::vector<std::string>& keys) {
  std::string names;
  for (std::size_t i = 0; i < keys.size() && i < kMaxListedFields; ++i) {
    names += fmt::format("{}\"{}\"", i == 0 ? "" : ", ", shortened(keys[i]));
  }
  if (keys.size() > kMaxListedFields) {
    names += fmt::format(" and {} more", keys.size() - kMaxListedFields);
  }
  const char* plural = keys.size() == 1 ? "" : "s";
  return {Errc::bad_request, fmt::format("unknown field{} {}", plural, names)};
}

Result<RequestId> read_id(const nlohmann::json& frame) {
  FieldReader fields(frame, Errc::bad_request);
  auto id = fields.integer("id", 0);
  if (!fields.ok()) return fields.error();
  return id;
}

Result<RequestBody> read_body(const nlohmann::json& frame, const Limits& limits) {
  FieldReader fields(frame, Errc::bad_request);
  fields.allow("id");
  auto type = fields.text("type");
  if (!fields.ok()) return fields.error();
  auto found = std::find_if(kRequestTypes.begin(), kRequestTypes.end(),
                            [&](const RequestType& known) { return type == known.name; });
  if (found == kRequestTypes.end()) {
    return Error{Errc::unknown_type, fmt::format("unknown request type \"{}\"", shortened(type))};
  }

  auto body = found->decode(fields, limits);
  // Unknown fields first: a misspelt field also shows up as a missing one, and the misspelling
  // is what the sender needs to see.
  if (auto unread = fields.unread_keys(); !unread.empty()) return unknown_fields_error(unread);
  if (!fields.ok()) return fields.error();
  return body;
}

DecodedRequest refuse(std::optional<RequestId> id, Error error) {
  return {id, std::nullopt, std::move(error)};
}

DecodedRequest decode_checked(std::string_view text, const Limits& limits) {
  if (text.size() > limits.max_request_bytes) {
    return refuse(std::nullopt, {Errc::too_large, fmt::format("frame is longer than {} bytes",
                                                              limits.max_request_bytes)});
  }
  auto frame = parse_json(text, Errc::bad_request);
  if (!frame) return refuse(std::nullopt, frame.error());
  if (!frame->is_object()) {
    return refuse(std::nullopt, {Errc::bad_request, "a request must be a JSON object"});
  }

  auto id = read_id(*frame);
  if (!id) return refuse(std::nullopt, id.error());
  auto body = read_body(*frame, limits);
  if (!body) return refuse(*id, body.error());
  return {*id, std::move(*body), {Errc::ok, {}}};
}

}  // namespace

DecodedRequest decode_request(std::string_view text, const Limits& limits) {
  try {
    return decode_checked(text, limits);
  } catch (const nlohmann::json::exception& e) {
    // Every access above checks types first; reaching this is a bug, reported as a refusal.
    return refuse(std::nullopt, {Errc::internal, e.what()});
  }
}

const char* type_name(const RequestBody& body) noexcept {
  return kRequestTypes[body.index()].name;
}

}  // namespace messenger::protocol
