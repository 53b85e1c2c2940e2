#include "client/request_table.hpp"

namespace messenger {

protocol::RequestId RequestTable::add(std::chrono::milliseconds timeout, ReplyHandler on_reply) {
  auto id = next_id_++;
  auto deadline = std::make_unique<asio::steady_timer>(io_, timeout);
  deadline->async_wait([this, id](const asio::error_code& error) {
    // A cancelled deadline belongs to a request that was answered, possibly already gone.
    if (error) return;
    complete(id, Error{Errc::timeout, "no reply from the server in time"});
  });
  waiting_.emplace(id, Entry{std::move(on_reply), std::move(deadline)});
  return id;
}

bool RequestTable::complete(protocol::RequestId id, Result<protocol::ServerFrame> reply) {
  auto found = waiting_.find(id);
  if (found == waiting_.end()) return false;
  auto entry = std::move(found->second);
  waiting_.erase(found);
  entry.deadline->cancel();
  entry.on_reply(std::move(reply));
  return true;
}

void RequestTable::fail_all(const Error& error) {
  // Handlers may send new requests; those are not part of what fails here.
  auto failing = std::move(waiting_);
  waiting_.clear();
  for (auto& [id, entry] : failing) {
    entry.deadline->cancel();
    entry.on_reply(error);
  }
}

}  // namespace messenger
