#pragma once

#include <sys/types.h>

#include <memory>
#include <vector>

#include "bench_run.hpp"

namespace messenger::bench {

/// A run of messages through connections that are already logged in: warm-up, measured window,
/// drain. Each message's body starts with the sender's steady-clock time in nanoseconds, so
/// the receiver reads its end-to-end latency.
struct LoadPlan {
  std::vector<std::shared_ptr<LoadConnection>> connections;  ///< by user index
  std::vector<ChatId> sender_chat;  ///< by user index: the chat it sends to, 0 for none
  int receivers_per_message = 1;    ///< a message counts as delivered when all of them have it
  double rate = 0;                  ///< offered messages per second in all; 0 = closed loop
  int in_flight = 4;                ///< closed loop: per sender
  double warmup_s = 3;
  double measure_s = 10;
  double drain_s = 5;
  int body_bytes = 100;
  /// Against the echo server: the reply is the message coming back, which counts as its ack
  /// and its delivery at once.
  bool echo = false;
  pid_t server_pid = -1;
};

/// Runs the plan on `io` and reports the fields every message scenario prints: offered and
/// delivered rates, latency percentiles, lost, errors, server CPU per message, and the
/// generator's own CPU share.
Json run_message_load(asio::io_context& io, const LoadPlan& plan);

}  // namespace messenger::bench
