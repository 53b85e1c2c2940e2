#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <set>
#include <string>

#include "protocol/codec.hpp"
#include "unit/protocol/samples.hpp"

using messenger::Errc;
using messenger::Limits;
using nlohmann::json;
namespace protocol = messenger::protocol;

namespace {

const std::set<std::string> kOptionalFields = {"client", "device", "before", "after",
                                               "order",  "limit",  "all"};

protocol::DecodedRequest decode(const std::string& text, const Limits& limits = {}) {
  return protocol::decode_request(text, limits);
}

// Checks that `text` is refused with `code`, the given id, and a message containing `fragment`.
void check_refused(const std::string& text, Errc code, std::optional<protocol::RequestId> id,
                   const std::string& fragment, const Limits& limits = {}) {
  auto decoded = decode(text, limits);
  INFO("frame: ", text.substr(0, 200));
  REQUIRE_FALSE(decoded.body.has_value());
  CHECK(decoded.error.code == code);
  CHECK(decoded.id == id);
  INFO("message: ", decoded.error.message);
  CHECK(decoded.error.message.find(fragment) != std::string::npos);
}

std::string with(json frame, const std::string& key, json value) {
  frame[key] = std::move(value);
  return frame.dump();
}

std::string send_with_text(const std::string& text) {
  return json{
      {"id", 1}, {"type", "send_message"}, {"chat_id", 1}, {"client_msg_id", "c"}, {"text", text}}
      .dump();
}

}  // namespace

TEST_CASE("every request survives encoding and decoding unchanged") {
  protocol::RequestId id = 0;
  for (const auto& body : protocol::samples::requests()) {
    protocol::Request request{id++, body};
    auto text = protocol::encode_request(request);
    auto decoded = decode(text);
    INFO(text);
    REQUIRE(decoded.body.has_value());
    CHECK(decoded.id == request.id);
    CHECK(decoded.error.code == Errc::ok);
    CHECK(decoded.body->index() == body.index());
    CHECK(protocol::encode_request({request.id, *decoded.body}) == text);
  }
}

TEST_CASE("requests carry their type name and fields under the documented keys") {
  auto send = json::parse(protocol::encode_request(
      {7, protocol::SendMessage{.chat_id = 12, .client_msg_id = "c-1", .text = "hi"}}));
  CHECK(send == json{{"id", 7},
                     {"type", "send_message"},
                     {"chat_id", 12},
                     {"client_msg_id", "c-1"},
                     {"text", "hi"}});

  auto hello = json::parse(protocol::encode_request({1, protocol::Hello{1, "x"}}));
  CHECK(hello == json{{"id", 1}, {"type", "hello"}, {"protocol", 1}, {"client", "x"}});

  auto login = json::parse(protocol::encode_request({2, protocol::Login{"a", "password", ""}}));
  CHECK_FALSE(login.contains("device"));
}

TEST_CASE("decoded requests hold the values that were sent") {
  auto decoded =
      decode(R"({"id": 3, "type": "create_group", "title": "T", "members": [5, 6, 5]})", Limits{});
  REQUIRE(decoded.body.has_value());
  auto& group = std::get<protocol::CreateGroup>(*decoded.body);
  CHECK(group.title == "T");
  CHECK(group.members == std::vector<messenger::UserId>{5, 6, 5});

  decoded = decode(R"({"id": 4, "type": "register", "name": "al", "password": "12345678"})");
  REQUIRE(decoded.body.has_value());
  auto& reg = std::get<protocol::Register>(*decoded.body);
  CHECK(reg.name == "al");
  CHECK(reg.password == "12345678");
  CHECK(reg.device.empty());
}

TEST_CASE("history requests default to the newest 50 messages, newest first") {
  auto decoded = decode(R"({"id": 1, "type": "get_history", "chat_id": 9})");
  REQUIRE(decoded.body.has_value());
  const auto& query = std::get<protocol::GetHistory>(*decoded.body).query;
  CHECK(query.chat_id == 9);
  CHECK_FALSE(query.anchor.has_value());
  CHECK(query.direction == messenger::HistoryDirection::before);
  CHECK(query.order == messenger::HistoryOrder::newest_first);
  CHECK(query.limit == 50);
}

