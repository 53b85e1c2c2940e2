#include "store/sqlite/sqlite_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <unordered_map>

#include "store/sqlite/sqlite_connection.hpp"

namespace messenger {
namespace {

// Newest activity first; among equals the newer chat first, so the order is total.
constexpr std::string_view kChatSummariesQuery = R"sql(
SELECT c.id, c.kind, c.title, c.created_at, c.last_seq,
       (SELECT count(*) FROM messages AS u
         WHERE u.chat_id = c.id AND u.seq > me.seen_seq AND u.sender_id <> me.user_id),
       {}
  FROM chat_members AS me
  JOIN chats AS c ON c.id = me.chat_id
  LEFT JOIN messages AS m ON m.chat_id = c.id AND m.seq = c.last_seq
 WHERE me.user_id = ?
 ORDER BY c.last_activity DESC, c.id DESC)sql";
constexpr int kSummaryMessageColumn = 6;

constexpr std::string_view kMembersOfChatsQuery = R"sql(
SELECT cm.chat_id, {}
  FROM chat_members AS me
  JOIN chat_members AS cm ON cm.chat_id = me.chat_id
  {}
 WHERE me.user_id = ?
 ORDER BY cm.chat_id, cm.user_id)sql";

std::int64_t sql_limit(std::size_t limit) {
  constexpr auto kMax = static_cast<std::size_t>(std::numeric_limits<std::int64_t>::max());
  return static_cast<std::int64_t>(std::min(limit, kMax));
}

Error not_found(std::string_view what) {
  return Error{Errc::not_found, std::string(what)};
}

}  // namespace

/// One read transaction over several queries; ends when the scope does.
class SqliteReader::Snapshot {
 public:
  explicit Snapshot(SqliteReader& reader) : reader_(reader) { run(reader_.begin_); }
  ~Snapshot() {
    reader_.end_.tryExecuteStep();
    reader_.end_.tryReset();
  }
  Snapshot(const Snapshot&) = delete;
  Snapshot& operator=(const Snapshot&) = delete;

 private:
  SqliteReader& reader_;
};

SqliteReader::SqliteReader(const std::string& path, std::shared_ptr<ReaderGate> gate)
    : gate_(std::move(gate)),
      db_(open_reader_connection(path)),
      begin_(db_, "BEGIN"),
      end_(db_, "COMMIT"),
      user_by_id_(db_, "SELECT id, name, created_at, last_seen FROM users WHERE id = ?"),
      user_by_name_(db_,
                    "SELECT id, name, created_at, last_seen, password_hash FROM users"
                    " WHERE name = ?"),
      session_(db_, "SELECT id, user_id, device, created_at FROM sessions WHERE token_hash = ?"),
      chats_(db_),
      chat_summaries_(db_, fmt::format(kChatSummariesQuery, kMessageColumns)),
      members_of_chats_(db_, fmt::format(kMembersOfChatsQuery, kMemberColumns, kMemberNameJoin)),
      messages_before_(db_, fmt::format("SELECT {} FROM messages AS m WHERE m.chat_id = ?"
                                        " AND m.seq < ? ORDER BY m.seq DESC LIMIT ?",
                                        kMessageColumns)),
      messages_after_(db_, fmt::format("SELECT {} FROM messages AS m WHERE m.chat_id = ?"
                                       " AND m.seq > ? ORDER BY m.seq ASC LIMIT ?",
                                       kMessageColumns)),
      contacts_(db_,
                "SELECT DISTINCT cm.user_id FROM chat_members AS me"
                " JOIN chat_members AS cm ON cm.chat_id = me.chat_id"
                " WHERE me.user_id = ?1 AND cm.user_id <> ?1 ORDER BY cm.user_id"),
      updates_(db_, chats_) {}

std::optional<User> SqliteReader::read_user(SQLite::Statement& query) {
  if (!query.executeStep()) return std::nullopt;
  return User{query.getColumn(0).getInt64(), query.getColumn(1).getString(),
              query.getColumn(2).getInt64(), query.getColumn(3).getInt64()};
}

template <typename T, typename Body>
Result<T> SqliteReader::read(std::string_view name, Body&& body) {
  ReaderGate::Pass pass(*gate_);
  try {
    return body();
  } catch (const SQLite::Exception& failure) {
    return storage_error(name, failure);
  }
}

Result<User> SqliteReader::get_user(UserId user) {
  return read<User>("get_user", [&]() -> Result<User> {
    StatementReset reset(user_by_id_);
    user_by_id_.bind(1, user);
    if (auto found = read_user(user_by_id_)) return std::move(*found);
    return not_found(fmt::format("no user {}", user));
  });
}

Result<User> SqliteReader::find_user_by_name(std::string_view name) {
  return read<User>("find_user_by_name", [&]() -> Result<User> {
    StatementReset reset(user_by_name_);
    user_by_name_.bind(1, std::string(name));
    if (auto found = read_user(user_by_name_)) return std::move(*found);
    return not_found(fmt::format("no user named '{}'", name));
  });
}

