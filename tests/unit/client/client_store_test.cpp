#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "client/client_store.hpp"
#include "client/outbox.hpp"
#include "unit/client/client_test_support.hpp"

using namespace messenger;
using messenger::test::ScratchDir;

namespace {

std::unique_ptr<ClientStore> open_store(const std::string& path) {
  auto store = ClientStore::open(path);
  REQUIRE(store.ok());
  return std::move(*store);
}

SavedClientState load(ClientStore& store) {
  auto saved = store.load();
  REQUIRE(saved.ok());
  return *saved;
}

}  // namespace

TEST_CASE("a new data file holds no session, cursor 0 and an empty outbox") {
  ScratchDir dir;
  auto store = open_store(dir.file("client.db"));
  auto saved = load(*store);
  CHECK_FALSE(saved.token);
  CHECK(saved.owner == 0);
  CHECK(saved.cursor == 0);
  CHECK(saved.outbox.empty());
}

TEST_CASE("the session, cursor and outbox survive closing and opening the data file") {
  ScratchDir dir;
  auto path = dir.file("client.db");
  {
    auto store = open_store(path);
    REQUIRE(store->save_session(7, "secret token", 40).ok());
    REQUIRE(store->save_cursor(7, 42).ok());
    REQUIRE(store->add_to_outbox({"b", 3, "second"}).ok());
    REQUIRE(store->add_to_outbox({"a", 3, "first"}).ok());
    REQUIRE(store->add_to_outbox({"c", 4, "third"}).ok());
    REQUIRE(store->remove_from_outbox("a").ok());
  }
  auto store = open_store(path);
  auto saved = load(*store);
  CHECK(saved.token == "secret token");
  CHECK(saved.owner == 7);
  CHECK(saved.cursor == 42);
  REQUIRE(saved.outbox.size() == 2);
  CHECK(saved.outbox[0].client_msg_id == "b");
  CHECK(saved.outbox[0].text == "second");
  CHECK(saved.outbox[1].client_msg_id == "c");
  CHECK(saved.outbox[1].chat_id == 4);
}

TEST_CASE("a forgotten token is gone from the data file, the cursor stays") {
  ScratchDir dir;
  auto store = open_store(dir.file("client.db"));
  REQUIRE(store->save_session(7, "secret token", 12).ok());
  REQUIRE(store->forget_token().ok());
  auto saved = load(*store);
  CHECK_FALSE(saved.token);
  CHECK(saved.cursor == 12);
}

TEST_CASE("the data file is readable by its owner only") {
  ScratchDir dir;
  auto path = dir.file("client.db");
  auto store = open_store(path);
  auto perms = std::filesystem::status(path).permissions();
  CHECK((perms & (std::filesystem::perms::group_all | std::filesystem::perms::others_all)) ==
        std::filesystem::perms::none);
}

TEST_CASE("a file that is not a database is refused with storage_error") {
  ScratchDir dir;
  auto path = dir.file("not-a-database");
  std::ofstream(path) << "this is plain text, long enough to fill a header of a database file";
  auto store = ClientStore::open(path);
  REQUIRE_FALSE(store.ok());
  CHECK(store.error().code == Errc::storage_error);
}

TEST_CASE("the outbox keeps queued messages in order, once per client message id") {
  ScratchDir dir;
  auto store = open_store(dir.file("client.db"));
  Logger log;
  Outbox outbox(store.get(), {}, log);
  CHECK(outbox.push({"x", 1, "one"}));
  CHECK(outbox.push({"y", 1, "two"}));
  CHECK_FALSE(outbox.push({"x", 1, "one again"}));
  CHECK(outbox.size() == 2);
  CHECK(outbox.front()->client_msg_id == "x");

  outbox.remove("x");
  CHECK(outbox.front()->client_msg_id == "y");
  auto saved = load(*store);
  REQUIRE(saved.outbox.size() == 1);
  CHECK(saved.outbox[0].client_msg_id == "y");
}

TEST_CASE("an outbox reloaded from the data file sends in the original order") {
  ScratchDir dir;
  auto path = dir.file("client.db");
  Logger log;
  {
    auto store = open_store(path);
    Outbox outbox(store.get(), {}, log);
    for (int i = 0; i < 5; ++i)
      outbox.push({"id-" + std::to_string(i), 1, "text " + std::to_string(i)});
  }
  auto store = open_store(path);
  Outbox outbox(store.get(), load(*store).outbox, log);
  for (int i = 0; i < 5; ++i) {
    auto next = outbox.front();
    REQUIRE(next);
    CHECK(next->client_msg_id == "id-" + std::to_string(i));
    outbox.remove(next->client_msg_id);
  }
  CHECK(outbox.size() == 0);
  CHECK(load(*store).outbox.empty());
}

TEST_CASE("an outbox without a data file works in memory") {
  Logger log;
  Outbox outbox(nullptr, {{"kept", 2, "from before"}}, log);
  CHECK(outbox.push({"new", 2, "now"}));
  auto all = outbox.take_all();
  REQUIRE(all.size() == 2);
  CHECK(all[0].client_msg_id == "kept");
  CHECK(outbox.size() == 0);
}
