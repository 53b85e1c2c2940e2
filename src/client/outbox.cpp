#include "client/outbox.hpp"

#include <algorithm>

namespace messenger {

Outbox::Outbox(ClientStore* store, std::vector<OutboxEntry> saved, const Logger& log)
    : store_(store), log_(log), entries_(saved.begin(), saved.end()) {}

bool Outbox::push(OutboxEntry entry) {
  std::lock_guard lock(mutex_);
  auto same_id = [&](const OutboxEntry& queued) {
    return queued.client_msg_id == entry.client_msg_id;
  };
  if (std::any_of(entries_.begin(), entries_.end(), same_id)) return false;
  // Under the lock, so that the file keeps the order of the queue.
  if (store_) {
    if (auto saved = store_->add_to_outbox(entry); !saved) {
      log_.error("a queued message is kept in memory only: {}", saved.error().message);
    }
  }
  entries_.push_back(std::move(entry));
  return true;
}

std::optional<OutboxEntry> Outbox::front() const {
  std::lock_guard lock(mutex_);
  if (entries_.empty()) return std::nullopt;
  return entries_.front();
}

void Outbox::remove(const std::string& client_msg_id) {
  std::lock_guard lock(mutex_);
  auto found = std::find_if(entries_.begin(), entries_.end(), [&](const OutboxEntry& queued) {
    return queued.client_msg_id == client_msg_id;
  });
  if (found == entries_.end()) return;
  entries_.erase(found);
  if (store_) {
    if (auto removed = store_->remove_from_outbox(client_msg_id); !removed) {
      // It is sent again after a restart, and the server answers it as a duplicate.
      log_.warn("{}", removed.error().message);
    }
  }
}

std::vector<OutboxEntry> Outbox::take_all() {
  std::lock_guard lock(mutex_);
  std::vector<OutboxEntry> taken(entries_.begin(), entries_.end());
  entries_.clear();
  if (store_) {
    if (auto cleared = store_->clear_outbox(); !cleared) log_.warn("{}", cleared.error().message);
  }
  return taken;
}

std::size_t Outbox::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

}  // namespace messenger
