#pragma once

#include <asio/io_context.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "load_connection.hpp"

namespace messenger::bench {

using Clock = std::chrono::steady_clock;

/// Runs `io` on this thread until `done()` holds or `deadline` passes; returns `done()`.
bool run_until(asio::io_context& io, const std::function<bool()>& done, Clock::time_point deadline);

enum class LoginKind {
  resume,    ///< the seeded session's token
  password,  ///< name and password: Argon2id on the server
  none,      ///< only the WebSocket (for the echo server, which speaks no protocol)
};

struct OpenPlan {
  std::string url;
  std::vector<int> users;  ///< user indices, one connection each
  LoginKind login = LoginKind::resume;
  int in_flight = 200;  ///< handshakes + logins under way at once
  std::chrono::seconds limit{120};
};

struct OpenOutcome {
  /// By position in `OpenPlan::users`; nullptr where the session did not reach ready.
  std::vector<std::shared_ptr<LoadConnection>> connections;
  std::vector<double> ready_ms;  ///< from starting the connect to the login's reply
  int ready = 0;
  int errors = 0;
  double seconds = 0;
};

/// Opens a connection per user, says hello and logs in, with at most `in_flight` at once.
OpenOutcome open_sessions(asio::io_context& io, Transport& transport, const OpenPlan& plan);

}  // namespace messenger::bench
