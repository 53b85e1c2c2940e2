#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "messenger/result.hpp"
#include "messenger/types.hpp"

namespace messenger::bench {

/// The accounts and chats a scenario starts from, written straight into the SQLite file
/// through the store API before the server opens it. Creating them over the wire would spend
/// minutes in Argon2id, which is not what the scenarios measure.
struct SeedPlan {
  std::string database_path;
  int users = 0;
  /// Users 2k and 2k+1 share a direct chat.
  bool pair_users = false;
  /// `group_count` groups of `group_size` consecutive users each (group g holds users
  /// g * group_size onwards), owned by their first member, or by `group_owner` when set.
  int group_count = 0;
  int group_size = 0;
  int group_owner = -1;
  /// User 0 also shares a direct chat with each of users 1 to `hub_chats`.
  int hub_chats = 0;
  /// Every user gets a session whose token is `bench_token(index)`.
  bool sessions = true;
  /// The Argon2id string every user's password is stored as (see `bench_password`).
  std::string password_hash;
};

struct SeededWorld {
  std::vector<UserId> user_ids;    ///< by user index
  std::vector<ChatId> pair_chats;  ///< by pair index
  std::vector<ChatId> groups;
  std::vector<ChatId> hub_chats;  ///< user 0's direct chat with user i + 1
};

/// The token of user `index`'s seeded session.
std::string bench_token(int index);
/// The password of every seeded user.
const char* bench_password();
/// User `index`'s name.
std::string bench_user_name(int index);

Result<SeededWorld> seed_store(const SeedPlan& plan);

}  // namespace messenger::bench
