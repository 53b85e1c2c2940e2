// The stepped modes of the server's writer and reader that the simulation builds on.
#include <doctest/doctest.h>

#include <asio/io_context.hpp>
#include <asio/post.hpp>

#include "server/commit_queue.hpp"
#include "server/read_pool.hpp"

using namespace messenger;

namespace {

struct SteppedParts {
  asio::io_context io;
  std::shared_ptr<Store> store = open_memory_store();
  std::function<void(std::function<void()>)> post = [this](std::function<void()> handler) {
    asio::post(io, std::move(handler));
  };
};

CommitQueue::Job make_user(const std::string& name, std::vector<std::string>& finished) {
  return {[name](WriteTransaction& txn) { (void)txn.create_user(name, "hash", 1); },
          [name, &finished](const Result<void>& committed) {
            if (committed) finished.push_back(name);
          }};
}

bool stored(Store& store, const std::string& name) {
  auto reader = store.open_reader();
  return reader && (*reader)->find_user_by_name(name).ok();
}

}  // namespace

TEST_CASE("a stepped writer commits each job only when its handler runs, in order") {
  SteppedParts parts;
  std::vector<std::string> finished;
  CommitQueue writes(parts.store, Logger(), parts.post);
  writes.submit(make_user("first", finished));
  writes.submit(make_user("second", finished));
  CHECK(finished.empty());
  CHECK_FALSE(stored(*parts.store, "first"));

  CHECK(parts.io.poll_one() == 1);
  CHECK(finished == std::vector<std::string>{"first"});
  CHECK(stored(*parts.store, "first"));
  CHECK(parts.io.poll_one() == 1);
  CHECK(finished == std::vector<std::string>{"first", "second"});
}

TEST_CASE("a stepped writer whose handlers never run commits nothing, as in a crash") {
  SteppedParts parts;
  std::vector<std::string> finished;
  {
    CommitQueue writes(parts.store, Logger(), parts.post);
    writes.submit(make_user("lost", finished));
  }
  CHECK(finished.empty());
  CHECK_FALSE(stored(*parts.store, "lost"));
}

TEST_CASE("a stepped reader runs each task only when its handler runs") {
  SteppedParts parts;
  {
    CommitQueue writes(parts.store, Logger(), parts.post);
    std::vector<std::string> finished;
    writes.submit(make_user("reader", finished));
    parts.io.poll();
    parts.io.restart();
  }
  auto reads = ReadPool::start_stepped(*parts.store, parts.post, Logger());
  REQUIRE(reads.ok());
  std::optional<UserId> found;
  (*reads)->submit([&found](StoreReader& reader) {
    if (auto user = reader.find_user_by_name("reader")) found = user->id;
  });
  CHECK_FALSE(found);
  CHECK(parts.io.poll_one() == 1);
  CHECK(found.has_value());
}
