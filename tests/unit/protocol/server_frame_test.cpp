#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <string>

#include "protocol/codec.hpp"
#include "unit/protocol/samples.hpp"

using messenger::Errc;
using nlohmann::json;
namespace protocol = messenger::protocol;

namespace {

// Reads a reply back with the accessor that matches its type, and encodes it again.
std::string reencode_reply(const protocol::ServerFrame& frame, const protocol::ReplyBody& kind) {
  auto id = *frame.id();
  return std::visit(
      [&](const auto& sample) -> std::string {
        using T = std::decay_t<decltype(sample)>;
        auto reencode = [&](const auto& read) {
          REQUIRE(read.ok());
          return protocol::encode_reply(id, protocol::ReplyBody{*read});
        };
        if constexpr (std::is_same_v<T, protocol::HelloReply>) return reencode(frame.as_hello());
        if constexpr (std::is_same_v<T, protocol::SessionReply>) {
          return reencode(frame.as_session());
        }
        if constexpr (std::is_same_v<T, protocol::UserReply>) return reencode(frame.as_user());
        if constexpr (std::is_same_v<T, protocol::ChatReply>) return reencode(frame.as_chat());
        if constexpr (std::is_same_v<T, protocol::ChatListReply>) {
          return reencode(frame.as_chat_list());
        }
        if constexpr (std::is_same_v<T, protocol::SendReply>) return reencode(frame.as_send());
        if constexpr (std::is_same_v<T, protocol::HistoryReply>) {
          return reencode(frame.as_history());
        }
        if constexpr (std::is_same_v<T, protocol::EmptyReply>) {
          return protocol::encode_reply(id, protocol::EmptyReply{});
        }
        if constexpr (std::is_same_v<T, protocol::SyncReply>) return reencode(frame.as_sync());
        if constexpr (std::is_same_v<T, protocol::PresenceReply>) {
          return reencode(frame.as_presence());
        }
      },
      kind);
}

protocol::ServerFrame parsed(const std::string& text) {
  auto frame = protocol::ServerFrame::parse(text);
  INFO(text);
  REQUIRE(frame.ok());
  return *frame;
}

void check_unparsable(const std::string& text, const std::string& fragment) {
  auto frame = protocol::ServerFrame::parse(text);
  INFO(text);
  REQUIRE_FALSE(frame.ok());
  CHECK(frame.code() == Errc::protocol_error);
  INFO(frame.error().message);
  CHECK(frame.error().message.find(fragment) != std::string::npos);
}

}  // namespace

TEST_CASE("every reply survives encoding, parsing and encoding again unchanged") {
  protocol::RequestId id = 40;
  for (const auto& reply : protocol::samples::replies()) {
    auto text = protocol::encode_reply(id, reply);
    auto frame = parsed(text);
    CHECK_FALSE(frame.is_event());
    CHECK(frame.id() == id);
    CHECK_FALSE(frame.error().has_value());
    CHECK(reencode_reply(frame, reply) == text);
    ++id;
  }
}

TEST_CASE("every event survives encoding, parsing and encoding again unchanged") {
  for (const auto& event : protocol::samples::events()) {
    auto text = protocol::encode_event(event);
    auto frame = parsed(text);
    CHECK(frame.is_event());
    CHECK_FALSE(frame.id().has_value());
    auto read = frame.as_event();
    REQUIRE(read.ok());
    CHECK(read->index() == event.index());
    CHECK(protocol::encode_event(*read) == text);
  }
}

TEST_CASE("parsed replies hold the values that were sent") {
  auto frame = parsed(protocol::encode_reply(3, protocol::samples::replies()[4]));
  auto list = frame.as_chat_list();
  REQUIRE(list.ok());
  REQUIRE(list->chats.size() == 2);
  const auto& first = list->chats[0];
  CHECK(first.unread == 2);
  CHECK(first.chat.kind == messenger::ChatKind::group);
  CHECK(first.chat.title == "Climbing \xF0\x9F\xA7\x97");
  REQUIRE(first.chat.members.size() == 3);
  CHECK(first.chat.members[1].role == messenger::MemberRole::admin);
  CHECK(first.chat.members[1].name == "bob");
  CHECK(first.chat.members[1].delivered_seq == 5);
  CHECK(first.chat.members[1].seen_seq == 3);
  REQUIRE(first.last_message.has_value());
  CHECK(first.last_message->status == messenger::MessageStatus::delivered);
  CHECK(first.last_message->text == "line one\nline \"two\" \\ \xC3\xA9");
  CHECK_FALSE(list->chats[1].last_message.has_value());
}

