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

TEST_CASE("a version 1 database gains the update stream with its messages in it") {
  TempDir dir;
  {
    SQLite::Database db(dir.file("store.db"), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    REQUIRE(migrate_schema(db, 1).ok());
    db.exec(R"sql(
INSERT INTO users (id, name, password_hash, created_at) VALUES (1, 'alice', 'h', 1),
  (2, 'bob', 'h', 1);
INSERT INTO chats (id, kind, title, created_at, last_seq, last_activity, direct_key)
  VALUES (1, 'direct', '', 1, 2, 3, '1:2');
INSERT INTO chat_members (chat_id, user_id, role, delivered_seq, seen_seq, joined_at)
  VALUES (1, 1, 'member', 2, 2, 1), (1, 2, 'member', 1, 0, 1);
INSERT INTO messages (id, chat_id, seq, sender_id, client_msg_id, text, created_at)
  VALUES (1, 1, 1, 1, 'a', 'one', 2), (2, 1, 2, 1, 'b', 'two', 3);
)sql");
    REQUIRE(db.execAndGet("PRAGMA user_version").getInt() == 1);
  }

  auto store = open_at(dir.file("store.db"));
  auto reader = std::move(store->open_reader()).value();
  CHECK(reader->get_user(2)->last_seen == 0);
  auto old = reader->updates_since(2, 0, 10);
  REQUIRE(old.ok());
  REQUIRE(old->updates.size() == 2);
  CHECK(old->updates[0].cursor == 1);
  CHECK(old->updates[0].message.text == "one");
  CHECK(old->updates[0].message.kind == MessageKind::text);
  CHECK(old->updates[1].message.id == 2);
  CHECK_FALSE(old->more);
  CHECK(old->cursor == 2);

  auto transaction = std::move(store->begin_write()).value();
  auto sent = transaction->append_message({1, 2, "c", "three", 4});
  auto seen = transaction->advance_watermarks(1, 1, 3, 3);
  REQUIRE(sent.ok());
  REQUIRE(seen.ok());
  CHECK(sent->message.seq == 3);
  CHECK(sent->cursor == 3);
  CHECK(seen->cursor == 4);
  REQUIRE(transaction->commit().ok());
  auto fresh = reader->updates_since(1, old->cursor, 10);
  REQUIRE(fresh.ok());
  CHECK(cursors_of(fresh->updates) == std::vector<Cursor>{3, 4});
}

TEST_CASE("the update stream survives closing and reopening a SQLite store") {
  StoreTest<SqliteBackend> t;
  User alice = t.add_user("alice");
  User bob = t.add_user("bob");
  Chat group = t.group(alice.id, {bob.id});
  t.send_many(group.id, bob.id, 3);
  t.advance(group.id, alice.id, 3, 3);
  t.remove(group.id, alice.id, bob.id);
  std::vector<Update> before = t.stream(bob.id);
  Cursor newest = t.page(alice.id, 0, 100).cursor;
  t.reader.reset();
  t.store.reset();

  t.store = open_at(t.dir.file("store.db"));
  t.reader = t.open_reader();
  std::vector<Update> after = t.stream(bob.id);
  CHECK(cursors_of(after) == cursors_of(before));
  REQUIRE(after.size() == 6);
  CHECK(after[4].member.seen_seq == 3);
  CHECK(after[5].message.kind == MessageKind::member_removed);
  CHECK(t.send(group.id, alice.id, "later").id > newest);
}

TEST_CASE("a cursor older than what the stream keeps is cursor_expired, but 0 is not") {
  StoreTest<SqliteBackend> t;
  User alice = t.add_user("alice");
  Chat notes = t.direct(alice.id, alice.id);
  t.send_many(notes.id, alice.id, 4);
  {
    // Nothing prunes yet; this stands in for the pruning to come.
    SQLite::Database db(t.dir.file("store.db"), SQLite::OPEN_READWRITE);
    db.exec("UPDATE stream_horizon SET pruned_through = 3");
  }
  CHECK(t.reader->updates_since(alice.id, 2, 10).code() == Errc::cursor_expired);
  CHECK(cursors_of(t.page(alice.id, 3, 10).updates) == std::vector<Cursor>{4, 5});
  CHECK(t.page(alice.id, 0, 10).cursor == 5);
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
  CHECK(pragma(*full, "temp_store") == "2");

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

  constexpr int kTransactions = 240;
  constexpr int kMessagesPerTransaction = 200;
  constexpr int kTextBytes = 1000;
  constexpr int kMaxReads = 1'000'000;
  // The restart threshold plus room for the transaction that crosses it.
  constexpr std::uintmax_t kWalBound = (kWalRestartPages + kWalCheckpointPages) * 4096;
  // Twice the bound in text alone: the WAL must have been restarted on the way.
  static_assert(std::uintmax_t{kTransactions} * kMessagesPerTransaction * kTextBytes >
                2 * kWalBound);
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

  const std::string text(kTextBytes, 'x');
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
