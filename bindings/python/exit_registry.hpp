#pragma once

#include <functional>

namespace messenger::python {

/// The servers and clients alive in the interpreter, closed by an `atexit` hook: their library
/// threads must be joined while Python still runs, since a thread that calls a Python handler
/// after the interpreter has begun to shut down would be ended in the middle of the library.
/// Every function runs with the GIL held.
class ExitRegistry {
 public:
  static void add(const void* object, std::function<void()> close);
  static void remove(const void* object);
  /// Closes every object still registered; the `atexit` hook.
  static void close_all();
};

}  // namespace messenger::python
