// c04: a silent gap after a crash. B holds cursor N and goes away; A posts five messages; the
// server is killed and restarted; B comes back with N. B must get the five from the store, in
// order, once each; and where the store cannot serve N, the server must say so and the client
// refetch, never report "up to date" with messages missing.
#include <doctest/doctest.h>

#include <filesystem>

#include "fault/support/event_views.hpp"
#include "fault/support/recorded_client.hpp"
#include "fault/support/retry_request.hpp"
#include "fault/support/server_process.hpp"
#include "integration/support/temp_dir.hpp"

using namespace messenger;
using namespace messenger::test;

namespace {

constexpr int kPosted = 5;
// More updates than `kPosted` written after the backup, so that B's cursor lies beyond
// everything the restored store will ever have reached when B comes back.
constexpr int kLostWithTheBackup = 10;
constexpr auto kLimit = std::chrono::seconds(30);

bool has_texts_from(const EventRecord& record, ChatId chat, UserId sender, std::size_t count) {
  return record.wait_until(
      [&](const std::vector<ClientEvent>& events) {
        return texts_from(events, chat, sender).size() >= count;
      },
      kLimit);
}

std::vector<SendAck> post(Client& client, ChatId chat, const std::string& prefix, int count) {
  std::vector<SendAck> acks;
  for (int i = 0; i < count; ++i) {
    auto ack = retry_request([&] {
      return client.send_message(chat, prefix + std::to_string(i), prefix + std::to_string(i));
    });
    REQUIRE(ack.ok());
    acks.push_back(*ack);
  }
  return acks;
}

const char* const kDatabaseSuffixes[] = {"", "-wal", "-shm"};

void copy_database(const std::string& from, const std::string& to) {
  for (const char* suffix : kDatabaseSuffixes) {
    std::filesystem::remove(to + suffix);
    if (std::filesystem::exists(from + suffix)) {
      std::filesystem::copy_file(from + suffix, to + suffix);
    }
  }
}

}  // namespace

TEST_CASE("case_c04_silent_gap_after_crash") {
  ServerProcess server;
  TempDir client_dir;
  auto bob_options = quick_reconnect_options(server.url());
  bob_options.data_file = (client_dir.path() / "bob.db").string();
  auto alice = register_recorded(quick_reconnect_options(server.url()), "alice");
  UserId alice_id = alice->user()->id;
  ChatId chat = 0;
  Cursor held = 0;
  {
    auto bob = register_recorded(bob_options, "bob");
    auto opened = alice->open_direct_chat(bob->user()->id);
    REQUIRE(opened.ok());
    chat = opened->id;
    REQUIRE(bob.record->wait_until(
        [](const std::vector<ClientEvent>& events) { return !all_of<ChatEvent>(events).empty(); },
        kLimit));
    // Closed first: an update still arriving would move the cursor past the one noted.
    bob->close();
    held = bob->cursor();
  }  // bob goes away holding his cursor

  SUBCASE("the store serves B's cursor after the crash") {
    auto posted = post(*alice.client, chat, "after-", kPosted);
    server.kill();
    server.restart();

    Client bob(bob_options);
    EventRecord record(bob);
    CHECK(bob.cursor() == held);
    REQUIRE(bob.connect().ok());
    REQUIRE(has_texts_from(record, chat, alice_id, kPosted));
    auto received = texts_from(record.events(), chat, alice_id);
    REQUIRE(received.size() == kPosted);
    for (int i = 0; i < kPosted; ++i) {
      CHECK(received[i].id == posted[i].message_id);
      CHECK(received[i].seq == posted[i].seq);
    }
    CHECK(all_of<ResetEvent>(record.events()).empty());
  }

  SUBCASE("the store lost what B's cursor points past and the client refetches") {
    // A backup is taken, B hears more, and the server crashes and comes back from the backup.
    auto backup = server.data_dir() + "/backup.db";
    CHECK(server.stop() == 0);
    copy_database(server.database_path(), backup);
    server.start();
    {
      Client bob(bob_options);
      EventRecord record(bob);
      REQUIRE(bob.connect().ok());
      post(*alice.client, chat, "lost-", kLostWithTheBackup);
      REQUIRE(has_texts_from(record, chat, alice_id, kLostWithTheBackup));
      bob.close();
      held = bob.cursor();
    }
    server.kill();
    copy_database(backup, server.database_path());
    server.start();
    auto posted = post(*alice.client, chat, "after-", kPosted);

    Client bob(bob_options);
    EventRecord record(bob);
    CHECK(bob.cursor() == held);
    REQUIRE(bob.connect().ok());
    REQUIRE(has_texts_from(record, chat, alice_id, kPosted));
    auto events = record.events();
    CHECK_FALSE(all_of<ResetEvent>(events).empty());
    // Caught up ("connected") only once the five are in.
    std::size_t found = 0;
    for (const auto& event : events) {
      if (const auto* message = std::get_if<MessageEvent>(&event)) {
        for (const auto& ack : posted)
          found += message->message.id == ack.message_id;
      }
      if (const auto* change = std::get_if<ConnectionEvent>(&event)) {
        if (change->state == ConnectionState::connected) break;
      }
    }
    CHECK(found == kPosted);
  }
}
