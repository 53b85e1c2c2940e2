#include "cli_options.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string_view>
#include <vector>

namespace messenger::cli {
namespace {

constexpr const char* kUsage = R"(usage: messenger-cli [options]

Connection and account:
  --url URL              server WebSocket URL (default ws://127.0.0.1:8080/ws)
  --user NAME            user name (asked for in interactive mode when missing)
  --password PW          password; prefer the environment variable MESSENGER_PASSWORD,
                         which other users cannot read in the process list
  --register             create the account first; an existing one falls back to login
  --device NAME          device name shown in the session list (default messenger-cli)
  --log-level LEVEL      library log lines to stderr: trace, debug, info, warn, error,
                         off (the default)

Without a mode below, the client is interactive: /help lists its commands.

Modes for scripts (need --user and a password; output is one line per fact):
  --send-to NAME --message TEXT [--client-msg-id ID] [--wait-status sent|delivered|seen]
                         send TEXT in the direct chat with NAME; print
                         "sent chat=<id> seq=<n> id=<id>", then with --wait-status wait for
                         that status and print "status seq=<n> <status>"
  --receive N [--mark-seen]
                         wait for N messages from others and print each as
                         "message chat=<id> seq=<n> from=<name> text=<text>"
  --list-chats           print one line per chat
  --timeout SECONDS      bound of the waits above (default 30)

  -h, --help             print this text

Exit codes: 0 success, 1 error (printed as "error: <code>: <message>"), 2 bad command line,
3 timeout.
)";

enum ModeMask : unsigned { kAnyMode = 0, kSendMode = 1, kReceiveMode = 2 };

using ApplyOption = Result<void> (*)(CliOptions& options, std::string_view value);

struct OptionSpec {
  std::string_view name;
  bool takes_value = false;
  unsigned only_in = kAnyMode;  ///< the modes the option belongs to; kAnyMode for all
  ApplyOption apply = nullptr;
};

Error usage_error(std::string message) {
  return Error{Errc::bad_request, std::move(message)};
}

Result<void> select_mode(CliOptions& options, Mode mode) {
  if (options.mode != Mode::interactive && options.mode != mode) {
    return usage_error("choose one of --send-to, --receive and --list-chats");
  }
  options.mode = mode;
  return {};
}

Result<std::chrono::milliseconds> parse_seconds(std::string_view text) {
  std::string copy(text);
  char* end = nullptr;
  double seconds = std::strtod(copy.c_str(), &end);
  auto max_seconds = std::chrono::duration<double>(kMaxWaitTimeout).count();
  if (copy.empty() || *end != '\0' || !std::isfinite(seconds) || seconds <= 0 ||
      seconds > max_seconds) {
    return usage_error("--timeout needs a number of seconds above 0, at most " +
                       std::to_string(static_cast<long>(max_seconds)));
  }
  return std::chrono::milliseconds(static_cast<long long>(std::ceil(seconds * 1000)));
}

Result<long> parse_count(std::string_view text) {
  long count = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), count);
  if (error != std::errc() || end != text.data() + text.size() || count < 1 ||
      count > kMaxReceiveCount) {
    return usage_error("--receive needs a count from 1 to " + std::to_string(kMaxReceiveCount));
  }
  return count;
}

Result<MessageStatus> parse_status(std::string_view text) {
  for (auto status : {MessageStatus::sent, MessageStatus::delivered, MessageStatus::seen}) {
    if (text == to_string(status)) return status;
  }
  return usage_error("--wait-status is one of sent, delivered, seen");
}