TEST_CASE("history requests read before, after, order and limit") {
  auto decoded = decode(
      R"({"id": 1, "type": "get_history", "chat_id": 9, "before": 30, "order": "oldest_first",
          "limit": 200})");
  REQUIRE(decoded.body.has_value());
  auto query = std::get<protocol::GetHistory>(*decoded.body).query;
  CHECK(query.anchor == 30);
  CHECK(query.direction == messenger::HistoryDirection::before);
  CHECK(query.order == messenger::HistoryOrder::oldest_first);
  CHECK(query.limit == 200);

  decoded = decode(R"({"id": 1, "type": "get_history", "chat_id": 9, "after": 0})");
  REQUIRE(decoded.body.has_value());
  query = std::get<protocol::GetHistory>(*decoded.body).query;
  CHECK(query.anchor == 0);
  CHECK(query.direction == messenger::HistoryDirection::after);
}

TEST_CASE("a history query after nothing is sent as after 0") {
  messenger::HistoryQuery query{.chat_id = 9,
                                .anchor = std::nullopt,
                                .direction = messenger::HistoryDirection::after,
                                .order = messenger::HistoryOrder::newest_first,
                                .limit = 50};
  auto frame = json::parse(protocol::encode_request({1, protocol::GetHistory{query}}));
  CHECK(frame["after"] == 0);
  CHECK_FALSE(frame.contains("before"));
}

TEST_CASE("history requests refuse both anchors, unknown orders and bad limits") {
  json base{{"id", 5}, {"type", "get_history"}, {"chat_id", 9}};
  auto both = base;
  both["before"] = 3;
  both["after"] = 1;
  check_refused(both.dump(), Errc::bad_request, 5, "not both");
  check_refused(with(base, "order", "sideways"), Errc::bad_request, 5, "\"order\"");
  check_refused(with(base, "limit", 0), Errc::bad_request, 5, "\"limit\"");
  check_refused(with(base, "limit", 201), Errc::too_large, 5, "at most 200");
  check_refused(with(base, "before", -1), Errc::bad_request, 5, "\"before\"");
}

TEST_CASE("a frame that is not a JSON object is refused with a null id") {
  check_refused("", Errc::bad_request, std::nullopt, "not valid JSON");
  check_refused("{\"id\": 1,", Errc::bad_request, std::nullopt, "not valid JSON");
  check_refused("null", Errc::bad_request, std::nullopt, "JSON object");
  check_refused("[1, 2]", Errc::bad_request, std::nullopt, "JSON object");
  check_refused("\"hello\"", Errc::bad_request, std::nullopt, "JSON object");
  check_refused("{\"id\": 1} {\"id\": 2}", Errc::bad_request, std::nullopt, "not valid JSON");
}

TEST_CASE("text that is not UTF-8 is refused") {
  std::string frame =
      R"({"id": 1, "type": "find_user", "name": "b)" + std::string("\xC0\xAF") + R"("})";
  check_refused(frame, Errc::bad_request, std::nullopt, "not valid JSON");
}

TEST_CASE("a request whose id cannot be read is refused with a null id") {
  json frame{{"type", "list_chats"}};
  check_refused(frame.dump(), Errc::bad_request, std::nullopt, "missing field \"id\"");
  for (auto bad :
       {json("7"), json(nullptr), json(-1), json(1.5), json(1.0), json::array(), json(true)}) {
    check_refused(with(frame, "id", bad), Errc::bad_request, std::nullopt, "field \"id\"");
  }
  check_refused(R"({"id": 9223372036854775808, "type": "list_chats"})", Errc::bad_request,
                std::nullopt, "field \"id\"");
  check_refused(R"({"id": 1e2, "type": "list_chats"})", Errc::bad_request, std::nullopt,
                "field \"id\"");
}

TEST_CASE("the largest and smallest ids are accepted") {
  CHECK(decode(R"({"id": 9223372036854775807, "type": "list_chats"})").id ==
        INT64_C(9223372036854775807));
  CHECK(decode(R"({"id": 0, "type": "list_chats"})").body.has_value());
}