Result<Credentials> SqliteReader::get_credentials(std::string_view name) {
  return read<Credentials>("get_credentials", [&]() -> Result<Credentials> {
    StatementReset reset(user_by_name_);
    user_by_name_.bind(1, std::string(name));
    auto found = read_user(user_by_name_);
    if (!found) return not_found(fmt::format("no user named '{}'", name));
    return Credentials{std::move(*found), user_by_name_.getColumn(4).getString()};
  });
}

Result<SessionRecord> SqliteReader::find_session(std::string_view token_hash) {
  return read<SessionRecord>("find_session", [&]() -> Result<SessionRecord> {
    StatementReset reset(session_);
    session_.bind(1, token_hash.data(), static_cast<int>(token_hash.size()));
    if (!session_.executeStep()) return not_found("no such session");
    return SessionRecord{session_.getColumn(0).getInt64(), session_.getColumn(1).getInt64(),
                         session_.getColumn(2).getString(), session_.getColumn(3).getInt64()};
  });
}

Result<Chat> SqliteReader::get_chat(ChatId chat) {
  return read<Chat>("get_chat", [&]() -> Result<Chat> {
    Snapshot snapshot(*this);
    std::optional<Chat> found = chats_.load(chat);
    if (!found) return not_found(fmt::format("no chat {}", chat));
    return std::move(*found);
  });
}

Result<std::vector<ChatSummary>> SqliteReader::list_chats(UserId user) {
  using Summaries = std::vector<ChatSummary>;
  return read<Summaries>("list_chats", [&]() -> Result<Summaries> {
    Snapshot snapshot(*this);
    Summaries summaries = read_chat_summaries(user);
    attach_members(user, summaries);
    return summaries;
  });
}

std::vector<ChatSummary> SqliteReader::read_chat_summaries(UserId user) {
  StatementReset reset(chat_summaries_);
  chat_summaries_.bind(1, user);
  std::vector<ChatSummary> summaries;
  while (chat_summaries_.executeStep()) {
    ChatSummary& summary = summaries.emplace_back();
    summary.chat.id = chat_summaries_.getColumn(0).getInt64();
    summary.chat.kind = chat_kind_from_text(chat_summaries_.getColumn(1).getText());
    summary.chat.title = chat_summaries_.getColumn(2).getString();
    summary.chat.created_at = chat_summaries_.getColumn(3).getInt64();
    summary.chat.last_seq = chat_summaries_.getColumn(4).getInt64();
    summary.unread = chat_summaries_.getColumn(5).getInt64();
    if (!chat_summaries_.isColumnNull(kSummaryMessageColumn)) {
      summary.last_message = message_from_row(chat_summaries_, kSummaryMessageColumn);
    }
  }
  return summaries;
}

// One query for the members of every chat, rather than one per chat.
void SqliteReader::attach_members(UserId user, std::vector<ChatSummary>& summaries) {
  std::unordered_map<ChatId, std::size_t> index_of;
  index_of.reserve(summaries.size());
  for (std::size_t i = 0; i < summaries.size(); ++i) {
    index_of[summaries[i].chat.id] = i;
  }

  StatementReset reset(members_of_chats_);
  members_of_chats_.bind(1, user);
  while (members_of_chats_.executeStep()) {
    auto found = index_of.find(members_of_chats_.getColumn(0).getInt64());
    if (found == index_of.end()) continue;
    summaries[found->second].chat.members.push_back(member_from_row(members_of_chats_, 1));
  }
}

Result<std::vector<Message>> SqliteReader::history(const HistoryQuery& query) {
  using Messages = std::vector<Message>;
  return read<Messages>("history", [&]() -> Result<Messages> {
    bool before = query.direction == HistoryDirection::before;
    SQLite::Statement& page = before ? messages_before_ : messages_after_;
    Seq open_end = before ? std::numeric_limits<Seq>::max() : 0;
    StatementReset reset(page);
    page.bind(1, query.chat_id);
    page.bind(2, query.anchor.value_or(open_end));
    page.bind(3, sql_limit(query.limit));

    // The page holds the messages nearest the anchor; the order only changes how it is laid out.
    Messages messages;
    while (page.executeStep()) {
      messages.push_back(message_from_row(page));
    }
    bool newest_first = query.order == HistoryOrder::newest_first;
    if (before != newest_first) std::reverse(messages.begin(), messages.end());
    return messages;
  });
}

Result<UpdatePage> SqliteReader::updates_since(UserId user, Cursor after, std::size_t limit) {
  return read<UpdatePage>("updates_since", [&]() -> Result<UpdatePage> {
    Snapshot snapshot(*this);
    auto [newest, pruned_through] = updates_.bounds();
    if (auto valid = check_stream_cursor(after, newest, pruned_through); !valid) {
      return valid.error();
    }
    std::vector<StreamSource> sources = updates_.sources(user, after);
    return read_stream_page(sources, after, limit, newest, updates_);
  });
}

Result<std::vector<UserId>> SqliteReader::contacts(UserId user) {
  using Users = std::vector<UserId>;
  return read<Users>("contacts", [&]() -> Result<Users> {
    StatementReset reset(contacts_);
    contacts_.bind(1, user);
    Users users;
    while (contacts_.executeStep()) {
      users.push_back(contacts_.getColumn(0).getInt64());
    }
    return users;
  });
}

}  // namespace messenger
