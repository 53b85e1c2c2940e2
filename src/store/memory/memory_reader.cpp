#include "store/memory/memory_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <mutex>

namespace messenger {
namespace {

Error not_found(std::string message) {
  return Error{Errc::not_found, std::move(message)};
}

ChatSummary summarize(const MemoryChat& chat, UserId user) {
  ChatSummary summary{.chat = chat.chat, .last_message = std::nullopt};
  if (!chat.messages.empty()) summary.last_message = chat.messages.back();
  Seq seen = chat.find_member(user)->seen_seq;
  summary.unread =
      std::count_if(chat.messages.begin() + static_cast<std::ptrdiff_t>(seen), chat.messages.end(),
                    [user](const Message& message) { return message.sender_id != user; });
  return summary;
}

// Seqs are 1..last without gaps, so a page is a slice of the chat's message vector.
std::vector<Message> page_of(const std::vector<Message>& messages, const HistoryQuery& query) {
  auto count = static_cast<Seq>(messages.size());
  auto limit = static_cast<Seq>(std::min<std::size_t>(query.limit, messages.size()));
  // Clamped first, so that the arithmetic below cannot overflow on extreme anchors.
  std::optional<Seq> anchor;
  if (query.anchor) anchor = std::clamp<Seq>(*query.anchor, 0, count + 1);
  Seq first = 1;
  Seq last = count;
  if (query.direction == HistoryDirection::before) {
    if (anchor) last = *anchor - 1;
    first = std::max<Seq>(1, last - limit + 1);
  } else {
    if (anchor) first = *anchor + 1;
    last = std::min(count, first + limit - 1);
  }
  if (limit == 0 || first > last) return {};

  std::vector<Message> page(messages.begin() + (first - 1), messages.begin() + last);
  if (query.order == HistoryOrder::newest_first) std::reverse(page.begin(), page.end());
  return page;
}

}  // namespace

MemoryReader::MemoryReader(std::shared_ptr<MemoryShared> shared)
    : shared_(std::move(shared)), state_(shared_->committed) {}

Result<User> MemoryReader::get_user(UserId user) {
  std::lock_guard lock(shared_->mutex);
  auto found = state_.users.find(user);
  if (found == state_.users.end()) return not_found(fmt::format("no user {}", user));
  return found->second.user;
}

const MemoryUser* MemoryReader::find_by_name(std::string_view name) const {
  auto id = state_.user_by_name.find(name_key(name));
  return id == state_.user_by_name.end() ? nullptr : &state_.users.at(id->second);
}

Result<User> MemoryReader::find_user_by_name(std::string_view name) {
  std::lock_guard lock(shared_->mutex);
  const MemoryUser* found = find_by_name(name);
  if (!found) return not_found(fmt::format("no user named '{}'", name));
  return found->user;
}

Result<Credentials> MemoryReader::get_credentials(std::string_view name) {
  std::lock_guard lock(shared_->mutex);
  const MemoryUser* found = find_by_name(name);
  if (!found) return not_found(fmt::format("no user named '{}'", name));
  return Credentials{found->user, found->password_hash};
}

Result<SessionRecord> MemoryReader::find_session(std::string_view token_hash) {
  std::lock_guard lock(shared_->mutex);
  auto id = state_.session_by_token_hash.find(token_hash);
  if (id == state_.session_by_token_hash.end()) return not_found("no such session");
  return state_.sessions.at(id->second).record;
}

Result<Chat> MemoryReader::get_chat(ChatId chat) {
  std::lock_guard lock(shared_->mutex);
  auto found = state_.chats.find(chat);
  if (found == state_.chats.end()) return not_found(fmt::format("no chat {}", chat));
  return found->second.chat;
}

Result<std::vector<ChatSummary>> MemoryReader::list_chats(UserId user) {
  std::lock_guard lock(shared_->mutex);
  std::vector<std::pair<const MemoryChat*, ChatSummary>> rows;
  if (auto chats = state_.chats_of_user.find(user); chats != state_.chats_of_user.end()) {
    for (ChatId id : chats->second) {
      const MemoryChat& chat = state_.chats.at(id);
      rows.emplace_back(&chat, summarize(chat, user));
    }
  }

  std::sort(rows.begin(), rows.end(), [](const auto& left, const auto& right) {
    const MemoryChat& a = *left.first;
    const MemoryChat& b = *right.first;
    if (a.last_activity != b.last_activity) return a.last_activity > b.last_activity;
    return a.chat.id > b.chat.id;
  });
  std::vector<ChatSummary> summaries;
  summaries.reserve(rows.size());
  for (auto& row : rows) {
    summaries.push_back(std::move(row.second));
  }
  return summaries;
}

Result<std::vector<Message>> MemoryReader::history(const HistoryQuery& query) {
  std::lock_guard lock(shared_->mutex);
  auto found = state_.chats.find(query.chat_id);
  if (found == state_.chats.end()) return std::vector<Message>{};
  return page_of(found->second.messages, query);
}

}  // namespace messenger
