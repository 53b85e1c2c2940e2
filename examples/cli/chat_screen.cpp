#include "chat_screen.hpp"

#include <fmt/core.h>
#include <poll.h>

#include <cerrno>
#include <cstring>

#include "command_words.hpp"
#include "console.hpp"
#include "text_format.hpp"

namespace messenger::cli {

ChatScreen::ChatScreen(Client& client, Session session, LineReader& input, EventInbox& inbox)
    : client_(client),
      session_(std::move(session)),
      input_(input),
      inbox_(inbox),
      names_(session_.user),
      receipts_(session_.user.id) {}

Result<void> ChatScreen::run() {
  if (auto learnt = refresh_chats(); !learnt) print_error(learnt.error());
  print_line(fmt::format("logged in as {}. /help lists the commands.", session_.user.name));

  while (!quit_) {
    handle_events();
    if (quit_) break;
    while (auto line = input_.next_line()) {
      handle_line(*line);
      if (quit_) return {};
    }
    if (input_.finished()) return {};

    pollfd waiting[] = {{input_.fd(), POLLIN, 0}, {inbox_.wake_fd(), POLLIN, 0}};
    if (::poll(waiting, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return Error{Errc::internal, std::string("cannot wait for input: ") + std::strerror(errno)};
    }
    if (waiting[0].revents != 0) input_.fill();
  }
  if (session_ended_) return *session_ended_;
  return {};
}

void ChatScreen::handle_line(const std::string& line) {
  if (line.empty()) return;
  if (line.front() != '/') {
    send_text(line);
    return;
  }

  auto words = split_command_words(line);
  const std::string& command = words.front();
  if (command == "/quit") {
    quit_ = true;
  } else if (command == "/help") {
    show_help();
  } else if (command == "/chats") {
    list_chats();
  } else if (command == "/open") {
    open_direct(words);
  } else if (command == "/group") {
    create_group(words);
  } else if (command == "/history") {
    show_history(words);
  } else if (command == "/password") {
    change_password();
  } else if (command == "/logout") {
    log_out(Everywhere::no);
  } else if (command == "/logout-all") {
    log_out(Everywhere::yes);
  } else {
    print_line(fmt::format("unknown command {}; /help lists the commands", escape_text(command)));
  }
}

void ChatScreen::handle_events() {
  for (const auto& event : inbox_.take()) {
    std::visit([this](const auto& e) { on_event(e); }, event);
  }
  // One request for a whole burst: the seen watermark covers every message below it.
  if (seen_to_mark_ && open_chat_) mark_seen(*open_chat_, *seen_to_mark_);
  seen_to_mark_.reset();
}

void ChatScreen::on_event(const MessageEvent& event) {
  const Message& message = event.message;
  bool mine = message.sender_id == session_.user.id;
  // Catching up replays the chats' history: show only what no device of ours had yet.
  if (syncing_ && (mine || message.status != MessageStatus::sent)) return;
  // Each chat's messages come in seq order, so anything at or below the newest one shown is a
  // repeat: a catch-up after reconnecting, or our own message coming back.
  auto& newest = mine ? newest_own_sent_[message.chat_id] : newest_incoming_[message.chat_id];
  if (message.seq <= newest) return;
  newest = message.seq;

  if (!names_.knows_chat(message.chat_id)) {
    if (auto learnt = refresh_chats(); !learnt) print_error(learnt.error());
  }
  print_message(message);
  if (!mine && open_chat_ == message.chat_id) seen_to_mark_ = message.seq;
  // Sent from another of our devices: its marks change here too, as receipts come in.
  if (mine) track_own_mark(message.chat_id, message.seq, message.status);
}

void ChatScreen::on_event(const ReceiptEvent& event) {
  receipts_.update(event);
  if (event.user_id == session_.user.id) return;

  auto first = own_marks_.lower_bound({event.chat_id, 0});
  for (auto it = first; it != own_marks_.end() && it->first.first == event.chat_id;) {
    auto [chat, seq] = it->first;
    auto status = receipts_.status_of_own(chat, seq);
    if (status > it->second) {
      // "✓✓ delivered" or "✓✓ seen": the mark, and the word that tells the two apart.
      print_line(fmt::format("[{}] seq {} {} {}", label_of(chat), seq,
                             status_mark(MessageStatus::delivered), to_string(status)));
      it->second = status;
    }
    it = status == MessageStatus::seen ? own_marks_.erase(it) : std::next(it);
  }
}

void ChatScreen::on_event(const ChatEvent& event) {
  // A login catches up from the start of the stream, which replays the chats listed at start.
  bool known = names_.knows_chat(event.chat.id);
  remember(event.chat);
  if (known) return;
  const char* what =
      event.chat.kind == ChatKind::group ? "you were added to this group" : "a new direct chat";
  print_line(fmt::format("[{}] {}", label_of(event.chat.id), what));
}

void ChatScreen::on_event(const ConnectionEvent& event) {
  syncing_ = event.state == ConnectionState::syncing;
  bool was_online = online_;
  // Catching up after a login still counts as online: the connection never went away.
  online_ = event.state == ConnectionState::connected || (was_online && syncing_);
  if (online_ && !was_online) {
    print_line("[online]");
    return;
  }
  // Logged out here or elsewhere, or the password changed: the token is dead, and the client
  // will not log in again by itself.
  if (event.error && event.error->code == Errc::session_revoked) {
    print_line(fmt::format("[session ended: {}] log in again", event.error->message));
    session_ended_ = event.error;
    quit_ = true;
    return;
  }
  // Failed reconnection tries stay quiet; only losing a working connection is news.
  if (event.state != ConnectionState::disconnected || !was_online) return;
  std::string why = event.error ? event.error->message : std::string("closed");
  print_line(fmt::format("[disconnected: {}] reconnecting by itself", why));
}

void ChatScreen::on_event(const TypingEvent& event) {
  if (!event.typing || open_chat_ != event.chat_id || event.user_id == session_.user.id) return;
  print_line(fmt::format("[{}] {} is typing…", label_of(event.chat_id), name_of(event.user_id)));
}

void ChatScreen::on_event(const PresenceEvent& event) {
  const auto& presence = event.presence;
  print_line(
      fmt::format("[{} is {}]", name_of(presence.user_id), presence.online ? "online" : "offline"));
}

void ChatScreen::remember(const Chat& chat) {
  names_.remember(chat);
  receipts_.remember(chat);
}

std::string ChatScreen::describe_change(const Message& message) {
  auto actor = name_of(message.sender_id);
  auto subject = name_of(message.subject_id);
  switch (message.kind) {
    case MessageKind::member_added:
      return fmt::format("{} added {}", actor, subject);
    case MessageKind::member_removed:
      return fmt::format("{} removed {}", actor, subject);
    case MessageKind::member_left:
      return fmt::format("{} left", actor);
    case MessageKind::chat_renamed:
      return fmt::format("{} renamed the chat to {}", actor, escape_text(message.text));
    case MessageKind::text:
      break;
  }
  return escape_text(message.text);
}

void ChatScreen::print_message(const Message& message) {
  if (message.kind != MessageKind::text) {
    print_line(fmt::format("[{}] {}", label_of(message.chat_id), describe_change(message)));
    return;
  }
  std::string line = fmt::format("[{}] {}: {}", label_of(message.chat_id),
                                 name_of(message.sender_id), escape_text(message.text));
  if (message.sender_id == session_.user.id) {
    line += fmt::format(" {}", status_mark(message.status));
  }
  print_line(line);
}

// Titles and names come from other users: escaped like texts, they cannot drive the terminal.
std::string ChatScreen::label_of(ChatId chat) const {
  return escape_text(names_.chat_label(chat));
}

std::string ChatScreen::name_of(UserId user) const {
  return escape_text(names_.user_name(user));
}

}  // namespace messenger::cli
