// An operator who changes the password cost gets every account onto it as its owner logs in:
// the first login after the change stores a new hash, made at the server's cost.
#include <doctest/doctest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include <mutex>
#include <vector>

#include "integration/support/temp_dir.hpp"
#include "integration/support/test_server.hpp"

using namespace messenger;
using namespace messenger::test;

namespace {

struct LogLines {
  std::mutex mutex;
  std::vector<std::string> lines;

  std::size_t count(std::string_view part) {
    std::lock_guard lock(mutex);
    return std::count_if(lines.begin(), lines.end(), [&](const std::string& line) {
      return line.find(part) != std::string::npos;
    });
  }
};

ServerOptions options_on(const std::string& folder, PasswordCost cost, LogLines& log) {
  ServerOptions options;
  options.host = "127.0.0.1";
  options.port = 0;
  options.data_dir = folder;
  options.password_cost = cost;
  options.log.level = LogLevel::info;
  options.log.sink = [&log](LogLevel, std::string_view, std::string_view line) {
    std::lock_guard lock(log.mutex);
    log.lines.emplace_back(line);
  };
  return options;
}

std::string stored_hash(const std::string& folder, const std::string& name) {
  SQLite::Database db(folder + "/messenger.db", SQLite::OPEN_READONLY);
  SQLite::Statement query(db, "SELECT password_hash FROM users WHERE name = ?");
  query.bind(1, name);
  REQUIRE(query.executeStep());
  return query.getColumn(0).getString();
}

constexpr const char* kInteractiveCost = "$m=65536,t=2,p=1$";
constexpr const char* kMinimumCost = "$m=8,t=1,p=1$";

}  // namespace

TEST_CASE("a login renews a hash made at another cost, once, and the password still works") {
  TempDir dir;
  LogLines log;
  {
    Server server(options_on(dir.str(), PasswordCost::interactive, log));
    REQUIRE(server.start().ok());
    Client alice({.url = server.url()});
    REQUIRE(alice.register_user("alice", password_of("alice")).ok());
    Client bob({.url = server.url()});
    REQUIRE(bob.register_user("bob", password_of("bob")).ok());
    server.stop();
  }
  CHECK(stored_hash(dir.str(), "alice").find(kInteractiveCost) != std::string::npos);

  Server server(options_on(dir.str(), PasswordCost::minimum, log));
  REQUIRE(server.start().ok());

  // A wrong password renews nothing.
  Client guesser({.url = server.url()});
  CHECK(guesser.login("alice", "not her password").code() == Errc::invalid_credentials);
  CHECK(stored_hash(dir.str(), "alice").find(kInteractiveCost) != std::string::npos);

  Client alice({.url = server.url()});
  REQUIRE(alice.login("alice", password_of("alice")).ok());
  auto renewed = stored_hash(dir.str(), "alice");
  CHECK(renewed.find(kMinimumCost) != std::string::npos);
  CHECK(log.count("password hash renewed") == 1);
  // Bob has not logged in since: his hash waits for him.
  CHECK(stored_hash(dir.str(), "bob").find(kInteractiveCost) != std::string::npos);

  // The renewed hash is the same password, and is not renewed again.
  Client again({.url = server.url()});
  REQUIRE(again.login("alice", password_of("alice")).ok());
  CHECK(stored_hash(dir.str(), "alice") == renewed);
  CHECK(log.count("password hash renewed") == 1);
  CHECK(guesser.login("alice", "not her password").code() == Errc::invalid_credentials);

  // A password changed after the renewal is the one that counts.
  REQUIRE(again.change_password(password_of("alice"), "a brand new password").ok());
  Client later({.url = server.url()});
  CHECK(later.login("alice", password_of("alice")).code() == Errc::invalid_credentials);
  CHECK(later.login("alice", "a brand new password").ok());
  server.stop();
}
