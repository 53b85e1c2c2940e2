#include <fmt/core.h>

#include <map>

#include "console.hpp"
#include "event_wait.hpp"
#include "name_book.hpp"
#include "script_modes.hpp"
#include "text_format.hpp"

namespace messenger::cli {
namespace {

/// Learns the names of every chat's members, for the `from=` of messages.
Result<void> learn_chats(Client& client, NameBook& names) {
  auto chats = client.list_chats();
  if (!chats) return chats.error();
  for (const auto& summary : *chats)
    names.remember(summary.chat);
  return {};
}

class Receiver {
 public:
  Receiver(Client& client, const Session& session, const CliOptions& options)
      : client_(client), me_(session.user.id), names_(session.user), options_(options) {}

  Result<void> run() {
    if (auto learnt = learn_chats(client_, names_); !learnt) return learnt;
    auto waited = wait_for_events(client_, options_.timeout,
                                  [this](const ClientEvent& event) { return on_event(event); });
    if (!waited && waited.code() == Errc::timeout) {
      return Error{Errc::timeout, fmt::format("received {} of {} messages within {} ms", received_,
                                              options_.receive_count, options_.timeout.count())};
    }
    return waited;
  }

 private:
  Result<bool> on_event(const ClientEvent& event) {
    if (const auto* chat = std::get_if<ChatEvent>(&event)) names_.remember(chat->chat);
    const auto* arrived = std::get_if<MessageEvent>(&event);
    if (!arrived || !is_new_from_others(arrived->message)) return false;

    const Message& message = arrived->message;
    if (!names_.knows_chat(message.chat_id)) {
      if (auto learnt = learn_chats(client_, names_); !learnt) return learnt.error();
    }
    print_line(fmt::format("message chat={} seq={} from={} text={}", message.chat_id, message.seq,
                           escape_text(names_.user_name(message.sender_id)),
                           escape_text(message.text)));
    printed_[message.chat_id] = message.seq;
    if (options_.mark_seen) {
      if (auto seen = client_.mark_seen(message.chat_id, message.seq); !seen) return seen.error();
    }
    return ++received_ >= options_.receive_count;
  }

  // Each chat's messages come in seq order, so anything at or below the last printed seq is a
  // repeat. A message that is already delivered or seen reached one of this user's devices
  // before (the catch-up after login replays the chats' history).
  bool is_new_from_others(const Message& message) const {
    if (message.sender_id == me_ || message.kind != MessageKind::text) return false;
    if (message.status != MessageStatus::sent) return false;
    auto printed = printed_.find(message.chat_id);
    return printed == printed_.end() || message.seq > printed->second;
  }

  Client& client_;
  UserId me_;
  NameBook names_;
  const CliOptions& options_;
  std::map<ChatId, Seq> printed_;
  long received_ = 0;
};

}  // namespace

Result<void> run_receive(Client& client, const Session& session, const CliOptions& options) {
  return Receiver(client, session, options).run();
}

}  // namespace messenger::cli