const std::array kOptions{
    OptionSpec{"url", true, kAnyMode,
               [](CliOptions& o, std::string_view v) -> Result<void> {
                 o.url = v;
                 return {};
               }},
    OptionSpec{"user", true, kAnyMode,
               [](CliOptions& o, std::string_view v) -> Result<void> {
                 o.user = v;
                 return {};
               }},
    OptionSpec{"password", true, kAnyMode,
               [](CliOptions& o, std::string_view v) -> Result<void> {
                 o.password = std::string(v);
                 return {};
               }},
    OptionSpec{"register", false, kAnyMode,
               [](CliOptions& o, std::string_view) -> Result<void> {
                 o.register_first = true;
                 return {};
               }},
    OptionSpec{"device", true, kAnyMode,
               [](CliOptions& o, std::string_view v) -> Result<void> {
                 o.device = v;
                 return {};
               }},
    OptionSpec{"log-level", true, kAnyMode,
               [](CliOptions& o, std::string_view v) -> Result<void> {
                 LogLevel level = LogLevel::off;
                 if (!parse_log_level(v, level)) {
                   return usage_error("--log-level takes trace, debug, info, warn, error or off");
                 }
                 o.log_level = level;
                 return {};
               }},
    OptionSpec{"send-to", true, kSendMode,
               [](CliOptions& o, std::string_view v) -> Result<void> {
                 o.send_to = v;
                 return select_mode(o, Mode::send);
               }},
    OptionSpec{"message", true, kSendMode,
               [](CliOptions& o, std::string_view v) -> Result<void> {
                 o.message = v;
                 return {};
               }},
    OptionSpec{"client-msg-id", true, kSendMode,
               [](CliOptions& o, std::string_view v) -> Result<void> {
                 o.client_msg_id = v;
                 return {};
               }},
    OptionSpec{"wait-status", true, kSendMode,
               [](CliOptions& o, std::string_view v) -> Result<void> {
                 auto status = parse_status(v);
                 if (!status) return status.error();
                 o.wait_status = *status;
                 return {};
               }},
    OptionSpec{"receive", true, kReceiveMode,
               [](CliOptions& o, std::string_view v) -> Result<void> {
                 auto count = parse_count(v);
                 if (!count) return count.error();
                 o.receive_count = *count;
                 return select_mode(o, Mode::receive);
               }},
    OptionSpec{"mark-seen", false, kReceiveMode,
               [](CliOptions& o, std::string_view) -> Result<void> {
                 o.mark_seen = true;
                 return {};
               }},
    OptionSpec{"list-chats", false, kAnyMode,
               [](CliOptions& o, std::string_view) -> Result<void> {
                 return select_mode(o, Mode::list_chats);
               }},
    OptionSpec{"timeout", true, kSendMode | kReceiveMode,
               [](CliOptions& o, std::string_view v) -> Result<void> {
                 auto timeout = parse_seconds(v);
                 if (!timeout) return timeout.error();
                 o.timeout = *timeout;
                 return {};
               }},
};

const OptionSpec* find_option(std::string_view name) {
  for (const auto& spec : kOptions) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

unsigned mask_of(Mode mode) {
  switch (mode) {
    case Mode::send:
      return kSendMode;
    case Mode::receive:
      return kReceiveMode;
    default:
      return kAnyMode;
  }
}

std::string modes_of(unsigned mask) {
  if (mask == (kSendMode | kReceiveMode)) return "--send-to or --receive";
  return mask == kSendMode ? "--send-to" : "--receive";
}

/// Checks what only the whole command line shows: options outside their mode, missing ones.
Result<void> check_complete(const CliOptions& options, bool message_given,
                            const std::vector<const OptionSpec*>& given) {
  for (const auto* spec : given) {
    if (spec->only_in != kAnyMode && (spec->only_in & mask_of(options.mode)) == 0) {
      return usage_error("--" + std::string(spec->name) + " goes with " + modes_of(spec->only_in));
    }
  }
  if (options.mode == Mode::send && !message_given) {
    return usage_error("--send-to needs --message");
  }
  if (options.mode != Mode::interactive) {
    if (options.user.empty()) return usage_error("this mode needs --user");
    if (!options.password) {
      return usage_error(std::string("this mode needs a password: set ") + kPasswordVariable +
                         " or give --password");
    }
  }
  return {};
}

}  // namespace

Result<CliOptions> parse_cli_options(int argc, const char* const* argv,
                                     const char* password_from_env) {
  CliOptions options;
  std::vector<const OptionSpec*> given;
  bool help = false;
  bool message_given = false;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "-h" || arg == "--help") {
      help = true;
      continue;
    }
    if (!arg.starts_with("--"))
      return usage_error("unexpected argument '" + std::string(arg) + "'");

    std::string_view name = arg.substr(2);
    std::optional<std::string_view> value;
    if (auto equals = name.find('='); equals != std::string_view::npos) {
      value = name.substr(equals + 1);
      name = name.substr(0, equals);
    }
    const OptionSpec* spec = find_option(name);
    if (!spec) return usage_error("unknown option --" + std::string(name));
    if (spec->takes_value && !value) {
      if (i + 1 >= argc) return usage_error("--" + std::string(name) + " needs a value");
      value = argv[++i];
    }
    if (!spec->takes_value && value) {
      return usage_error("--" + std::string(name) + " takes no value");
    }

    if (auto applied = spec->apply(options, value.value_or("")); !applied) {
      return applied.error();
    }
    given.push_back(spec);
    message_given = message_given || spec->name == "message";
  }

  if (help) {
    options.mode = Mode::help;
    return options;
  }
  if (!options.password && password_from_env) options.password = password_from_env;
  if (auto complete = check_complete(options, message_given, given); !complete) {
    return complete.error();
  }
  return options;
}

const char* usage_text() noexcept {
  return kUsage;
}

}  // namespace messenger::cli
