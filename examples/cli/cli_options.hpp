#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "messenger/log.hpp"
#include "messenger/result.hpp"
#include "messenger/types.hpp"

namespace messenger::cli {

inline constexpr const char* kDefaultUrl = "ws://127.0.0.1:8080/ws";
inline constexpr const char* kDefaultDevice = "messenger-cli";
/// The environment variable that carries the password, so that it stays out of `ps`.
inline constexpr const char* kPasswordVariable = "MESSENGER_PASSWORD";
inline constexpr std::chrono::seconds kDefaultWaitTimeout{30};
inline constexpr std::chrono::hours kMaxWaitTimeout{24};
inline constexpr long kMaxReceiveCount = 1'000'000;

enum class Mode { interactive, send, receive, list_chats, help };

struct CliOptions {
  Mode mode = Mode::interactive;
  std::string url = kDefaultUrl;
  std::string user;
  std::optional<std::string> password;
  bool register_first = false;
  std::string device = kDefaultDevice;
  std::optional<LogLevel> log_level;  ///< library log lines to stderr, off when unset

  // --send-to
  std::string send_to;
  std::string message;
  std::string client_msg_id;
  std::optional<MessageStatus> wait_status;

  // --receive
  long receive_count = 0;
  bool mark_seen = false;

  /// Bound of every wait for events in the non-interactive modes.
  std::chrono::milliseconds timeout = kDefaultWaitTimeout;
};

/// Reads the command line. `password_from_env` (MESSENGER_PASSWORD, may be null) is used when
/// `--password` is absent. Errors are `bad_request` with a message naming the option.
Result<CliOptions> parse_cli_options(int argc, const char* const* argv,
                                     const char* password_from_env);

/// The text `--help` prints.
const char* usage_text() noexcept;

}  // namespace messenger::cli
