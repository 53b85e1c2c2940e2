#pragma once

#include <fmt/format.h>

#include <string>
#include <utility>

#include "messenger/log.hpp"

namespace messenger {

/// The library's side of logging: a sink given by the host, a level checked before anything is
/// formatted, and the subsystem's tag.
class Logger {
 public:
  Logger() = default;
  Logger(LogOptions options, std::string tag)
      : options_(std::move(options)), tag_(std::move(tag)) {}

  bool enabled(LogLevel level) const {
    return options_.sink && level >= options_.level && level != LogLevel::off;
  }

  template <typename... Args>
  void log(LogLevel level, fmt::format_string<Args...> format, Args&&... args) const {
    if (!enabled(level)) return;
    options_.sink(level, tag_, fmt::format(format, std::forward<Args>(args)...));
  }

  template <typename... Args>
  void trace(fmt::format_string<Args...> format, Args&&... args) const {
    log(LogLevel::trace, format, std::forward<Args>(args)...);
  }
  template <typename... Args>
  void debug(fmt::format_string<Args...> format, Args&&... args) const {
    log(LogLevel::debug, format, std::forward<Args>(args)...);
  }
  template <typename... Args>
  void info(fmt::format_string<Args...> format, Args&&... args) const {
    log(LogLevel::info, format, std::forward<Args>(args)...);
  }
  template <typename... Args>
  void warn(fmt::format_string<Args...> format, Args&&... args) const {
    log(LogLevel::warn, format, std::forward<Args>(args)...);
  }
  template <typename... Args>
  void error(fmt::format_string<Args...> format, Args&&... args) const {
    log(LogLevel::error, format, std::forward<Args>(args)...);
  }

  const LogOptions& options() const { return options_; }

 private:
  LogOptions options_;
  std::string tag_;
};

}  // namespace messenger
