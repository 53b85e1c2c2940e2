#include "messenger/error.hpp"

#include <array>
#include <string_view>

namespace messenger {
namespace {

// Indexed by Errc; the wire names are part of the protocol.
constexpr std::array<const char*, 21> kWireNames = {
    "ok",
    "bad_request",
    "unsupported_version",
    "unknown_type",
    "unauthenticated",
    "invalid_credentials",
    "session_revoked",
    "name_taken",
    "invalid_name",
    "not_found",
    "not_a_member",
    "forbidden",
    "too_large",
    "rate_limited",
    "timeout",
    "disconnected",
    "protocol_error",
    "storage_error",
    "shutting_down",
    "cursor_expired",
    "internal",
};
static_assert(kWireNames.size() == static_cast<std::size_t>(Errc::internal) + 1);

class Category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "messenger"; }
  std::string message(int value) const override {
    if (value < 0 || static_cast<std::size_t>(value) >= kWireNames.size()) return "unknown";
    return kWireNames[static_cast<std::size_t>(value)];
  }
};

}  // namespace

const std::error_category& error_category() noexcept {
  static const Category category;
  return category;
}

const char* to_wire(Errc e) noexcept {
  auto index = static_cast<std::size_t>(e);
  return index < kWireNames.size() ? kWireNames[index] : "internal";
}

Errc errc_from_wire(std::string_view name) noexcept {
  for (std::size_t i = 0; i < kWireNames.size(); ++i) {
    if (name == kWireNames[i]) return static_cast<Errc>(i);
  }
  return Errc::internal;
}

}  // namespace messenger
