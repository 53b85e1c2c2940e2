#pragma once

#include <exception>
#include <initializer_list>
#include <new>
#include <string_view>
#include <utility>

#include "messenger.h"
#include "messenger/error.hpp"
#include "messenger/result.hpp"

// The exception firewall and error reporting every entry point of the C ABI
// goes through.
namespace messenger::capi {

/// The C code of a C++ code: the same failure, negated.
constexpr msgr_status to_status(Errc code) noexcept {
  return static_cast<msgr_status>(-static_cast<int>(code));
}

/// Records `message` as the calling thread's last error and returns `code` as a
/// C status.
msgr_status fail(Errc code, std::string_view message) noexcept;
msgr_status fail(const Error &error) noexcept;
/// MSGR_BAD_REQUEST for an invalid argument: "<function>: <message>".
msgr_status invalid(const char *function, std::string_view message) noexcept;

/// A pointer argument and its name, for `require`.
using Argument = std::pair<const void *, const char *>;

/// MSGR_BAD_REQUEST naming the first NULL argument, or MSGR_OK.
msgr_status require(const char *function,
                    std::initializer_list<Argument> arguments) noexcept;

msgr_status finish(const Result<void> &result) noexcept;

/// Runs `body`, turning every exception into a status so that none crosses into
/// C.
template <typename Body>
msgr_status guarded(Body &&body) noexcept {
  try {
    return std::forward<Body>(body)();
  } catch (const std::bad_alloc &) {
    return fail(Errc::internal, "out of memory");
  } catch (const std::exception &error) {
    return fail(Errc::internal, error.what());
  } catch (...) {
    return fail(Errc::internal, "unknown exception");
  }
}

/// Checks that the `required` pointer arguments are not NULL, then runs `body`
/// as above.
template <typename Body>
msgr_status guarded(const char *function,
                    std::initializer_list<Argument> required,
                    Body &&body) noexcept {
  if (auto status = require(function, required); status != MSGR_OK)
    return status;
  return guarded(std::forward<Body>(body));
}

/// Hands a successful result to the caller as a newly allocated `Box` (a C
/// struct that owns its strings), or records the error. `out` may be NULL when
/// the caller wants the effect only.
template <typename Box, typename T, typename View>
msgr_status deliver(const Result<T> &result, View **out) {
  if (!result) return fail(result.error());
  if (out) *out = new Box(*result);
  return MSGR_OK;
}

/// Sets an out-parameter to NULL first, so that a failing call leaves no stale
/// pointer.
template <typename T>
void clear(T **out) noexcept {
  if (out) *out = nullptr;
}

}  // namespace messenger::capi
