#include "fault/support/fault_proxy.hpp"

#include <array>
#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/post.hpp>
#include <asio/steady_timer.hpp>
#include <asio/write.hpp>
#include <atomic>
#include <functional>
#include <future>
#include <optional>
#include <random>
#include <stdexcept>
#include <thread>
#include <vector>

namespace messenger::test {
namespace {

using asio::ip::tcp;

constexpr std::size_t kChunkBytes = 16 << 10;
// The proxy's thread never blocks, so only a bug makes a call wait this long.
constexpr auto kCallLimit = std::chrono::seconds(10);
// How long the destructor lets aborted operations finish after every socket is closed.
constexpr auto kDrainLimit = std::chrono::seconds(5);
// Pause before accepting again after the accept itself failed (out of descriptors, say).
constexpr auto kAcceptRetry = std::chrono::milliseconds(20);

class Link;

// What the links share with the proxy. Touched on the proxy's thread only, except the
// counters.
struct ProxyState {
  asio::io_context io;
  std::uint16_t server_port = 0;
  bool stall_to_server = false;
  bool stall_to_client = false;
  bool reachable = true;
  std::vector<std::shared_ptr<Link>> links;  // in the order they were accepted

  std::atomic<std::size_t> accepted{0};
  std::atomic<std::size_t> cuts{0};
  std::atomic<std::size_t> open{0};
  std::atomic<std::size_t> bytes_to_server{0};
  std::atomic<std::size_t> bytes_to_client{0};
};

void reset_socket(tcp::socket& socket) {
  asio::error_code ignored;
  socket.set_option(asio::socket_base::linger(true, 0), ignored);
  socket.close(ignored);
}

// One direction of a link: read a chunk, write it on, again. A stalled pipe finishes the
// operation it has started and then rests until the stall ends.
enum class PipeState { idle, reading, holding, writing, holding_end, ended };

struct Pipe {
  tcp::socket& from;
  tcp::socket& to;
  bool to_server;
  std::array<char, kChunkBytes> buffer{};
  std::size_t held_bytes = 0;
  PipeState state = PipeState::idle;
};

// A client's connection and the proxy's own connection to the server, forwarding both ways.
class Link : public std::enable_shared_from_this<Link> {
 public:
  Link(ProxyState& proxy, tcp::socket client)
      : proxy_(proxy), client_(std::move(client)), server_(proxy.io) {
    ++proxy_.open;
  }

  void start() {
    tcp::endpoint server(asio::ip::address_v4::loopback(), proxy_.server_port);
    server_.async_connect(server, [self = shared_from_this()](const asio::error_code& error) {
      if (self->closed_) return;
      if (error) return self->close(CutKind::reset);
      asio::error_code ignored;
      self->client_.set_option(tcp::no_delay(true), ignored);
      self->server_.set_option(tcp::no_delay(true), ignored);
      self->connected_ = true;
      self->resume();
    });
  }

  void resume() {
    if (!connected_) return;
    advance(up_);
    advance(down_);
  }

  void close(CutKind kind) {
    if (closed_) return;
    closed_ = true;
    --proxy_.open;
    auto self = shared_from_this();
    for (auto* socket : {&client_, &server_}) {
      if (kind == CutKind::reset) {
        reset_socket(*socket);
      } else {
        asio::error_code ignored;
        socket->shutdown(tcp::socket::shutdown_both, ignored);
        socket->close(ignored);
      }
    }
    std::erase(proxy_.links, self);
  }

 private:
  bool stalled(const Pipe& pipe) const {
    return pipe.to_server ? proxy_.stall_to_server : proxy_.stall_to_client;
  }

  // Moves a resting pipe on; a pipe waiting for its socket moves on when the operation ends.
  void advance(Pipe& pipe) {
    if (closed_ || stalled(pipe)) return;
    switch (pipe.state) {
      case PipeState::idle:
        return read(pipe);
      case PipeState::holding:
        return write(pipe);
      case PipeState::holding_end:
        return pass_end(pipe);
      default:
        return;
    }
  }

