#include <memory>

#include "messenger/store.hpp"
#include "store/memory/memory_reader.hpp"
#include "store/memory/memory_state.hpp"
#include "store/memory/memory_write_transaction.hpp"

namespace messenger {
namespace {

class MemoryStore final : public Store {
 public:
  Result<std::unique_ptr<WriteTransaction>> begin_write() override {
    if (shared_->writing.exchange(true)) {
      return Error{Errc::internal, "a write transaction is already open on this store"};
    }
    return std::unique_ptr<WriteTransaction>(std::make_unique<MemoryWriteTransaction>(shared_));
  }

  Result<std::unique_ptr<StoreReader>> open_reader() override {
    return std::unique_ptr<StoreReader>(std::make_unique<MemoryReader>(shared_));
  }

 private:
  std::shared_ptr<MemoryShared> shared_ = std::make_shared<MemoryShared>();
};

}  // namespace

std::shared_ptr<Store> open_memory_store() {
  return std::make_shared<MemoryStore>();
}

}  // namespace messenger
