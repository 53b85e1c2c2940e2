#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "messenger/result.hpp"

namespace messenger {

/// Password hashing and session tokens. Thread-safe.
class Crypto {
 public:
  virtual ~Crypto() = default;

  /// A self-describing hash of `password` (for libsodium, an Argon2id string). Slow on purpose:
  /// call it off network threads. Errors: internal (out of memory).
  virtual Result<std::string> hash_password(std::string_view password) = 0;
  /// True when `password` matches `hash`; slow like `hash_password`.
  virtual bool verify_password(std::string_view hash, std::string_view password) = 0;
  /// True when `hash` was made with other settings than this object's own (an older cost, or
  /// another algorithm), so that a login that has just verified the password should store a
  /// new hash. The default never asks for one.
  virtual bool needs_rehash(std::string_view hash) {
    (void)hash;
    return false;
  }
  /// A new random session token (256 bits, URL-safe text).
  virtual std::string new_token() = 0;
  /// The form a token is stored and looked up in; one-way.
  virtual std::string hash_token(std::string_view token) = 0;
  /// Compares in time that depends on the length only.
  virtual bool equal(std::string_view a, std::string_view b) = 0;
};

/// How much work a password hash costs.
enum class PasswordCost {
  interactive,  ///< libsodium's interactive limits (Argon2id, 64 MiB); the default
  moderate,     ///< libsodium's moderate limits (256 MiB)
  minimum,      ///< the least libsodium allows; for tests and benchmarks only
};

struct SodiumCryptoOptions {
  PasswordCost password_cost = PasswordCost::interactive;
};

/// libsodium: Argon2id passwords, random tokens hashed with BLAKE2b.
std::shared_ptr<Crypto> make_sodium_crypto(const SodiumCryptoOptions& options = {});

}  // namespace messenger
