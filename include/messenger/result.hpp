#pragma once

#include <cassert>
#include <optional>
#include <utility>
#include <variant>

#include "messenger/error.hpp"

namespace messenger {

/// Either a value or an `Error`. The library returns this for every operation that can fail in
/// an expected way; exceptions are kept for broken invariants.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}
  Result(Error error) : state_(std::move(error)) {}
  Result(Errc code, std::string message) : state_(Error{code, std::move(message)}) {}

  bool ok() const noexcept { return state_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(state_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(state_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(state_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const {
    assert(!ok());
    return std::get<1>(state_);
  }
  Errc code() const noexcept { return ok() ? Errc::ok : std::get<1>(state_).code; }

 private:
  std::variant<T, Error> state_;
};

/// `Result<void>`: success, or an `Error`.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)) {}
  Result(Errc code, std::string message) : error_(Error{code, std::move(message)}) {}

  bool ok() const noexcept { return !error_; }
  explicit operator bool() const noexcept { return ok(); }
  const Error& error() const {
    assert(!ok());
    return *error_;
  }
  Errc code() const noexcept { return ok() ? Errc::ok : error_->code; }

 private:
  std::optional<Error> error_;
};

}  // namespace messenger
