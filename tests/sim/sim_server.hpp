#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "messenger/crypto.hpp"
#include "messenger/store.hpp"
#include "messenger/transport.hpp"
#include "server/clock.hpp"

namespace asio {
class io_context;
}

namespace messenger {
class ClientSession;
}

namespace messenger::sim {

struct SimServerOptions {
  std::string database;  ///< SQLite file; a restarted server opens the same one
  std::string host = "sim";
  std::uint16_t port = 0;  ///< in-process port; 0 picks a free one
  Crypto* crypto = nullptr;
  const Clock* clock = nullptr;
};

/// The parts of src/server wired as messenger::Server wires them, but stepped: the writer and
/// the reader run as handlers on the server's own io_context, beside the connections' handlers,
/// and nothing runs until the simulation polls it. Destroying a SimServer is a crash: nothing
/// queued runs, nothing is closed cleanly; the caller keeps `io()` alive (unpolled) as long as
/// any connection to it may still exist.
class SimServer {
 public:
  /// Errors: storage_error (the database), or the transport's when the port is taken.
  static Result<std::unique_ptr<SimServer>> start(const SimServerOptions& options);
  ~SimServer();
  SimServer(const SimServer&) = delete;
  SimServer& operator=(const SimServer&) = delete;

  const std::shared_ptr<asio::io_context>& io() const { return io_; }
  std::uint16_t port() const { return port_; }
  std::string url() const;
  /// A reader of the store beside the server's, for the checks after a run.
  StoreReader& reader() { return *checker_; }

  /// The server's insides, built in sim_server.cpp.
  struct Parts;

 private:
  SimServer() = default;

  std::shared_ptr<asio::io_context> io_;
  std::unique_ptr<Parts> parts_;
  std::unique_ptr<StoreReader> checker_;
  std::string host_;
  std::uint16_t port_ = 0;
};

}  // namespace messenger::sim
