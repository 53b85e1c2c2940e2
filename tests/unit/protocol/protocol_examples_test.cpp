#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

#include "protocol/codec.hpp"

// Replays every example of docs/protocol.md against the codec, so the document cannot drift
// from what the code speaks.
using nlohmann::json;
namespace protocol = messenger::protocol;

namespace {

struct Example {
  std::string label;  // the line before the block, e.g. "Request:"
  std::string text;
  int line = 0;
};

std::filesystem::path source_dir() {
  if (const char* dir = std::getenv("MESSENGER_SOURCE_DIR"); dir && *dir) return dir;
  // tests/unit/protocol/<this file> -> the repository root.
  return std::filesystem::path(__FILE__).parent_path().parent_path().parent_path().parent_path();
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

std::vector<Example> json_blocks(const std::string& markdown) {
  std::vector<Example> examples;
  std::istringstream in(markdown);
  std::string line;
  std::string previous;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line != "```json") {
      if (!line.empty()) previous = line;
      continue;
    }
    Example example{previous, "", number};
    while (std::getline(in, line) && line != "```") {
      ++number;
      example.text += line + "\n";
    }
    ++number;
    examples.push_back(std::move(example));
    previous.clear();
  }
  return examples;
}

template <typename T, typename... Candidates>
constexpr bool kIsOneOf = (std::is_same_v<T, Candidates> || ...);

// The reply to `request`, read with the accessor for its type and encoded again.
std::string reencode_reply(const protocol::RequestBody& request,
                           const protocol::ServerFrame& frame) {
  auto id = frame.id().value_or(-1);
  auto encoded = [&](const auto& read) -> std::string {
    if (!read.ok()) return "unreadable: " + read.error().message;
    return protocol::encode_reply(id, protocol::ReplyBody{*read});
  };
  return std::visit(
      [&](const auto& body) -> std::string {
        using T = std::decay_t<decltype(body)>;
        namespace p = protocol;
        if constexpr (std::is_same_v<T, p::Hello>) {
          return encoded(frame.as_hello());
        } else if constexpr (kIsOneOf<T, p::Register, p::Login>) {
          return encoded(frame.as_session());
        } else if constexpr (kIsOneOf<T, p::Resume, p::FindUser>) {
          return encoded(frame.as_user());
        } else if constexpr (kIsOneOf<T, p::OpenDirectChat, p::CreateGroup, p::GetChat,
                                      p::AddMembers, p::RemoveMember, p::RenameChat>) {
          return encoded(frame.as_chat());
        } else if constexpr (std::is_same_v<T, p::ListChats>) {
          return encoded(frame.as_chat_list());
        } else if constexpr (std::is_same_v<T, p::SendMessage>) {
          return encoded(frame.as_send());
        } else if constexpr (std::is_same_v<T, p::GetHistory>) {
          return encoded(frame.as_history());
        } else if constexpr (std::is_same_v<T, p::Sync>) {
          return encoded(frame.as_sync());
        } else if constexpr (std::is_same_v<T, p::GetPresence>) {
          return encoded(frame.as_presence());
        } else {
          static_assert(kIsOneOf<T, p::Logout, p::ChangePassword, p::AckDelivered, p::MarkSeen,
                                 p::Typing, p::LeaveChat>);
          return protocol::encode_reply(id, protocol::EmptyReply{});
        }
      },
      request);
}

json parsed_or_null(const std::string& text) {
  return json::parse(text, nullptr, false);
}

class Replay {
 public:
  void run(const Example& example) {
    INFO("docs/protocol.md line ", example.line, ": ", example.label);
    INFO(example.text);
    if (pending_invalid_ && example.label != "Error:") {
      FAIL_CHECK("an invalid request example must be followed by its Error: block");
      pending_invalid_.reset();
    }
    if (example.label == "Request:") return request(example);
    if (example.label == "Invalid request:") return invalid_request(example);
    if (example.label == "Reply:") return reply(example);
    if (example.label == "Error:") return error(example);
    if (example.label == "Event:") return event(example);
    FAIL_CHECK(
        "a json block needs a label line: Request:, Invalid request:, Reply:, Error: or "
        "Event:");
  }

