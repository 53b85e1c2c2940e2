#pragma once

#include <memory>
#include <string>

#include "integration/support/temp_dir.hpp"
#include "messenger/client.hpp"
#include "messenger/server.hpp"

namespace messenger::test {

/// A real server on 127.0.0.1 (a free port) with a real SQLite file in a temporary folder,
/// which can be stopped and started again on the same data.
class TestServer {
 public:
  explicit TestServer(ServerOptions options = {});
  ~TestServer();

  void start();
  void stop();
  void restart() {
    stop();
    start();
  }

  std::string url() const { return url_; }
  std::string data_dir() const { return dir_.str(); }
  ClientOptions client_options() const;
  /// A client already registered (name and password from `name`).
  std::unique_ptr<Client> registered_client(const std::string& name);
  std::unique_ptr<Client> logged_in_client(const std::string& name);

 private:
  TempDir dir_;
  ServerOptions options_;
  std::unique_ptr<Server> server_;
  std::string url_;
  std::uint16_t port_ = 0;
};

/// The password tests use for user `name`.
std::string password_of(const std::string& name);

}  // namespace messenger::test