TEST_CASE("an unknown type is refused with unknown_type and the id") {
  check_refused(R"({"id": 4, "type": "send_mesage"})", Errc::unknown_type, 4, "\"send_mesage\"");
  check_refused(R"({"id": 4, "type": ""})", Errc::unknown_type, 4, "unknown request type");
}

TEST_CASE("a missing or mistyped type is a bad request") {
  check_refused(R"({"id": 4})", Errc::bad_request, 4, "missing field \"type\"");
  check_refused(R"({"id": 4, "type": 3})", Errc::bad_request, 4, "\"type\" must be a string");
}

TEST_CASE("every missing required field is a bad request naming the field") {
  protocol::RequestId id = 100;
  for (const auto& body : protocol::samples::requests()) {
    auto frame = json::parse(protocol::encode_request({id, body}));
    for (const auto& [key, value] : frame.items()) {
      if (key == "id" || key == "type" || kOptionalFields.count(key)) continue;
      auto without = frame;
      without.erase(key);
      check_refused(without.dump(), Errc::bad_request, id, "missing field \"" + key + "\"");
    }
    ++id;
  }
}

TEST_CASE("every field of the wrong JSON type is a bad request naming the field") {
  protocol::RequestId id = 200;
  for (const auto& body : protocol::samples::requests()) {
    auto frame = json::parse(protocol::encode_request({id, body}));
    for (const auto& [key, value] : frame.items()) {
      if (key == "id" || key == "type") continue;
      json wrong = value.is_string() ? json(5) : json("5");
      check_refused(with(frame, key, wrong), Errc::bad_request, id, "field \"" + key + "\"");
      check_refused(with(frame, key, nullptr), Errc::bad_request, id, "field \"" + key + "\"");
      check_refused(with(frame, key, json::object()), Errc::bad_request, id,
                    "field \"" + key + "\"");
    }
    ++id;
  }
}

TEST_CASE("unknown fields are refused, naming them") {
  check_refused(R"({"id": 1, "type": "logout", "everywhere": true})", Errc::bad_request, 1,
                "unknown field \"everywhere\"");
  check_refused(R"({"id": 1, "type": "list_chats", "a": 1, "b": 2})", Errc::bad_request, 1,
                "unknown fields \"a\", \"b\"");
  check_refused(R"({"id": 1, "type": "list_chats", "a": 1, "b": 2, "c": 3, "d": 4, "e": 5,
                    "f": 6})",
                Errc::bad_request, 1, "\"a\", \"b\", \"c\", \"d\" and 2 more");
}

TEST_CASE("an unknown field is reported before the missing field it misspells") {
  check_refused(R"({"id": 1, "type": "find_user", "nmae": "bob"})", Errc::bad_request, 1,
                "unknown field \"nmae\"");
}

TEST_CASE("a very long unknown field name is cut short in the error message") {
  std::string key(5000, 'k');
  auto decoded = decode(json{{"id", 1}, {"type", "logout"}, {key, 1}}.dump());
  REQUIRE_FALSE(decoded.body.has_value());
  CHECK(decoded.error.message.size() < 200);

  // Cut inside a two-byte character: the message must stay valid UTF-8.
  std::string accented = std::string(63, 'a') + "\xC3\xA9" + std::string(10, 'b');
  decoded = decode(json{{"id", 1}, {"type", "logout"}, {accented, 1}}.dump());
  REQUIRE_FALSE(decoded.body.has_value());
  CHECK(decoded.error.message.find(std::string(63, 'a') + "...") != std::string::npos);
}

