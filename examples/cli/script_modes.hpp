#pragma once

#include "cli_options.hpp"
#include "messenger/client.hpp"

namespace messenger::cli {

// The non-interactive modes, run on a signed-in client. Each prints its stable lines to stdout
// and returns the first error; `timeout` when the wait it was asked for did not end in time.

/// --send-to NAME --message TEXT [--client-msg-id ID] [--wait-status STATUS]
Result<void> run_send(Client& client, const Session& session, const CliOptions& options);

/// --receive N [--mark-seen]
Result<void> run_receive(Client& client, const Session& session, const CliOptions& options);

/// --list-chats
Result<void> run_list_chats(Client& client, const Session& session);

}  // namespace messenger::cli
