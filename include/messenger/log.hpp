#pragma once

#include <functional>
#include <string_view>

namespace messenger {

enum class LogLevel { trace, debug, info, warn, error, off };

/// Where the library's log lines go. The library never prints by itself: without a sink it is
/// silent. `tag` names the subsystem ("transport", "protocol", "store", "server", "client",
/// "crypto"). Called from library threads, possibly several at once; must not block for long.
using LogSink = std::function<void(LogLevel level, std::string_view tag, std::string_view line)>;

struct LogOptions {
  LogSink sink;
  LogLevel level = LogLevel::info;
};

const char* to_string(LogLevel level) noexcept;
/// Parses "trace", "debug", "info", "warn", "error" or "off"; false when unknown.
bool parse_log_level(std::string_view text, LogLevel& out) noexcept;

}  // namespace messenger
