#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "messenger/log.hpp"
#include "messenger/result.hpp"
#include "messenger/types.hpp"

namespace messenger {

/// A stored login session (one device). The token itself is never stored, only its hash.
struct SessionRecord {
  SessionId id = 0;
  UserId user_id = 0;
  std::string device;
  Timestamp created_at = 0;
};

struct Credentials {
  User user;
  std::string password_hash;  ///< Argon2id string as produced by `Crypto::hash_password`
};

struct NewMessage {
  ChatId chat_id = 0;
  UserId sender_id = 0;
  std::string client_msg_id;
  std::string text;
  Timestamp created_at = 0;
};

// Every write that others must hear of also appends to the update stream (see `Update`) and
// returns the position it got there (`cursor`) and whom to tell (`members`), so that the caller
// can deliver it live without another read.

struct AppendResult {
  Message message;              ///< the stored message (the first one, for a duplicate)
  bool duplicate = false;       ///< true when the chat already held (sender, client_msg_id)
  Cursor cursor = 0;            ///< the message's update; equals message.id
  std::vector<UserId> members;  ///< the chat's members, the sender included
};

struct DirectChatResult {
  Chat chat;
  bool created = false;  ///< false when the chat already existed
  Cursor cursor = 0;     ///< the chat update that tells both users (0 when not created)
};

/// The member's watermarks after an update, and whether they moved.
struct WatermarkResult {
  ChatMember member;
  bool moved = false;
  Cursor cursor = 0;  ///< the receipt update (0 when nothing moved)
  std::vector<UserId> members;
};

/// What a change to a chat's members or title did.
struct ChatChange {
  Chat chat;  ///< the chat after the change
  /// The records written into the chat's order (member_added, member_removed, member_left,
  /// chat_renamed), in seq order; each is also an update with cursor == message.id.
  std::vector<Message> messages;
  /// Users who joined: each also got a chat update (`added_cursors[i]` for `added[i]`).
  std::vector<UserId> added;
  std::vector<Cursor> added_cursors;
  /// Everyone to tell: the members after the change and those who just left or were removed
  /// (a removed member hears of their removal and of nothing after it).
  std::vector<UserId> notify;
};

enum class UpdateKind {
  message,  ///< a message, text or a record of a change (`message`)
  receipt,  ///< a member's watermarks moved (`chat_id`, `member`)
  chat,     ///< the user was added to a chat, or it was created with them (`chat`)
};

/// One entry of a user's update stream. A user's stream holds the updates of every chat while
/// they are a member of it: from the update that added them up to and including the one that
/// removed them.
struct Update {
  Cursor cursor = 0;
  UpdateKind kind = UpdateKind::message;
  ChatId chat_id = 0;
  Message message;    ///< kind message
  ChatMember member;  ///< kind receipt: the watermarks after the move
  Chat chat;          ///< kind chat: the chat as it is when read
};

struct UpdatePage {
  std::vector<Update> updates;  ///< in cursor order
  /// Where to continue from: the last update's cursor, or when `more` is false the newest
  /// position of the whole stream at the time of the read (so nothing before it is missed).
  Cursor cursor = 0;
  bool more = false;  ///< true when the page was cut at the limit
};

enum class HistoryDirection { before, after };
enum class HistoryOrder { newest_first, oldest_first };

struct HistoryQuery {
  ChatId chat_id = 0;
  /// Messages strictly before (or after) this seq; unset means from the newest end (for
  /// `before`) or from the oldest end (for `after`).
  std::optional<Seq> anchor;
  HistoryDirection direction = HistoryDirection::before;
  HistoryOrder order = HistoryOrder::newest_first;
  std::size_t limit = 50;
};

/// The write side of a store, valid for one transaction.
///
/// Each operation is atomic on its own: one that returns an error has changed nothing, and the
/// transaction can go on with the next operation. Nothing is durable until `commit` returns
/// success. Operations check what only the store can check (uniqueness, membership); callers
/// have validated sizes and formats before.
class WriteTransaction {
 public:
  virtual ~WriteTransaction() = default;

  /// Names are unique regardless of ASCII letter case and are kept as given.
  /// LIMITATION: letters outside ASCII are compared exactly ("É" and "é" are two names), as
  /// SQLite's NOCASE does. Errors: name_taken.
  virtual Result<User> create_user(std::string_view name, std::string_view password_hash,
                                   Timestamp now) = 0;
  virtual Result<SessionRecord> create_session(UserId user, std::string_view token_hash,
                                               std::string_view device, Timestamp now) = 0;
  /// Errors: not_found.
  virtual Result<void> delete_session(SessionId session) = 0;
  /// Removes every session of the user except `keep` (0 keeps none); returns the ids removed.
  virtual Result<std::vector<SessionId>> delete_sessions_of_user(UserId user,
                                                                 SessionId keep = 0) = 0;
  /// Errors: not_found.
  virtual Result<void> set_password_hash(UserId user, std::string_view password_hash) = 0;
  /// Stores `replacement` only while the hash is still `expected`, and says whether it did:
  /// a hash renewed at login must not undo a password change committed in between.
  virtual Result<bool> replace_password_hash(UserId user, std::string_view expected,
                                             std::string_view replacement) = 0;

