#pragma once

#include <doctest/doctest.h>
#include <stdlib.h>

#include <filesystem>
#include <string>
#include <vector>

#include "client/request_table.hpp"
#include "protocol/codec.hpp"

namespace messenger::test {

/// A fresh folder under the system's temporary directory, removed with everything in it.
class ScratchDir {
 public:
  ScratchDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "client-test-XXXXXX").string();
    REQUIRE(mkdtemp(pattern.data()) != nullptr);
    path_ = pattern;
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

/// A reply as the client reads it off the wire, encoded and parsed by the real codec.
inline Result<protocol::ServerFrame> reply_frame(const protocol::ReplyBody& body) {
  auto frame = protocol::ServerFrame::parse(protocol::encode_reply(1, body));
  REQUIRE(frame.ok());
  return *frame;
}

inline Result<protocol::ServerFrame> error_frame(Errc code) {
  auto frame = protocol::ServerFrame::parse(protocol::encode_error(1, {code, "refused"}));
  REQUIRE(frame.ok());
  return *frame;
}

/// Requests a unit under test sent, with the handlers that answer them.
struct SentRequests {
  struct Sent {
    protocol::RequestBody body;
    ReplyHandler on_reply;
  };
  std::vector<Sent> sent;

  SendRequest sender() {
    return [this](protocol::RequestBody body, ReplyHandler on_reply) {
      sent.push_back({std::move(body), std::move(on_reply)});
    };
  }
  /// Answers the oldest unanswered request.
  void answer(Result<protocol::ServerFrame> reply) {
    REQUIRE_FALSE(sent.empty());
    auto oldest = std::move(sent.front());
    sent.erase(sent.begin());
    oldest.on_reply(std::move(reply));
  }
  template <typename Body>
  const Body& oldest() const {
    REQUIRE_FALSE(sent.empty());
    const auto* body = std::get_if<Body>(&sent.front().body);
    REQUIRE(body != nullptr);
    return *body;
  }
};

inline MessageEvent message_at(Cursor cursor, ChatId chat = 1, UserId sender = 2, Seq seq = 0) {
  MessageEvent event;
  event.message.id = cursor;
  event.message.chat_id = chat;
  event.message.sender_id = sender;
  event.message.seq = seq == 0 ? cursor : seq;
  event.message.text = "message " + std::to_string(cursor);
  event.cursor = cursor;
  return event;
}

inline Cursor cursor_in(const protocol::ServerEvent& event) {
  const auto* message = std::get_if<MessageEvent>(&event);
  REQUIRE(message != nullptr);
  return message->cursor;
}

}  // namespace messenger::test
