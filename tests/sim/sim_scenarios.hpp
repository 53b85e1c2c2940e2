#pragma once

#include <cstdint>

#include "sim/sim_world.hpp"

namespace messenger::sim {

// The scenarios of tests/fault, seeded. Each builds its world from the seed, takes a random
// number of random steps, lets everything come to rest with every device connected, and
// checks the delivery contract against the store.

/// Two users with one device each write to each other through cuts, device restarts and
/// server crashes.
RunOutcome two_users(std::uint64_t seed, bool with_traces);
/// One user on three devices and another user: history and watermarks converge everywhere.
RunOutcome three_devices(std::uint64_t seed, bool with_traces);
/// A group where the owner removes a member mid-stream (and sometimes adds them back).
RunOutcome group_removal(std::uint64_t seed, bool with_traces);
/// Presence and typing: after the run, some users' devices are cut and the others must show
/// them offline; a typing notice shows, then expires on the virtual clock.
RunOutcome presence_and_typing(std::uint64_t seed, bool with_traces);

}  // namespace messenger::sim
