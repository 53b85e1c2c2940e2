#pragma once

#include <pybind11/pybind11.h>

#include <atomic>
#include <exception>
#include <string>
#include <utility>

namespace messenger::python {

namespace py = pybind11;

/// True once the interpreter has begun to shut down: library threads must not touch Python then
/// (taking the GIL would end the thread in the middle of the library).
bool python_finalizing() noexcept;

/// True while the calling thread runs Python code on behalf of `owner` (its event handler or its
/// log sink). The owner's blocking calls would then wait on the very thread that serves them,
/// and its destruction would join the thread it runs on.
bool in_callback_of(const void* owner) noexcept;

/// Marks the calling thread as running a callback of `owner` for the scope's lifetime.
class CallbackScope {
 public:
  explicit CallbackScope(const void* owner) noexcept;
  ~CallbackScope();
  CallbackScope(const CallbackScope&) = delete;
  CallbackScope& operator=(const CallbackScope&) = delete;

 private:
  const void* previous_;
};

/// A Python callable that library threads call, such as an event handler or a log sink.
///
/// `set` and `clear` run with the GIL held; `call` runs on a library thread without it and takes
/// it. After `clear`, no call reaches Python, even one that was already waiting for the GIL,
/// since the GIL orders it behind `clear`. An exception raised by the callable stays in Python:
/// it is kept (`last_error`) and logged to the `messenger` logger, so the library thread goes on.
class PythonCallback {
 public:
  /// `owner` marks the calling thread while the callable runs (see `in_callback_of`); `what`
  /// names the callable in the log line of an exception it raises.
  PythonCallback(const void* owner, std::string what) : owner_(owner), what_(std::move(what)) {}
  PythonCallback(const PythonCallback&) = delete;
  PythonCallback& operator=(const PythonCallback&) = delete;

  /// Replaces the callable; None stops the calls. GIL held.
  void set(py::object callable);
  /// Forgets the callable and the last error. GIL held.
  void clear();
  /// The last exception the callable raised, or None. GIL held.
  py::object last_error() const { return last_error_ ? last_error_ : py::none(); }

  /// Runs `invoke(callable)` under the GIL if a callable is set. From any thread without the
  /// GIL.
  template <typename Invoke>
  void call(Invoke&& invoke) noexcept {
    if (!open_.load() || python_finalizing()) return;
    py::gil_scoped_acquire gil;
    if (!callable_) return;
    CallbackScope scope(owner_);
    // A callable that replaces itself must stay alive until it returns.
    py::object callable = callable_;
    try {
      invoke(callable);
    } catch (py::error_already_set& error) {
      report(error);
    } catch (const std::exception& error) {
      // Raised while converting the library's values for Python.
      PyErr_SetString(PyExc_RuntimeError, error.what());
      py::error_already_set raised;
      report(raised);
    }
  }

 private:
  void report(py::error_already_set& error) noexcept;

  const void* owner_;
  std::string what_;
  std::atomic<bool> open_{false};  // lets a library thread skip the GIL once closed
  py::object callable_;            // guarded by the GIL
  py::object last_error_;          // guarded by the GIL
};

}  // namespace messenger::python