TEST_CASE("strings longer than their limit are too_large, and at the limit are accepted") {
  Limits limits;
  struct Case {
    std::string type;
    std::string key;
    std::size_t max;
    json frame;
  };
  json reg{{"id", 1}, {"type", "register"}, {"name", "n"}, {"password", "12345678"}};
  json login{{"id", 1}, {"type", "login"}, {"name", "n"}, {"password", "1"}};
  json send = json::parse(send_with_text("t"));
  json group{{"id", 1}, {"type", "create_group"}, {"title", ""}, {"members", json::array()}};
  json hello{{"id", 1}, {"type", "hello"}, {"protocol", 1}, {"client", ""}};
  json rename{{"id", 1}, {"type", "rename_chat"}, {"chat_id", 1}, {"title", ""}};
  json find{{"id", 1}, {"type", "find_user"}, {"name", "n"}};
  std::vector<Case> cases = {
      {"register", "name", limits.max_name_bytes, reg},
      {"register", "password", limits.max_password_bytes, reg},
      {"register", "device", limits.max_device_bytes, reg},
      {"login", "name", limits.max_name_bytes, login},
      {"login", "password", limits.max_password_bytes, login},
      {"login", "device", limits.max_device_bytes, login},
      {"find_user", "name", limits.max_name_bytes, find},
      {"send_message", "text", limits.max_text_bytes, send},
      {"send_message", "client_msg_id", limits.max_client_msg_id_bytes, send},
      {"create_group", "title", limits.max_title_bytes, group},
      {"rename_chat", "title", limits.max_title_bytes, rename},
      {"hello", "client", limits.max_device_bytes, hello},
  };
  for (const auto& c : cases) {
    INFO(c.type, ".", c.key);
    CHECK(decode(with(c.frame, c.key, std::string(c.max, 'x'))).body.has_value());
    check_refused(with(c.frame, c.key, std::string(c.max + 1, 'x')), Errc::too_large, 1,
                  "field \"" + c.key + "\" must be at most");
  }
}

TEST_CASE("limits count bytes, not characters") {
  Limits limits{.max_text_bytes = 4};
  CHECK(decode(send_with_text("\xC3\xA9\xC3\xA9"), limits).body.has_value());
  check_refused(send_with_text("\xC3\xA9\xC3\xA9x"), Errc::too_large, 1, "\"text\"", limits);
}

TEST_CASE("empty names, texts, message ids and tokens are bad requests") {
  check_refused(R"({"id": 1, "type": "find_user", "name": ""})", Errc::bad_request, 1,
                "field \"name\" must not be empty");
  check_refused(send_with_text(""), Errc::bad_request, 1, "field \"text\" must not be empty");
  check_refused(R"({"id": 1, "type": "send_message", "chat_id": 1, "client_msg_id": "",
                    "text": "t"})",
                Errc::bad_request, 1, "field \"client_msg_id\" must not be empty");
  check_refused(R"({"id": 1, "type": "resume", "token": ""})", Errc::bad_request, 1,
                "field \"token\" must not be empty");
  check_refused(R"({"id": 1, "type": "register", "name": "", "password": "12345678"})",
                Errc::bad_request, 1, "field \"name\" must not be empty");
}

TEST_CASE("a new password must reach the minimum length, a login password need not") {
  check_refused(R"({"id": 1, "type": "register", "name": "a", "password": "1234567"})",
                Errc::bad_request, 1, "field \"password\" must be at least 8 bytes");
  auto short_login = decode(R"({"id": 1, "type": "login", "name": "a", "password": "1234567"})");
  CHECK(short_login.body.has_value());
  check_refused(R"({"id": 1, "type": "login", "name": "a", "password": ""})", Errc::bad_request, 1,
                "field \"password\" must not be empty");
}

TEST_CASE("a group with more members than allowed is too_large") {
  Limits limits{.max_group_members = 3};
  json group{{"id", 1}, {"type", "create_group"}, {"title", "t"}, {"members", {1, 2, 3}}};
  CHECK(decode(group.dump(), limits).body.has_value());
  check_refused(with(group, "members", {1, 2, 3, 4}), Errc::too_large, 1, "at most 3 entries",
                limits);
}

