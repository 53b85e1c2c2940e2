#include "fault/support/recorded_client.hpp"

#include <stdexcept>

#include "fault/support/event_views.hpp"
#include "integration/support/test_server.hpp"

namespace messenger::test {
namespace {

constexpr auto kQuickReconnectMin = std::chrono::milliseconds(50);
constexpr auto kQuickReconnectMax = std::chrono::milliseconds(1000);
constexpr auto kRequestTimeout = std::chrono::seconds(10);

RecordedClient recorded(const ClientOptions& options) {
  RecordedClient made;
  made.client = std::make_unique<Client>(options);
  made.record = std::make_unique<EventRecord>(*made.client);
  return made;
}

template <class T>
void require(const Result<T>& result, const std::string& what) {
  if (!result) throw std::runtime_error(what + " failed: " + result.error().message);
}

}  // namespace

ClientOptions quick_reconnect_options(const std::string& url) {
  ClientOptions options;
  options.url = url;
  options.request_timeout = kRequestTimeout;
  options.reconnect = true;
  options.reconnect_min = kQuickReconnectMin;
  options.reconnect_max = kQuickReconnectMax;
  return options;
}

bool RecordedClient::wait_caught_up(std::size_t times, std::chrono::milliseconds limit) const {
  return record->wait_until(
      [times](const std::vector<ClientEvent>& events) { return times_caught_up(events) >= times; },
      limit);
}

RecordedClient register_recorded(const ClientOptions& options, const std::string& name) {
  auto made = recorded(options);
  auto session = made->register_user(name, password_of(name));
  require(session, "register " + name);
  made.token = session->token;
  return made;
}

RecordedClient login_recorded(const ClientOptions& options, const std::string& name) {
  auto made = recorded(options);
  auto session = made->login(name, password_of(name));
  require(session, "login " + name);
  made.token = session->token;
  return made;
}

RecordedClient resume_recorded(const ClientOptions& options, const std::string& token) {
  auto made = recorded(options);
  require(made->resume(token), "resume");
  made.token = token;
  return made;
}

}  // namespace messenger::test
