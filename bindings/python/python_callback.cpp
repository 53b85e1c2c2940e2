#include "python_callback.hpp"

namespace messenger::python {
namespace {

thread_local const void* current_owner = nullptr;

}  // namespace

bool python_finalizing() noexcept {
#if PY_VERSION_HEX >= 0x030D0000
  return !Py_IsInitialized() || Py_IsFinalizing();
#else
  return !Py_IsInitialized() || _Py_IsFinalizing();
#endif
}

bool in_callback_of(const void* owner) noexcept {
  return owner && current_owner == owner;
}

CallbackScope::CallbackScope(const void* owner) noexcept : previous_(current_owner) {
  current_owner = owner;
}

CallbackScope::~CallbackScope() {
  current_owner = previous_;
}

void PythonCallback::set(py::object callable) {
  callable_ = callable.is_none() ? py::object() : std::move(callable);
  open_.store(static_cast<bool>(callable_));
}

void PythonCallback::clear() {
  open_.store(false);
  callable_ = py::object();
  last_error_ = py::object();
}

void PythonCallback::report(py::error_already_set& error) noexcept {
  last_error_ = error.value();
  try {
    auto logger = py::module_::import("logging").attr("getLogger")("messenger");
    logger.attr("error")("the %s raised an exception", what_, py::arg("exc_info") = error.value());
  } catch (py::error_already_set& unlogged) {
    // Logging itself failed (a broken handler of the host's logging): Python's last resort.
    unlogged.discard_as_unraisable(py::str(what_));
  }
}

}  // namespace messenger::python
