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

// Calls `take` for the entries of `entries` (in cursor order) in (after, through], at most
// `limit`.
template <typename Entries, typename Take>
void visit(const Entries& entries, Cursor after, Cursor through, std::size_t limit, Take&& take) {
  auto entry = std::upper_bound(entries.begin(), entries.end(), after,
                                [](Cursor cursor, const auto& e) { return cursor < e.cursor; });
  for (; entry != entries.end() && entry->cursor <= through && limit > 0; ++entry, --limit) {
    take(*entry);
  }
}

/// Reads the stream from a state's chats and users, under the store's mutex.
class MemoryStreamReader final : public StreamSourceReader {
 public:
  explicit MemoryStreamReader(const MemoryState& state) : state_(state) {}

  std::optional<Cursor> next(const StreamSource& source, Cursor after, Cursor through) override {
    std::optional<Cursor> found;
    auto take = [&](const auto& entry) { found = entry.cursor; };
    if (source.kind == StreamSource::Kind::addressed) {
      visit(state_.users.at(source.addressee).chat_updates, after, through, 1, take);
    } else {
      visit(state_.chats.at(source.chat_id).updates, after, through, 1, take);
    }
    return found;
  }

  void read(const StreamSource& source, Cursor after, Cursor through, std::size_t limit,
            std::vector<Update>& out) override {
    if (source.kind == StreamSource::Kind::addressed) {
      visit(state_.users.at(source.addressee).chat_updates, after, through, limit,
            [&](const MemoryChatUpdate& entry) {
              const Chat& chat = state_.chats.at(entry.chat_id).chat;
              out.push_back({.cursor = entry.cursor,
                             .kind = UpdateKind::chat,
                             .chat_id = chat.id,
                             .chat = chat});
            });
      return;
    }
    const MemoryChat& chat = state_.chats.at(source.chat_id);
    visit(chat.updates, after, through, limit,
          [&](const MemoryUpdate& entry) { out.push_back(to_update(chat, entry)); });
  }

 private:
  Update to_update(const MemoryChat& chat, const MemoryUpdate& entry) const {
    Update update{.cursor = entry.cursor, .kind = entry.kind, .chat_id = chat.chat.id};
    if (entry.kind == UpdateKind::message) {
      update.message = chat.messages.at(static_cast<std::size_t>(entry.seq - 1));
    } else if (entry.kind == UpdateKind::chat) {
      update.chat = chat.chat;
    } else {
      const ChatMember* now = chat.find_member(entry.member_id);
      update.member = ChatMember{.user_id = entry.member_id,
                                 .name = state_.users.at(entry.member_id).user.name,
                                 .role = now ? now->role : MemberRole::member,
                                 .delivered_seq = entry.delivered_seq,
                                 .seen_seq = entry.seen_seq};
    }
    return update;
  }

  const MemoryState& state_;
};

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

Result<UpdatePage> MemoryReader::updates_since(UserId user, Cursor after, std::size_t limit) {
  std::lock_guard lock(shared_->mutex);
  Cursor newest = state_.next_cursor - 1;
  if (auto valid = check_stream_cursor(after, newest, state_.pruned_through); !valid) {
    return valid.error();
  }
  std::vector<StreamSource> sources;
  if (auto found = state_.users.find(user); found != state_.users.end()) {
    sources.push_back({.kind = StreamSource::Kind::addressed, .addressee = user});
    for (const MemoryMembership& membership : found->second.memberships) {
      if (membership.last <= after) continue;
      sources.push_back(
          {.chat_id = membership.chat_id, .first = membership.first, .last = membership.last});
    }
  }
  MemoryStreamReader reader(state_);
  return read_stream_page(sources, after, limit, newest, reader);
}

Result<std::vector<UserId>> MemoryReader::contacts(UserId user) {
  std::lock_guard lock(shared_->mutex);
  std::set<UserId> users;
  if (auto chats = state_.chats_of_user.find(user); chats != state_.chats_of_user.end()) {
    for (ChatId id : chats->second) {
      for (const ChatMember& member : state_.chats.at(id).chat.members) {
        if (member.user_id != user) users.insert(member.user_id);
      }
    }
  }
  return std::vector<UserId>(users.begin(), users.end());
}

}  // namespace messenger
