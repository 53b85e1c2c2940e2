#pragma once

#include "cli_options.hpp"
#include "messenger/client.hpp"

namespace messenger::cli {

/// Asks on the terminal for the name and password the options lack, signs in, and runs the
/// chat screen until /quit or the end of input. Errors: those of signing in.
Result<void> run_interactive(Client& client, const CliOptions& options);

}  // namespace messenger::cli
