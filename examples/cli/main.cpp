// messenger-cli: a terminal client for a messenger server, interactive or driven by scripts.
// `messenger-cli --help` lists the options; docs/cli.md describes the output.
#include <fmt/core.h>

#include <cstdio>
#include <cstdlib>

#include "cli_options.hpp"
#include "console.hpp"
#include "interactive_mode.hpp"
#include "messenger/client.hpp"
#include "script_modes.hpp"
#include "sign_in.hpp"

namespace messenger::cli {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;
constexpr int kExitTimeout = 3;

ClientOptions client_options(const CliOptions& options) {
  ClientOptions client;
  client.url = options.url;
  client.device = options.device;
  if (options.log_level) {
    client.log.level = *options.log_level;
    client.log.sink = [](LogLevel level, std::string_view tag, std::string_view line) {
      fmt::print(stderr, "[{}] {}: {}\n", to_string(level), tag, line);
    };
  }
  return client;
}

Result<void> run_script_mode(Client& client, const CliOptions& options) {
  auto session = sign_in(client, {options.user, *options.password, options.register_first});
  if (!session) return session.error();
  switch (options.mode) {
    case Mode::send:
      return run_send(client, *session, options);
    case Mode::receive:
      return run_receive(client, *session, options);
    case Mode::list_chats:
      return run_list_chats(client, *session);
    default:
      return Error{Errc::internal, "not a mode for scripts"};
  }
}

int run(int argc, char** argv) {
  auto options = parse_cli_options(argc, argv, std::getenv(kPasswordVariable));
  if (!options) {
    print_problem(options.error().message + " (see --help)");
    return kExitUsage;
  }
  if (options->mode == Mode::help) {
    fmt::print(stdout, "{}", usage_text());
    return kExitOk;
  }

  Client client(client_options(*options));
  auto done = options->mode == Mode::interactive ? run_interactive(client, *options)
                                                 : run_script_mode(client, *options);
  client.close();
  if (!done) {
    print_error(done.error());
    return done.code() == Errc::timeout ? kExitTimeout : kExitFailure;
  }
  return kExitOk;
}

}  // namespace
}  // namespace messenger::cli

int main(int argc, char** argv) {
  return messenger::cli::run(argc, argv);
}
