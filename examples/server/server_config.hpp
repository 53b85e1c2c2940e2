#pragma once

#include <string>
#include <vector>

#include "messenger/server.hpp"

/// What `messenger-server` was asked to do, from its flags and an optional config file.
struct ServerConfig {
  messenger::ServerOptions options;
  bool show_help = false;
};

/// Reads flags (and the `--config FILE` they name, whose `key = value` lines use the flags'
/// names without dashes; flags given after it win). Returns an error message, or empty.
std::string parse_server_config(const std::vector<std::string>& args, ServerConfig& config);

extern const char* const kServerUsage;
