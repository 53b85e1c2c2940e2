#include <sodium.h>

#include <stdexcept>
#include <string>

#include "messenger/crypto.hpp"

namespace messenger {
namespace {

constexpr std::size_t kTokenBytes = 32;
constexpr std::size_t kTokenHashBytes = 32;
constexpr int kTokenEncoding = sodium_base64_VARIANT_URLSAFE_NO_PADDING;

struct PasswordLimits {
  unsigned long long ops;
  std::size_t mem;
};

PasswordLimits limits_for(PasswordCost cost) {
  switch (cost) {
    case PasswordCost::interactive:
      return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
    case PasswordCost::moderate:
      return {crypto_pwhash_OPSLIMIT_MODERATE, crypto_pwhash_MEMLIMIT_MODERATE};
    case PasswordCost::minimum:
      return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
  }
  return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
}

// sodium_init picks the fastest implementations and seeds the generator; a function-local
// static makes the first call from any thread the only one.
void ensure_sodium_ready() {
  static const int status = sodium_init();
  if (status < 0) throw std::runtime_error("libsodium failed to initialise");
}

class SodiumCrypto final : public Crypto {
 public:
  explicit SodiumCrypto(const SodiumCryptoOptions& options)
      : limits_(limits_for(options.password_cost)) {}

  Result<std::string> hash_password(std::string_view password) override {
    char hash[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(hash, password.data(), password.size(), limits_.ops, limits_.mem,
                              crypto_pwhash_ALG_ARGON2ID13) != 0) {
      return Error{Errc::internal, "out of memory while hashing a password"};
    }
    return std::string(hash);
  }

  bool verify_password(std::string_view hash, std::string_view password) override {
    // libsodium reads the hash as a C string, so it needs its own terminated copy.
    std::string terminated(hash);
    return crypto_pwhash_str_verify(terminated.c_str(), password.data(), password.size()) == 0;
  }

  bool needs_rehash(std::string_view hash) override {
    std::string terminated(hash);
    // The Argon2id check answers -1 for any other string, an Argon2i hash too, which the
    // generic check would let stand.
    int answer =
        crypto_pwhash_argon2id_str_needs_rehash(terminated.c_str(), limits_.ops, limits_.mem);
    return answer != 0;
  }

  std::string new_token() override {
    unsigned char bytes[kTokenBytes];
    randombytes_buf(bytes, sizeof bytes);
    char text[sodium_base64_ENCODED_LEN(kTokenBytes, kTokenEncoding)];
    sodium_bin2base64(text, sizeof text, bytes, sizeof bytes, kTokenEncoding);
    return std::string(text);
  }

  std::string hash_token(std::string_view token) override {
    unsigned char digest[kTokenHashBytes];
    crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(token.data()),
                       token.size(), nullptr, 0);
    char hex[kTokenHashBytes * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    return std::string(hex);
  }

  bool equal(std::string_view a, std::string_view b) override {
    if (a.size() != b.size()) return false;
    if (a.empty()) return true;
    return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
  }

 private:
  PasswordLimits limits_;
};

}  // namespace

std::shared_ptr<Crypto> make_sodium_crypto(const SodiumCryptoOptions& options) {
  ensure_sodium_ready();
  return std::make_shared<SodiumCrypto>(options);
}

}  // namespace messenger
