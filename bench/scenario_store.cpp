// The store scenarios: history pages in a long chat, and the raw store's insert ceiling.
#include <cmath>

#include "messenger/store.hpp"
#include "scenarios.hpp"

namespace messenger::bench {
namespace {

constexpr int kSeedRowsPerTransaction = 20'000;
constexpr int kPageSize = 50;
constexpr int kCeilingPairs = 500;
constexpr auto kRequestLimit = std::chrono::seconds(30);

std::string body_text(int bytes, long long number) {
  std::string text = "history " + std::to_string(number) + " ";
  if (static_cast<int>(text.size()) < bytes) text.resize(bytes, 'x');
  return text;
}

// Appends `count` messages to `chats` round robin, from the chats' first and second member
// alternately, committing every `batch` rows. Returns each commit's duration in ms.
Result<std::vector<double>> append_rows(Store& store, const std::vector<ChatId>& chats,
                                        const std::vector<std::pair<UserId, UserId>>& members,
                                        long long count, int batch, int body_bytes,
                                        Clock::time_point deadline) {
  std::vector<double> commits_ms;
  long long written = 0;
  while (written < count && Clock::now() < deadline) {
    auto write = store.begin_write();
    if (!write) return write.error();
    for (int i = 0; i < batch && written < count; ++i, ++written) {
      const auto chat = static_cast<std::size_t>(written % static_cast<long long>(chats.size()));
      const auto& pair = members[chat];
      NewMessage message{.chat_id = chats[chat],
                         .sender_id = written % 2 == 0 ? pair.first : pair.second,
                         .client_msg_id = "s" + std::to_string(written),
                         .text = body_text(body_bytes, written),
                         .created_at = 1 + written};
      auto appended = (*write)->append_message(message);
      if (!appended) return appended.error();
    }
    const auto started = Clock::now();
    if (auto committed = (*write)->commit(); !committed) return committed.error();
    commits_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - started).count());
  }
  return commits_ms;
}

// Sends the same request `samples` times, one at a time; returns each reply's time in ms.
std::vector<double> time_requests(BenchRun& run, LoadConnection& connection,
                                  const std::string& fields, int samples, int& errors) {
  struct Timing {
    std::vector<double> ms;
    int errors = 0;
    bool done = false;
  };
  // Shared with the reply handler, which may outlive this call when a reply is late.
  auto timing = std::make_shared<Timing>();
  for (int i = 0; i < samples; ++i) {
    timing->done = false;
    const auto started = Clock::now();
    connection.request(fields, [timing, started](bool ok, const std::string&) {
      if (!ok) ++timing->errors;
      timing->done = true;
      timing->ms.push_back(
          std::chrono::duration<double, std::milli>(Clock::now() - started).count());
    });
    if (!run_until(
            run.io(), [&] { return timing->done; }, Clock::now() + kRequestLimit)) {
      ++timing->errors;
      break;
    }
  }
  errors += timing->errors;
  return timing->ms;
}

Json latency_json(std::vector<double> ms) {
  Json out;
  add_latency(out, ms);
  return out;
}

}  // namespace

