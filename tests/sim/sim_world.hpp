#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "sim/model_client.hpp"
#include "sim/sim_crypto.hpp"
#include "sim/sim_random.hpp"
#include "sim/sim_server.hpp"
#include "sim/virtual_clock.hpp"

namespace asio {
class io_context;
}

namespace messenger::sim {

/// How often each kind of step is taken, as relative weights.
struct StepWeights {
  unsigned deliver = 60;  ///< run one pending handler, of the server or of the clients
  unsigned send = 12;
  unsigned seen = 4;
  unsigned typing = 2;
  unsigned cut = 3;
  unsigned reconnect = 8;
  unsigned restart = 1;  ///< a device's process restarts
  unsigned crash = 1;    ///< the server's process dies and starts again on the same file
  unsigned tick = 6;     ///< virtual time passes
};

/// What a finished run leaves: the hash of every device's trace, and what went wrong.
struct RunOutcome {
  std::uint64_t digest = 0;
  Violations violations;
  std::string traces;  ///< every device's trace, when asked for
};

/// One seeded run: a virtual clock, a stepped server on a SQLite file in a temporary folder,
/// model clients, and a PRNG that picks every step. Everything runs on the calling thread, so
/// the same seed gives the same run.
class World {
 public:
  World(std::uint64_t seed, StepWeights weights);
  ~World();
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  /// Adds a device of user `name`; the first device of a name registers the user.
  ModelClient& add_device(const std::string& name);
  /// Connects every device that is down and runs until all is quiet. False (and a violation)
  /// when it does not come to rest within a bound.
  bool settle(bool reconnect = true);
  /// The first device of `owner` makes a direct chat or a group; remembers who was in it from
  /// the start, for the checks. Returns 0 when it failed (and records a violation).
  ChatId open_direct_chat(ModelClient& owner, UserId other);
  ChatId create_group(ModelClient& owner, const std::vector<UserId>& members);

  /// One random step; see StepWeights.
  void step();
  void crash();
  void advance(std::chrono::milliseconds by);

  /// The delivery contract against the store: call after `settle`.
  void check_contract();
  /// Every live device shows each contact online exactly when one of their devices is live.
  void check_presence();

  SimRandom& random() { return random_; }
  VirtualClock& clock() { return clock_; }
  std::vector<std::unique_ptr<ModelClient>>& devices() { return devices_; }
  void violation(const std::string& what) { violations_.push_back(what); }
  void note(const std::string& line);
  RunOutcome outcome(bool with_traces) const;

 private:
  enum class StepKind { deliver, send, seen, typing, cut, reconnect, restart, crash, tick };

  StepKind pick_step();
  bool poll_one();
  ModelClient& pick_device();
  ChatId remember_chat(ModelClient& owner, std::size_t made_before);
  std::vector<Message> stored_history(ChatId chat);

  SimRandom random_;
  StepWeights weights_;
  VirtualClock clock_;
  SimCrypto crypto_;
  Violations violations_;
  Trace trace_;
  std::filesystem::path folder_;
  std::shared_ptr<asio::io_context> client_io_;
  std::shared_ptr<Transport> client_transport_;
  // Each crashed server's io_context, never polled again: the connections to it keep
  // references to it until the clients let go of them, at the end of the run.
  std::vector<std::shared_ptr<asio::io_context>> dead_servers_;
  std::unique_ptr<SimServer> server_;
  std::vector<std::unique_ptr<ModelClient>> devices_;
  std::set<std::string> users_;
  std::map<ChatId, std::vector<UserId>> first_members_;
  int crashes_ = 0;
  int texts_ = 0;
};

/// A scenario: builds the world for a seed, runs it, checks it.
using Scenario = RunOutcome (*)(std::uint64_t seed, bool with_traces);

}  // namespace messenger::sim
