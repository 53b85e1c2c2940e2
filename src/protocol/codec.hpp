#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "messenger/limits.hpp"
#include "protocol/messages.hpp"

namespace messenger::protocol {

/// A request as decoded from one text frame: the id when one could be read (so that an error
/// reply can name it), and either the body or why it was refused.
struct DecodedRequest {
  std::optional<RequestId> id;
  std::optional<RequestBody> body;
  Error error;  ///< meaningful when `body` is empty
};

/// Server side. Never throws: malformed JSON, a missing or mistyped field, an unknown field or
/// type, or a value over a limit all come back as an error (bad_request, unknown_type,
/// too_large), with the id when it was readable.
DecodedRequest decode_request(std::string_view text, const Limits& limits);

std::string encode_reply(RequestId id, const ReplyBody& reply);
std::string encode_error(std::optional<RequestId> id, const Error& error);
std::string encode_event(const ServerEvent& event);
/// At least the bytes `message` takes in an encoded reply or event, counted without encoding
/// it, so that a page can be cut to a size cheaply.
std::size_t encoded_size_bound(const Message& message);

/// Client side: the encoded form of a request. Invalid UTF-8 in its texts is replaced (U+FFFD).
std::string encode_request(const Request& request);
/// Like `encode_request`, but invalid UTF-8 is refused (bad_request) rather than sent changed.
Result<std::string> encode_request_exactly(const Request& request);

/// Client side: one frame from the server, parsed once. A reply's fields are read with the
/// `as_*` accessor that matches the request it answers.
class ServerFrame {
 public:
  /// Errors: protocol_error (not JSON, or neither a reply nor an event).
  static Result<ServerFrame> parse(std::string_view text);

  /// An error reply to a request whose id was unreadable has no id either, but is no event.
  bool is_event() const { return !id_.has_value() && !error_.has_value(); }
  /// The request id this reply answers; empty for events and for error replies to requests
  /// whose id was unreadable.
  std::optional<RequestId> id() const { return id_; }
  /// Set when the reply is an error reply.
  const std::optional<Error>& error() const { return error_; }

  /// Errors: on an error reply, the error it carries; otherwise protocol_error when the frame
  /// is not that kind of reply or event.
  Result<HelloReply> as_hello() const;
  Result<SessionReply> as_session() const;
  Result<UserReply> as_user() const;
  Result<ChatReply> as_chat() const;
  Result<ChatListReply> as_chat_list() const;
  Result<SendReply> as_send() const;
  Result<HistoryReply> as_history() const;
  Result<SyncReply> as_sync() const;
  Result<PresenceReply> as_presence() const;
  Result<ServerEvent> as_event() const;

 private:
  struct Json;
  std::shared_ptr<const Json> json_;
  std::optional<RequestId> id_;
  std::optional<Error> error_;
};

}  // namespace messenger::protocol
