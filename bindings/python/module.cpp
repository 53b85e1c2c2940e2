#include <cmath>
#include <string>

#include "exit_registry.hpp"
#include "messenger/version.hpp"
#include "python_module.hpp"

namespace messenger::python {
namespace {

/// The longest duration an option accepts, so that the conversion to milliseconds cannot
/// overflow; about a year.
constexpr double kMaxSeconds = 365.0 * 24 * 3600;
constexpr double kMillisecondsPerSecond = 1000.0;

}  // namespace

std::chrono::milliseconds to_milliseconds(double seconds, const char* what) {
  if (!std::isfinite(seconds) || seconds < 0 || seconds > kMaxSeconds) {
    throw py::value_error(std::string(what) + " must be a number of seconds from 0 to " +
                          std::to_string(static_cast<long long>(kMaxSeconds)));
  }
  return std::chrono::milliseconds(std::llround(seconds * kMillisecondsPerSecond));
}

LogLevel to_log_level(const py::object& level) {
  if (!py::isinstance<py::str>(level)) return level.cast<LogLevel>();
  LogLevel parsed = LogLevel::info;
  auto name = level.cast<std::string>();
  if (!parse_log_level(name, parsed)) {
    throw py::value_error("unknown log level '" + name +
                          "': use trace, debug, info, warn, error or off");
  }
  return parsed;
}

}  // namespace messenger::python

PYBIND11_MODULE(_messenger, m) {
  using namespace messenger::python;
  m.doc() = "The compiled core of the `messenger` package; import `messenger` instead.";
  m.attr("__version__") = messenger::library_version();
  m.attr("PROTOCOL_VERSION") = messenger::kProtocolVersion;

  bind_errors(m);
  bind_types(m);
  bind_events(m);
  bind_server(m);
  bind_client(m);

  // Library threads must be joined while Python still runs (see ExitRegistry).
  m.def("_close_all", &ExitRegistry::close_all,
        "Closes every Server and Client still open; runs at interpreter exit.");
  py::module_::import("atexit").attr("register")(m.attr("_close_all"));
}