Json run_history(const BenchOptions& options) {
  BenchRun run(options);
  const int users = options.chats + 1;
  auto seeded = run.seed({.users = users, .hub_chats = options.chats});
  if (!seeded) return failed_run(options.scenario, seeded.error().message);

  // The long chat is user 0's first; every other chat gets one message, so that the chat
  // list has a last message everywhere.
  const auto seed_started = Clock::now();
  {
    auto store = open_sqlite_store({.path = run.database_path(), .durability = Durability::normal});
    if (!store) return failed_run(options.scenario, store.error().message);
    const auto& ids = seeded->user_ids;
    auto long_chat = append_rows(**store, {seeded->hub_chats[0]}, {{ids[0], ids[1]}},
                                 options.history_messages, kSeedRowsPerTransaction,
                                 options.body_bytes, Clock::now() + std::chrono::hours(1));
    if (!long_chat) return failed_run(options.scenario, long_chat.error().message);
    std::vector<std::pair<UserId, UserId>> pairs;
    for (std::size_t i = 0; i < seeded->hub_chats.size(); ++i)
      pairs.emplace_back(ids[0], ids[i + 1]);
    auto others = append_rows(
        **store, seeded->hub_chats, pairs, static_cast<long long>(seeded->hub_chats.size()),
        kSeedRowsPerTransaction, options.body_bytes, Clock::now() + std::chrono::hours(1));
    if (!others) return failed_run(options.scenario, others.error().message);
  }
  const double seed_s = std::chrono::duration<double>(Clock::now() - seed_started).count();
  if (!run.start_server()) return failed_run(options.scenario, run.error());

  auto opened = open_sessions(run.io(), run.transport(), {.url = run.url(), .users = {0}});
  auto connection = opened.connections.at(0);
  if (!connection) return failed_run(options.scenario, "user 0 could not log in");
  const std::string chat = std::to_string(seeded->hub_chats[0]);
  const long long middle = options.history_messages / 2;
  int errors = 0;
  auto newest = time_requests(run, *connection,
                              R"("type":"get_history","chat_id":)" + chat + R"(,"limit":50)",
                              options.samples, errors);
  auto oldest = time_requests(run, *connection,
                              R"("type":"get_history","chat_id":)" + chat +
                                  R"(,"after":0,"order":"oldest_first","limit":50)",
                              options.samples, errors);
  auto in_middle = time_requests(run, *connection,
                                 R"("type":"get_history","chat_id":)" + chat + R"(,"before":)" +
                                     std::to_string(middle) + R"(,"limit":50)",
                                 options.samples, errors);
  auto chat_list = time_requests(run, *connection, R"("type":"list_chats")",
                                 std::max(1, options.samples / 10), errors);

  Json out{{"scenario", options.scenario},
           {"history_messages", options.history_messages},
           {"chats", options.chats},
           {"page", kPageSize},
           {"seed_s", std::round(seed_s * 10) / 10}};
  out["ready"] = opened.ready;
  out["logins_per_s"] = std::round(opened.ready / std::max(opened.seconds, 1e-9));
  std::vector<double> pages = newest;
  pages.insert(pages.end(), oldest.begin(), oldest.end());
  pages.insert(pages.end(), in_middle.begin(), in_middle.end());
  add_latency(out, pages);
  out["newest"] = latency_json(newest);
  out["oldest"] = latency_json(oldest);
  out["middle"] = latency_json(in_middle);
  out["list_chats"] = latency_json(chat_list);
  out["lost"] = 0;
  out["errors"] = errors + opened.errors;
  const auto sample = sample_process(run.server_pid());
  out["server_rss_kb"] = sample.rss_kb;
  out["server_hwm_kb"] = sample.hwm_kb;
  connection->close();
  run.run_for(0.2);
  return out;
}

Json run_sqlite_ceiling(const BenchOptions& options) {
  BenchRun run(options);
  auto seeded = run.seed({.users = 2 * kCeilingPairs, .pair_users = true});
  if (!seeded) return failed_run(options.scenario, seeded.error().message);
  auto store = open_sqlite_store(
      {.path = run.database_path(),
       .durability = options.durability == "normal" ? Durability::normal : Durability::full});
  if (!store) return failed_run(options.scenario, store.error().message);
  std::vector<std::pair<UserId, UserId>> pairs;
  for (int i = 0; i < kCeilingPairs; ++i)
    pairs.emplace_back(seeded->user_ids[2 * i], seeded->user_ids[2 * i + 1]);

  const auto started = Clock::now();
  const auto deadline = started + std::chrono::duration_cast<Clock::duration>(
                                      std::chrono::duration<double>(options.measure_s));
  auto commits =
      append_rows(**store, seeded->pair_chats, pairs, std::numeric_limits<long long>::max(),
                  options.batch, options.body_bytes, deadline);
  if (!commits) return failed_run(options.scenario, commits.error().message);
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  const long long rows = static_cast<long long>(commits->size()) * options.batch;

  Json out{{"scenario", options.scenario},
           {"batch", options.batch},
           {"durability", options.durability},
           {"ready", 1},
           {"rows", rows},
           {"rows_per_s", std::round(static_cast<double>(rows) / seconds)}};
  auto commit_latency = *commits;
  add_latency(out, commit_latency);
  out["lost"] = 0;
  out["errors"] = 0;
  return out;
}

}  // namespace messenger::bench
