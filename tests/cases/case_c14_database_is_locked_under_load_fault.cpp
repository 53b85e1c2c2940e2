// c14: "database is locked" under load. Many threads send messages and receipts to overlapping
// chats while others page history, all on one SQLite file with checkpoints running. No busy or
// locked error may reach a client, every acknowledged message must be there afterwards, and the
// WAL file must stay bounded.
//
// Scaled: the report runs "for minutes"; CI runs kRun = 20 s beside everything else.
#include <doctest/doctest.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>

#include "fault/support/account_seed.hpp"
#include "fault/support/full_history.hpp"
#include "fault/support/recorded_client.hpp"
#include "fault/support/server_process.hpp"
#include "store/sqlite/sqlite_connection.hpp"

using namespace messenger;
using namespace messenger::test;

namespace {

constexpr int kUsers = 10;
constexpr int kGroupsPerUser = 4;  // the user's own group and three of others'
constexpr int kWriters = 50;
constexpr int kReaders = 20;
constexpr int kSeenEvery = 4;
constexpr auto kRun = std::chrono::seconds(20);
constexpr int kMaxIterations = 1'000'000;  // bounds each loop besides kRun
constexpr auto kWalSamplePause = std::chrono::milliseconds(50);
// The WAL restart threshold plus room for the transactions that cross it (as in the store's
// own test of the bound).
constexpr std::uintmax_t kWalBound = (kWalRestartPages + kWalCheckpointPages) * 4096;

struct Acked {
  ChatId chat = 0;
  MessageId id = 0;
  Seq seq = 0;
};

// What every thread reports, under one lock.
struct Outcome {
  std::mutex mutex;
  std::vector<Acked> acked;
  std::vector<std::string> errors;

  void fail(const std::string& what, const Error& error) {
    std::lock_guard lock(mutex);
    errors.push_back(what + ": " + to_wire(error.code) + " " + error.message);
  }
};

void write_for(Client& client, const std::vector<ChatId>& chats, int writer,
               std::chrono::steady_clock::time_point deadline, Outcome& outcome) {
  std::vector<Acked> mine;
  for (int i = 0; i < kMaxIterations && std::chrono::steady_clock::now() < deadline; ++i) {
    ChatId chat = chats[i % chats.size()];
    auto id = "w" + std::to_string(writer) + "-" + std::to_string(i);
    auto ack = client.send_message(chat, id, id);
    if (!ack) {
      outcome.fail("send_message", ack.error());
      continue;
    }
    mine.push_back({chat, ack->message_id, ack->seq});
    if (i % kSeenEvery != 0) continue;
    if (auto seen = client.mark_seen(chat, ack->seq); !seen)
      outcome.fail("mark_seen", seen.error());
  }
  std::lock_guard lock(outcome.mutex);
  outcome.acked.insert(outcome.acked.end(), mine.begin(), mine.end());
}

void read_for(Client& client, const std::vector<ChatId>& chats,
              std::chrono::steady_clock::time_point deadline, Outcome& outcome) {
  for (int i = 0; i < kMaxIterations && std::chrono::steady_clock::now() < deadline; ++i) {
    HistoryQuery newest{.chat_id = chats[i % chats.size()]};
    auto page = client.history(newest);
    if (!page) {
      outcome.fail("history", page.error());
      continue;
    }
    if (page->empty()) continue;
    HistoryQuery older = newest;
    older.anchor = page->back().seq;
    if (auto next = client.history(older); !next) outcome.fail("history", next.error());
  }
}

}  // namespace

TEST_CASE("case_c14_database_is_locked_under_load") {
  ServerProcess server({.start_now = false});
  std::vector<std::string> names;
  for (int i = 0; i < kUsers; ++i)
    names.push_back("load-" + std::to_string(i));
  auto sessions = seed_accounts(server.data_dir(), names);
  server.start();
  auto options = quick_reconnect_options(server.url());
  options.auto_ack_delivered = true;

  std::vector<RecordedClient> owners;
  std::vector<std::vector<ChatId>> chats_of(kUsers);
  for (int u = 0; u < kUsers; ++u) {
    owners.push_back(resume_recorded(options, sessions[u].token));
    std::vector<UserId> members;
    for (int k = 1; k < kGroupsPerUser; ++k)
      members.push_back(sessions[(u + k) % kUsers].user.id);
    auto group = owners[u]->create_group("load " + std::to_string(u), members);
    REQUIRE(group.ok());
    for (int k = 0; k < kGroupsPerUser; ++k)
      chats_of[(u + k) % kUsers].push_back(group->id);
  }

  Outcome outcome;
  std::vector<std::unique_ptr<Client>> clients;
  for (int i = 0; i < kWriters + kReaders; ++i) {
    clients.push_back(std::make_unique<Client>(options));
    REQUIRE(clients.back()->resume(sessions[i % kUsers].token).ok());
  }
  auto deadline = std::chrono::steady_clock::now() + kRun;
  std::vector<std::thread> threads;
  for (int i = 0; i < kWriters + kReaders; ++i) {
    const auto* chats = &chats_of[i % kUsers];
    Client* client = clients[i].get();
    if (i < kWriters) {
      threads.emplace_back([=, &outcome] { write_for(*client, *chats, i, deadline, outcome); });
    } else {
      threads.emplace_back([=, &outcome] { read_for(*client, *chats, deadline, outcome); });
    }
  }
  std::uintmax_t largest_wal = 0;
  auto wal = server.database_path() + "-wal";
  while (std::chrono::steady_clock::now() < deadline) {
    std::error_code ignored;
    auto size = std::filesystem::file_size(wal, ignored);
    if (!ignored) largest_wal = std::max(largest_wal, size);
    std::this_thread::sleep_for(kWalSamplePause);
  }
  for (auto& thread : threads)
    thread.join();

  INFO("errors: ", outcome.errors.size(),
       outcome.errors.empty() ? std::string() : "; first: " + outcome.errors.front());
  CHECK(outcome.errors.empty());
  CHECK(largest_wal <= kWalBound);
  REQUIRE_FALSE(outcome.acked.empty());
  std::map<ChatId, std::map<MessageId, Seq>> stored;
  for (int u = 0; u < kUsers; ++u) {
    for (ChatId chat : chats_of[u]) {
      if (stored.count(chat)) continue;
      auto history = read_full_history(*owners[u].client, chat);
      REQUIRE(history.ok());
      for (const auto& message : *history)
        stored[chat][message.id] = message.seq;
    }
  }
  std::size_t missing = 0;
  for (const auto& acked : outcome.acked) {
    auto chat = stored.find(acked.chat);
    bool there = chat != stored.end() && chat->second.count(acked.id) &&
                 chat->second.at(acked.id) == acked.seq;
    missing += !there;
  }
  INFO("acknowledged messages: ", outcome.acked.size());
  CHECK(missing == 0);
}
