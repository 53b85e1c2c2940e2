#include "integration/support/test_server.hpp"

#include <cstdio>
#include <cstdlib>
#include <stdexcept>

namespace messenger::test {

TestServer::TestServer(ServerOptions options) : options_(std::move(options)) {
  options_.host = "127.0.0.1";
  options_.port = 0;
  options_.data_dir = dir_.str();
  options_.password_cost = PasswordCost::minimum;
  options_.threads = 2;
  // MESSENGER_TEST_LOG=debug (or another level) shows the server's log while a test runs.
  if (const char* level = std::getenv("MESSENGER_TEST_LOG")) {
    if (parse_log_level(level, options_.log.level)) {
      options_.log.sink = [](LogLevel at, std::string_view tag, std::string_view line) {
        std::fprintf(stderr, "[%s] %.*s: %.*s\n", to_string(at), static_cast<int>(tag.size()),
                     tag.data(), static_cast<int>(line.size()), line.data());
      };
    }
  }
  start();
}

TestServer::~TestServer() {
  stop();
}

void TestServer::start() {
  // After a restart the server takes the same port, so that clients find it again.
  auto options = options_;
  options.port = port_;
  server_ = std::make_unique<Server>(options);
  auto started = server_->start();
  if (!started) throw std::runtime_error("server did not start: " + started.error().message);
  port_ = server_->port();
  url_ = server_->url();
}

void TestServer::stop() {
  if (server_) server_->stop();
  server_.reset();
}

ClientOptions TestServer::client_options() const {
  ClientOptions options;
  options.url = url_;
  options.request_timeout = std::chrono::seconds(10);
  return options;
}

std::unique_ptr<Client> TestServer::registered_client(const std::string& name) {
  auto client = std::make_unique<Client>(client_options());
  auto session = client->register_user(name, password_of(name));
  if (!session) throw std::runtime_error("register failed: " + session.error().message);
  return client;
}

std::unique_ptr<Client> TestServer::logged_in_client(const std::string& name) {
  auto client = std::make_unique<Client>(client_options());
  auto session = client->login(name, password_of(name));
  if (!session) throw std::runtime_error("login failed: " + session.error().message);
  return client;
}

std::string password_of(const std::string& name) {
  return "password of " + name;
}

}  // namespace messenger::test
