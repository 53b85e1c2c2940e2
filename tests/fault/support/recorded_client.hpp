#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "fault/support/event_record.hpp"
#include "messenger/client.hpp"

namespace messenger::test {

/// Client options for tests under faults: reconnects come quickly, so that a test's time goes
/// to the faults rather than to waiting out a backoff meant for phones.
ClientOptions quick_reconnect_options(const std::string& url);

/// A client and the record of its events, attached before it logged in.
struct RecordedClient {
  std::unique_ptr<Client> client;
  std::unique_ptr<EventRecord> record;
  std::string token;  ///< the session's, to resume it elsewhere

  Client* operator->() const { return client.get(); }
  std::vector<ClientEvent> events() const { return record->events(); }
  /// Waits until the client has caught up after logging in (`syncing`, then `connected`)
  /// `times` times in all.
  bool wait_caught_up(std::size_t times = 1,
                      std::chrono::milliseconds limit = std::chrono::seconds(30)) const;
};

// Each throws std::runtime_error when the server refuses; passwords are `password_of(name)`.
RecordedClient register_recorded(const ClientOptions& options, const std::string& name);
RecordedClient login_recorded(const ClientOptions& options, const std::string& name);
RecordedClient resume_recorded(const ClientOptions& options, const std::string& token);

}  // namespace messenger::test