TEST_CASE("replies and events carry their fields under the documented keys") {
  auto send = json::parse(protocol::encode_reply(
      7, protocol::SendReply{{.message_id = 95, .chat_id = 12, .seq = 42, .created_at = 5}}));
  CHECK(send == json{{"id", 7},
                     {"ok", true},
                     {"message_id", 95},
                     {"chat_id", 12},
                     {"seq", 42},
                     {"created_at", 5}});
  CHECK(protocol::encode_reply(8, protocol::EmptyReply{}) == R"({"id":8,"ok":true})");
  CHECK(protocol::encode_event(messenger::ReceiptEvent{12, 2, 43, 41, 77}) ==
        R"({"event":"receipt","cursor":77,"chat_id":12,"user_id":2,"delivered_seq":43,)"
        R"("seen_seq":41})");
  CHECK(protocol::encode_event(messenger::TypingEvent{12, 2, true}) ==
        R"({"event":"typing","chat_id":12,"user_id":2})");
  CHECK(protocol::encode_event(messenger::PresenceEvent{{2, true, 0}}) ==
        R"({"event":"presence","user_id":2,"online":true,"last_seen":0})");
  auto presence =
      json::parse(protocol::encode_reply(9, protocol::PresenceReply{{{2, false, 1717179000000}}}));
  CHECK(presence ==
        json{{"id", 9},
             {"ok", true},
             {"presence", {{{"user_id", 2}, {"online", false}, {"last_seen", 1717179000000}}}}});
}

TEST_CASE("an error reply keeps its id, code and message") {
  auto text = protocol::encode_error(5, {Errc::not_a_member, "not yours"});
  CHECK(json::parse(text) ==
        json{{"id", 5}, {"error", {{"code", "not_a_member"}, {"message", "not yours"}}}});
  auto frame = parsed(text);
  CHECK_FALSE(frame.is_event());
  CHECK(frame.id() == 5);
  REQUIRE(frame.error().has_value());
  CHECK(frame.error()->code == Errc::not_a_member);
  CHECK(frame.error()->message == "not yours");
}

TEST_CASE("an error reply without an id is not mistaken for an event") {
  auto text = protocol::encode_error(std::nullopt, {Errc::bad_request, "not valid JSON"});
  CHECK(json::parse(text)["id"].is_null());
  auto frame = parsed(text);
  CHECK_FALSE(frame.is_event());
  CHECK_FALSE(frame.id().has_value());
  REQUIRE(frame.error().has_value());
  CHECK(frame.error()->code == Errc::bad_request);
  CHECK(frame.as_event().code() == Errc::protocol_error);
}

TEST_CASE("reading an error reply as a reply gives the error it carries") {
  auto frame = parsed(protocol::encode_error(5, {Errc::name_taken, "taken"}));
  auto session = frame.as_session();
  REQUIRE_FALSE(session.ok());
  CHECK(session.error().code == Errc::name_taken);
  CHECK(session.error().message == "taken");
  CHECK(frame.as_hello().code() == Errc::name_taken);
}

TEST_CASE("an error code the client does not know reads as internal") {
  auto frame = parsed(R"({"id": 1, "error": {"code": "quota_exceeded", "message": "m"}})");
  REQUIRE(frame.error().has_value());
  CHECK(frame.error()->code == Errc::internal);
}

TEST_CASE("a reply read as the wrong kind is a protocol error") {
  auto hello = parsed(protocol::encode_reply(1, protocol::HelloReply{1, "s"}));
  CHECK(hello.as_chat().code() == Errc::protocol_error);
  CHECK(hello.as_event().code() == Errc::protocol_error);
  auto event = parsed(protocol::encode_event(messenger::ReceiptEvent{1, 2, 3, 4}));
  CHECK(event.as_hello().code() == Errc::protocol_error);
  CHECK(event.as_history().code() == Errc::protocol_error);
}

