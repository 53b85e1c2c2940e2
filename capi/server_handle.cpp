#include <cstddef>
#include <memory>

#include "log_bridge.hpp"
#include "messenger.h"
#include "messenger/server.hpp"
#include "result_boxes.hpp"
#include "sized_struct.hpp"
#include "status.hpp"

struct msgr_server {
  explicit msgr_server(messenger::ServerOptions options)
      : server(std::move(options)) {}

  messenger::Server server;
};

namespace messenger::capi {
namespace {

/// The size of `msgr_server_options` in the first version of the header.
constexpr std::size_t kServerOptionsFirstSize =
    offsetof(msgr_server_options, log_user_data) + sizeof(void *);

/// The C defaults point into the C++ ones, kept for the life of the library, so
/// the two never drift apart.
msgr_server_options default_server_options() {
  static const ServerOptions defaults;
  msgr_server_options options{};
  options.size = sizeof options;
  options.host = defaults.host.c_str();
  options.port = defaults.port;
  options.data_dir = defaults.data_dir.c_str();
  options.durability = static_cast<msgr_durability>(defaults.durability);
  options.password_cost =
      static_cast<msgr_password_cost>(defaults.password_cost);
  options.log_level = static_cast<msgr_log_level>(defaults.log.level);
  return options;
}

/// The C++ options from the caller's struct, or an error message naming what is
/// wrong.
const char *convert(const msgr_server_options &in, ServerOptions &out) {
  msgr_server_options options = default_server_options();
  if (!read_sized(in, kServerOptionsFirstSize, options))
    return "unknown struct size";
  if (!enum_in_range(options.durability, MSGR_DURABILITY_FULL,
                     MSGR_DURABILITY_NORMAL)) {
    return "unknown durability";
  }
  if (!enum_in_range(options.password_cost, MSGR_PASSWORD_COST_INTERACTIVE,
                     MSGR_PASSWORD_COST_MINIMUM)) {
    return "unknown password_cost";
  }
  if (!enum_in_range(options.log_level, MSGR_LOG_TRACE, MSGR_LOG_OFF))
    return "unknown log_level";
  if (options.allowed_origin_count > 0 && !options.allowed_origins) {
    return "allowed_origins is NULL but allowed_origin_count is not 0";
  }

  out.log = make_log_options(options.log_level, options.log_fn,
                             options.log_user_data);
  if (options.host) out.host = options.host;
  out.port = options.port;
  if (options.data_dir) out.data_dir = options.data_dir;
  out.durability = static_cast<Durability>(options.durability);
  if (options.web_root) out.web_root = options.web_root;
  out.threads = options.threads;
  out.password_cost = static_cast<PasswordCost>(options.password_cost);
  for (std::size_t i = 0; i < options.allowed_origin_count; ++i) {
    if (!options.allowed_origins[i]) return "an allowed origin is NULL";
    out.allowed_origins.emplace_back(options.allowed_origins[i]);
  }
  return nullptr;
}

static_assert(static_cast<int>(Durability::normal) == MSGR_DURABILITY_NORMAL);
static_assert(static_cast<int>(PasswordCost::minimum) ==
              MSGR_PASSWORD_COST_MINIMUM);

}  // namespace
}  // namespace messenger::capi

namespace capi = messenger::capi;

extern "C" {

msgr_status msgr_server_options_init(msgr_server_options *options,
                                     size_t size) {
  // The C++ defaults are built on first use, which may allocate.
  return capi::guarded([&] {
    return capi::init_sized("msgr_server_options_init", options, size,
                            capi::kServerOptionsFirstSize,
                            capi::default_server_options());
  });
}

msgr_status msgr_server_create(const msgr_server_options *options,
                               msgr_server **out) {
  capi::clear(out);
  return capi::guarded(__func__, {{options, "options"}, {out, "out"}}, [&] {
    messenger::ServerOptions converted;
    if (const char *wrong = capi::convert(*options, converted)) {
      return capi::invalid("msgr_server_create", wrong);
    }
    *out = new msgr_server(std::move(converted));
    return MSGR_OK;
  });
}

msgr_status msgr_server_start(msgr_server *server) {
  return capi::guarded(__func__, {{server, "server"}},
                       [&] { return capi::finish(server->server.start()); });
}

msgr_status msgr_server_stop(msgr_server *server) {
  return capi::guarded(__func__, {{server, "server"}}, [&] {
    server->server.stop();
    return MSGR_OK;
  });
}

msgr_status msgr_server_port(const msgr_server *server, uint16_t *out) {
  if (out) *out = 0;
  return capi::guarded(__func__, {{server, "server"}, {out, "out"}}, [&] {
    *out = server->server.port();
    return MSGR_OK;
  });
}

msgr_status msgr_server_url(const msgr_server *server, char **out) {
  capi::clear(out);
  return capi::guarded(__func__, {{server, "server"}, {out, "out"}}, [&] {
    *out = capi::copy_string(server->server.url());
    return MSGR_OK;
  });
}

void msgr_server_free(msgr_server *server) { delete server; }

}  // extern "C"
