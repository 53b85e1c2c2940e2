// messenger-bench: the load generator and benchmark scenarios (see docs/benchmarks.md).
#include <cstdio>
#include <exception>
#include <functional>
#include <map>

#include "scenarios.hpp"

using namespace messenger::bench;

int main(int argc, char** argv) {
  BenchOptions options;
  auto error = parse_bench_options({argv + 1, argv + argc}, options);
  if (!error.empty()) {
    std::fprintf(stderr, "messenger-bench: %s\n(see --help)\n", error.c_str());
    return 2;
  }
  if (options.show_help) {
    std::fputs(kBenchUsage, stdout);
    return 0;
  }
  if (options.scenario == "echo-server") return serve_echo();

  const std::map<std::string, std::function<Json(const BenchOptions&)>> scenarios{
      {"chat", run_chat},       {"echo-ceiling", run_echo_ceiling},
      {"fanout", run_fanout},   {"idle", run_idle},
      {"connect", run_connect}, {"reconnect", run_reconnect},
      {"history", run_history}, {"sqlite-ceiling", run_sqlite_ceiling}};
  auto found = scenarios.find(options.scenario);
  if (found == scenarios.end()) {
    std::fprintf(stderr, "messenger-bench: unknown scenario '%s'\n(see --help)\n",
                 options.scenario.c_str());
    return 2;
  }
  Json report;
  try {
    report = found->second(options);
  } catch (const std::exception& failure) {
    // SQLiteCpp reports by exception; a scenario that hits one still prints its one object.
    report = failed_run(options.scenario, failure.what());
  }
  std::printf("%s\n", report.dump().c_str());
  const bool clean = report.value("ready", 0) > 0 && report.value("lost", 0LL) == 0 &&
                     report.value("errors", 0LL) == 0;
  return clean ? 0 : 1;
}