TEST_CASE("fields and events the client does not know are ignored") {
  auto frame = parsed(
      R"({"id": 2, "ok": true, "user": {"id": 1, "name": "a", "created_at": 3, "last_seen": 0,
          "avatar": "x"}, "new_field": [1, 2]})");
  auto user = frame.as_user();
  REQUIRE(user.ok());
  CHECK(user->user.name == "a");

  auto unknown = parsed(R"({"event": "call_started", "chat_id": 1})");
  CHECK(unknown.is_event());
  auto event = unknown.as_event();
  REQUIRE_FALSE(event.ok());
  CHECK(event.code() == Errc::protocol_error);
  CHECK(event.error().message.find("\"call_started\"") != std::string::npos);
}

TEST_CASE("frames that are neither a reply nor an event are protocol errors") {
  check_unparsable("", "not valid JSON");
  check_unparsable("[]", "JSON object");
  check_unparsable("{}", "neither a reply nor an event");
  check_unparsable(R"({"id": 1})", "missing field \"ok\"");
  check_unparsable(R"({"id": 1, "ok": false})", "field \"ok\" must be true");
  check_unparsable(R"({"id": "1", "ok": true})", "field \"id\"");
  check_unparsable(R"({"id": null, "ok": true})", "field \"id\"");
  check_unparsable(R"({"id": -1, "ok": true})", "field \"id\"");
  check_unparsable(R"({"id": 1, "error": "bad"})", "field \"error\" must be an object");
  check_unparsable(R"({"id": 1, "error": {"message": "m"}})", "missing field \"code\"");
  check_unparsable(R"({"event": 3})", "field \"event\" must be a string");
  check_unparsable(R"({"event": ""})", "field \"event\" must not be empty");
  check_unparsable(std::string(10'000, '{'), "nested deeper than 16");
}

TEST_CASE("replies with mistyped or unknown values are protocol errors") {
  auto bad_role = parsed(
      R"({"id": 1, "ok": true, "chat": {"id": 1, "kind": "direct", "title": "", "created_at": 0,
          "last_seq": 0, "members": [{"user_id": 1, "name": "a", "role": "king",
          "delivered_seq": 0, "seen_seq": 0}]}})");
  auto chat = bad_role.as_chat();
  REQUIRE_FALSE(chat.ok());
  CHECK(chat.code() == Errc::protocol_error);
  CHECK(chat.error().message.find("\"role\"") != std::string::npos);

  auto bad_status = parsed(
      R"({"id": 1, "ok": true, "messages": [{"id": 1, "chat_id": 1, "seq": 1, "sender_id": 1,
          "kind": "text", "subject_id": 0, "client_msg_id": "c", "text": "t", "created_at": 0,
          "status": "read"}]})");
  CHECK(bad_status.as_history().code() == Errc::protocol_error);
  auto bad_kind = parsed(
      R"({"id": 1, "ok": true, "messages": [{"id": 1, "chat_id": 1, "seq": 1, "sender_id": 1,
          "kind": "poll", "subject_id": 0, "client_msg_id": "c", "text": "t", "created_at": 0,
          "status": "sent"}]})");
  auto history = bad_kind.as_history();
  REQUIRE_FALSE(history.ok());
  CHECK(history.error().message.find("\"kind\"") != std::string::npos);

  auto not_array = parsed(R"({"id": 1, "ok": true, "messages": {}})");
  CHECK(not_array.as_history().code() == Errc::protocol_error);
  auto not_objects = parsed(R"({"id": 1, "ok": true, "messages": [1]})");
  CHECK(not_objects.as_history().code() == Errc::protocol_error);
  auto float_seq = parsed(R"({"id": 1, "ok": true, "message_id": 1, "chat_id": 1, "seq": 1.5,
                              "created_at": 0})");
  CHECK(float_seq.as_send().code() == Errc::protocol_error);
  auto missing_user = parsed(R"({"id": 1, "ok": true, "token": "t"})");
  CHECK(missing_user.as_session().code() == Errc::protocol_error);
}

