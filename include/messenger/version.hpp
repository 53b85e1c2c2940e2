#pragma once

#define MESSENGER_VERSION_MAJOR 0
#define MESSENGER_VERSION_MINOR 1
#define MESSENGER_VERSION_PATCH 0

namespace messenger {

/// The wire protocol version this library speaks.
inline constexpr int kProtocolVersion = 1;

/// "major.minor.patch" of the library that is linked, which may differ from the headers.
const char* library_version() noexcept;

}  // namespace messenger
