#include <doctest/doctest.h>

#include "client/stream_sync.hpp"
#include "unit/client/client_test_support.hpp"

using namespace messenger;
using messenger::test::error_frame;
using messenger::test::message_at;
using messenger::test::reply_frame;
using messenger::test::SentRequests;

namespace {

/// A StreamSync whose requests and outcomes are recorded.
struct Harness {
  SentRequests requests;
  std::vector<Cursor> applied;
  std::vector<Cursor> cursors;
  int resets = 0;
  int caught_up = 0;
  std::vector<Errc> failures;
  StreamSync sync;

  explicit Harness(Cursor start, std::size_t max_held = kMaxHeldBackEvents)
      : sync({.send = requests.sender(),
              .apply = [this](protocol::ServerEvent e) { applied.push_back(*cursor_of(e)); },
              .cursor_moved = [this](Cursor cursor) { cursors.push_back(cursor); },
              .reset = [this] { ++resets; },
              .caught_up = [this] { ++caught_up; },
              .failed = [this](Error error) { failures.push_back(error.code); }},
             start, max_held) {}

  void answer_page(std::vector<Cursor> updates, Cursor end, bool more) {
    protocol::SyncReply page;
    for (auto cursor : updates)
      page.updates.push_back(message_at(cursor));
    page.cursor = end;
    page.more = more;
    requests.answer(reply_frame(page));
  }
  Cursor asked_from() { return requests.oldest<protocol::Sync>().cursor; }
};

}  // namespace

TEST_CASE("sync asks page after page from the cursor until nothing more is left") {
  Harness h(4);
  h.sync.start();
  CHECK(h.asked_from() == 4);
  h.answer_page({5, 6}, 6, true);
  CHECK(h.asked_from() == 6);
  h.answer_page({9}, 12, false);
  CHECK(h.requests.sent.empty());
  CHECK(h.applied == std::vector<Cursor>{5, 6, 9});
  CHECK(h.sync.cursor() == 12);
  CHECK(h.caught_up == 1);
}

TEST_CASE("live events during a sync follow the last page without duplicates") {
  Harness h(0);
  h.sync.hold_live();  // the connection is up: events may come before the login reply
  h.sync.on_live(message_at(3));
  h.sync.start();
  h.sync.on_live(message_at(8));
  h.answer_page({1, 3}, 5, false);
  CHECK(h.applied == std::vector<Cursor>{1, 3, 8});
  CHECK(h.sync.cursor() == 8);

  h.sync.on_live(message_at(8));
  h.sync.on_live(message_at(9));
  CHECK(h.applied == std::vector<Cursor>{1, 3, 8, 9});
  CHECK(h.cursors.back() == 9);
}

TEST_CASE("an expired cursor resets the host and syncs again from the start") {
  Harness h(50);
  h.sync.start();
  h.requests.answer(error_frame(Errc::cursor_expired));
  CHECK(h.resets == 1);
  CHECK(h.sync.cursor() == 0);
  CHECK(h.asked_from() == 0);
  h.answer_page({2}, 3, false);
  CHECK(h.applied == std::vector<Cursor>{2});
  CHECK(h.caught_up == 1);
}

TEST_CASE("an expired cursor 0 is a failure, not an endless loop of resets") {
  Harness h(0);
  h.sync.start();
  h.requests.answer(error_frame(Errc::cursor_expired));
  CHECK(h.resets == 0);
  CHECK(h.failures == std::vector<Errc>{Errc::cursor_expired});
  CHECK(h.requests.sent.empty());
}

TEST_CASE("a page that says more but does not advance fails the sync") {
  Harness h(5);
  h.sync.start();
  h.answer_page({}, 5, true);
  CHECK(h.failures == std::vector<Errc>{Errc::protocol_error});
  CHECK(h.requests.sent.empty());
}

TEST_CASE("an answer to an abandoned sync is ignored") {
  Harness h(0);
  h.sync.start();
  h.sync.abandon();
  h.answer_page({1}, 1, false);
  CHECK(h.applied.empty());
  CHECK(h.caught_up == 0);
  CHECK(h.failures.empty());
}

TEST_CASE("a timeout fails the sync so that the connection is replaced") {
  Harness h(0);
  h.sync.start();
  h.requests.answer(Error{Errc::timeout, "no reply"});
  CHECK(h.failures == std::vector<Errc>{Errc::timeout});
}

TEST_CASE("live events that overflow during a sync are fetched by another round") {
  Harness h(0, 2);
  h.sync.start();
  for (Cursor cursor = 10; cursor <= 12; ++cursor)
    h.sync.on_live(message_at(cursor));
  h.answer_page({1}, 5, false);
  CHECK(h.caught_up == 0);
  CHECK(h.asked_from() == 5);
  h.answer_page({10, 11, 12}, 12, false);
  CHECK(h.applied == std::vector<Cursor>{1, 10, 11, 12});
  CHECK(h.caught_up == 1);
}
