// Deterministic, seeded simulation of the delivery scenarios of tests/fault, on one thread:
// see /docs/architecture.md ("Simulation") for how it works and how to replay a seed.
#include <doctest/doctest.h>

#include <cstdlib>
#include <iostream>
#include <string>

#include "sim/sim_scenarios.hpp"

using namespace messenger::sim;

namespace {

// Seeds per scenario when MESSENGER_SIM_SEEDS does not say. An unoptimised or sanitized build
// pays about twenty times more per run, and gets fewer seeds to stay near two minutes.
#if defined(NDEBUG) && !defined(__SANITIZE_ADDRESS__)
constexpr std::uint64_t kDefaultSeeds = 300;
#else
constexpr std::uint64_t kDefaultSeeds = 50;
#endif
// Seeds run twice by the determinism test, per scenario.
constexpr std::uint64_t kTwiceSeeds = 3;
constexpr std::size_t kViolationsShown = 10;

std::uint64_t env_number(const char* name, std::uint64_t fallback) {
  const char* text = std::getenv(name);
  if (!text || !*text) return fallback;
  return std::strtoull(text, nullptr, 10);
}

// Runs seeds 1..MESSENGER_SIM_SEEDS, or only MESSENGER_SIM_SEED, and fails on the first seed
// that breaks the contract, naming it with the command that replays it.
void run_seeds(const char* test_name, Scenario scenario) {
  const std::uint64_t only = env_number("MESSENGER_SIM_SEED", 0);
  const bool traces = only != 0 && env_number("MESSENGER_SIM_TRACE", 0) != 0;
  const std::uint64_t first = only ? only : 1;
  const std::uint64_t last = only ? only : env_number("MESSENGER_SIM_SEEDS", kDefaultSeeds);
  for (std::uint64_t seed = first; seed <= last; ++seed) {
    RunOutcome outcome = scenario(seed, traces);
    if (traces) std::cout << outcome.traces;
    if (only) std::cout << "seed " << seed << " digest " << outcome.digest << "\n";
    if (outcome.violations.empty()) continue;

    std::string report = "seed " + std::to_string(seed) + " breaks the contract:\n";
    for (std::size_t i = 0; i < outcome.violations.size() && i < kViolationsShown; ++i)
      report += "  " + outcome.violations[i] + "\n";
    report += "replay: MESSENGER_SIM_SEED=" + std::to_string(seed) +
              " MESSENGER_SIM_TRACE=1 tests/sim/sim_tests -tc=\"" + test_name + "\"";
    FAIL_CHECK(report);
    return;
  }
}

}  // namespace

#define SIM_CASE(name, scenario) \
  TEST_CASE(name) {              \
    run_seeds(name, scenario);   \
  }

SIM_CASE("two users exchange messages through cuts and crashes, each received once, in order",
         two_users)
SIM_CASE("three devices of one user and another user converge on history and watermarks",
         three_devices)
SIM_CASE("a member removed from a group mid-stream receives nothing after the removal",
         group_removal)
SIM_CASE("a cut connection shows its user offline, and typing expires on the virtual clock",
         presence_and_typing)

TEST_CASE("the same seed gives the same trace, and another seed another") {
  for (Scenario scenario : {two_users, three_devices, group_removal, presence_and_typing}) {
    for (std::uint64_t seed = 1; seed <= kTwiceSeeds; ++seed) {
      auto first = scenario(seed, false);
      auto second = scenario(seed, false);
      CHECK(first.digest == second.digest);
      CHECK(first.digest != scenario(seed + kTwiceSeeds, false).digest);
    }
  }
}
