#pragma once

#include "bench_run.hpp"

namespace messenger::bench {

// One function per scenario; each returns the run's JSON report (see docs/benchmarks.md).
Json run_chat(const BenchOptions& options);
Json run_echo_ceiling(const BenchOptions& options);
Json run_fanout(const BenchOptions& options);
Json run_idle(const BenchOptions& options);
Json run_connect(const BenchOptions& options);
Json run_reconnect(const BenchOptions& options);
Json run_history(const BenchOptions& options);
Json run_sqlite_ceiling(const BenchOptions& options);

/// The echo server of `echo-ceiling`: our transport and nothing else. Returns the exit code.
int serve_echo();

/// A report for a run that could not start.
Json failed_run(const std::string& scenario, const std::string& error);

}  // namespace messenger::bench
