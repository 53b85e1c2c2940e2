// Password guessing over real sockets: wrong passwords make the next checks wait.
#include <doctest/doctest.h>

#include <thread>

#include "integration/support/test_server.hpp"

using namespace messenger;
using namespace messenger::test;

namespace {

ServerOptions two_free_wrong_passwords() {
  ServerOptions options;
  options.limits.failed_logins_before_delay = 2;
  return options;
}

/// Retries a right login until the throttle lets it through; bounded well past the delay.
Result<Session> login_once_allowed(Client& client, const std::string& name) {
  Result<Session> session = Error{Errc::timeout, "never tried"};
  for (int attempt = 0; attempt < 50; ++attempt) {
    session = client.login(name, password_of(name));
    if (session.code() != Errc::rate_limited) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return session;
}

}  // namespace

TEST_CASE("after repeated wrong passwords even the right one waits, then works") {
  TestServer server(two_free_wrong_passwords());
  server.registered_client("alice");
  server.registered_client("bob");
  Client guesser(server.client_options());

  for (int i = 0; i < 2; ++i) {
    CHECK(guesser.login("alice", "guess " + std::to_string(i)).code() == Errc::invalid_credentials);
  }
  auto held = guesser.login("alice", password_of("alice"));
  CHECK(held.code() == Errc::rate_limited);
  CHECK(held.error().message.find("try again in 1 s") != std::string::npos);
  // Names compare without ASCII case, and so do their counts.
  CHECK(guesser.login("ALICE", password_of("alice")).code() == Errc::rate_limited);

  Client bob(server.client_options());
  CHECK(bob.login("bob", password_of("bob")).ok());

  Client alice(server.client_options());
  REQUIRE(login_once_allowed(alice, "alice").ok());

  Client after(server.client_options());
  CHECK(after.login("alice", "one more guess").code() == Errc::invalid_credentials);
}

TEST_CASE("an unknown name is held back like a known one") {
  TestServer server(two_free_wrong_passwords());
  Client guesser(server.client_options());

  for (int i = 0; i < 2; ++i) {
    CHECK(guesser.login("nobody", "guess").code() == Errc::invalid_credentials);
  }

  CHECK(guesser.login("nobody", "guess").code() == Errc::rate_limited);
}

TEST_CASE("wrong current passwords hold back that session's password changes, not logins") {
  TestServer server(two_free_wrong_passwords());
  auto alice = server.registered_client("alice");

  for (int i = 0; i < 2; ++i) {
    CHECK(alice->change_password("guess " + std::to_string(i), "a new long password").code() ==
          Errc::invalid_credentials);
  }
  CHECK(alice->change_password(password_of("alice"), "a new long password").code() ==
        Errc::rate_limited);

  Client other(server.client_options());
  REQUIRE(other.login("alice", password_of("alice")).ok());
  CHECK(other.change_password(password_of("alice"), "a new long password").ok());
}

TEST_CASE("a name whose logins wait can still change its password from a session it holds") {
  TestServer server(two_free_wrong_passwords());
  auto alice = server.registered_client("alice");
  Client guesser(server.client_options());
  for (int i = 0; i < 2; ++i)
    CHECK(guesser.login("alice", "guess").code() == Errc::invalid_credentials);
  CHECK(guesser.login("alice", password_of("alice")).code() == Errc::rate_limited);

  CHECK(alice->change_password(password_of("alice"), "a new long password").ok());
}