  void read(Pipe& pipe) {
    pipe.state = PipeState::reading;
    pipe.from.async_read_some(
        asio::buffer(pipe.buffer),
        [self = shared_from_this(), &pipe](const asio::error_code& error, std::size_t bytes) {
          if (self->closed_) return;
          if (error == asio::error::eof) {
            pipe.state = PipeState::holding_end;
          } else if (error) {
            return self->close(CutKind::reset);
          } else {
            pipe.held_bytes = bytes;
            pipe.state = PipeState::holding;
          }
          self->advance(pipe);
        });
  }

  void write(Pipe& pipe) {
    pipe.state = PipeState::writing;
    asio::async_write(
        pipe.to, asio::buffer(pipe.buffer.data(), pipe.held_bytes),
        [self = shared_from_this(), &pipe](const asio::error_code& error, std::size_t bytes) {
          if (self->closed_) return;
          if (error) return self->close(CutKind::reset);
          (pipe.to_server ? self->proxy_.bytes_to_server : self->proxy_.bytes_to_client) += bytes;
          pipe.state = PipeState::idle;
          self->advance(pipe);
        });
  }

  // Passes a half-close on, as TCP would: the side that closed first still gets the other
  // side's last bytes (a WebSocket closing handshake depends on it).
  void pass_end(Pipe& pipe) {
    asio::error_code ignored;
    pipe.to.shutdown(tcp::socket::shutdown_send, ignored);
    pipe.state = PipeState::ended;
    if (up_.state == PipeState::ended && down_.state == PipeState::ended) close(CutKind::fin);
  }

  ProxyState& proxy_;
  tcp::socket client_;
  tcp::socket server_;
  Pipe up_{client_, server_, true};
  Pipe down_{server_, client_, false};
  bool connected_ = false;
  bool closed_ = false;
};

}  // namespace

class FaultProxy::Impl {
 public:
  explicit Impl(std::uint16_t server_port) {
    state_.server_port = server_port;
    tcp::endpoint any_port(asio::ip::address_v4::loopback(), 0);
    acceptor_.open(any_port.protocol());
    acceptor_.set_option(asio::socket_base::reuse_address(true));
    acceptor_.bind(any_port);
    acceptor_.listen(asio::socket_base::max_listen_connections);
    port_ = acceptor_.local_endpoint().port();
    accept_next();
    thread_ = std::thread([this] {
      state_.io.run();
      finished_.set_value();
    });
  }

  ~Impl() {
    asio::post(state_.io, [this] { close_everything(); });
    work_.reset();
    if (finished_future_.wait_for(kDrainLimit) != std::future_status::ready) state_.io.stop();
    thread_.join();
  }

  std::uint16_t port() const { return port_; }
  ProxyState& state() { return state_; }

  // Runs `action` on the proxy's thread and returns once it has run.
  void call(std::function<void()> action) {
    auto done = std::make_shared<std::promise<void>>();
    auto future = done->get_future();
    asio::post(state_.io, [action = std::move(action), done] {
      action();
      done->set_value();
    });
    if (future.wait_for(kCallLimit) != std::future_status::ready) {
      throw std::runtime_error("the fault proxy's thread did not answer");
    }
  }

  void cut_all(CutKind kind) {
    auto links = state_.links;
    for (auto& link : links)
      link->close(kind);
    state_.cuts += links.size();
  }

  void resume_all() {
    auto links = state_.links;
    for (auto& link : links)
      link->resume();
  }

  void start_random_cuts(const RandomCuts& cuts) {
    random_cuts_ = cuts;
    random_.seed(cuts.seed);
    ++cut_schedule_;
    schedule_cut();
  }

  void stop_random_cuts() {
    ++cut_schedule_;
    cut_timer_.cancel();
  }

