#pragma once

#include <memory>

#include "messenger/store.hpp"
#include "store/memory/memory_state.hpp"

namespace messenger {

/// Reads the committed state of a memory store, each call under the store's mutex.
class MemoryReader final : public StoreReader {
 public:
  explicit MemoryReader(std::shared_ptr<MemoryShared> shared);

  Result<User> get_user(UserId user) override;
  Result<User> find_user_by_name(std::string_view name) override;
  Result<Credentials> get_credentials(std::string_view name) override;
  Result<SessionRecord> find_session(std::string_view token_hash) override;
  Result<Chat> get_chat(ChatId chat) override;
  Result<std::vector<ChatSummary>> list_chats(UserId user) override;
  Result<std::vector<Message>> history(const HistoryQuery& query) override;
  Result<UpdatePage> updates_since(UserId user, Cursor after, std::size_t limit) override;
  Result<std::vector<UserId>> contacts(UserId user) override;

 private:
  const MemoryUser* find_by_name(std::string_view name) const;

  std::shared_ptr<MemoryShared> shared_;
  const MemoryState& state_;
};

}  // namespace messenger
