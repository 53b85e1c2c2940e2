// One data folder, one running server: a second server on the same folder is refused while the
// first runs, and takes the folder over once it stops.
#include <doctest/doctest.h>

#include "integration/support/test_server.hpp"

using namespace messenger;
using namespace messenger::test;

namespace {

ServerOptions options_on(const std::string& folder) {
  ServerOptions options;
  options.port = 0;
  options.data_dir = folder;
  options.password_cost = PasswordCost::minimum;
  return options;
}

}  // namespace

TEST_CASE("a second server on a data folder in use is refused until the first one stops") {
  TestServer first;
  auto alice = first.registered_client("alice");

  Server second(options_on(first.data_dir()));
  auto refused = second.start();
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.code() == Errc::storage_error);
  CHECK(refused.error().message.find("in use") != std::string::npos);
  // The refusal cost the running server nothing.
  CHECK(alice->list_chats().ok());

  first.stop();
  Server third(options_on(first.data_dir()));
  REQUIRE(third.start().ok());
  Client bob({.url = third.url()});
  CHECK(bob.login("alice", password_of("alice")).ok());
  third.stop();
}
