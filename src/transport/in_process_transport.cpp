#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <asio/strand.hpp>

#include <array>
#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "messenger/transport.hpp"

namespace messenger {
namespace {

constexpr std::string_view kScheme = "inproc://";
// Ports handed out for port 0, from the dynamic range so they read like real ones in logs.
constexpr std::uint32_t kFirstPickedPort = 49152;
constexpr std::uint32_t kLastPort = 65535;

using Strand = asio::strand<asio::io_context::executor_type>;

// One end of a pipe. `events` and `finished` are touched on its strand only.
struct PipeSide {
  explicit PipeSide(asio::io_context& io) : strand(asio::make_strand(io)) {}

  Strand strand;
  ConnectionEvents events;
  bool finished = false;
  std::atomic<bool> closing{false};
  std::atomic<std::size_t> queued{0};  // sent by this side, not yet handed to the other
  std::size_t max_queued = 0;
  std::string peer;
};

struct Pipe {
  Pipe(asio::io_context& client_io, asio::io_context& server_io)
      : sides{std::make_unique<PipeSide>(client_io), std::make_unique<PipeSide>(server_io)} {}

  std::array<std::unique_ptr<PipeSide>, 2> sides;
};

void finish(const std::shared_ptr<Pipe>& pipe, std::size_t index, CloseCode code,
            std::string reason) {
  asio::post(pipe->sides[index]->strand, [pipe, index, code, reason = std::move(reason)] {
    PipeSide& side = *pipe->sides[index];
    if (side.finished) return;
    side.finished = true;
    // Dropping the callbacks breaks cycles through handlers that hold this connection.
    ConnectionEvents events = std::move(side.events);
    side.events = {};
    if (events.on_closed) events.on_closed(code, reason);
  });
}

class InProcessConnection final : public Connection {
 public:
  InProcessConnection(std::shared_ptr<Pipe> pipe, std::size_t index)
      : pipe_(std::move(pipe)), index_(index) {}

  void send_text(std::string text) override {
    PipeSide& self = *pipe_->sides[index_];
    if (self.closing.load()) return;
    const std::size_t size = text.size();
    if (self.queued.fetch_add(size) + size > self.max_queued) {
      self.queued -= size;
      close(CloseCode::policy_violation, "send queue full");
      return;
    }
    asio::post(pipe_->sides[1 - index_]->strand,
               [pipe = pipe_, index = index_, size, text = std::move(text)]() mutable {
                 pipe->sides[index]->queued -= size;
                 PipeSide& receiver = *pipe->sides[1 - index];
                 if (!receiver.finished && receiver.events.on_text) {
                   receiver.events.on_text(std::move(text));
                 }
               });
  }

  void close(CloseCode code, std::string_view reason) override {
    if (pipe_->sides[index_]->closing.exchange(true)) return;
    pipe_->sides[1 - index_]->closing = true;
    // Both ends learn the outcome after every message already sent to them.
    finish(pipe_, index_, code, std::string(reason));
    finish(pipe_, 1 - index_, code, std::string(reason));
  }

  const std::string& peer() const override { return pipe_->sides[index_]->peer; }
  std::size_t queued_bytes() const override { return pipe_->sides[index_]->queued.load(); }

 private:
  std::shared_ptr<Pipe> pipe_;
  std::size_t index_;
};

struct InProcessListener {
  asio::io_context* io = nullptr;
  AcceptHandler on_accept;
  TransportLimits limits;
  const void* owner = nullptr;
};

// Listeners of every in-process transport in the process, by "inproc://host:port".
class ListenerRegistry {
 public:
  static ListenerRegistry& instance() {
    static ListenerRegistry registry;
    return registry;
  }

  Result<std::uint16_t> add(const std::string& host, std::uint16_t port,
                            std::shared_ptr<InProcessListener> listener) {
    std::lock_guard lock(mutex_);
    if (port == 0) {
      for (std::uint32_t candidate = kFirstPickedPort; candidate <= kLastPort; ++candidate) {
        if (!listeners_.count(name(host, candidate))) {
          port = static_cast<std::uint16_t>(candidate);
          break;
        }
      }
      if (port == 0) return Error{Errc::disconnected, "no free in-process port"};
    }
    auto [slot, inserted] = listeners_.try_emplace(name(host, port), std::move(listener));
    if (!inserted) return Error{Errc::disconnected, slot->first + " is already listening"};
    return port;
  }

  std::shared_ptr<InProcessListener> find(const std::string& url) {
    std::lock_guard lock(mutex_);
    auto found = listeners_.find(url);
    return found == listeners_.end() ? nullptr : found->second;
  }

  void remove_all_of(const void* owner) {
    std::lock_guard lock(mutex_);
    std::erase_if(listeners_, [owner](const auto& entry) { return entry.second->owner == owner; });
  }

 private:
  static std::string name(const std::string& host, std::uint32_t port) {
    return std::string(kScheme) + host + ":" + std::to_string(port);
  }

  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<InProcessListener>> listeners_;
};

class InProcessTransport final : public Transport {
 public:
  explicit InProcessTransport(asio::io_context& io) : io_(io) {}
  ~InProcessTransport() override { stop_listening(); }

  Result<std::uint16_t> listen(const ListenOptions& options, AcceptHandler on_accept) override {
    auto listener = std::make_shared<InProcessListener>();
    listener->io = &io_;
    listener->on_accept = std::move(on_accept);
    listener->limits = options.limits;
    listener->owner = this;
    return ListenerRegistry::instance().add(options.host, options.port, std::move(listener));
  }

  void stop_listening() override { ListenerRegistry::instance().remove_all_of(this); }

  void connect(const ConnectOptions& options, ConnectionEvents events,
               ConnectHandler on_done) override {
    auto listener = ListenerRegistry::instance().find(options.url);
    if (!listener) {
      asio::post(io_, [on_done = std::move(on_done), url = options.url] {
        on_done(Error{Errc::disconnected, "no in-process listener at " + url});
      });
      return;
    }

    auto pipe = std::make_shared<Pipe>(io_, *listener->io);
    PipeSide& client = *pipe->sides[0];
    PipeSide& server = *pipe->sides[1];
    client.events = std::move(events);
    client.max_queued = options.limits.max_queued_bytes;
    client.peer = options.url;
    server.max_queued = listener->limits.max_queued_bytes;
    server.peer = "inproc-client-" + std::to_string(++next_client_);

    // The server side's strand runs on_accept before any message posted to it.
    asio::post(server.strand, [pipe, listener] {
      auto connection = std::make_shared<InProcessConnection>(pipe, 1);
      pipe->sides[1]->events = listener->on_accept(connection);
    });
    asio::post(client.strand, [pipe, on_done = std::move(on_done)] {
      on_done(std::shared_ptr<Connection>(std::make_shared<InProcessConnection>(pipe, 0)));
    });
  }

 private:
  asio::io_context& io_;
  std::atomic<std::uint64_t> next_client_{0};
};

}  // namespace

std::shared_ptr<Transport> make_in_process_transport(asio::io_context& io) {
  return std::make_shared<InProcessTransport>(io);
}

}  // namespace messenger
