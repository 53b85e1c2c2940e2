#include <doctest/doctest.h>

#include <asio/io_context.hpp>
#include <vector>

#include "client/typing_timers.hpp"

using namespace messenger;
using std::chrono::milliseconds;

namespace {

constexpr milliseconds kShort{20};
constexpr milliseconds kLong{60'000};
constexpr milliseconds kRunLimit{5'000};

struct Recorder {
  std::vector<TypingEvent> events;
  TypingTimers::Emit emit() {
    return [this](TypingEvent event) { events.push_back(event); };
  }
};

bool same(const TypingEvent& event, ChatId chat, UserId user, bool typing) {
  return event.chat_id == chat && event.user_id == user && event.typing == typing;
}

}  // namespace

TEST_CASE("typing shows at once and ends by itself when not renewed") {
  asio::io_context io;
  Recorder seen;
  TypingTimers timers(io, kShort, seen.emit());
  timers.typing(5, 2);
  REQUIRE(seen.events.size() == 1);
  CHECK(same(seen.events[0], 5, 2, true));

  io.run_for(kRunLimit);  // returns once the timer has run
  REQUIRE(seen.events.size() == 2);
  CHECK(same(seen.events[1], 5, 2, false));
}

TEST_CASE("a message from the typist ends their typing at once, and only theirs") {
  asio::io_context io;
  Recorder seen;
  TypingTimers timers(io, kLong, seen.emit());
  timers.typing(5, 2);
  timers.typing(5, 3);
  timers.typing(6, 2);
  timers.message_from(5, 2);
  REQUIRE(seen.events.size() == 4);
  CHECK(same(seen.events[3], 5, 2, false));

  timers.message_from(5, 2);  // nothing left to end
  timers.message_from(7, 9);
  CHECK(seen.events.size() == 4);
}

TEST_CASE("renewed typing ends once, after the last renewal") {
  asio::io_context io;
  Recorder seen;
  TypingTimers timers(io, kShort, seen.emit());
  timers.typing(5, 2);
  timers.typing(5, 2);
  timers.typing(5, 2);
  io.run_for(kRunLimit);
  REQUIRE(seen.events.size() == 4);
  CHECK(same(seen.events[2], 5, 2, true));
  CHECK(same(seen.events[3], 5, 2, false));
}

TEST_CASE("typing ended by a message does not end again when its timer was due") {
  asio::io_context io;
  Recorder seen;
  TypingTimers timers(io, kShort, seen.emit());
  timers.typing(5, 2);
  timers.message_from(5, 2);
  io.run_for(kRunLimit);
  CHECK(seen.events.size() == 2);
}