TEST_CASE("ids must be positive and sequence numbers not negative") {
  check_refused(R"({"id": 1, "type": "open_direct_chat", "user_id": 0})", Errc::bad_request, 1,
                "field \"user_id\" must be an integer of at least 1");
  check_refused(R"({"id": 1, "type": "ack_delivered", "chat_id": 0, "seq": 1})", Errc::bad_request,
                1, "field \"chat_id\"");
  check_refused(R"({"id": 1, "type": "mark_seen", "chat_id": 1, "seq": -1})", Errc::bad_request, 1,
                "field \"seq\" must be an integer of at least 0");
  check_refused(R"({"id": 1, "type": "create_group", "title": "t", "members": [2, 0]})",
                Errc::bad_request, 1, "field \"members\"");
  check_refused(R"({"id": 1, "type": "remove_member", "chat_id": 1, "user_id": 0})",
                Errc::bad_request, 1, "field \"user_id\" must be an integer of at least 1");
  check_refused(R"({"id": 1, "type": "get_presence", "user_ids": [-2]})", Errc::bad_request, 1,
                "field \"user_ids\"");
  for (const char* type : {"typing", "get_chat", "leave_chat"}) {
    check_refused(json{{"id", 1}, {"type", type}, {"chat_id", 0}}.dump(), Errc::bad_request, 1,
                  "field \"chat_id\" must be an integer of at least 1");
  }
  CHECK(decode(R"({"id": 1, "type": "mark_seen", "chat_id": 1, "seq": 0})").body.has_value());
  check_refused(R"({"id": 1, "type": "get_history", "chat_id": 1, "limit": 0})", Errc::bad_request,
                1, "field \"limit\" must be an integer of at least 1");
}

TEST_CASE("numbers that are fractions or outside the 64-bit range are bad requests") {
  for (const char* number : {"1.0", "1.5", "1e3", "-0.0", "9223372036854775808",
                             "18446744073709551616", "-9223372036854775809"}) {
    INFO(std::string(number));
    check_refused(
        std::string(R"({"id": 1, "type": "open_direct_chat", "user_id": )") + number + "}",
        Errc::bad_request, 1, "field \"user_id\"");
  }
  CHECK(decode(R"({"id": 1, "type": "open_direct_chat", "user_id": 9223372036854775807})")
            .body.has_value());
  // Too large even for a double: the JSON parser itself refuses it.
  check_refused(R"({"id": 1, "type": "open_direct_chat", "user_id": 1e400})", Errc::bad_request,
                std::nullopt, "not valid JSON");
}

TEST_CASE("hello needs a protocol version that fits an int and is at least 1") {
  check_refused(R"({"id": 1, "type": "hello", "protocol": 0, "client": ""})", Errc::bad_request, 1,
                "field \"protocol\"");
  check_refused(R"({"id": 1, "type": "hello", "protocol": 2147483648, "client": ""})",
                Errc::bad_request, 1, "field \"protocol\"");
  auto decoded = decode(R"({"id": 1, "type": "hello", "protocol": 2147483647, "client": ""})");
  REQUIRE(decoded.body.has_value());
  CHECK(std::get<protocol::Hello>(*decoded.body).protocol == 2147483647);
}

TEST_CASE("a frame longer than the request limit is too_large with a null id") {
  std::string frame = send_with_text(std::string(60, 'x'));
  Limits limits{.max_request_bytes = frame.size()};
  CHECK(decode(frame, limits).body.has_value());
  check_refused(send_with_text(std::string(61, 'x')), Errc::too_large, std::nullopt,
                "longer than " + std::to_string(frame.size()) + " bytes", limits);
}

