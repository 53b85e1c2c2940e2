#include "messenger/server.hpp"

#include <algorithm>
#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>
#include <filesystem>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "server/client_session.hpp"
#include "server/commit_queue.hpp"
#include "server/data_folder_lock.hpp"
#include "server/read_pool.hpp"
#include "server/server_context.hpp"
#include "server/service_router.hpp"
#include "server/static_files.hpp"

namespace messenger {
namespace {

constexpr const char* kDatabaseFile = "messenger.db";
// Readers also hash passwords, which takes one core and 64 MiB each while it runs.
constexpr unsigned kReaderThreads = 2;
// How long a stopping server waits for its connections to finish their closing handshakes.
constexpr auto kCloseGrace = std::chrono::seconds(3);

}  // namespace

class Server::Impl {
 public:
  Impl(ServerOptions options, asio::io_context* external)
      : options_(std::move(options)), io_(external) {
    if (!io_) {
      own_io_ = std::make_unique<asio::io_context>();
      io_ = own_io_.get();
    }
  }

  ~Impl() { stop(); }

  Result<void> start() {
    std::lock_guard lock(lifecycle_);
    if (started_) return Result<void>(Errc::internal, "the server is already started");

    if (!options_.web_root.empty()) {
      // An embedder's own store has no data folder to keep out of the web root.
      auto data_dir = options_.store ? std::string() : options_.data_dir;
      if (auto checked = StaticFiles::check_root(options_.web_root, data_dir); !checked) {
        return checked;
      }
    }
    if (auto opened = open_parts(); !opened) return opened;
    context_.reset(new ServerContext{options_.limits, Logger(options_.log, "server"), *crypto_,
                                     *writes_, *reads_, registry_, presence_});
    router_ = std::make_unique<ServiceRouter>(*context_);
    presence_.on_change([this](UserId user, bool online) {
      if (!context_->stopping) router_->presence_changed(user, online);
    });

    auto port = transport_->listen(listen_options(),
                                   [this](std::shared_ptr<Connection> c) { return accept(c); });
    if (!port) {
      reads_->stop();
      writes_->stop();
      // The transport says `disconnected`; for a server that never started, the address is the
      // problem, which the header promises as `internal`.
      return Error{Errc::internal, port.error().message};
    }
    port_ = *port;

    if (own_io_) {
      work_.emplace(asio::make_work_guard(*io_));
      unsigned count = options_.threads ? options_.threads : std::thread::hardware_concurrency();
      for (unsigned i = 0; i < std::max(1u, count); ++i)
        threads_.emplace_back([this] { io_->run(); });
    }
    started_ = true;
    context_->log.info("listening on {}", url_locked());
    return {};
  }

  void stop() {
    std::lock_guard lock(lifecycle_);
    if (!started_ || stopped_) return;
    stopped_ = true;
    context_->log.info("stopping: {} connections open", open_count());

    transport_->stop_listening();
    context_->stopping = true;
    reads_->stop();
    writes_->stop();
    for (auto& session : open_sessions())
      session->close(CloseCode::going_away, "server stopping");
    wait_for_connections();

    if (own_io_) {
      work_.reset();
      io_->stop();
      for (auto& thread : threads_)
        thread.join();
      threads_.clear();
    }
    // Everything is committed: another server may take the folder over now.
    folder_lock_.reset();
    context_->log.info("stopped");
  }

  std::uint16_t port() const { return port_; }

  std::string url() const {
    std::lock_guard lock(lifecycle_);
    if (!started_) return {};
    return url_locked();
  }

 private:
  Result<void> open_parts() {
    Logger store_log(options_.log, "store");
    if (!options_.store) {
      std::error_code ec;
      std::filesystem::create_directories(options_.data_dir, ec);
      if (ec) {
        return Result<void>(Errc::storage_error,
                            "cannot create data folder " + options_.data_dir + ": " + ec.message());
      }
      auto lock = DataFolderLock::acquire(options_.data_dir);
      if (!lock) return lock.error();
      folder_lock_ = std::move(*lock);
      auto path = (std::filesystem::path(options_.data_dir) / kDatabaseFile).string();
      auto store = open_sqlite_store({path, options_.durability}, options_.log);
      if (!store) return store.error();
      options_.store = *store;
      store_log.info("opened {}", path);
    }
    if (!options_.crypto) options_.crypto = make_sodium_crypto({options_.password_cost});
    if (!options_.transport) options_.transport = make_websocket_transport(*io_, options_.log);
    crypto_ = options_.crypto;
    transport_ = options_.transport;

    auto reads = ReadPool::start(*options_.store, kReaderThreads, store_log);
    if (!reads) return reads.error();
    reads_ = std::move(*reads);
    writes_ = std::make_unique<CommitQueue>(options_.store, store_log);
    return {};
  }

