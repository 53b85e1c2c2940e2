#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "messenger/store.hpp"

namespace messenger {

struct MemoryChat {
  Chat chat;  ///< members ordered by user id, as the SQLite store returns them
  Timestamp last_activity = 0;
  std::vector<Message> messages;  ///< messages[seq - 1]: seqs have no gaps
  std::map<std::pair<UserId, std::string>, Seq> seq_by_client_msg_id;

  ChatMember* find_member(UserId user);
  const ChatMember* find_member(UserId user) const;
};

struct MemoryUser {
  User user;
  std::string password_hash;
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
  MessageId next_message_id = 1;
};

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
