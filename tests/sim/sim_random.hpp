#pragma once

#include <cstdint>
#include <random>

namespace messenger::sim {

/// The one source of choices in a run. std::mt19937_64's output is fixed by the standard bit
/// for bit, but the std distributions are not, so bounded numbers are drawn here: the same
/// seed makes the same run with every standard library.
class SimRandom {
 public:
  explicit SimRandom(std::uint64_t seed) : engine_(seed) {}

  /// Uniform in [0, bound); `bound` is at least 1.
  std::uint64_t below(std::uint64_t bound) {
    // Rejecting the lowest 2^64 mod bound values leaves a whole number of each residue.
    const std::uint64_t threshold = (0 - bound) % bound;
    std::uint64_t value = engine_();
    // Each draw is rejected with a probability under one half: 64 draws all rejected is a
    // 2^-64 event, and the modulo bias it would then add is harmless.
    for (int draw = 0; draw < kMaxDraws && value < threshold; ++draw)
      value = engine_();
    return value % bound;
  }

  /// Uniform in [low, high].
  std::int64_t between(std::int64_t low, std::int64_t high) {
    return low + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(high - low) + 1));
  }

  bool percent(std::uint64_t chance) { return below(100) < chance; }

 private:
  static constexpr int kMaxDraws = 64;

  std::mt19937_64 engine_;
};

}  // namespace messenger::sim
