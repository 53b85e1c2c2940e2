#include "python_log.hpp"

#include <string>

namespace messenger::python {
namespace {

// Python's logging has no trace level; one below DEBUG keeps trace lines apart.
constexpr int kPythonTrace = 5;
constexpr int kPythonDebug = 10;
constexpr int kPythonInfo = 20;
constexpr int kPythonWarning = 30;
constexpr int kPythonError = 40;

int python_level(LogLevel level) {
  switch (level) {
    case LogLevel::trace:
      return kPythonTrace;
    case LogLevel::debug:
      return kPythonDebug;
    case LogLevel::info:
      return kPythonInfo;
    case LogLevel::warn:
      return kPythonWarning;
    case LogLevel::error:
    case LogLevel::off:
      return kPythonError;
  }
  return kPythonError;
}

}  // namespace

std::shared_ptr<PythonCallback> make_log_callback(const void* owner) {
  auto callback = std::make_shared<PythonCallback>(owner, "log sink");
  callback->set(py::module_::import("logging").attr("getLogger"));
  return callback;
}

LogOptions python_log_options(std::shared_ptr<PythonCallback> callback, LogLevel level) {
  LogOptions options;
  options.level = level;
  options.sink = [callback](LogLevel line_level, std::string_view tag, std::string_view line) {
    callback->call([&](py::handle get_logger) {
      auto logger = get_logger("messenger." + std::string(tag));
      logger.attr("log")(python_level(line_level), "%s", std::string(line));
    });
  };
  return options;
}

}  // namespace messenger::python
