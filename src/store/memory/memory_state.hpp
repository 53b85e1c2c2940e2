#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "messenger/store.hpp"
#include "store/update_stream.hpp"

namespace messenger {

/// One of a chat's updates, which its members read while they are members.
struct MemoryUpdate {
  Cursor cursor = 0;
  UpdateKind kind = UpdateKind::message;
  Seq seq = 0;           ///< kind message
  UserId member_id = 0;  ///< kind receipt, with the watermarks after the move
  Seq delivered_seq = 0;
  Seq seen_seq = 0;
};

struct MemoryChat {
  Chat chat;  ///< members ordered by user id, as the SQLite store returns them
  Timestamp last_activity = 0;
  std::vector<Message> messages;  ///< messages[seq - 1]: seqs have no gaps
  std::map<std::pair<UserId, std::string>, Seq> seq_by_client_msg_id;
  std::vector<MemoryUpdate> updates;  ///< in cursor order

  ChatMember* find_member(UserId user);
  const ChatMember* find_member(UserId user) const;
};

/// A stretch of a user's membership of a chat, from the update that began it to the one that
/// ended it (both included).
struct MemoryMembership {
  ChatId chat_id = 0;
  Cursor first = 0;
  Cursor last = kOpenEnd;
};

/// A chat update addressed to one user.
struct MemoryChatUpdate {
  Cursor cursor = 0;
  ChatId chat_id = 0;
};

struct MemoryUser {
  User user;
  std::string password_hash;
  std::vector<MemoryMembership> memberships;   ///< in the order they began
  std::vector<MemoryChatUpdate> chat_updates;  ///< in cursor order
};

struct MemorySession {
  SessionRecord record;
  std::string token_hash;
};

/// Everything a memory store holds. Plain values, so a copy is a snapshot.
struct MemoryState {
  std::map<UserId, MemoryUser> users;
  std::map<std::string, UserId, std::less<>> user_by_name;  ///< keyed by `name_key`
  std::map<SessionId, MemorySession> sessions;
  std::map<std::string, SessionId, std::less<>> session_by_token_hash;
  std::map<ChatId, MemoryChat> chats;
  std::map<std::pair<UserId, UserId>, ChatId> direct_chats;  ///< keyed by (lower, higher) id
  std::map<UserId, std::set<ChatId>> chats_of_user;
  UserId next_user_id = 1;
  SessionId next_session_id = 1;
  ChatId next_chat_id = 1;
  Cursor next_cursor = 1;  ///< message ids are cursors too
  Cursor pruned_through = 0;
};

// Changes to a state that keep its parts in agreement. Each is replayed on the committed state
// exactly as it ran on the working one, so it may only depend on the state and its arguments.

/// Stores `message` as the chat's next one, with the next cursor as its id, and moves the
/// sender's watermarks to it; returns it as stored.
const Message& store_message(MemoryState& state, Message message);
/// Makes `member` (with its role and watermarks) a member of `chat` from the update `first`.
void start_membership(MemoryState& state, ChatId chat, const ChatMember& member, Cursor first);
/// Ends `user`'s membership of `chat` at the update `last`.
void end_membership(MemoryState& state, ChatId chat, UserId user, Cursor last);
/// Appends a chat update: to the chat's members, or to `addressee` alone. Returns its cursor.
Cursor add_chat_update(MemoryState& state, ChatId chat, std::optional<UserId> addressee);

/// A change made by a write transaction, applied first to the writer's working state and, on
/// commit, to the committed one.
using MemoryChange = std::function<void(MemoryState&)>;

/// What a memory store's readers and its writer share. Readers see `committed` only, under
/// `mutex`; the writer works on `working`, which no one else touches, and replays its changes
/// onto `committed` when it commits.
struct MemoryShared {
  std::mutex mutex;
  MemoryState committed;
  MemoryState working;
  std::atomic<bool> writing{false};
};

/// The form a user name is looked up and kept unique in: ASCII letters folded to lower case,
/// like SQLite's NOCASE, so both stores agree on which names collide.
std::string name_key(std::string_view name);

}  // namespace messenger
