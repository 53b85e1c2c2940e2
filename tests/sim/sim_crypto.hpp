#pragma once

#include <string>

#include "messenger/crypto.hpp"

namespace messenger::sim {

/// Crypto without randomness or cost: tokens count up, hashes are readable. Only for the
/// simulation, where a token must be the same in every run of a seed and Argon2id would cost
/// more than the whole run. One instance serves every server of a run, so that a restarted
/// server never hands out a token twice.
class SimCrypto final : public Crypto {
 public:
  Result<std::string> hash_password(std::string_view password) override {
    return "plain:" + std::string(password);
  }
  bool verify_password(std::string_view hash, std::string_view password) override {
    return hash == "plain:" + std::string(password);
  }
  std::string new_token() override { return "token-" + std::to_string(++tokens_); }
  std::string hash_token(std::string_view token) override { return "hash:" + std::string(token); }
  bool equal(std::string_view a, std::string_view b) override { return a == b; }

 private:
  std::uint64_t tokens_ = 0;
};

}  // namespace messenger::sim
