#include "log_bridge.hpp"

#include <string>

namespace messenger::capi {
namespace {

static_assert(static_cast<int>(LogLevel::off) == MSGR_LOG_OFF);

}  // namespace

LogOptions make_log_options(msgr_log_level level, msgr_log_fn callback,
                            void *user_data) {
  LogOptions out;
  out.level = static_cast<LogLevel>(level);
  if (!callback) return out;
  out.sink = [callback, user_data](LogLevel line_level, std::string_view tag,
                                   std::string_view line) {
    // Called on library threads, where an exception has nowhere to go: a line
    // that cannot be copied (out of memory) is dropped.
    try {
      std::string tag_text(tag);
      std::string line_text(line);
      callback(user_data, static_cast<msgr_log_level>(line_level),
               tag_text.c_str(), line_text.c_str());
    } catch (...) {
    }
  };
  return out;
}

}  // namespace messenger::capi
