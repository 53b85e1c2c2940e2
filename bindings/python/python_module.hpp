#pragma once

// Shared by the files of the Python module: each binds one area of the C++ API into `_messenger`.

#include <pybind11/pybind11.h>

#include <chrono>

#include "messenger/client.hpp"
#include "messenger/error.hpp"
#include "messenger/log.hpp"
#include "messenger/result.hpp"

namespace messenger::python {

namespace py = pybind11;

void bind_errors(py::module_& m);
void bind_types(py::module_& m);
void bind_events(py::module_& m);
void bind_server(py::module_& m);
void bind_client(py::module_& m);

/// The exception instance for `error` (a subclass of `messenger.Error`), not raised. GIL held.
py::object error_object(const Error& error);
/// Raises `error` as its Python exception. GIL held.
[[noreturn]] void raise_error(const Error& error);

/// The value of `result`, or its error raised as a Python exception. GIL held.
template <typename T>
T unwrap(Result<T>&& result) {
  if (!result) raise_error(result.error());
  return std::move(result).value();
}
inline void unwrap(Result<void>&& result) {
  if (!result) raise_error(result.error());
}

/// An event as an instance of its Python class. GIL held.
py::object event_object(const ClientEvent& event);

/// Seconds as Python gives them (int or float) to the library's milliseconds; ValueError when
/// negative.
std::chrono::milliseconds to_milliseconds(double seconds, const char* what);
/// A level given as a name ("info") or a `LogLevel`; ValueError when unknown.
LogLevel to_log_level(const py::object& level);

}  // namespace messenger::python
