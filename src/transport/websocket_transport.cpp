#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "log/logger.hpp"
#include "messenger/transport.hpp"
#include "transport/client_handshake.hpp"
#include "transport/websocket_listener.hpp"

namespace messenger {
namespace {

class WebSocketTransport final : public Transport {
 public:
  WebSocketTransport(asio::io_context& io, LogOptions log)
      : io_(io), log_(std::make_shared<const Logger>(std::move(log), "transport")) {}

  ~WebSocketTransport() override { stop_listening(); }

  Result<std::uint16_t> listen(const ListenOptions& options, AcceptHandler on_accept) override {
    auto context = std::make_shared<transport::ListenerContext>();
    context->options = options;
    context->on_accept = std::move(on_accept);
    context->log = log_;
    auto listener = transport::WebSocketListener::open(io_, std::move(context));
    if (!listener) {
      log_->warn("{}", listener.error().message);
      return listener.error();
    }
    (*listener)->start();
    std::lock_guard lock(mutex_);
    listeners_.push_back(*listener);
    return (*listener)->port();
  }

  void stop_listening() override {
    std::lock_guard lock(mutex_);
    for (const auto& listener : listeners_)
      listener->stop();
    listeners_.clear();
  }

  void connect(const ConnectOptions& options, ConnectionEvents events,
               ConnectHandler on_done) override {
    std::make_shared<transport::ClientHandshake>(io_, options, std::move(events),
                                                 std::move(on_done), log_)
        ->start();
  }

 private:
  asio::io_context& io_;
  std::shared_ptr<const Logger> log_;
  std::mutex mutex_;
  std::vector<std::shared_ptr<transport::WebSocketListener>> listeners_;
};

}  // namespace

std::shared_ptr<Transport> make_websocket_transport(asio::io_context& io, LogOptions log) {
  return std::make_shared<WebSocketTransport>(io, std::move(log));
}

}  // namespace messenger
