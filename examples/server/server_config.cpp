#include "server_config.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string_view>
#include <vector>

#include "long_options.hpp"

namespace {

bool parse_number(const std::string& text, unsigned long max, unsigned long& out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size() && out <= max;
}

std::string trim(const std::string& text) {
  auto begin = text.find_first_not_of(" \t\r");
  if (begin == std::string::npos) return {};
  auto end = text.find_last_not_of(" \t\r");
  return text.substr(begin, end - begin + 1);
}

std::string apply(const std::string& key, const std::string& value, ServerConfig& config);

// A config file may name another; this bounds the chain.
constexpr int kMaxConfigDepth = 8;
// The files being read, outermost first: a file found among them again would loop, and is
// named once instead of once per level of the depth bound.
struct OpenConfigFile {
  std::filesystem::path named;     // as given: a relative name inside it is found beside this
  std::filesystem::path resolved;  // what a loop is recognised by
};
std::vector<OpenConfigFile> open_config_files;

constexpr std::string_view kUtf8ByteOrderMark = "\xEF\xBB\xBF";

std::string read_config_file(const std::string& name, ServerConfig& config) {
  auto path = std::filesystem::path(name);
  if (path.is_relative() && !open_config_files.empty()) {
    path = open_config_files.back().named.parent_path() / path;
  }
  std::error_code ignored;
  auto resolved = std::filesystem::weakly_canonical(path, ignored);
  if (resolved.empty()) resolved = path;
  bool loops = std::any_of(open_config_files.begin(), open_config_files.end(),
                           [&](const auto& open) { return open.resolved == resolved; });
  if (loops) return "config file " + path.string() + " names itself, directly or through another";
  if (open_config_files.size() >= kMaxConfigDepth) {
    return "config files nest too deep at " + path.string();
  }
  struct Scope {
    explicit Scope(OpenConfigFile file) { open_config_files.push_back(std::move(file)); }
    ~Scope() { open_config_files.pop_back(); }
  } scope({path, resolved});

  std::ifstream file(path);
  if (!file) return "cannot read config file " + path.string();
  std::string line;
  for (int number = 1; std::getline(file, line); ++number) {
    // Editors on some systems start a UTF-8 file with a byte order mark.
    if (number == 1 && line.starts_with(kUtf8ByteOrderMark)) line.erase(0, 3);
    line = trim(line);
    if (line.empty() || line[0] == '#') continue;
    auto equals = line.find('=');
    if (equals == std::string::npos) {
      return path.string() + ":" + std::to_string(number) + ": expected key = value";
    }
    auto error = apply(trim(line.substr(0, equals)), trim(line.substr(equals + 1)), config);
    if (!error.empty()) return path.string() + ":" + std::to_string(number) + ": " + error;
  }
  return {};
}

std::string apply(const std::string& key, const std::string& value, ServerConfig& config) {
  auto& options = config.options;
  unsigned long number = 0;
  if (key == "host") {
    // Only addresses: the listener binds one, and a name would need a lookup.
    unsigned char address[sizeof(in6_addr)];
    if (inet_pton(AF_INET, value.c_str(), address) != 1 &&
        inet_pton(AF_INET6, value.c_str(), address) != 1) {
      return "host must be an IPv4 or IPv6 address, e.g. 127.0.0.1, 0.0.0.0 or ::1";
    }
    options.host = value;
  } else if (key == "port") {
    if (!parse_number(value, 65535, number)) return "port must be 0 to 65535";
    options.port = static_cast<std::uint16_t>(number);
  } else if (key == "data-dir") {
    options.data_dir = value;
  } else if (key == "log-level") {
    if (!messenger::parse_log_level(value, options.log.level)) {
      return "log-level must be trace, debug, info, warn, error or off";
    }
  } else if (key == "durability") {
    if (value == "full") {
      options.durability = messenger::Durability::full;
    } else if (value == "normal") {
      options.durability = messenger::Durability::normal;
    } else {
      return "durability must be full or normal";
    }
  } else if (key == "password-cost") {
    if (value == "interactive") {
      options.password_cost = messenger::PasswordCost::interactive;
    } else if (value == "moderate") {
      options.password_cost = messenger::PasswordCost::moderate;
    } else if (value == "minimum") {
      options.password_cost = messenger::PasswordCost::minimum;
    } else {
      return "password-cost must be interactive, moderate or minimum";
    }
  } else if (key == "threads") {
    if (!parse_number(value, 256, number)) return "threads must be 0 to 256";
    options.threads = static_cast<unsigned>(number);
  } else if (key == "ping-interval-ms") {
    if (!parse_number(value, 3'600'000, number) || number == 0) {
      return "ping-interval-ms must be 1 to 3600000";
    }
    options.limits.ping_interval = std::chrono::milliseconds(number);
  } else if (key == "pong-timeout-ms") {
    if (!parse_number(value, 3'600'000, number) || number == 0) {
      return "pong-timeout-ms must be 1 to 3600000";
    }
    options.limits.pong_timeout = std::chrono::milliseconds(number);
  } else if (key == "requests-per-second") {
    if (!parse_number(value, 1'000'000, number) || number == 0) {
      return "requests-per-second must be 1 to 1000000";
    }
    options.limits.requests_per_second = static_cast<double>(number);
    options.limits.request_burst = std::max(options.limits.request_burst, 2.0 * number);
  } else if (key == "allow-origin") {
    if (value.empty()) return "allow-origin needs an origin, e.g. https://chat.example.org";
    options.allowed_origins.push_back(value);
  } else if (key == "web-root") {
    options.web_root = value;
  } else if (key == "config") {
    return read_config_file(value, config);
  } else {
    return "unknown option " + key;
  }
  return {};
}

}  // namespace

const char* const kServerUsage = R"(usage: messenger-server [options]

  --host ADDRESS        address to listen on (default 127.0.0.1)
  --port PORT           port to listen on, 0 for any free one (default 8080)
  --data-dir DIR        folder for the SQLite database (default ./data)
  --durability MODE     full (fsync every commit, default) or normal
  --log-level LEVEL     trace, debug, info (default), warn, error, off
  --password-cost COST  work per password hash: interactive (Argon2id, 64 MiB, default),
                        moderate (256 MiB), or minimum (for tests only)
  --threads N           network threads, 0 for one per core (default 0)
  --ping-interval-ms N  silence on a connection before the server pings it (default 20000)
  --pong-timeout-ms N   silence after a ping that marks the peer dead and offline
                        (default 10000)
  --requests-per-second N  requests one connection may make per second, sustained; bursts
                        may reach twice that (default 200)
  --allow-origin ORIGIN browser origin allowed to connect (repeatable; * for any)
  --web-root DIR        folder of static files to serve over HTTP
  --config FILE         read "key = value" lines with the names above
  --help                show this

Stops on SIGINT or SIGTERM: stops accepting, commits what is queued, exits 0.
)";

std::string parse_server_config(const std::vector<std::string>& args, ServerConfig& config) {
  return messenger::examples::read_long_options(
      args, config.show_help, [&config](const std::string& name, const std::string& value) {
        return apply(name, value, config);
      });
}
