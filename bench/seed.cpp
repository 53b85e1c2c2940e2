#include "seed.hpp"

#include <algorithm>

#include "messenger/crypto.hpp"
#include "messenger/store.hpp"

namespace messenger::bench {
namespace {

// Seeding is setup, not measurement; one transaction per chunk keeps memory flat.
constexpr int kUsersPerTransaction = 5'000;

Result<void> commit_and_reopen(Store& store, std::unique_ptr<WriteTransaction>& write) {
  if (auto committed = write->commit(); !committed) return committed.error();
  write.reset();
  auto next = store.begin_write();
  if (!next) return next.error();
  write = std::move(*next);
  return {};
}

}  // namespace

std::string bench_token(int index) {
  return "bench-session-token-" + std::to_string(index);
}

const char* bench_password() {
  return "bench password";
}

std::string bench_user_name(int index) {
  return "u" + std::to_string(index);
}

Result<SeededWorld> seed_store(const SeedPlan& plan) {
  auto store = open_sqlite_store({.path = plan.database_path, .durability = Durability::normal});
  if (!store) return store.error();
  auto crypto = make_sodium_crypto();
  auto write = (*store)->begin_write();
  if (!write) return write.error();

  SeededWorld world;
  for (int i = 0; i < plan.users; ++i) {
    auto user = (*write)->create_user(bench_user_name(i), plan.password_hash, 1);
    if (!user) return user.error();
    world.user_ids.push_back(user->id);
    if (plan.sessions) {
      auto session =
          (*write)->create_session(user->id, crypto->hash_token(bench_token(i)), "bench", 1);
      if (!session) return session.error();
    }
    if ((i + 1) % kUsersPerTransaction == 0) {
      if (auto next = commit_and_reopen(**store, *write); !next) return next.error();
    }
  }
  if (plan.pair_users) {
    for (int i = 0; i + 1 < plan.users; i += 2) {
      auto chat = (*write)->open_direct_chat(world.user_ids[i], world.user_ids[i + 1], 1);
      if (!chat) return chat.error();
      world.pair_chats.push_back(chat->chat.id);
    }
  }
  for (int g = 0; g < plan.group_count; ++g) {
    const int first = g * plan.group_size;
    const int last = std::min(first + plan.group_size, plan.users);
    const int owner = plan.group_owner >= 0 ? plan.group_owner : first;
    std::vector<UserId> members(world.user_ids.begin() + first, world.user_ids.begin() + last);
    auto group = (*write)->create_group_chat(world.user_ids[owner], "bench", members, 1);
    if (!group) return group.error();
    world.groups.push_back(group->chat.id);
  }
  for (int i = 1; i <= plan.hub_chats && i < plan.users; ++i) {
    auto chat = (*write)->open_direct_chat(world.user_ids[0], world.user_ids[i], 1);
    if (!chat) return chat.error();
    world.hub_chats.push_back(chat->chat.id);
  }
  if (auto committed = (*write)->commit(); !committed) return committed.error();
  return world;
}

}  // namespace messenger::bench
