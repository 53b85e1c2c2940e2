#pragma once

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "messenger/store.hpp"

namespace messenger::testing {

inline constexpr Timestamp kStart = 1'700'000'000'000;

/// The error message of a failed result, for test output; empty on success (doctest may print
/// messages of passing checks too).
template <typename T>
std::string failure_of(const Result<T>& result) {
  return result.ok() ? std::string() : result.error().message;
}

/// A fresh folder under the system's temporary directory, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "store-test-XXXXXX").string();
    REQUIRE(mkdtemp(pattern.data()) != nullptr);
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

struct SqliteBackend {
  static std::shared_ptr<Store> open(const TempDir& dir) {
    auto store = open_sqlite_store({.path = dir.file("store.db")});
    REQUIRE_MESSAGE(store.ok(), failure_of(store));
    return *store;
  }
};

struct MemoryBackend {
  static std::shared_ptr<Store> open(const TempDir&) { return open_memory_store(); }
};

/// A store of the backend under test with short ways to set up users, chats and messages; each
/// helper commits its own transaction and fails the test when the store refuses.
template <typename Backend>
class StoreTest {
 public:
  StoreTest() : store(Backend::open(dir)), reader(open_reader()) {}

  std::unique_ptr<StoreReader> open_reader() {
    auto opened = store->open_reader();
    REQUIRE_MESSAGE(opened.ok(), failure_of(opened));
    return std::move(*opened);
  }

  std::unique_ptr<WriteTransaction> begin() {
    auto transaction = store->begin_write();
    REQUIRE_MESSAGE(transaction.ok(), failure_of(transaction));
    return std::move(*transaction);
  }

  template <typename Operation>
  auto write(Operation operation) {
    auto transaction = begin();
    auto result = operation(*transaction);
    REQUIRE_MESSAGE(result.ok(), failure_of(result));
    auto committed = transaction->commit();
    REQUIRE_MESSAGE(committed.ok(), failure_of(committed));
    if constexpr (!std::is_same_v<decltype(result), Result<void>>) return std::move(*result);
  }

  User add_user(const std::string& name) {
    return write([&](WriteTransaction& t) { return t.create_user(name, "hash-" + name, now()); });
  }

  Chat direct(UserId a, UserId b) {
    return write([&](WriteTransaction& t) { return t.open_direct_chat(a, b, now()); }).chat;
  }

  Chat group(UserId creator, std::vector<UserId> members, const std::string& title = "group") {
    return write([&](WriteTransaction& t) {
             return t.create_group_chat(creator, title, members, now());
           })
        .chat;
  }

  Message send(ChatId chat, UserId sender, const std::string& client_msg_id,
               const std::string& text = "hello") {
    return append(chat, sender, client_msg_id, text).message;
  }

  AppendResult append(ChatId chat, UserId sender, const std::string& client_msg_id,
                      const std::string& text = "hello") {
    NewMessage message{chat, sender, client_msg_id, text, now()};
    return write([&](WriteTransaction& t) { return t.append_message(message); });
  }

  /// Sends `count` messages in one transaction, with client ids "<prefix>-<n>".
  void send_many(ChatId chat, UserId sender, int count, const std::string& prefix = "m") {
    auto transaction = begin();
    for (int i = 0; i < count; ++i) {
      NewMessage message{chat, sender, prefix + "-" + std::to_string(i), "text", now()};
      REQUIRE(transaction->append_message(message).ok());
    }
    REQUIRE(transaction->commit().ok());
  }

  ChatMember advance(ChatId chat, UserId user, std::optional<Seq> delivered,
                     std::optional<Seq> seen) {
    return receipt(chat, user, delivered, seen).member;
  }

  WatermarkResult receipt(ChatId chat, UserId user, std::optional<Seq> delivered,
                          std::optional<Seq> seen) {
    return write(
        [&](WriteTransaction& t) { return t.advance_watermarks(chat, user, delivered, seen); });
  }

  ChatChange add(ChatId chat, UserId by, std::vector<UserId> users) {
    return write([&](WriteTransaction& t) { return t.add_members(chat, by, users, now()); });
  }

  ChatChange remove(ChatId chat, UserId by, UserId user) {
    return write([&](WriteTransaction& t) { return t.remove_member(chat, by, user, now()); });
  }

  ChatChange leave(ChatId chat, UserId user) {
    return write([&](WriteTransaction& t) { return t.leave_chat(chat, user, now()); });
  }

  ChatChange rename(ChatId chat, UserId by, const std::string& title) {
    return write([&](WriteTransaction& t) { return t.rename_chat(chat, by, title, now()); });
  }

  UpdatePage page(UserId user, Cursor after, std::size_t limit) {
    auto read = reader->updates_since(user, after, limit);
    REQUIRE_MESSAGE(read.ok(), failure_of(read));
    return std::move(*read);
  }

  /// The user's whole stream after `after`, read page by page as a client would.
  std::vector<Update> stream(UserId user, Cursor after = 0, std::size_t page_size = 1000) {
    constexpr int kMaxPages = 10'000;
    std::vector<Update> updates;
    for (int i = 0; i < kMaxPages; ++i) {
      UpdatePage next = page(user, after, page_size);
      updates.insert(updates.end(), next.updates.begin(), next.updates.end());
      after = next.cursor;
      if (!next.more) return updates;
    }
    FAIL("the stream did not end within ", kMaxPages, " pages");
    return updates;
  }

  std::vector<ChatSummary> chats_of(UserId user) {
    auto listed = reader->list_chats(user);
    REQUIRE_MESSAGE(listed.ok(), failure_of(listed));
    return std::move(*listed);
  }

  /// A clock that moves 1 ms per call, so every stored time is distinct and ordered.
  Timestamp now() { return clock_++; }

  TempDir dir;
  std::shared_ptr<Store> store;
  std::unique_ptr<StoreReader> reader;

 private:
  Timestamp clock_ = kStart;
};

inline std::vector<Seq> seqs_of(const std::vector<Message>& messages) {
  std::vector<Seq> seqs;
  for (const Message& message : messages) {
    seqs.push_back(message.seq);
  }
  return seqs;
}

inline std::vector<Cursor> cursors_of(const std::vector<Update>& updates) {
  std::vector<Cursor> cursors;
  for (const Update& update : updates) {
    cursors.push_back(update.cursor);
  }
  return cursors;
}

inline std::vector<UserId> user_ids_of(const std::vector<ChatMember>& members) {
  std::vector<UserId> ids;
  for (const ChatMember& member : members) {
    ids.push_back(member.user_id);
  }
  return ids;
}

inline const ChatMember* member_of(const Chat& chat, UserId user) {
  for (const ChatMember& member : chat.members) {
    if (member.user_id == user) return &member;
  }
  return nullptr;
}

}  // namespace messenger::testing
