#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "messenger/crypto.hpp"
#include "messenger/limits.hpp"
#include "messenger/log.hpp"
#include "messenger/result.hpp"
#include "messenger/store.hpp"
#include "messenger/transport.hpp"

namespace asio {
class io_context;
}

namespace messenger {

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;  ///< 0 picks a free port; `Server::port` tells which
  /// Folder for the SQLite database (`messenger.db`) when no `store` is given; created when
  /// missing. One running server at a time: `start` fails with storage_error while another
  /// server, in any process, holds the folder (until it stops or dies).
  std::string data_dir = "data";
  Durability durability = Durability::full;
  /// Browser origins allowed besides the server's own; "*" allows every origin.
  std::vector<std::string> allowed_origins;
  /// Folder of static files served over plain HTTP (the web client); empty serves none.
  std::string web_root;
  /// Network threads when the server runs its own; 0 means one per core.
  unsigned threads = 0;
  Limits limits;
  /// Applies to new hashes; one made at another cost is renewed when its user next logs in.
  PasswordCost password_cost = PasswordCost::interactive;
  LogOptions log;

  /// Replace the defaults (SQLite in `data_dir`, libsodium, WebSocket) with your own.
  std::shared_ptr<Store> store;
  std::shared_ptr<Crypto> crypto;
  std::shared_ptr<Transport> transport;
};

/// A whole messenger backend: accounts, chats, durable history and live delivery, served over
/// WebSocket.
///
/// ```
/// messenger::ServerOptions options;
/// options.port = 8080;
/// messenger::Server server(options);
/// if (auto started = server.start(); !started) { /* started.error().message */ }
/// // ... later, or from a signal handler's thread:
/// server.stop();
/// ```
///
/// All methods are thread-safe. The destructor stops the server.
class Server {
 public:
  /// The server runs its own network threads (`options.threads`).
  explicit Server(ServerOptions options);
  /// The server runs on `io`, which the caller runs and keeps alive longer than the server.
  /// Store work still runs on the server's own writer and reader threads.
  Server(ServerOptions options, asio::io_context& io);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  /// Opens the store and starts listening. Errors: storage_error, internal (cannot bind).
  Result<void> start();
  /// Stops accepting, answers what is queued, commits, closes every connection with
  /// `going_away` and returns when all is done. Calling it twice is harmless.
  void stop();
  /// The bound port, once started.
  std::uint16_t port() const;
  /// "ws://host:port/ws", once started; empty before.
  std::string url() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace messenger
