#include <doctest/doctest.h>

#include "client/update_stream.hpp"
#include "unit/client/client_test_support.hpp"

using namespace messenger;
using messenger::test::cursor_in;
using messenger::test::message_at;

namespace {

protocol::SyncReply page_of(std::vector<Cursor> cursors, Cursor end, bool more) {
  protocol::SyncReply page;
  for (auto cursor : cursors)
    page.updates.push_back(message_at(cursor));
  page.cursor = end;
  page.more = more;
  return page;
}

std::vector<Cursor> cursors_of(const std::vector<protocol::ServerEvent>& events) {
  std::vector<Cursor> cursors;
  for (const auto& event : events)
    cursors.push_back(cursor_in(event));
  return cursors;
}

}  // namespace

TEST_CASE("a live event above the cursor is applied and moves the cursor") {
  UpdateStream stream(10);
  auto applied = stream.accept_live(message_at(12));
  REQUIRE(applied);
  CHECK(cursor_in(*applied) == 12);
  CHECK(stream.cursor() == 12);
}

TEST_CASE("a live event at or below the cursor is a duplicate and is dropped") {
  UpdateStream stream(10);
  CHECK_FALSE(stream.accept_live(message_at(10)));
  CHECK_FALSE(stream.accept_live(message_at(3)));
  CHECK(stream.cursor() == 10);
}

TEST_CASE("typing and presence pass through whatever the cursor") {
  UpdateStream stream(10);
  stream.begin_sync();
  CHECK(stream.accept_live(TypingEvent{1, 2, true}));
  CHECK(stream.accept_live(PresenceEvent{}));
  CHECK(stream.cursor() == 10);
}

TEST_CASE("a sync page gives its updates in order and moves the cursor to the page's cursor") {
  UpdateStream stream(0);
  stream.begin_sync();
  auto applied = stream.accept_page(page_of({3, 5, 9}, 20, false));
  CHECK(cursors_of(applied) == std::vector<Cursor>{3, 5, 9});
  CHECK(stream.cursor() == 20);
}

TEST_CASE("live events wait while syncing, and only those above the last page follow it") {
  UpdateStream stream(0);
  stream.begin_sync();
  CHECK_FALSE(stream.accept_live(message_at(4)));  // also in the page below
  CHECK_FALSE(stream.accept_live(message_at(7)));
  CHECK_FALSE(stream.accept_live(message_at(6)));  // out of order on the wire

  CHECK(cursors_of(stream.accept_page(page_of({2, 4}, 5, false))) == std::vector<Cursor>{2, 4});
  auto end = stream.end_sync();
  CHECK_FALSE(end.overflowed);
  CHECK(cursors_of(end.held) == std::vector<Cursor>{6, 7});
  CHECK(stream.cursor() == 7);
  CHECK_FALSE(stream.syncing());
}

TEST_CASE("an event held back twice is applied once") {
  UpdateStream stream(0);
  stream.begin_sync();
  (void)stream.accept_live(message_at(8));
  (void)stream.accept_live(message_at(8));
  (void)stream.accept_page(page_of({}, 5, false));
  CHECK(cursors_of(stream.end_sync().held) == std::vector<Cursor>{8});
}

TEST_CASE("updates in a page at or below the cursor are not applied again") {
  UpdateStream stream(5);
  stream.begin_sync();
  auto applied = stream.accept_page(page_of({4, 5, 6}, 6, false));
  CHECK(cursors_of(applied) == std::vector<Cursor>{6});
}

TEST_CASE("a held-back queue that overflows is dropped and asks for another sync") {
  UpdateStream stream(0, 3);
  stream.begin_sync();
  for (Cursor cursor = 10; cursor < 15; ++cursor)
    CHECK_FALSE(stream.accept_live(message_at(cursor)));
  (void)stream.accept_page(page_of({1}, 2, false));
  auto end = stream.end_sync();
  CHECK(end.overflowed);
  CHECK(end.held.empty());
  CHECK(stream.cursor() == 2);  // the next sync starts here and fetches 10..14
}

TEST_CASE("an abandoned sync forgets what it held back") {
  UpdateStream stream(0);
  stream.begin_sync();
  (void)stream.accept_live(message_at(4));
  stream.abandon_sync();
  CHECK_FALSE(stream.syncing());
  stream.begin_sync();
  (void)stream.accept_page(page_of({}, 1, false));
  CHECK(stream.end_sync().held.empty());
}

TEST_CASE("receipts and chat events carry their cursor; typing has none") {
  CHECK(cursor_of(ReceiptEvent{1, 2, 3, 4, 55}) == 55);
  ChatEvent chat;
  chat.cursor = 66;
  CHECK(cursor_of(chat) == 66);
  CHECK_FALSE(cursor_of(TypingEvent{1, 2, true}));
}