 private:
  void accept_next() {
    acceptor_.async_accept([this](const asio::error_code& error, tcp::socket socket) {
      if (error == asio::error::operation_aborted || !acceptor_.is_open()) return;
      if (error) {
        accept_retry_.expires_after(kAcceptRetry);
        accept_retry_.async_wait([this](const asio::error_code& waited) {
          if (!waited) accept_next();
        });
        return;
      }
      on_accepted(std::move(socket));
      accept_next();
    });
  }

  void on_accepted(tcp::socket socket) {
    ++state_.accepted;
    if (!state_.reachable) return reset_socket(socket);
    auto link = std::make_shared<Link>(state_, std::move(socket));
    state_.links.push_back(link);
    link->start();
  }

  void schedule_cut() {
    std::uniform_int_distribution<std::int64_t> gap(random_cuts_.min_gap.count(),
                                                    random_cuts_.max_gap.count());
    cut_timer_.expires_after(std::chrono::milliseconds(gap(random_)));
    cut_timer_.async_wait([this, schedule = cut_schedule_](const asio::error_code& error) {
      if (error || schedule != cut_schedule_) return;
      cut_one_at_random();
      schedule_cut();
    });
  }

  void cut_one_at_random() {
    if (state_.links.empty()) return;
    std::uniform_int_distribution<std::size_t> pick(0, state_.links.size() - 1);
    auto link = state_.links[pick(random_)];
    link->close(random_cuts_.kind);
    ++state_.cuts;
  }

  void close_everything() {
    asio::error_code ignored;
    acceptor_.close(ignored);
    accept_retry_.cancel();
    stop_random_cuts();
    cut_all(CutKind::reset);
  }

  ProxyState state_;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_{
      asio::make_work_guard(state_.io)};
  tcp::acceptor acceptor_{state_.io};
  asio::steady_timer accept_retry_{state_.io};
  asio::steady_timer cut_timer_{state_.io};
  std::uint16_t port_ = 0;

  RandomCuts random_cuts_;
  std::mt19937 random_;
  std::uint64_t cut_schedule_ = 0;  // a timer left from an older schedule does nothing

  std::promise<void> finished_;
  std::future<void> finished_future_ = finished_.get_future();
  std::thread thread_;
};

FaultProxy::FaultProxy(std::uint16_t server_port) : impl_(std::make_unique<Impl>(server_port)) {}

FaultProxy::~FaultProxy() = default;

std::uint16_t FaultProxy::port() const {
  return impl_->port();
}

std::string FaultProxy::url() const {
  return "ws://127.0.0.1:" + std::to_string(impl_->port()) + "/ws";
}

void FaultProxy::cut_all(CutKind kind) {
  impl_->call([this, kind] { impl_->cut_all(kind); });
}

void FaultProxy::start_random_cuts(const RandomCuts& cuts) {
  impl_->call([this, cuts] { impl_->start_random_cuts(cuts); });
}

void FaultProxy::stop_random_cuts() {
  impl_->call([this] { impl_->stop_random_cuts(); });
}

void FaultProxy::stall(StallDirection direction) {
  impl_->call([this, direction] {
    auto& state = impl_->state();
    state.stall_to_server = direction != StallDirection::to_client;
    state.stall_to_client = direction != StallDirection::to_server;
  });
}

void FaultProxy::resume() {
  impl_->call([this] {
    auto& state = impl_->state();
    state.stall_to_server = false;
    state.stall_to_client = false;
    impl_->resume_all();
  });
}

void FaultProxy::set_reachable(bool reachable) {
  impl_->call([this, reachable] { impl_->state().reachable = reachable; });
}

std::size_t FaultProxy::accepted() const {
  return impl_->state().accepted;
}
std::size_t FaultProxy::cuts() const {
  return impl_->state().cuts;
}
std::size_t FaultProxy::open_links() const {
  return impl_->state().open;
}
std::size_t FaultProxy::bytes_to_server() const {
  return impl_->state().bytes_to_server;
}
std::size_t FaultProxy::bytes_to_client() const {
  return impl_->state().bytes_to_client;
}

}  // namespace messenger::test
