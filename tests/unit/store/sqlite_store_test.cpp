#include <SQLiteCpp/Database.h>
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <thread>

#include "store/sqlite/schema.hpp"
#include "store/sqlite/sqlite_connection.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "unit/store/store_fixture.hpp"

namespace messenger::testing {
namespace {

std::shared_ptr<Store> open_at(const std::string& path, Durability durability = Durability::full) {
  auto store = open_sqlite_store({.path = path, .durability = durability});
  REQUIRE_MESSAGE(store.ok(), failure_of(store));
  return *store;
}

std::string pragma(Store& store, const char* name) {
  auto value = dynamic_cast<SqliteStore&>(store).writer_pragma(name);
  REQUIRE_MESSAGE(value.ok(), failure_of(value));
  return *value;
}

TEST_CASE("data survives closing and reopening a SQLite store") {
  StoreTest<SqliteBackend> t;
  User alice = t.add_user("alice");
  User bob = t.add_user("bob");
  Chat chat = t.direct(alice.id, bob.id);
  t.write([&](WriteTransaction& w) { return w.create_session(alice.id, "tok", "pc", 1); });
  t.send_many(chat.id, alice.id, 3);
  t.advance(chat.id, bob.id, 3, 2);
  t.reader.reset();
  t.store.reset();

  auto store = open_at(t.dir.file("store.db"));
  auto opened = store->open_reader();
  REQUIRE(opened.ok());
  auto reader = std::move(opened).value();
  CHECK(reader->find_user_by_name("ALICE")->id == alice.id);
  CHECK(reader->find_session("tok")->user_id == alice.id);
  auto chats = reader->list_chats(bob.id);
  REQUIRE(chats.ok());
  REQUIRE(chats->size() == 1);
  CHECK(chats->front().chat.last_seq == 3);
  CHECK(chats->front().unread == 1);

  // Seqs and the idempotency keys carry on from where they were.
  auto begun = store->begin_write();
  REQUIRE(begun.ok());
  auto transaction = std::move(begun).value();
  auto repeat = transaction->append_message({chat.id, alice.id, "m-0", "again", 99});
  auto fresh = transaction->append_message({chat.id, bob.id, "new", "hi", 100});
  REQUIRE(repeat.ok());
  REQUIRE(fresh.ok());
  CHECK(repeat->duplicate);
  CHECK(repeat->message.seq == 1);
  CHECK(fresh->message.seq == 4);
  REQUIRE(transaction->commit().ok());
}

TEST_CASE("the schema version is recorded in the database file") {
  TempDir dir;
  open_at(dir.file("store.db"));
  SQLite::Database db(dir.file("store.db"));
  CHECK(db.execAndGet("PRAGMA user_version").getInt() == sqlite_schema_version());
  CHECK(sqlite_schema_version() >= 1);
  CHECK(db.tableExists("messages"));
}

TEST_CASE("a database from a newer schema is refused") {
  TempDir dir;
  open_at(dir.file("store.db"));
  {
    SQLite::Database db(dir.file("store.db"), SQLite::OPEN_READWRITE);
    db.exec("PRAGMA user_version = " + std::to_string(sqlite_schema_version() + 1));
  }
  auto reopened = open_sqlite_store({.path = dir.file("store.db")});
  REQUIRE_FALSE(reopened.ok());
  CHECK(reopened.code() == Errc::storage_error);
  CHECK(reopened.error().message.find("schema version") != std::string::npos);
}

TEST_CASE("a store that cannot create its file is a storage_error") {
  TempDir dir;
  auto store = open_sqlite_store({.path = dir.file("missing-folder/store.db")});
  REQUIRE_FALSE(store.ok());
  CHECK(store.code() == Errc::storage_error);
}

TEST_CASE("the SQLite store runs in WAL mode with the asked durability and foreign keys") {
  TempDir dir;
  auto full = open_at(dir.file("full.db"), Durability::full);
  CHECK(pragma(*full, "journal_mode") == "wal");
  CHECK(pragma(*full, "synchronous") == "2");
  CHECK(pragma(*full, "foreign_keys") == "1");
  CHECK(pragma(*full, "busy_timeout") != "0");

  auto normal = open_at(dir.file("normal.db"), Durability::normal);
  CHECK(pragma(*normal, "synchronous") == "1");

  SQLite::Database other_connection(dir.file("full.db"));
  CHECK(other_connection.execAndGet("PRAGMA journal_mode").getString() == "wal");
}

TEST_CASE("readers keep reading beside a long write transaction without busy errors") {
  StoreTest<SqliteBackend> t;
  User alice = t.add_user("alice");
  User bob = t.add_user("bob");
  Chat chat = t.direct(alice.id, bob.id);
  t.send_many(chat.id, alice.id, 10, "before");

  constexpr int kMaxBatches = 400;
  constexpr int kBatchSize = 50;
  constexpr int kReads = 300;
  std::atomic<bool> reading_done{false};
  std::atomic<int> batches{0};
  std::string writer_error;
  std::thread writer([&] {
    for (int batch = 0; batch < kMaxBatches && !reading_done; ++batch) {
      auto transaction = t.store->begin_write();
      if (!transaction.ok()) {
        writer_error = transaction.error().message;
        return;
      }
      for (int i = 0; i < kBatchSize; ++i) {
        std::string id = std::to_string(batch) + "-" + std::to_string(i);
        auto sent = (*transaction)->append_message({chat.id, bob.id, id, "text", batch});
        if (!sent.ok()) writer_error = sent.error().message;
      }
      if (auto committed = (*transaction)->commit(); !committed.ok()) {
        writer_error = committed.error().message;
      }
      ++batches;
    }
  });

  auto reader = t.open_reader();
  Seq last_seen = 0;
  for (int i = 0; i < kReads; ++i) {
    auto chats = reader->list_chats(alice.id);
    HistoryQuery newest;
    newest.chat_id = chat.id;
    auto page = reader->history(newest);
    REQUIRE_MESSAGE(chats.ok(), failure_of(chats));
    REQUIRE_MESSAGE(page.ok(), failure_of(page));
    // Snapshots only move forward, and a later one holds at least what an earlier one did.
    Seq last_seq = chats->front().chat.last_seq;
    CHECK(last_seq >= last_seen);
    CHECK(page->front().seq >= last_seq);
    last_seen = last_seq;
  }
  reading_done = true;
  writer.join();
  CHECK(writer_error.empty());
  CHECK(t.reader->get_chat(chat.id)->last_seq == 10 + batches * kBatchSize);
}

TEST_CASE("the WAL file stays bounded under steady writes while readers keep reading") {
  TempDir dir;
  auto store = open_at(dir.file("store.db"), Durability::normal);
  auto setup = std::move(store->begin_write()).value();
  UserId alice = setup->create_user("alice", "h", 1)->id;
  ChatId chat = setup->open_direct_chat(alice, alice, 1)->chat.id;
  REQUIRE(setup->commit().ok());
  setup.reset();

  constexpr int kTransactions = 60;
  constexpr int kMessagesPerTransaction = 200;
  constexpr int kMaxReads = 1'000'000;
  // The checkpoint threshold plus room for the transaction that crosses it.
  constexpr std::uintmax_t kWalBound = 2 * kWalCheckpointPages * 4096;
  std::atomic<bool> writing_done{false};
  std::atomic<int> read_failures{0};
  std::thread reader_thread([&] {
    auto reader = store->open_reader();
    if (!reader.ok()) {
      ++read_failures;
      return;
    }
    HistoryQuery newest;
    newest.chat_id = chat;
    for (int i = 0; i < kMaxReads && !writing_done; ++i) {
      if (!(*reader)->history(newest).ok() || !(*reader)->list_chats(alice).ok()) ++read_failures;
    }
  });

  const std::string text(1000, 'x');
  std::uintmax_t largest_wal = 0;
  for (int t = 0; t < kTransactions; ++t) {
    auto transaction = std::move(store->begin_write()).value();
    for (int i = 0; i < kMessagesPerTransaction; ++i) {
      std::string id = std::to_string(t) + "-" + std::to_string(i);
      REQUIRE(transaction->append_message({chat, alice, id, text, t}).ok());
    }
    REQUIRE(transaction->commit().ok());
    largest_wal = std::max(largest_wal, std::filesystem::file_size(dir.file("store.db-wal")));
  }
  writing_done = true;
  reader_thread.join();

  CHECK(read_failures == 0);
  CHECK(largest_wal <= kWalBound);
}

}  // namespace
}  // namespace messenger::testing
