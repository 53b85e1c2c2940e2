#include "session_opener.hpp"

#include "seed.hpp"

namespace messenger::bench {
namespace {

constexpr auto kRunSlice = std::chrono::milliseconds(5);
constexpr const char* kHello = R"("type":"hello","protocol":1,"client":"messenger-bench")";

std::string login_fields(LoginKind kind, int user) {
  if (kind == LoginKind::resume) {
    return R"("type":"resume","token":")" + bench_token(user) + "\"";
  }
  return R"("type":"login","name":")" + bench_user_name(user) + R"(","password":")" +
         bench_password() + "\"";
}

struct OpenState {
  OpenPlan plan;  // a copy: late callbacks may outlive the caller's
  Transport* transport = nullptr;
  OpenOutcome outcome;
  std::size_t next = 0;
  int active = 0;
  int finished = 0;
};

void start_next(const std::shared_ptr<OpenState>& state);

void finish_one(const std::shared_ptr<OpenState>& state, std::size_t position,
                std::shared_ptr<LoadConnection> connection, Clock::time_point started) {
  --state->active;
  ++state->finished;
  if (connection) {
    state->outcome.ready_ms.push_back(
        std::chrono::duration<double, std::milli>(Clock::now() - started).count());
    ++state->outcome.ready;
    state->outcome.connections[position] = std::move(connection);
  } else {
    ++state->outcome.errors;
  }
  start_next(state);
}

void start_one(const std::shared_ptr<OpenState>& state, std::size_t position) {
  const auto started = Clock::now();
  const int user = state->plan.users[position];
  const LoginKind kind = state->plan.login;
  LoadConnection::open(
      *state->transport, state->plan.url,
      [state, position, started, user, kind](std::shared_ptr<LoadConnection> connection) {
        if (!connection) return finish_one(state, position, nullptr, started);
        connection->index = user;
        if (kind == LoginKind::none) return finish_one(state, position, connection, started);
        connection->request(kHello, [state, position, started, user, kind, connection](
                                        bool ok, const std::string&) {
          if (!ok) return finish_one(state, position, nullptr, started);
          connection->request(login_fields(kind, user), [state, position, started, connection](
                                                            bool logged_in, const std::string&) {
            finish_one(state, position, logged_in ? connection : nullptr, started);
          });
        });
      });
}

void start_next(const std::shared_ptr<OpenState>& state) {
  while (state->active < state->plan.in_flight && state->next < state->plan.users.size()) {
    ++state->active;
    start_one(state, state->next++);
  }
}

}  // namespace

bool run_until(asio::io_context& io, const std::function<bool()>& done,
               Clock::time_point deadline) {
  while (!done() && Clock::now() < deadline) {
    io.run_for(kRunSlice);
    if (io.stopped()) io.restart();
  }
  return done();
}

OpenOutcome open_sessions(asio::io_context& io, Transport& transport, const OpenPlan& plan) {
  auto state = std::make_shared<OpenState>();
  state->plan = plan;
  state->transport = &transport;
  state->outcome.connections.resize(plan.users.size());
  const auto started = Clock::now();
  start_next(state);
  const auto total = plan.users.size();
  run_until(
      io, [&] { return static_cast<std::size_t>(state->finished) == total; }, started + plan.limit);
  state->outcome.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  state->outcome.errors += static_cast<int>(total) - state->finished;
  return std::move(state->outcome);
}

}  // namespace messenger::bench
