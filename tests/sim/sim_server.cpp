#include "sim/sim_server.hpp"

#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <limits>

#include "server/client_session.hpp"
#include "server/commit_queue.hpp"
#include "server/presence_table.hpp"
#include "server/read_pool.hpp"
#include "server/server_context.hpp"
#include "server/service_router.hpp"
#include "server/session_registry.hpp"

namespace messenger::sim {

// Declared in the order they are built; destroyed in reverse, the transport first so that no
// new connection arrives while the rest goes.
struct SimServer::Parts {
  std::shared_ptr<Store> store;
  std::unique_ptr<ReadPool> reads;
  std::unique_ptr<CommitQueue> writes;
  SessionRegistry registry;
  PresenceTable presence;
  std::unique_ptr<ServerContext> context;
  std::unique_ptr<ServiceRouter> router;
  // The connections own their sessions through these, not through the transport's callbacks,
  // which hold them weakly: a crash leaves those callbacks unrun forever, and owning through
  // them would leak every session with its connection.
  std::vector<std::shared_ptr<ClientSession>> sessions;
  std::shared_ptr<Transport> transport;
};

namespace {

Limits simulation_limits() {
  Limits limits;
  // Model clients send many requests between two advances of the virtual clock, and do not
  // retry a refused one; the request rate limit has tests of its own.
  limits.requests_per_second = std::numeric_limits<double>::max() / 4;
  limits.request_burst = std::numeric_limits<double>::max() / 4;
  return limits;
}

ConnectionEvents accept(SimServer::Parts& parts, std::shared_ptr<Connection> connection);

}  // namespace

Result<std::unique_ptr<SimServer>> SimServer::start(const SimServerOptions& options) {
  std::unique_ptr<SimServer> server(new SimServer);
  server->io_ = std::make_shared<asio::io_context>();
  server->parts_ = std::make_unique<Parts>();
  Parts& parts = *server->parts_;

  // Durability normal, not full: a crash here drops the process's state, never the operating
  // system's, and normal survives exactly that. Without fsyncs a run costs milliseconds.
  auto store = open_sqlite_store({options.database, Durability::normal});
  if (!store) return store.error();
  parts.store = *store;
  auto checker = parts.store->open_reader();
  if (!checker) return checker.error();
  server->checker_ = std::move(*checker);

  auto post = [io = server->io_.get()](std::function<void()> handler) {
    asio::post(*io, std::move(handler));
  };
  auto reads = ReadPool::start_stepped(*parts.store, post, Logger());
  if (!reads) return reads.error();
  parts.reads = std::move(*reads);
  parts.writes = std::make_unique<CommitQueue>(parts.store, Logger(), post);
  parts.context.reset(new ServerContext{.limits = simulation_limits(),
                                        .log = Logger(),
                                        .crypto = *options.crypto,
                                        .writes = *parts.writes,
                                        .reads = *parts.reads,
                                        .registry = parts.registry,
                                        .presence = parts.presence,
                                        .clock = options.clock});
  parts.router = std::make_unique<ServiceRouter>(*parts.context);
  parts.presence.on_change([router = parts.router.get()](UserId user, bool online) {
    router->presence_changed(user, online);
  });

  parts.transport = make_in_process_transport(*server->io_);
  ListenOptions listen;
  listen.host = options.host;
  listen.port = options.port;
  auto port = parts.transport->listen(listen, [&parts](std::shared_ptr<Connection> connection) {
    return accept(parts, std::move(connection));
  });
  if (!port) return port.error();
  server->host_ = options.host;
  server->port_ = *port;
  return server;
}

SimServer::~SimServer() = default;

std::string SimServer::url() const {
  return "inproc://" + host_ + ":" + std::to_string(port_);
}

namespace {

ConnectionEvents accept(SimServer::Parts& parts, std::shared_ptr<Connection> connection) {
  auto session = std::make_shared<ClientSession>(*parts.context, *parts.router, connection);
  parts.sessions.push_back(session);
  std::weak_ptr<ClientSession> weak = session;
  ConnectionEvents events;
  events.on_text = [weak](std::string text) {
    if (auto alive = weak.lock()) alive->on_text(std::move(text));
  };
  // Runs on the server's io_context, which is never polled again once the server is gone.
  events.on_closed = [&parts, weak](CloseCode code, std::string_view reason) {
    auto alive = weak.lock();
    if (!alive) return;
    alive->on_closed(code, reason);
    std::erase(parts.sessions, alive);
  };
  return events;
}

}  // namespace

}  // namespace messenger::sim
