#pragma once

#include <cstdint>
#include <string_view>

namespace messenger::transport {

/// Checks UTF-8 (RFC 3629) incrementally: a text message may arrive in pieces split anywhere,
/// even inside a code point, and an invalid byte must be caught as soon as it is seen, not when
/// the message is complete. Overlong forms, surrogates and code points past U+10FFFF fail.
class Utf8Validator {
 public:
  /// False at the first byte that cannot be part of valid UTF-8; the validator then stays failed.
  bool feed(std::string_view bytes) noexcept;
  /// True when the bytes fed so far end on a code point boundary (and none was invalid).
  bool complete() const noexcept { return !failed_ && pending_ == 0; }
  bool failed() const noexcept { return failed_; }
  void reset() noexcept { *this = Utf8Validator{}; }

 private:
  bool accept_lead(std::uint8_t byte) noexcept;

  std::uint8_t pending_ = 0;   // continuation bytes still expected
  std::uint8_t lower_ = 0x80;  // range of the next continuation byte, narrowed after some
  std::uint8_t upper_ = 0xBF;  // leads to exclude overlong forms, surrogates and > U+10FFFF
  bool failed_ = false;
};

/// Whole-string check, for close reasons and tests.
bool is_valid_utf8(std::string_view bytes) noexcept;

}  // namespace messenger::transport
