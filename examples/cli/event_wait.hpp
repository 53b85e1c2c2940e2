#pragma once

#include <chrono>
#include <functional>

#include "messenger/client.hpp"

namespace messenger::cli {

/// Handles one event; returns true when the wait is over.
using EventStep = std::function<Result<bool>(const ClientEvent& event)>;

/// Polls the client's events and hands each to `step` until it returns true, fails, or the
/// connection drops (error `disconnected`), or `timeout` passes (error `timeout`, whose
/// message the caller replaces with what it waited for).
Result<void> wait_for_events(Client& client, std::chrono::milliseconds timeout,
                             const EventStep& step);

}  // namespace messenger::cli
