#include <atomic>
#include <memory>

#include "client_handle.hpp"
#include "event_box.hpp"
#include "status.hpp"

namespace messenger::capi {
namespace {

/// A C callback and its user data, shared by every copy of the client's
/// handler. `destroy` runs when the last copy goes, which is after the last
/// call: a call in progress holds a copy.
class EventCallback {
 public:
  EventCallback(msgr_event_fn callback, void *user_data)
      : callback_(callback), user_data_(user_data) {}
  EventCallback(const EventCallback &) = delete;
  EventCallback &operator=(const EventCallback &) = delete;
  ~EventCallback() {
    if (destroy_) destroy_(user_data_);
  }

  /// From here on the user data is the callback's to destroy.
  void take_ownership(msgr_destroy_fn destroy) { destroy_ = destroy; }

  void operator()(const ClientEvent &event) const noexcept {
    // Runs on the client's network thread, where an exception has nowhere to
    // go. LIMITATION: an event that cannot be copied for C (out of memory) is
    // not delivered.
    try {
      EventBox box(event);
      callback_(user_data_, &box);
    } catch (...) {
    }
  }

 private:
  msgr_event_fn callback_;
  void *user_data_;
  msgr_destroy_fn destroy_ = nullptr;
};

}  // namespace
}  // namespace messenger::capi

namespace capi = messenger::capi;

extern "C" {

msgr_status msgr_client_poll_event(msgr_client *client, msgr_event **out,
                                   uint32_t timeout_ms) {
  capi::clear(out);
  return capi::guarded(__func__, {{client, "client"}, {out, "out"}}, [&] {
    auto event =
        client->client.poll_event(std::chrono::milliseconds(timeout_ms));
    if (!event)
      return capi::fail(messenger::Errc::timeout,
                        "no event within the timeout");
    *out = new capi::EventBox(*event);
    return MSGR_OK;
  });
}

msgr_status msgr_client_set_event_callback(msgr_client *client,
                                           msgr_event_fn callback,
                                           void *user_data,
                                           msgr_destroy_fn destroy) {
  return capi::guarded(__func__, {{client, "client"}}, [&] {
    if (!callback) {
      client->client.set_event_handler(nullptr);
      return MSGR_OK;
    }
    auto shared = std::make_shared<capi::EventCallback>(callback, user_data);
    std::function<void(const messenger::ClientEvent &)> handler =
        [shared](const messenger::ClientEvent &event) { (*shared)(event); };
    shared->take_ownership(destroy);
    client->client.set_event_handler(std::move(handler));
    return MSGR_OK;
  });
}

}  // extern "C"
