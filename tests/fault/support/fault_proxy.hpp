#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace messenger::test {

/// How the proxy ends a connection it cuts: a reset (RST, as when a route dies or a NAT
/// forgets the flow) or an orderly end of stream (FIN, as when a middlebox closes it).
enum class CutKind { reset, fin };

/// Which bytes a stalled proxy holds back. Holding one direction only loses replies while the
/// requests still arrive (an acknowledgement lost on the way back).
enum class StallDirection { both, to_client, to_server };

/// Cutting one open connection at a time, at random moments from a seeded generator. The gap
/// between two cuts is drawn evenly from [min_gap, max_gap], which bounds the rate.
struct RandomCuts {
  std::uint32_t seed = 1;
  std::chrono::milliseconds min_gap{200};
  std::chrono::milliseconds max_gap{1000};
  CutKind kind = CutKind::reset;
};

/// A TCP proxy on 127.0.0.1 between clients and one server port, which breaks the network in
/// the ways real networks do: connections cut (now or at random), stalled (bytes held back
/// while both sockets stay open: a silent peer) and the server made unreachable. Clients
/// connect to `url()` instead of the server.
///
/// The proxy runs on a thread of its own. Its methods may be called from any thread; each
/// returns once the proxy has done what it asks.
class FaultProxy {
 public:
  explicit FaultProxy(std::uint16_t server_port);
  ~FaultProxy();
  FaultProxy(const FaultProxy&) = delete;
  FaultProxy& operator=(const FaultProxy&) = delete;

  std::uint16_t port() const;
  /// "ws://127.0.0.1:<port>/ws": the server's WebSocket address, through the proxy.
  std::string url() const;

  /// Cuts every open connection.
  void cut_all(CutKind kind = CutKind::reset);
  /// Starts cutting at random (replacing an earlier schedule); `stop_random_cuts` ends it.
  void start_random_cuts(const RandomCuts& cuts);
  void stop_random_cuts();

  /// Stops forwarding bytes, on open connections and on those opened later, and closes
  /// nothing. `resume` forwards everything held back, in order.
  void stall(StallDirection direction = StallDirection::both);
  void resume();

  /// While unreachable, every new connection is reset at once, as if the server were down.
  /// Open connections are left alone (`cut_all` ends them).
  void set_reachable(bool reachable);

  std::size_t accepted() const;    ///< connections accepted so far
  std::size_t cuts() const;        ///< connections cut so far, on demand or at random
  std::size_t open_links() const;  ///< connections open now
  std::size_t bytes_to_server() const;
  std::size_t bytes_to_client() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace messenger::test
