#include <fmt/core.h>

#include <algorithm>
#include <charconv>

#include "chat_screen.hpp"
#include "console.hpp"
#include "messenger/limits.hpp"
#include "prompt.hpp"
#include "text_format.hpp"

// The commands of the chat screen; chat_screen.cpp has its loop and events.
namespace messenger::cli {
namespace {

constexpr const char* kHelp = R"(commands:
  /chats                 your chats, with unread counts and last messages
  /open NAME             open the direct chat with NAME and show its recent messages
  /group TITLE NAME...   create a group with these members ("quote" a title with spaces)
  /history [N]           N earlier messages of the open chat (default 20)
  /password              change your password; your other devices are logged out
  /logout                end this session and leave
  /logout-all            end your sessions on every device and leave
  /help                  this text
  /quit                  leave
Any other line is sent to the open chat. Your messages show ✓ sent, ✓✓ delivered,
✓✓ seen; a line like "[bob] seq 3 ✓✓ seen" tells when a mark changes.)";

bool parse_page_size(const std::string& text, std::size_t& count) {
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), count);
  return error == std::errc() && end == text.data() + text.size() && count >= 1 &&
         count <= Limits{}.max_history_page;
}

}  // namespace

void ChatScreen::show_help() {
  print_line(kHelp);
}

void ChatScreen::list_chats() {
  if (!ensure_connected()) return;
  auto chats = client_.list_chats();
  if (!chats) return print_error(chats.error());
  for (const auto& summary : *chats)
    remember(summary.chat);
  if (chats->empty()) return print_line("no chats yet: /open NAME starts one");

  for (const auto& summary : *chats) {
    std::string line = "  " + label_of(summary.chat.id);
    if (summary.unread > 0) line += fmt::format("  ({} unread)", summary.unread);
    if (const auto& last = summary.last_message) {
      line += fmt::format("  {}: {}", name_of(last->sender_id), preview_text(last->text));
    }
    print_line(line);
  }
}

void ChatScreen::open_direct(const std::vector<std::string>& words) {
  if (words.size() != 2) return print_line("usage: /open NAME");
  if (!ensure_connected()) return;
  auto peer = client_.find_user(words[1]);
  if (!peer) return print_error(peer.error());
  auto chat = client_.open_direct_chat(peer->id);
  if (!chat) return print_error(chat.error());
  show_chat(*chat);
}

void ChatScreen::create_group(const std::vector<std::string>& words) {
  if (words.size() < 3) return print_line("usage: /group TITLE NAME...");
  if (!ensure_connected()) return;
  std::vector<UserId> members;
  for (std::size_t i = 2; i < words.size(); ++i) {
    auto user = client_.find_user(words[i]);
    if (!user) return print_error(user.error());
    members.push_back(user->id);
  }
  auto chat = client_.create_group(words[1], members);
  if (!chat) return print_error(chat.error());
  show_chat(*chat);
}

void ChatScreen::show_history(const std::vector<std::string>& words) {
  if (!open_chat_) return print_line("no chat open: /open NAME first");
  std::size_t count = kHistoryStep;
  if (words.size() > 2 || (words.size() == 2 && !parse_page_size(words[1], count))) {
    return print_line(
        fmt::format("usage: /history [N], with N from 1 to {}", Limits{}.max_history_page));
  }
  if (oldest_shown_ <= 1) return print_line("(no earlier messages)");
  if (!ensure_connected()) return;
  print_line(fmt::format("── earlier in {} ──", label_of(*open_chat_)));
  if (auto shown = print_history_page(*open_chat_, oldest_shown_, count); !shown) {
    print_error(shown.error());
  }
}

void ChatScreen::send_text(const std::string& text) {
  if (!open_chat_) return print_line("no chat open: /open NAME first");
  if (!ensure_connected()) return;
  ChatId chat = *open_chat_;
  auto ack = client_.send_message(chat, text);
  if (!ack) return print_error(ack.error());

  auto& newest = newest_own_sent_[chat];
  newest = std::max(newest, ack->seq);
  auto status = receipts_.status_of_own(chat, ack->seq);
  print_line(fmt::format("[{}] {}: {} {} (seq {})", label_of(chat), name_of(session_.user.id),
                         escape_text(text), status_mark(status), ack->seq));
  if (status == MessageStatus::seen) return;
  track_own_mark(chat, ack->seq, status);
}

bool ChatScreen::ensure_connected() {
  if (client_.state() == ConnectionState::connected) return true;
  auto resumed = client_.resume(session_.token);
  if (!resumed) {
    print_error(resumed.error());
    return false;
  }
  print_line("[reconnected]");
  return true;
}

Result<void> ChatScreen::refresh_chats() {
  auto chats = client_.list_chats();
  if (!chats) return chats.error();
  for (const auto& summary : *chats)
    remember(summary.chat);
  return {};
}

void ChatScreen::show_chat(const Chat& chat) {
  remember(chat);
  open_chat_ = chat.id;
  oldest_shown_ = chat.last_seq + 1;
  print_line(fmt::format("── {} ──", label_of(chat.id)));
  if (chat.last_seq == 0) return print_line("(no messages yet)");

  if (auto shown = print_history_page(chat.id, std::nullopt, kHistoryStep); !shown) {
    return print_error(shown.error());
  }
  mark_seen(chat.id, chat.last_seq);
}

Result<void> ChatScreen::print_history_page(ChatId chat, std::optional<Seq> before,
                                            std::size_t count) {
  HistoryQuery query;
  query.chat_id = chat;
  query.anchor = before;
  query.direction = HistoryDirection::before;
  query.order = HistoryOrder::newest_first;
  query.limit = count;
  auto page = client_.history(query);
  if (!page) return page.error();
  if (page->empty()) {
    print_line("(no earlier messages)");
    return {};
  }

  for (auto it = page->rbegin(); it != page->rend(); ++it)
    print_message(*it);
  oldest_shown_ = page->back().seq;
  // Live events for messages this page showed must not print them again.
  for (auto* newest : {&newest_incoming_[chat], &newest_own_sent_[chat]}) {
    *newest = std::max(*newest, page->front().seq);
  }
  return {};
}

void ChatScreen::track_own_mark(ChatId chat, Seq seq, MessageStatus status) {
  if (status == MessageStatus::seen) return;
  own_marks_[{chat, seq}] = status;
  if (own_marks_.size() > kMaxTrackedMarks) own_marks_.erase(own_marks_.begin());
}

void ChatScreen::mark_seen(ChatId chat, Seq seq) {
  if (auto seen = client_.mark_seen(chat, seq); !seen) print_error(seen.error());
}

void ChatScreen::change_password() {
  if (!ensure_connected()) return;
  auto current = ask(input_, "current password: ", Echo::off);
  if (!current) return print_error(current.error());
  auto replacement = ask(input_, "new password: ", Echo::off);
  if (!replacement) return print_error(replacement.error());
  auto again = ask(input_, "new password again: ", Echo::off);
  if (!again) return print_error(again.error());
  if (*again != *replacement) return print_line("the new passwords differ; nothing changed");

  auto changed = client_.change_password(*current, *replacement);
  if (!changed) return print_error(changed.error());
  print_line("password changed; your other devices are logged out");
}

void ChatScreen::log_out(Everywhere everywhere) {
  if (!ensure_connected()) return;
  auto done = everywhere == Everywhere::yes ? client_.logout_all() : client_.logout();
  if (!done) return print_error(done.error());
  print_line(everywhere == Everywhere::yes ? "logged out on every device" : "logged out");
  quit_ = true;
}

}  // namespace messenger::cli