  /// Returns the one direct chat of the two users, creating it the first time. `a` may equal
  /// `b` (a chat with oneself). Errors: not_found (no such user).
  virtual Result<DirectChatResult> open_direct_chat(UserId a, UserId b, Timestamp now) = 0;
  /// Creates a group with `creator` as owner and `members` (duplicates and the creator
  /// ignored); every member gets a chat update (`ChatChange::added`, creator included).
  /// Errors: not_found (a member does not exist).
  virtual Result<ChatChange> create_group_chat(UserId creator, std::string_view title,
                                               std::span<const UserId> members, Timestamp now) = 0;
  /// Adds users to a group; those already members are skipped. Errors: not_a_member (`by`),
  /// forbidden (`by` is not an admin or owner, or the chat is direct), not_found.
  virtual Result<ChatChange> add_members(ChatId chat, UserId by, std::span<const UserId> users,
                                         Timestamp now) = 0;
  /// Removes a member from a group. Errors: not_a_member (`by` or `user`), forbidden (`by` is
  /// not an admin or owner, `user` is the owner, or the chat is direct).
  virtual Result<ChatChange> remove_member(ChatId chat, UserId by, UserId user, Timestamp now) = 0;
  /// The user leaves a group; when the owner leaves, the longest-standing admin (else member)
  /// becomes owner. Errors: not_a_member, forbidden (a direct chat).
  virtual Result<ChatChange> leave_chat(ChatId chat, UserId user, Timestamp now) = 0;
  /// Errors: not_a_member, forbidden (not an admin or owner, or a direct chat).
  virtual Result<ChatChange> rename_chat(ChatId chat, UserId by, std::string_view title,
                                         Timestamp now) = 0;
  /// Records when the user's last connection closed. Errors: not_found.
  virtual Result<void> set_last_seen(UserId user, Timestamp when) = 0;

  /// Stores a message with the chat's next seq, and moves the sender's own watermarks to it.
  /// A second message with the same (sender, client_msg_id) in the same chat stores nothing and
  /// returns the first; in another chat it is a separate message. An empty client_msg_id is no
  /// key: such messages are always stored. Errors: not_a_member, not_found (no such chat).
  virtual Result<AppendResult> append_message(const NewMessage& message) = 0;

  /// Moves a member's watermarks forward, never back; values above the chat's last seq are
  /// clamped to it; seen also moves delivered up to it. Errors: not_a_member.
  virtual Result<WatermarkResult> advance_watermarks(ChatId chat, UserId user,
                                                     std::optional<Seq> delivered,
                                                     std::optional<Seq> seen) = 0;

  /// Makes every successful operation durable. Errors: storage_error (nothing was kept).
  virtual Result<void> commit() = 0;
};

/// The read side of a store. One reader is used by one thread at a time; open one per thread.
/// Readers see every transaction committed before the read began.
class StoreReader {
 public:
  virtual ~StoreReader() = default;

  /// Errors: not_found.
  virtual Result<User> get_user(UserId user) = 0;
  /// Matches regardless of ASCII letter case. Errors: not_found.
  virtual Result<User> find_user_by_name(std::string_view name) = 0;
  /// Errors: not_found.
  virtual Result<Credentials> get_credentials(std::string_view name) = 0;
  /// Errors: not_found (unknown or revoked token).
  virtual Result<SessionRecord> find_session(std::string_view token_hash) = 0;

  /// The chat with its members and their watermarks. Errors: not_found.
  virtual Result<Chat> get_chat(ChatId chat) = 0;
  /// Every chat the user is a member of, newest activity (last message, else creation) first.
  virtual Result<std::vector<ChatSummary>> list_chats(UserId user) = 0;
  /// A page of messages; `status` is left as `sent` for the caller to fill in.
  virtual Result<std::vector<Message>> history(const HistoryQuery& query) = 0;

  /// The user's updates after `after`, at most `limit`. `after` = 0 reads from the start of
  /// each membership. Errors: cursor_expired (`after` is beyond the newest position, e.g. a
  /// cursor from another database, or older than what the stream keeps).
  virtual Result<UpdatePage> updates_since(UserId user, Cursor after, std::size_t limit) = 0;
  /// Every user who shares at least one chat with `user`, without `user`.
  virtual Result<std::vector<UserId>> contacts(UserId user) = 0;
};

/// Where the server keeps its state. The server calls `begin_write` from one thread only (its
/// writer, which batches many requests into each transaction) and `open_reader` once per
/// reading thread. Implementations: SQLite (`open_sqlite_store`) and in memory
/// (`open_memory_store`, for tests and throwaway servers).
class Store {
 public:
  virtual ~Store() = default;
  /// Errors: storage_error; internal while another write transaction is still open.
  virtual Result<std::unique_ptr<WriteTransaction>> begin_write() = 0;
  virtual Result<std::unique_ptr<StoreReader>> open_reader() = 0;
};

/// How hard a commit works to survive power loss.
enum class Durability {
  full,    ///< fsync on every commit (SQLite synchronous=FULL); the default
  normal,  ///< survives a crash of the process, may lose the last commits on power loss
};

struct SqliteStoreOptions {
  std::string path;  ///< database file; created with its schema when missing
  Durability durability = Durability::full;
};

/// Opens (creating or migrating as needed) a SQLite store. The store runs one thread of its own
/// that copies the WAL back into the database file; it stops, and its connection closes, when
/// the last reference to the store and its transactions goes. Failures of that background work
/// go to `log`, tagged "store". Errors: storage_error.
Result<std::shared_ptr<Store>> open_sqlite_store(const SqliteStoreOptions& options,
                                                 LogOptions log = {});

/// A store that lives in memory and is gone when the last reference goes.
std::shared_ptr<Store> open_memory_store();

}  // namespace messenger