TEST_CASE("text that is not UTF-8 is replaced when encoded instead of failing") {
  auto message = protocol::samples::message(1, messenger::MessageStatus::sent);
  message.text = "bad \xFF byte";
  auto text = protocol::encode_event(messenger::MessageEvent{message});
  auto event = parsed(text).as_event();
  REQUIRE(event.ok());
  CHECK(std::get<messenger::MessageEvent>(*event).message.text == "bad \xEF\xBF\xBD byte");

  auto error = protocol::encode_error(1, {Errc::bad_request, "cut \xC3"});
  CHECK(parsed(error).error()->message == "cut \xEF\xBF\xBD");
}

TEST_CASE("a parsed frame can be copied and read after the original is gone") {
  std::optional<protocol::ServerFrame> copy;
  {
    auto frame = parsed(protocol::encode_reply(1, protocol::UserReply{protocol::samples::user()}));
    copy = frame;
  }
  auto user = copy->as_user();
  REQUIRE(user.ok());
  CHECK(user->user.name == "bob");
}

TEST_CASE("messages of every kind keep their kind and subject through a round trip") {
  using messenger::MessageKind;
  for (auto kind : {MessageKind::text, MessageKind::member_added, MessageKind::member_removed,
                    MessageKind::member_left, MessageKind::chat_renamed}) {
    auto message = protocol::samples::member_added(4);
    message.kind = kind;
    message.subject_id = kind == MessageKind::text ? 0 : 7;
    auto text = protocol::encode_reply(1, protocol::HistoryReply{{message}});
    CHECK(json::parse(text)["messages"][0]["kind"] == messenger::to_string(kind));
    auto history = parsed(text).as_history();
    REQUIRE(history.ok());
    REQUIRE(history->messages.size() == 1);
    CHECK(history->messages[0].kind == kind);
    CHECK(history->messages[0].subject_id == message.subject_id);
  }
}

TEST_CASE("the updates of a sync reply are encoded exactly like live events") {
  auto sample = std::get<protocol::SyncReply>(protocol::samples::replies()[8]);
  auto reply = json::parse(protocol::encode_reply(5, sample));
  CHECK(reply["cursor"] == 99);
  CHECK(reply["more"] == true);
  REQUIRE(reply["updates"].size() == sample.updates.size());
  for (std::size_t i = 0; i < sample.updates.size(); ++i) {
    CHECK(reply["updates"][i] == json::parse(protocol::encode_event(sample.updates[i])));
  }

  auto read = parsed(reply.dump()).as_sync();
  REQUIRE(read.ok());
  REQUIRE(read->updates.size() == 3);
  const auto& record = std::get<messenger::MessageEvent>(read->updates[1]);
  CHECK(record.cursor == 98);
  CHECK(record.message.kind == messenger::MessageKind::member_added);
  CHECK(record.message.subject_id == 3);
  CHECK(std::get<messenger::ReceiptEvent>(read->updates[2]).cursor == 99);
}

TEST_CASE("a sync reply skips updates of events the client does not know") {
  auto frame = parsed(
      R"({"id": 5, "ok": true, "updates": [{"event": "pinned", "cursor": 7, "chat_id": 1},
          {"event": "receipt", "cursor": 8, "chat_id": 1, "user_id": 2, "delivered_seq": 3,
          "seen_seq": 1}], "cursor": 8, "more": false, "extra": 1})");
  auto sync = frame.as_sync();
  REQUIRE(sync.ok());
  REQUIRE(sync->updates.size() == 1);
  CHECK(std::get<messenger::ReceiptEvent>(sync->updates[0]).cursor == 8);
  CHECK(sync->cursor == 8);
  CHECK_FALSE(sync->more);
}

