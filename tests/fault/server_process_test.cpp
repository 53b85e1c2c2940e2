// The messenger-server program run as a child process: started, crashed, stopped, restarted.
#include <doctest/doctest.h>
#include <signal.h>

#include <cerrno>
#include <filesystem>

#include "fault/support/server_process.hpp"
#include "integration/support/test_server.hpp"
#include "messenger/client.hpp"

using namespace messenger;
using namespace messenger::test;

namespace {

ClientOptions options_for(const ServerProcess& server) {
  ClientOptions options;
  options.url = server.url();
  options.reconnect = false;
  return options;
}

}  // namespace

TEST_CASE("the server program keeps what it acknowledged through SIGKILL and a restart") {
  ServerProcess server;
  auto port = server.port();
  MessageId stored = 0;
  {
    Client alice(options_for(server));
    auto session = alice.register_user("alice", password_of("alice"));
    REQUIRE(session.ok());
    auto notes = alice.open_direct_chat(session->user.id);
    REQUIRE(notes.ok());
    auto ack = alice.send_message(notes->id, "written before the crash");
    REQUIRE(ack.ok());
    stored = ack->message_id;
  }

  server.kill();
  CHECK_FALSE(server.running());
  server.restart();

  CHECK(server.port() == port);
  Client alice(options_for(server));
  auto session = alice.login("alice", password_of("alice"));
  REQUIRE(session.ok());
  auto chats = alice.list_chats();
  REQUIRE(chats.ok());
  REQUIRE(chats->size() == 1);
  auto history = alice.history({.chat_id = chats->front().chat.id});
  REQUIRE(history.ok());
  REQUIRE(history->size() == 1);
  CHECK(history->front().id == stored);
  CHECK(history->front().text == "written before the crash");
}

TEST_CASE("the server program stops on SIGTERM with exit code 0") {
  ServerProcess server;
  CHECK(std::filesystem::exists(server.database_path()));
  CHECK(server.stop() == 0);
  CHECK_FALSE(server.running());
  CHECK(server.output_tail().find("SIGTERM received") != std::string::npos);

  server.start();
  Client client(options_for(server));
  CHECK(client.register_user("bob", password_of("bob")).ok());
}

TEST_CASE("a killed server program leaves no process behind") {
  ServerProcess server;
  Client client(options_for(server));
  REQUIRE(client.connect().ok());
  auto pid = server.pid();
  REQUIRE(pid > 0);

  server.kill();

  // Reaped, not a zombie: the pid names no process any more.
  CHECK_FALSE(server.running());
  CHECK(::kill(pid, 0) == -1);
  CHECK(errno == ESRCH);
  CHECK(client.register_user("carol", password_of("carol")).code() == Errc::disconnected);
}
