#pragma once

#include <vector>

#include "messenger.h"
#include "messenger/client.hpp"

struct msgr_client {
  explicit msgr_client(messenger::ClientOptions options)
      : client(std::move(options)) {}

  messenger::Client client;
};

namespace messenger::capi {

/// `count` ids from a C array that may be NULL when `count` is 0.
inline std::vector<UserId> id_list(const int64_t *ids, std::size_t count) {
  return count == 0 ? std::vector<UserId>{}
                    : std::vector<UserId>(ids, ids + count);
}

/// NULL and "" both mean "none" for optional strings.
inline std::string_view optional_text(const char *text) {
  return text ? std::string_view(text) : std::string_view();
}

}  // namespace messenger::capi
