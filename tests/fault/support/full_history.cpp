#include "fault/support/full_history.hpp"

namespace messenger::test {
namespace {

constexpr std::size_t kPage = 200;
// Bounds the walk: far more pages than any test writes.
constexpr int kMaxPages = 1000;

}  // namespace

Result<std::vector<Message>> read_full_history(Client& client, ChatId chat) {
  std::vector<Message> all;
  for (int page = 0; page < kMaxPages; ++page) {
    HistoryQuery query;
    query.chat_id = chat;
    query.direction = HistoryDirection::after;
    query.order = HistoryOrder::oldest_first;
    query.limit = kPage;
    if (!all.empty()) query.anchor = all.back().seq;
    auto messages = client.history(query);
    if (!messages) return messages.error();
    all.insert(all.end(), messages->begin(), messages->end());
    if (messages->size() < kPage) return all;
  }
  return Error{Errc::internal, "history did not end within the page bound"};
}

}  // namespace messenger::test
