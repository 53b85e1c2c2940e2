#include "transport/utf8_validator.hpp"

#include <cstring>

namespace messenger::transport {
namespace {

constexpr std::uint8_t kContinuationLow = 0x80;
constexpr std::uint8_t kContinuationHigh = 0xBF;
constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;

// Skips a run of ASCII eight bytes at a time: most chat text is mostly ASCII.
std::size_t ascii_prefix(const unsigned char* data, std::size_t size) noexcept {
  std::size_t i = 0;
  for (; i + sizeof(std::uint64_t) <= size; i += sizeof(std::uint64_t)) {
    std::uint64_t word;
    std::memcpy(&word, data + i, sizeof(word));
    if (word & kHighBits) break;
  }
  while (i < size && data[i] < 0x80)
    ++i;
  return i;
}

}  // namespace

bool Utf8Validator::accept_lead(std::uint8_t byte) noexcept {
  lower_ = kContinuationLow;
  upper_ = kContinuationHigh;
  if (byte < 0x80) return true;
  if (byte >= 0xC2 && byte <= 0xDF) {
    pending_ = 1;
  } else if (byte >= 0xE0 && byte <= 0xEF) {
    pending_ = 2;
    if (byte == 0xE0) lower_ = 0xA0;  // below: overlong
    if (byte == 0xED) upper_ = 0x9F;  // above: UTF-16 surrogates
  } else if (byte >= 0xF0 && byte <= 0xF4) {
    pending_ = 3;
    if (byte == 0xF0) lower_ = 0x90;  // below: overlong
    if (byte == 0xF4) upper_ = 0x8F;  // above: past U+10FFFF
  } else {
    failed_ = true;  // a stray continuation byte, C0/C1 (overlong) or F5..FF
  }
  return !failed_;
}

bool Utf8Validator::feed(std::string_view bytes) noexcept {
  if (failed_) return false;
  const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
  std::size_t i = 0;
  while (i < bytes.size()) {
    if (pending_ == 0) {
      i += ascii_prefix(data + i, bytes.size() - i);
      if (i == bytes.size()) break;
      if (!accept_lead(data[i++])) break;
      continue;
    }
    std::uint8_t byte = data[i++];
    if (byte < lower_ || byte > upper_) {
      failed_ = true;
      break;
    }
    lower_ = kContinuationLow;
    upper_ = kContinuationHigh;
    --pending_;
  }
  return !failed_;
}

bool is_valid_utf8(std::string_view bytes) noexcept {
  Utf8Validator validator;
  return validator.feed(bytes) && validator.complete();
}

}  // namespace messenger::transport
