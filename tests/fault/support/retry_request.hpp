#pragma once

#include <chrono>
#include <thread>

#include "messenger/result.hpp"

namespace messenger::test {

/// Tries a blocking request again while it fails only because the connection is down
/// (`disconnected`, `timeout`), as a host program would while its client reconnects. Meant for
/// requests that are safe to repeat. Returns the last result.
template <class Request>
auto retry_request(Request request, std::chrono::milliseconds limit = std::chrono::seconds(30))
    -> decltype(request()) {
  constexpr auto kPause = std::chrono::milliseconds(50);
  auto deadline = std::chrono::steady_clock::now() + limit;
  for (;;) {
    auto result = request();
    bool transient = result.code() == Errc::disconnected || result.code() == Errc::timeout;
    if (!transient || std::chrono::steady_clock::now() >= deadline) return result;
    std::this_thread::sleep_for(kPause);
  }
}

}  // namespace messenger::test
