#include <doctest/doctest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

#include "server/commit_queue.hpp"

using namespace messenger;

namespace {

/// A store whose commits can be held until the test lets them go, counting transactions.
class GatedStore final : public Store {
 public:
  class Transaction final : public WriteTransaction {
   public:
    Transaction(GatedStore& store, std::unique_ptr<WriteTransaction> inner)
        : store_(store), inner_(std::move(inner)) {}
    Result<User> create_user(std::string_view name, std::string_view hash, Timestamp now) override {
      return inner_->create_user(name, hash, now);
    }
    Result<SessionRecord> create_session(UserId user, std::string_view token_hash,
                                         std::string_view device, Timestamp now) override {
      return inner_->create_session(user, token_hash, device, now);
    }
    Result<void> delete_session(SessionId session) override {
      return inner_->delete_session(session);
    }
    Result<std::vector<SessionId>> delete_sessions_of_user(UserId user, SessionId keep) override {
      return inner_->delete_sessions_of_user(user, keep);
    }
    Result<void> set_password_hash(UserId user, std::string_view password_hash) override {
      return inner_->set_password_hash(user, password_hash);
    }
    Result<bool> replace_password_hash(UserId user, std::string_view expected,
                                       std::string_view replacement) override {
      return inner_->replace_password_hash(user, expected, replacement);
    }
    Result<DirectChatResult> open_direct_chat(UserId a, UserId b, Timestamp now) override {
      return inner_->open_direct_chat(a, b, now);
    }
    Result<ChatChange> create_group_chat(UserId creator, std::string_view title,
                                         std::span<const UserId> members, Timestamp now) override {
      return inner_->create_group_chat(creator, title, members, now);
    }
    Result<ChatChange> add_members(ChatId chat, UserId by, std::span<const UserId> users,
                                   Timestamp now) override {
      return inner_->add_members(chat, by, users, now);
    }
    Result<ChatChange> remove_member(ChatId chat, UserId by, UserId user, Timestamp now) override {
      return inner_->remove_member(chat, by, user, now);
    }
    Result<ChatChange> leave_chat(ChatId chat, UserId user, Timestamp now) override {
      return inner_->leave_chat(chat, user, now);
    }
    Result<ChatChange> rename_chat(ChatId chat, UserId by, std::string_view title,
                                   Timestamp now) override {
      return inner_->rename_chat(chat, by, title, now);
    }
    Result<void> set_last_seen(UserId user, Timestamp when) override {
      return inner_->set_last_seen(user, when);
    }
    Result<AppendResult> append_message(const NewMessage& message) override {
      return inner_->append_message(message);
    }
    Result<WatermarkResult> advance_watermarks(ChatId chat, UserId user,
                                               std::optional<Seq> delivered,
                                               std::optional<Seq> seen) override {
      return inner_->advance_watermarks(chat, user, delivered, seen);
    }
    Result<void> commit() override {
      store_.wait_for_gate();
      ++store_.commits;
      if (store_.fail_commits) return Result<void>(Errc::storage_error, "disk on fire");
      return inner_->commit();
    }

   private:
    GatedStore& store_;
    std::unique_ptr<WriteTransaction> inner_;
  };

  Result<std::unique_ptr<WriteTransaction>> begin_write() override {
    auto inner = memory_->begin_write();
    if (!inner) return inner.error();
    return std::unique_ptr<WriteTransaction>(new Transaction(*this, std::move(*inner)));
  }
  Result<std::unique_ptr<StoreReader>> open_reader() override { return memory_->open_reader(); }

  void close_gate() {
    std::lock_guard lock(mutex_);
    open_ = false;
  }
  void open_gate() {
    std::lock_guard lock(mutex_);
    open_ = true;
    changed_.notify_all();
  }
  void wait_for_gate() {
    std::unique_lock lock(mutex_);
    waiting_ = true;
    changed_.notify_all();
    changed_.wait(lock, [this] { return open_; });
    waiting_ = false;
  }
  void wait_until_commit_waits() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return waiting_; });
  }

  std::atomic<int> commits{0};
  std::atomic<bool> fail_commits{false};

 private:
  std::shared_ptr<Store> memory_ = open_memory_store();
  std::mutex mutex_;
  std::condition_variable changed_;
  bool open_ = true;
  bool waiting_ = false;
};

CommitQueue::Job create_user_job(std::string name, std::atomic<int>& committed,
                                 std::atomic<int>& failed) {
  return {[name](WriteTransaction& txn) { (void)txn.create_user(name, "hash", 1); },
          [&committed, &failed](const Result<void>& result) {
            if (result) {
              ++committed;
            } else {
              ++failed;
            }
          }};
}

}  // namespace

TEST_CASE("jobs that queue while a commit runs share the next commit") {
  auto store = std::make_shared<GatedStore>();
  std::atomic<int> committed = 0, failed = 0;
  {
    CommitQueue queue(store, Logger());
    store->close_gate();
    queue.submit(create_user_job("first", committed, failed));
    store->wait_until_commit_waits();
    for (int i = 0; i < 50; ++i) {
      queue.submit(create_user_job("user" + std::to_string(i), committed, failed));
    }
    store->open_gate();
    queue.stop();
  }
  CHECK(committed == 51);
  CHECK(failed == 0);
  CHECK(store->commits == 2);
}

TEST_CASE("a failed commit fails every job it held, and nothing is kept") {
  auto store = std::make_shared<GatedStore>();
  store->fail_commits = true;
  std::atomic<int> committed = 0, failed = 0;
  {
    CommitQueue queue(store, Logger());
    for (int i = 0; i < 10; ++i) {
      queue.submit(create_user_job("user" + std::to_string(i), committed, failed));
    }
    queue.stop();
  }
  CHECK(committed == 0);
  CHECK(failed == 10);
  auto reader = store->open_reader();
  REQUIRE(reader.ok());
  CHECK((*reader)->find_user_by_name("user0").code() == Errc::not_found);
}

TEST_CASE("a job submitted after stop is answered with shutting_down") {
  auto store = std::make_shared<GatedStore>();
  CommitQueue queue(store, Logger());
  queue.stop();
  std::optional<Errc> answer;
  queue.submit({[](WriteTransaction&) { FAIL("applied after stop"); },
                [&answer](const Result<void>& result) { answer = result.code(); }});
  CHECK(answer == Errc::shutting_down);
}

TEST_CASE("a slow finish does not hold back the next commit, and finishes keep their order") {
  auto store = std::make_shared<GatedStore>();
  std::mutex mutex;
  std::condition_variable changed;
  bool release_first = false;
  std::vector<int> finished;
  auto finish = [&](int number) {
    return [&, number](const Result<void>&) {
      std::unique_lock lock(mutex);
      // Bounded: a broken queue must fail the test, not hang it.
      if (number == 1)
        changed.wait_for(lock, std::chrono::seconds(10), [&] { return release_first; });
      finished.push_back(number);
    };
  };

  CommitQueue queue(store, Logger());
  queue.submit(
      {[](WriteTransaction& txn) { (void)txn.create_user("first", "hash", 1); }, finish(1)});
  for (int i = 0; i < 1000 && store->commits < 1; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  queue.submit(
      {[](WriteTransaction& txn) { (void)txn.create_user("second", "hash", 1); }, finish(2)});
  for (int i = 0; i < 500 && store->commits < 2; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));

  CHECK(store->commits == 2);
  {
    std::lock_guard lock(mutex);
    CHECK(finished.empty());
    release_first = true;
  }
  changed.notify_all();
  queue.stop();
  CHECK(finished == std::vector<int>{1, 2});
}
