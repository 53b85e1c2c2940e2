#pragma once

#include <string>
#include <system_error>

namespace messenger {

/// Every expected failure of the library. The same names appear on the wire as snake_case
/// strings (see `to_wire`), so the C++ API and the protocol never drift apart.
enum class Errc {
  ok = 0,
  bad_request,          ///< malformed or incomplete request
  unsupported_version,  ///< protocol version the peer does not speak
  unknown_type,         ///< request type the server does not know
  unauthenticated,      ///< the request needs a logged-in session
  invalid_credentials,  ///< wrong user name or password
  session_revoked,      ///< the session token was logged out or revoked
  name_taken,           ///< a user with that name already exists
  invalid_name,         ///< user name empty, too long or with forbidden characters
  not_found,            ///< no such user, chat or message
  not_a_member,         ///< the user is not a member of that chat
  forbidden,            ///< member, but the role does not allow it
  too_large,            ///< a size limit was exceeded
  rate_limited,         ///< too many requests; retry later
  timeout,              ///< no answer in time
  disconnected,         ///< the connection is closed or was never open
  protocol_error,       ///< the peer broke the protocol
  storage_error,        ///< the store failed; nothing was committed
  shutting_down,        ///< the server is stopping
  cursor_expired,       ///< the update stream no longer reaches back that far: refetch state
  internal,             ///< a bug; the message says more
};

const std::error_category& error_category() noexcept;

inline std::error_code make_error_code(Errc e) noexcept {
  return {static_cast<int>(e), error_category()};
}

/// The snake_case name used on the wire, e.g. "not_a_member".
const char* to_wire(Errc e) noexcept;

/// Inverse of `to_wire`; unknown names map to `Errc::internal`.
Errc errc_from_wire(std::string_view name) noexcept;

/// An error value: a code callers branch on and a message people read.
struct Error {
  Errc code = Errc::internal;
  std::string message;
};

}  // namespace messenger

template <>
struct std::is_error_code_enum<messenger::Errc> : std::true_type {};
