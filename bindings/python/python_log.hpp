#pragma once

#include <memory>

#include "messenger/log.hpp"
#include "python_callback.hpp"

namespace messenger::python {

/// A log callback that hands the library's lines to Python's `logging`, on the logger
/// `messenger.<tag>` ("messenger.server", "messenger.client", ...). GIL held.
std::shared_ptr<PythonCallback> make_log_callback(const void* owner);

/// Log options whose sink is `callback`, at `level`. The sink runs on library threads and takes
/// the GIL for each line at or above `level`.
LogOptions python_log_options(std::shared_ptr<PythonCallback> callback, LogLevel level);

}  // namespace messenger::python
