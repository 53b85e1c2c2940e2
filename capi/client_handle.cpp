#include "client_handle.hpp"

#include <cstddef>

#include "log_bridge.hpp"
#include "result_boxes.hpp"
#include "sized_struct.hpp"
#include "status.hpp"

namespace messenger::capi {
namespace {

/// The size of `msgr_client_options` in the first version of the header.
constexpr std::size_t kClientOptionsFirstSize =
    offsetof(msgr_client_options, log_user_data) + sizeof(void *);

/// The C defaults point into the C++ ones, kept for the life of the library, so
/// the two never drift apart.
msgr_client_options default_client_options() {
  static const ClientOptions defaults;
  msgr_client_options options{};
  options.size = sizeof options;
  options.url = defaults.url.c_str();
  options.device = defaults.device.c_str();
  options.request_timeout_ms =
      static_cast<uint32_t>(defaults.request_timeout.count());
  options.auto_ack_delivered = defaults.auto_ack_delivered ? 1 : 0;
  options.reconnect = defaults.reconnect ? 1 : 0;
  options.reconnect_min_ms =
      static_cast<uint32_t>(defaults.reconnect_min.count());
  options.reconnect_max_ms =
      static_cast<uint32_t>(defaults.reconnect_max.count());
  options.log_level = static_cast<msgr_log_level>(defaults.log.level);
  return options;
}

/// The C++ options from the caller's struct, or an error message naming what is
/// wrong.
const char *convert(const msgr_client_options &in, ClientOptions &out) {
  msgr_client_options options = default_client_options();
  if (!read_sized(in, kClientOptionsFirstSize, options))
    return "unknown struct size";
  if (options.reconnect_min_ms > options.reconnect_max_ms) {
    return "reconnect_min_ms is above reconnect_max_ms";
  }
  if (!enum_in_range(options.log_level, MSGR_LOG_TRACE, MSGR_LOG_OFF))
    return "unknown log_level";

  out.log = make_log_options(options.log_level, options.log_fn,
                             options.log_user_data);
  if (options.url) out.url = options.url;
  if (options.device) out.device = options.device;
  out.request_timeout = std::chrono::milliseconds(options.request_timeout_ms);
  out.auto_ack_delivered = options.auto_ack_delivered != 0;
  out.reconnect = options.reconnect != 0;
  out.reconnect_min = std::chrono::milliseconds(options.reconnect_min_ms);
  out.reconnect_max = std::chrono::milliseconds(options.reconnect_max_ms);
  if (options.data_file) out.data_file = options.data_file;
  return nullptr;
}

}  // namespace
}  // namespace messenger::capi

namespace capi = messenger::capi;

extern "C" {

msgr_status msgr_client_options_init(msgr_client_options *options,
                                     size_t size) {
  // The C++ defaults are built on first use, which may allocate.
  return capi::guarded([&] {
    return capi::init_sized("msgr_client_options_init", options, size,
                            capi::kClientOptionsFirstSize,
                            capi::default_client_options());
  });
}

msgr_status msgr_client_create(const msgr_client_options *options,
                               msgr_client **out) {
  capi::clear(out);
  return capi::guarded(__func__, {{options, "options"}, {out, "out"}}, [&] {
    messenger::ClientOptions converted;
    if (const char *wrong = capi::convert(*options, converted)) {
      return capi::invalid("msgr_client_create", wrong);
    }
    *out = new msgr_client(std::move(converted));
    return MSGR_OK;
  });
}

void msgr_client_free(msgr_client *client) { delete client; }

msgr_status msgr_client_connect(msgr_client *client) {
  return capi::guarded(__func__, {{client, "client"}},
                       [&] { return capi::finish(client->client.connect()); });
}

msgr_status msgr_client_close(msgr_client *client) {
  return capi::guarded(__func__, {{client, "client"}}, [&] {
    client->client.close();
    return MSGR_OK;
  });
}

msgr_status msgr_client_state(const msgr_client *client,
                              msgr_connection_state *out) {
  if (out) *out = MSGR_STATE_DISCONNECTED;
  return capi::guarded(__func__, {{client, "client"}, {out, "out"}}, [&] {
    *out = static_cast<msgr_connection_state>(client->client.state());
    return MSGR_OK;
  });
}

msgr_status msgr_client_register(msgr_client *client, const char *name,
                                 const char *password, msgr_session **out) {
  capi::clear(out);
  return capi::guarded(
      __func__, {{client, "client"}, {name, "name"}, {password, "password"}},
      [&] {
        return capi::deliver<capi::SessionBox>(
            client->client.register_user(name, password), out);
      });
}

msgr_status msgr_client_login(msgr_client *client, const char *name,
                              const char *password, msgr_session **out) {
  capi::clear(out);
  return capi::guarded(
      __func__, {{client, "client"}, {name, "name"}, {password, "password"}},
      [&] {
        return capi::deliver<capi::SessionBox>(
            client->client.login(name, password), out);
      });
}

msgr_status msgr_client_resume(msgr_client *client, const char *token,
                               msgr_user **out) {
  capi::clear(out);
  return capi::guarded(__func__, {{client, "client"}, {token, "token"}}, [&] {
    return capi::deliver<capi::UserBox>(client->client.resume(token), out);
  });
}

msgr_status msgr_client_logout(msgr_client *client) {
  return capi::guarded(__func__, {{client, "client"}},
                       [&] { return capi::finish(client->client.logout()); });
}

msgr_status msgr_client_logout_all(msgr_client *client) {
  return capi::guarded(__func__, {{client, "client"}}, [&] {
    return capi::finish(client->client.logout_all());
  });
}

msgr_status msgr_client_change_password(msgr_client *client,
                                        const char *current,
                                        const char *replacement) {
  return capi::guarded(
      __func__,
      {{client, "client"}, {current, "current"}, {replacement, "replacement"}},
      [&] {
        return capi::finish(
            client->client.change_password(current, replacement));
      });
}

msgr_status msgr_client_user(const msgr_client *client, msgr_user **out) {
  capi::clear(out);
  return capi::guarded(__func__, {{client, "client"}, {out, "out"}}, [&] {
    auto user = client->client.user();
    if (!user)
      return capi::fail(messenger::Errc::unauthenticated,
                        "no user is logged in");
    *out = new capi::UserBox(*user);
    return MSGR_OK;
  });
}

}  // extern "C"