  ListenOptions listen_options() const {
    ListenOptions listen;
    listen.host = options_.host;
    listen.port = options_.port;
    listen.allowed_origins = options_.allowed_origins;
    listen.limits.max_message_bytes = options_.limits.max_frame_bytes;
    listen.limits.max_queued_bytes = options_.limits.max_queued_bytes;
    listen.limits.ping_interval = options_.limits.ping_interval;
    listen.limits.pong_timeout = options_.limits.pong_timeout;
    std::optional<StaticFiles> files;
    if (!options_.web_root.empty()) files.emplace(options_.web_root);
    listen.http = [files = std::move(files)](const HttpRequest& request) {
      if (request.target == "/healthz") {
        HttpResponse response;
        response.status = 200;
        response.body = "ok\n";
        return response;
      }
      if (files) return files->serve(request);
      HttpResponse response;
      response.body = "not found\n";
      return response;
    };
    return listen;
  }

  ConnectionEvents accept(const std::shared_ptr<Connection>& connection) {
    auto session = std::make_shared<ClientSession>(*context_, *router_, connection);
    {
      std::lock_guard lock(sessions_mutex_);
      open_[session.get()] = session;
    }
    context_->log.info("connection from {}", connection->peer());
    ConnectionEvents events;
    events.on_text = [session](std::string text) { session->on_text(std::move(text)); };
    events.on_closed = [this, session](CloseCode code, std::string_view reason) {
      session->on_closed(code, reason);
      std::lock_guard lock(sessions_mutex_);
      open_.erase(session.get());
      closed_.notify_all();
    };
    return events;
  }

  std::vector<std::shared_ptr<ClientSession>> open_sessions() {
    std::lock_guard lock(sessions_mutex_);
    std::vector<std::shared_ptr<ClientSession>> sessions;
    for (auto& [raw, session] : open_)
      sessions.push_back(session);
    return sessions;
  }

  std::size_t open_count() {
    std::lock_guard lock(sessions_mutex_);
    return open_.size();
  }

  void wait_for_connections() {
    std::unique_lock lock(sessions_mutex_);
    // With an embedder's io_context nobody may be running it right now: do not wait forever.
    closed_.wait_for(lock, kCloseGrace, [this] { return open_.empty(); });
  }

  std::string url_locked() const {
    // An IPv6 address goes in brackets, or its colons would run into the port's.
    bool v6 = options_.host.find(':') != std::string::npos;
    auto host = v6 ? "[" + options_.host + "]" : options_.host;
    return "ws://" + host + ":" + std::to_string(port_) + "/ws";
  }

  ServerOptions options_;
  std::unique_ptr<asio::io_context> own_io_;
  asio::io_context* io_;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_;
  std::vector<std::thread> threads_;

  std::optional<DataFolderLock> folder_lock_;
  std::shared_ptr<Crypto> crypto_;
  std::shared_ptr<Transport> transport_;
  std::unique_ptr<ReadPool> reads_;
  std::unique_ptr<CommitQueue> writes_;
  SessionRegistry registry_;
  PresenceTable presence_;
  std::unique_ptr<ServerContext> context_;
  std::unique_ptr<ServiceRouter> router_;

  mutable std::mutex lifecycle_;
  bool started_ = false;
  bool stopped_ = false;
  std::uint16_t port_ = 0;

  std::mutex sessions_mutex_;
  std::condition_variable closed_;
  std::unordered_map<ClientSession*, std::shared_ptr<ClientSession>> open_;
};

Server::Server(ServerOptions options)
    : impl_(std::make_unique<Impl>(std::move(options), nullptr)) {}

Server::Server(ServerOptions options, asio::io_context& io)
    : impl_(std::make_unique<Impl>(std::move(options), &io)) {}

Server::~Server() = default;

Result<void> Server::start() {
  return impl_->start();
}
void Server::stop() {
  impl_->stop();
}
std::uint16_t Server::port() const {
  return impl_->port();
}
std::string Server::url() const {
  return impl_->url();
}

}  // namespace messenger
