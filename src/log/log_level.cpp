#include <string_view>

#include "messenger/log.hpp"

namespace messenger {

const char* to_string(LogLevel level) noexcept {
  switch (level) {
    case LogLevel::trace:
      return "trace";
    case LogLevel::debug:
      return "debug";
    case LogLevel::info:
      return "info";
    case LogLevel::warn:
      return "warn";
    case LogLevel::error:
      return "error";
    case LogLevel::off:
      return "off";
  }
  return "info";
}

bool parse_log_level(std::string_view text, LogLevel& out) noexcept {
  for (auto level : {LogLevel::trace, LogLevel::debug, LogLevel::info, LogLevel::warn,
                     LogLevel::error, LogLevel::off}) {
    if (text == to_string(level)) {
      out = level;
      return true;
    }
  }
  return false;
}

}  // namespace messenger
