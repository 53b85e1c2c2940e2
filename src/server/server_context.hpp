#pragma once

#include <atomic>
#include <chrono>

#include "log/logger.hpp"
#include "messenger/crypto.hpp"
#include "messenger/limits.hpp"
#include "server/clock.hpp"
#include "server/commit_queue.hpp"
#include "server/presence_table.hpp"
#include "server/read_pool.hpp"
#include "server/session_registry.hpp"

namespace messenger {

/// What the parts of a running server share. Owned by the server; outlives every session.
struct ServerContext {
  Limits limits;
  Logger log;
  Crypto& crypto;
  CommitQueue& writes;
  ReadPool& reads;
  SessionRegistry& registry;
  PresenceTable& presence;
  std::atomic<bool> stopping{false};
  /// The time for every service; a simulation puts its own clock here.
  const Clock* clock = &real_clock();
};

}  // namespace messenger
