// What `Server::start` reports when it cannot start.
#include <doctest/doctest.h>

#include "integration/support/temp_dir.hpp"
#include "integration/support/test_server.hpp"

using namespace messenger;
using namespace messenger::test;

TEST_CASE("a server whose port is taken fails to start with internal, naming the address") {
  TestServer running;
  auto port = std::stoi(running.url().substr(running.url().rfind(':') + 1));

  TempDir folder;
  ServerOptions options;
  options.port = static_cast<std::uint16_t>(port);
  options.data_dir = folder.str();
  Server second(options);
  auto started = second.start();
  REQUIRE_FALSE(started.ok());
  CHECK(started.code() == Errc::internal);
  CHECK(started.error().message.find(std::to_string(port)) != std::string::npos);
}