TEST_CASE("deeply nested input is refused before it is parsed") {
  std::string deep(60'000, '[');
  check_refused(deep, Errc::bad_request, std::nullopt, "nested deeper than 16");
  std::string nested_value =
      R"({"id": 1, "type": "logout", "x": )" + std::string(17, '[') + std::string(17, ']') + "}";
  check_refused(nested_value, Errc::bad_request, std::nullopt, "nested deeper");
  std::string shallow_enough =
      R"({"id": 1, "type": "logout", "x": )" + std::string(15, '[') + std::string(15, ']') + "}";
  check_refused(shallow_enough, Errc::bad_request, 1, "unknown field \"x\"");
}

TEST_CASE("brackets inside strings do not count as nesting") {
  std::string text = std::string(100, '[') + "\\\"{{{{" + std::string(100, '{');
  auto decoded = decode(send_with_text(text));
  REQUIRE(decoded.body.has_value());
  CHECK(std::get<protocol::SendMessage>(*decoded.body).text == text);
}

TEST_CASE("the limits given to the decoder are the ones enforced") {
  Limits limits{.max_name_bytes = 3};
  CHECK(decode(R"({"id": 1, "type": "find_user", "name": "bob"})", limits).body.has_value());
  check_refused(R"({"id": 1, "type": "find_user", "name": "carl"})", Errc::too_large, 1,
                "at most 3 bytes", limits);
}

TEST_CASE("every request type name decodes to its own type") {
  for (const auto& body : protocol::samples::requests()) {
    auto frame = json::parse(protocol::encode_request({1, body}));
    CHECK(frame["type"] == protocol::type_name(body));
  }
}

TEST_CASE("a sync without a limit asks for the default page of 100 updates") {
  auto decoded = decode(R"({"id": 1, "type": "sync", "cursor": 0})");
  REQUIRE(decoded.body.has_value());
  const auto& sync = std::get<protocol::Sync>(*decoded.body);
  CHECK(sync.cursor == 0);
  CHECK(sync.limit == protocol::kDefaultSyncPage);
  CHECK(protocol::kDefaultSyncPage == 100);
}

TEST_CASE("a sync limit runs from 1 to 500 and the cursor is not negative") {
  json base{{"id", 6}, {"type", "sync"}, {"cursor", 12}};
  auto largest = decode(with(base, "limit", 500));
  REQUIRE(largest.body.has_value());
  CHECK(std::get<protocol::Sync>(*largest.body).limit == 500);
  CHECK(decode(with(base, "limit", 1)).body.has_value());
  check_refused(with(base, "limit", 501), Errc::too_large, 6, "at most 500");
  check_refused(with(base, "limit", 0), Errc::bad_request, 6, "field \"limit\"");
  check_refused(with(base, "cursor", -1), Errc::bad_request, 6,
                "field \"cursor\" must be an integer of at least 0");
  CHECK(decode(with(base, "cursor", INT64_MAX)).body.has_value());
}

TEST_CASE("a sync left at the server's default page is sent without a limit") {
  auto frame = json::parse(protocol::encode_request({1, protocol::Sync{.cursor = 4, .limit = 0}}));
  CHECK(frame == json{{"id", 1}, {"type", "sync"}, {"cursor", 4}});
}

TEST_CASE("lists of user ids are limited like a group's members") {
  Limits limits{.max_group_members = 3};
  json add{{"id", 1}, {"type", "add_members"}, {"chat_id", 9}, {"user_ids", {1, 2, 3}}};
  json presence{{"id", 1}, {"type", "get_presence"}, {"user_ids", {1, 2, 3}}};
  for (const auto& frame : {add, presence}) {
    INFO(frame.dump());
    CHECK(decode(frame.dump(), limits).body.has_value());
    check_refused(with(frame, "user_ids", {1, 2, 3, 4}), Errc::too_large, 1,
                  "field \"user_ids\" must have at most 3 entries", limits);
  }
}

TEST_CASE("adding nobody to a group is refused, asking for nobody's presence is not") {
  check_refused(R"({"id": 2, "type": "add_members", "chat_id": 9, "user_ids": []})",
                Errc::bad_request, 2, "field \"user_ids\" must not be empty");
  auto decoded = decode(R"({"id": 2, "type": "get_presence", "user_ids": []})");
  REQUIRE(decoded.body.has_value());
  CHECK(std::get<protocol::GetPresence>(*decoded.body).user_ids.empty());
}

TEST_CASE("group requests hold the values that were sent") {
  auto decoded = decode(R"({"id": 3, "type": "add_members", "chat_id": 9, "user_ids": [4, 5]})");
  REQUIRE(decoded.body.has_value());
  const auto& add = std::get<protocol::AddMembers>(*decoded.body);
  CHECK(add.chat_id == 9);
  CHECK(add.user_ids == std::vector<messenger::UserId>{4, 5});

  decoded = decode(R"({"id": 3, "type": "remove_member", "chat_id": 9, "user_id": 4})");
  REQUIRE(decoded.body.has_value());
  CHECK(std::get<protocol::RemoveMember>(*decoded.body).user_id == 4);

  decoded = decode(R"({"id": 3, "type": "rename_chat", "chat_id": 9, "title": ""})");
  REQUIRE(decoded.body.has_value());
  CHECK(std::get<protocol::RenameChat>(*decoded.body).title.empty());

  decoded = decode(R"({"id": 3, "type": "leave_chat", "chat_id": 9})");
  REQUIRE(decoded.body.has_value());
  CHECK(std::get<protocol::LeaveChat>(*decoded.body).chat_id == 9);
}