  std::set<std::string> requested;
  std::set<std::string> replied;
  std::set<std::string> events;

 private:
  void request(const Example& example) {
    auto decoded = protocol::decode_request(example.text, messenger::Limits{});
    INFO("decoder said: ", decoded.error.message);
    REQUIRE(decoded.body.has_value());
    last_request_ = protocol::Request{*decoded.id, *decoded.body};
    requested.insert(protocol::type_name(*decoded.body));
  }

  void invalid_request(const Example& example) {
    auto decoded = protocol::decode_request(example.text, messenger::Limits{});
    CHECK_FALSE(decoded.body.has_value());
    pending_invalid_ = protocol::encode_error(decoded.id, decoded.error);
  }

  void reply(const Example& example) {
    REQUIRE(last_request_.has_value());
    auto frame = protocol::ServerFrame::parse(example.text);
    REQUIRE(frame.ok());
    REQUIRE_FALSE(frame->error().has_value());
    CHECK(frame->id() == last_request_->id);
    CHECK(parsed_or_null(reencode_reply(last_request_->body, *frame)) ==
          parsed_or_null(example.text));
    replied.insert(protocol::type_name(last_request_->body));
  }

  void error(const Example& example) {
    auto frame = protocol::ServerFrame::parse(example.text);
    REQUIRE(frame.ok());
    REQUIRE(frame->error().has_value());
    if (pending_invalid_) {
      INFO("the decoder answers: ", *pending_invalid_);
      CHECK(parsed_or_null(*pending_invalid_) == parsed_or_null(example.text));
      pending_invalid_.reset();
      return;
    }
    REQUIRE(last_request_.has_value());
    CHECK(frame->id() == last_request_->id);
    CHECK(parsed_or_null(protocol::encode_error(frame->id(), *frame->error())) ==
          parsed_or_null(example.text));
  }

  void event(const Example& example) {
    auto frame = protocol::ServerFrame::parse(example.text);
    REQUIRE(frame.ok());
    REQUIRE(frame->is_event());
    auto read = frame->as_event();
    INFO("reader said: ", (read.ok() ? std::string() : read.error().message));
    REQUIRE(read.ok());
    CHECK(parsed_or_null(protocol::encode_event(*read)) == parsed_or_null(example.text));
    events.insert(json::parse(example.text)["event"].get<std::string>());
  }

  std::optional<protocol::Request> last_request_;
  std::optional<std::string> pending_invalid_;
};

}  // namespace

TEST_CASE("json blocks are found with the label line written just before them") {
  auto blocks = json_blocks(
      "Intro\n\nRequest:\n\n```json\n{\"a\": 1}\n```\n```\nplain\n```\n"
      "Error:\n```json\n[1,\n2]\n```\n");
  REQUIRE(blocks.size() == 2);
  CHECK(blocks[0].label == "Request:");
  CHECK(blocks[0].text == "{\"a\": 1}\n");
  CHECK(blocks[1].label == "Error:");
  CHECK(blocks[1].text == "[1,\n2]\n");
}

TEST_CASE("every example in docs/protocol.md is what the codec reads and writes") {
  auto path = source_dir() / "docs" / "protocol.md";
  auto markdown = read_file(path);
  INFO("reading ", path.string());
  REQUIRE_FALSE(markdown.empty());

  auto examples = json_blocks(markdown);
  constexpr auto kRequestTypes = std::variant_size_v<protocol::RequestBody>;
  constexpr auto kEvents = std::variant_size_v<protocol::ServerEvent>;
  CHECK(examples.size() >= kRequestTypes + kEvents);

  Replay replay;
  for (const auto& example : examples)
    replay.run(example);
  CHECK(replay.requested.size() == kRequestTypes);
  CHECK(replay.replied.size() == kRequestTypes);
  CHECK(replay.events.size() == kEvents);
}
