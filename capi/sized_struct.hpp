#pragma once

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <type_traits>

#include "status.hpp"

// Structs passed in start with `size_t size` and only grow at the end: a caller
// built against an older header passes a smaller size, and the fields it does
// not know keep their defaults.
namespace messenger::capi {

/// Whether `size` is one this library can read for `T`: at least the first
/// version's size
/// (`first_size`), at most the current one. A larger size comes from a newer
/// header whose fields this library would silently ignore, so it is refused.
template <typename T>
bool known_size(std::size_t size, std::size_t first_size) noexcept {
  return size >= first_size && size <= sizeof(T);
}

/// Writes the first `size` bytes of `defaults` to `out` and sets its size
/// field.
template <typename T>
msgr_status init_sized(const char *function, T *out, std::size_t size,
                       std::size_t first_size, T defaults) noexcept {
  static_assert(std::is_trivially_copyable_v<T>);
  if (!out) return invalid(function, "the struct must not be NULL");
  if (!known_size<T>(size, first_size))
    return invalid(function, "unknown struct size");
  defaults.size = size;
  std::memcpy(static_cast<void *>(out), &defaults, size);
  return MSGR_OK;
}

/// Copies the caller's struct, up to its own size, over `into` (which holds the
/// defaults); false when its size is unknown.
template <typename T>
bool read_sized(const T &in, std::size_t first_size, T &into) noexcept {
  static_assert(std::is_trivially_copyable_v<T>);
  if (!known_size<T>(in.size, first_size)) return false;
  std::memcpy(static_cast<void *>(&into), &in, in.size);
  return true;
}

/// Whether an enum the caller filled in holds one of `first`..`last`. C lets
/// any int sit there, which C++ may not even load as the enum type (its range
/// can be narrower: undefined behaviour), so the bytes are read as the
/// underlying integer.
template <typename Enum>
bool enum_in_range(const Enum &field, Enum first, Enum last) noexcept {
  std::underlying_type_t<Enum> value;
  std::memcpy(&value, &field, sizeof value);
  return value >= static_cast<std::underlying_type_t<Enum>>(first) &&
         value <= static_cast<std::underlying_type_t<Enum>>(last);
}

}  // namespace messenger::capi