TEST_CASE("sync replies with malformed updates are protocol errors") {
  auto check_refused = [](const std::string& text, const std::string& fragment) {
    auto sync = parsed(text).as_sync();
    INFO(text);
    REQUIRE_FALSE(sync.ok());
    CHECK(sync.code() == Errc::protocol_error);
    INFO(sync.error().message);
    CHECK(sync.error().message.find(fragment) != std::string::npos);
  };
  check_refused(R"({"id": 1, "ok": true, "updates": {}, "cursor": 1, "more": false})",
                "field \"updates\" must be an array");
  check_refused(R"({"id": 1, "ok": true, "updates": [3], "cursor": 1, "more": false})",
                "expected objects");
  check_refused(R"({"id": 1, "ok": true, "updates": [{"cursor": 1}], "cursor": 1, "more": true})",
                "missing field \"event\"");
  check_refused(R"({"id": 1, "ok": true, "updates": [], "cursor": 1, "more": 0})",
                "field \"more\" must be true or false");
  check_refused(R"({"id": 1, "ok": true, "updates": [], "more": true})",
                "missing field \"cursor\"");
  check_refused(R"({"id": 1, "ok": true, "updates": [{"event": "typing", "chat_id": 1,
                    "user_id": 2}], "cursor": 1, "more": false})",
                "\"typing\" is not an update of the stream");
  check_refused(R"({"id": 1, "ok": true, "updates": [{"event": "receipt", "chat_id": 1,
                    "user_id": 2, "delivered_seq": 3, "seen_seq": 1}], "cursor": 1,
                    "more": false})",
                "missing field \"cursor\"");
}

TEST_CASE("events of the update stream carry their cursor") {
  for (const auto& event : protocol::samples::events()) {
    auto frame = json::parse(protocol::encode_event(event));
    bool in_stream =
        frame["event"] == "message" || frame["event"] == "receipt" || frame["event"] == "chat";
    INFO(frame.dump());
    CHECK(frame.contains("cursor") == in_stream);
    if (!in_stream) continue;
    frame.erase("cursor");
    auto read = parsed(frame.dump()).as_event();
    REQUIRE_FALSE(read.ok());
    CHECK(read.error().message.find("missing field \"cursor\"") != std::string::npos);
  }
  auto read = parsed(protocol::encode_event(protocol::samples::events()[2])).as_event();
  REQUIRE(read.ok());
  CHECK(std::get<messenger::ChatEvent>(*read).cursor == 102);
}

TEST_CASE("a typing event always means typing now; the wire never says stopped") {
  auto stopped = protocol::encode_event(messenger::TypingEvent{5, 2, false});
  CHECK(stopped == protocol::encode_event(messenger::TypingEvent{5, 2, true}));
  auto read = parsed(stopped).as_event();
  REQUIRE(read.ok());
  const auto& typing = std::get<messenger::TypingEvent>(*read);
  CHECK(typing.chat_id == 5);
  CHECK(typing.user_id == 2);
  CHECK(typing.typing);
}

TEST_CASE("presence replies and events hold the values that were sent") {
  auto sample = protocol::samples::replies()[10];
  auto presence = parsed(protocol::encode_reply(4, sample)).as_presence();
  REQUIRE(presence.ok());
  REQUIRE(presence->presence.size() == 2);
  CHECK(presence->presence[0].user_id == 2);
  CHECK(presence->presence[0].online);
  CHECK(presence->presence[0].last_seen == 1717179000000);
  CHECK_FALSE(presence->presence[1].online);

  auto event = parsed(R"({"event": "presence", "user_id": 3, "online": false,
                          "last_seen": 1717179000000})")
                   .as_event();
  REQUIRE(event.ok());
  const auto& offline = std::get<messenger::PresenceEvent>(*event).presence;
  CHECK(offline.user_id == 3);
  CHECK_FALSE(offline.online);
  CHECK(offline.last_seen == 1717179000000);

  auto numeric = parsed(R"({"event": "presence", "user_id": 3, "online": 1, "last_seen": 0})");
  CHECK(numeric.as_event().code() == Errc::protocol_error);
  auto not_array = parsed(R"({"id": 1, "ok": true, "presence": {}})");
  CHECK(not_array.as_presence().code() == Errc::protocol_error);
}

TEST_CASE("a user carries when they were last seen") {
  auto text = protocol::encode_reply(2, protocol::UserReply{protocol::samples::user()});
  CHECK(json::parse(text)["user"]["last_seen"] == 1717179000000);
  auto user = parsed(text).as_user();
  REQUIRE(user.ok());
  CHECK(user->user.last_seen == 1717179000000);
}
