#pragma once

#include <cstdint>

namespace messenger::test {

/// A TCP port on 127.0.0.1 that was free a moment ago: bound, read back and released, so that a
/// server started later (and restarted after a crash) can be told to listen on it.
std::uint16_t pick_free_loopback_port();

}  // namespace messenger::test
