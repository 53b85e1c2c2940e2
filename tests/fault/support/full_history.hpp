#pragma once

#include <vector>

#include "messenger/client.hpp"

namespace messenger::test {

/// Every message of `chat`, oldest first, read page by page.
Result<std::vector<Message>> read_full_history(Client& client, ChatId chat);

}  // namespace messenger::test
