#include <doctest/doctest.h>

#include <set>
#include <string>
#include <thread>
#include <vector>

#include "messenger/crypto.hpp"

namespace {

using messenger::Crypto;
using messenger::PasswordCost;

std::shared_ptr<Crypto> cheap_crypto() {
  return messenger::make_sodium_crypto({.password_cost = PasswordCost::minimum});
}

bool is_url_safe_base64(const std::string& text) {
  for (char c : text) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

bool is_lower_hex(const std::string& text) {
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace

TEST_CASE("a hashed password verifies with the same password") {
  auto crypto = cheap_crypto();
  auto hash = crypto->hash_password("correct horse battery staple");
  REQUIRE(hash.ok());
  CHECK(hash->starts_with("$argon2id$"));
  CHECK(crypto->verify_password(*hash, "correct horse battery staple"));
}

TEST_CASE("a hashed password does not verify with a different password") {
  auto crypto = cheap_crypto();
  auto hash = crypto->hash_password("correct horse battery staple");
  REQUIRE(hash.ok());
  CHECK_FALSE(crypto->verify_password(*hash, "correct horse battery stapler"));
  CHECK_FALSE(crypto->verify_password(*hash, ""));
}

TEST_CASE("hashing the same password twice gives different hashes that both verify") {
  auto crypto = cheap_crypto();
  auto first = crypto->hash_password("same password");
  auto second = crypto->hash_password("same password");
  REQUIRE(first.ok());
  REQUIRE(second.ok());
  CHECK(*first != *second);
  CHECK(crypto->verify_password(*first, "same password"));
  CHECK(crypto->verify_password(*second, "same password"));
}

TEST_CASE("a password with an embedded zero byte is hashed whole") {
  auto crypto = cheap_crypto();
  std::string password("abc\0def", 7);
  auto hash = crypto->hash_password(password);
  REQUIRE(hash.ok());
  CHECK(crypto->verify_password(*hash, password));
  CHECK_FALSE(crypto->verify_password(*hash, "abc"));
}

TEST_CASE("a malformed hash never verifies") {
  auto crypto = cheap_crypto();
  CHECK_FALSE(crypto->verify_password("", "password"));
  CHECK_FALSE(crypto->verify_password("not a hash", "password"));
  CHECK_FALSE(crypto->verify_password("$argon2id$v=19$m=8,t=1,p=1$AAAA$BBBB", "password"));
}

TEST_CASE("the password cost chooses libsodium's limits") {
  auto minimum = cheap_crypto()->hash_password("pw");
  REQUIRE(minimum.ok());
  CHECK(minimum->find("$m=8,t=1,p=1$") != std::string::npos);

  auto interactive = messenger::make_sodium_crypto()->hash_password("pw");
  REQUIRE(interactive.ok());
  CHECK(interactive->find("$m=65536,t=2,p=1$") != std::string::npos);
}

TEST_CASE("a hash made at another cost, or by another algorithm, asks to be renewed") {
  auto minimum = cheap_crypto();
  auto interactive = messenger::make_sodium_crypto();
  auto cheap_hash = minimum->hash_password("pw");
  auto dear_hash = interactive->hash_password("pw");
  REQUIRE(cheap_hash.ok());
  REQUIRE(dear_hash.ok());

  CHECK_FALSE(minimum->needs_rehash(*cheap_hash));
  CHECK_FALSE(interactive->needs_rehash(*dear_hash));
  CHECK(minimum->needs_rehash(*dear_hash));
  CHECK(interactive->needs_rehash(*cheap_hash));
  CHECK(
      minimum->needs_rehash("$argon2i$v=19$m=8,t=1,p=1$AAAAAAAAAAAAAAAAAAAAAA$"
                            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
  CHECK(minimum->needs_rehash("not a hash"));
}

TEST_CASE("tokens are 43 URL-safe characters without padding and never repeat") {
  auto crypto = cheap_crypto();
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    auto token = crypto->new_token();
    CHECK(token.size() == 43);  // 32 bytes in unpadded base64
    CHECK(is_url_safe_base64(token));
    seen.insert(token);
  }
  CHECK(seen.size() == 200);
}

TEST_CASE("a token hash is 64 lower-case hex digits, stable, and not the token") {
  auto crypto = cheap_crypto();
  auto token = crypto->new_token();
  auto hash = crypto->hash_token(token);
  CHECK(hash.size() == 64);
  CHECK(is_lower_hex(hash));
  CHECK(hash == crypto->hash_token(token));
  CHECK(hash != token);
  CHECK(hash != crypto->hash_token(crypto->new_token()));
}

TEST_CASE("the token hash is BLAKE2b with a 32-byte digest") {
  auto crypto = cheap_crypto();
  // Reference values from Python's hashlib.blake2b(digest_size=32).
  CHECK(crypto->hash_token("") ==
        "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
  CHECK(crypto->hash_token("abc") ==
        "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
}

TEST_CASE("equal compares contents and lengths") {
  auto crypto = cheap_crypto();
  CHECK(crypto->equal("", ""));
  CHECK(crypto->equal("same", "same"));
  CHECK_FALSE(crypto->equal("same", "sane"));
  CHECK_FALSE(crypto->equal("same", "same!"));
  CHECK_FALSE(crypto->equal("", "x"));
  CHECK(crypto->equal(std::string("a\0b", 3), std::string("a\0b", 3)));
  CHECK_FALSE(crypto->equal(std::string("a\0b", 3), std::string("a\0c", 3)));
}

TEST_CASE("one crypto object is safe to share between threads") {
  auto crypto = cheap_crypto();
  std::vector<std::string> tokens(4);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    threads.emplace_back([&, i] {
      auto hash = crypto->hash_password("pw");
      if (hash.ok() && crypto->verify_password(*hash, "pw")) tokens[i] = crypto->new_token();
    });
  }
  for (auto& thread : threads)
    thread.join();
  std::set<std::string> distinct(tokens.begin(), tokens.end());
  CHECK(distinct.size() == tokens.size());
  CHECK(distinct.count("") == 0);
}
