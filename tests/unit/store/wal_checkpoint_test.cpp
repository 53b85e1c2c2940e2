#include <SQLiteCpp/Database.h>
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "store/sqlite/sqlite_connection.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "unit/store/store_fixture.hpp"

namespace messenger::testing {
namespace {

constexpr int kPageBytes = 4096;
constexpr int kFillerBytes = 3000;

// Nearly a page per message, so that few messages fill the WAL.
std::string text_of(int transaction, int message) {
  return std::to_string(transaction) + "/" + std::to_string(message) +
         std::string(kFillerBytes, '.');
}

// Waits, a bounded time, for the checkpoint thread to have finished at least one pass.
int passes_after_waiting(SqliteStore& store) {
  constexpr int kPolls = 3000;
  for (int i = 0; i < kPolls && store.background_checkpoints() == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return store.background_checkpoints();
}

TEST_CASE("checkpoints beside a stream of commits and reads lose nothing") {
  TempDir dir;
  const std::string path = dir.file("store.db");
  auto opened = open_sqlite_store({.path = path, .durability = Durability::full});
  REQUIRE_MESSAGE(opened.ok(), failure_of(opened));
  std::shared_ptr<Store> store = *opened;
  auto setup = std::move(store->begin_write()).value();
  UserId alice = setup->create_user("alice", "h", 1)->id;
  UserId bob = setup->create_user("bob", "h", 1)->id;
  ChatId chat = setup->open_direct_chat(alice, bob, 1)->chat.id;
  REQUIRE(setup->commit().ok());
  setup.reset();

  // Enough pages to wake the checkpoint thread several times.
  constexpr int kTransactions = 100;
  constexpr int kMessagesPerTransaction = 30;
  constexpr int kMaxReads = 1'000'000;
  static_assert(kTransactions * kMessagesPerTransaction * kFillerBytes >
                2 * kWalCheckpointPages * kPageBytes);
  std::atomic<bool> writing_done{false};
  std::atomic<int> read_failures{0};
  std::atomic<int> went_back{0};
  std::thread reader_thread([&] {
    auto reader = store->open_reader();
    if (!reader.ok()) {
      ++read_failures;
      return;
    }
    HistoryQuery newest;
    newest.chat_id = chat;
    Seq last_seen = 0;
    for (int i = 0; i < kMaxReads && !writing_done; ++i) {
      auto page = (*reader)->history(newest);
      if (!page.ok()) {
        ++read_failures;
        continue;
      }
      Seq newest_seq = page->empty() ? 0 : page->front().seq;
      if (newest_seq < last_seen) ++went_back;
      last_seen = newest_seq;
    }
  });

  for (int t = 0; t < kTransactions; ++t) {
    auto transaction = std::move(store->begin_write()).value();
    for (int i = 0; i < kMessagesPerTransaction; ++i) {
      std::string id = std::to_string(t) + "-" + std::to_string(i);
      REQUIRE(transaction->append_message({chat, alice, id, text_of(t, i), t}).ok());
    }
    REQUIRE(transaction->commit().ok());
  }
  writing_done = true;
  reader_thread.join();
  CHECK(read_failures == 0);
  CHECK(went_back == 0);
  CHECK(passes_after_waiting(dynamic_cast<SqliteStore&>(*store)) > 0);
  store.reset();

  SQLite::Database db(path, SQLite::OPEN_READONLY);
  CHECK(db.execAndGet("PRAGMA integrity_check").getString() == "ok");
  SQLite::Statement rows(db, "SELECT seq, text FROM messages WHERE chat_id = ? ORDER BY seq");
  rows.bind(1, chat);
  int count = 0;
  for (; rows.executeStep(); ++count) {
    int t = count / kMessagesPerTransaction;
    int i = count % kMessagesPerTransaction;
    REQUIRE(rows.getColumn(0).getInt64() == count + 1);
    REQUIRE(rows.getColumn(1).getString() == text_of(t, i));
  }
  CHECK(count == kTransactions * kMessagesPerTransaction);
}

TEST_CASE("a store closed right after its commits stops its checkpoint thread cleanly") {
  TempDir dir;
  const std::string path = dir.file("store.db");
  constexpr int kRounds = 5;
  constexpr int kMessages = 1500;
  static_assert(kMessages * kFillerBytes > kWalCheckpointPages * kPageBytes);
  for (int round = 0; round < kRounds; ++round) {
    auto opened = open_sqlite_store({.path = path, .durability = Durability::normal});
    REQUIRE_MESSAGE(opened.ok(), failure_of(opened));
    std::shared_ptr<Store> store = *opened;
    auto transaction = std::move(store->begin_write()).value();
    auto user = transaction->create_user("user" + std::to_string(round), "h", 1);
    REQUIRE(user.ok());
    ChatId chat = transaction->open_direct_chat(user->id, user->id, 1)->chat.id;
    // Past the wake-up threshold, so that a pass may still be running as the store closes.
    for (int i = 0; i < kMessages; ++i) {
      std::string id = std::to_string(i);
      REQUIRE(transaction->append_message({chat, user->id, id, text_of(round, i), 1}).ok());
    }
    REQUIRE(transaction->commit().ok());
  }

  SQLite::Database db(path, SQLite::OPEN_READONLY);
  CHECK(db.execAndGet("PRAGMA integrity_check").getString() == "ok");
  CHECK(db.execAndGet("SELECT count(*) FROM messages").getInt() == kRounds * kMessages);
}

}  // namespace
}  // namespace messenger::testing
