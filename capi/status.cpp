#include "status.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <type_traits>

#include "messenger/version.hpp"

namespace messenger::capi {
namespace {

/// Longest last-error message kept; longer ones are cut. A fixed buffer, so
/// that reporting an error never allocates (and never fails while out of
/// memory).
constexpr std::size_t kLastErrorCapacity = 512;

thread_local char last_error[kLastErrorCapacity] = "";

/// The length of `text` cut to `capacity` bytes without splitting a UTF-8
/// sequence.
std::size_t utf8_prefix(std::string_view text, std::size_t capacity) {
  if (text.size() <= capacity) return text.size();
  std::size_t end = capacity;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80)
    --end;
  return end;
}

void set_last_error(std::string_view message) noexcept {
  std::size_t length = utf8_prefix(message, kLastErrorCapacity - 1);
  std::memcpy(last_error, message.data(), length);
  last_error[length] = '\0';
}

// The C codes are the C++ codes negated; these pin the table so that the two
// never drift.
static_assert(to_status(Errc::ok) == MSGR_OK);
static_assert(to_status(Errc::bad_request) == MSGR_BAD_REQUEST);
static_assert(to_status(Errc::unsupported_version) == MSGR_UNSUPPORTED_VERSION);
static_assert(to_status(Errc::unknown_type) == MSGR_UNKNOWN_TYPE);
static_assert(to_status(Errc::unauthenticated) == MSGR_UNAUTHENTICATED);
static_assert(to_status(Errc::invalid_credentials) == MSGR_INVALID_CREDENTIALS);
static_assert(to_status(Errc::session_revoked) == MSGR_SESSION_REVOKED);
static_assert(to_status(Errc::name_taken) == MSGR_NAME_TAKEN);
static_assert(to_status(Errc::invalid_name) == MSGR_INVALID_NAME);
static_assert(to_status(Errc::not_found) == MSGR_NOT_FOUND);
static_assert(to_status(Errc::not_a_member) == MSGR_NOT_A_MEMBER);
static_assert(to_status(Errc::forbidden) == MSGR_FORBIDDEN);
static_assert(to_status(Errc::too_large) == MSGR_TOO_LARGE);
static_assert(to_status(Errc::rate_limited) == MSGR_RATE_LIMITED);
static_assert(to_status(Errc::timeout) == MSGR_TIMEOUT);
static_assert(to_status(Errc::disconnected) == MSGR_DISCONNECTED);
static_assert(to_status(Errc::protocol_error) == MSGR_PROTOCOL_ERROR);
static_assert(to_status(Errc::storage_error) == MSGR_STORAGE_ERROR);
static_assert(to_status(Errc::shutting_down) == MSGR_SHUTTING_DOWN);
static_assert(to_status(Errc::cursor_expired) == MSGR_CURSOR_EXPIRED);
static_assert(to_status(Errc::internal) == MSGR_INTERNAL);

static_assert(MSGR_VERSION_MAJOR == MESSENGER_VERSION_MAJOR &&
              MSGR_VERSION_MINOR == MESSENGER_VERSION_MINOR &&
              MSGR_VERSION_PATCH == MESSENGER_VERSION_PATCH);

}  // namespace

msgr_status fail(Errc code, std::string_view message) noexcept {
  set_last_error(message.empty() ? std::string_view(to_wire(code)) : message);
  return to_status(code);
}

msgr_status fail(const Error &error) noexcept {
  return fail(error.code, error.message);
}

msgr_status invalid(const char *function, std::string_view message) noexcept {
  char line[kLastErrorCapacity];
  std::snprintf(line, sizeof line, "%s: %.*s", function,
                static_cast<int>(message.size()), message.data());
  return fail(Errc::bad_request, line);
}

msgr_status require(const char *function,
                    std::initializer_list<Argument> arguments) noexcept {
  for (const auto &[pointer, name] : arguments) {
    if (pointer) continue;
    char line[kLastErrorCapacity];
    std::snprintf(line, sizeof line, "%s must not be NULL", name);
    return invalid(function, line);
  }
  return MSGR_OK;
}

msgr_status finish(const Result<void> &result) noexcept {
  return result ? MSGR_OK : fail(result.error());
}

}  // namespace messenger::capi

extern "C" {

const char *msgr_version(void) { return messenger::library_version(); }

int msgr_abi_version(void) { return MSGR_ABI_VERSION; }

const char *msgr_last_error_message(void) {
  return messenger::capi::last_error;
}

const char *msgr_status_name(msgr_status status) {
  // Any int may come from C, beyond what C++ can load as an msgr_status: read
  // the bytes.
  std::underlying_type_t<msgr_status> value;
  std::memcpy(&value, &status, sizeof value);
  int code = -static_cast<int>(value);
  if (code < 0 || code > static_cast<int>(messenger::Errc::internal))
    return "internal";
  return messenger::to_wire(static_cast<messenger::Errc>(code));
}

}  // extern "C"
