#include "message_load.hpp"

#include <asio/steady_timer.hpp>

#include <charconv>
#include <cmath>
#include <unordered_map>

namespace messenger::bench {
namespace {

constexpr auto kTick = std::chrono::milliseconds(1);
// The server refuses more than 256 unanswered requests per connection; an open-loop sender
// that gets this far behind counts the rest as unsent instead.
constexpr std::size_t kMaxInFlightPerSender = 200;
constexpr std::string_view kTextField = "\"text\":\"";
constexpr std::string_view kMessageEvent = "{\"event\":\"message\"";

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch())
      .count();
}

struct Tracked {
  std::int64_t sent_ns = 0;
  int received = 0;
  bool acked = false;
  bool in_window = false;
};

// The whole state of one run; lives on the io thread.
class MessageLoad : public std::enable_shared_from_this<MessageLoad> {
 public:
  MessageLoad(asio::io_context& io, const LoadPlan& plan) : plan_(plan), timer_(io) {
    for (std::size_t i = 0; i < plan.sender_chat.size(); ++i) {
      if (plan.sender_chat[i] != 0 && plan.connections[i]) senders_.push_back(static_cast<int>(i));
    }
    counters_.resize(plan.connections.size());
  }

  void start() {
    for (auto& connection : plan_.connections) {
      if (!connection) continue;
      std::weak_ptr<MessageLoad> weak = weak_from_this();
      connection->on_event = [weak](const std::string& frame) {
        if (auto self = weak.lock()) self->on_event(frame);
      };
      connection->on_closed = [weak] {
        if (auto self = weak.lock()) ++self->errors_;
      };
    }
    started_ = Clock::now();
    if (plan_.rate > 0) {
      tick();
    } else {
      for (int sender : senders_)
        for (int i = 0; i < plan_.in_flight; ++i)
          send_one(sender);
    }
  }

  void set_window(bool in_window) { in_window_ = in_window; }
  void stop_sending() {
    sending_ = false;
    timer_.cancel();
  }
  bool drained() const { return outstanding_ == 0; }

  Json report(double measure_s) {
    Json out;
    out["offered_per_s"] = std::round(static_cast<double>(offered_in_window_) / measure_s);
    out["delivered_per_s"] = std::round(static_cast<double>(complete_in_window_) / measure_s);
    out["deliveries_per_s"] = std::round(static_cast<double>(deliveries_in_window_) / measure_s);
    add_latency(out, latencies_ms_);
    long long lost = 0;
    for (auto& [key, tracked] : tracked_) {
      if (tracked.acked) lost += plan_.receivers_per_message - tracked.received;
    }
    out["sent"] = acked_;
    out["deliveries"] = deliveries_;
    out["lost"] = lost;
    out["unsent"] = unsent_;
    out["errors"] = errors_;
    if (plan_.rate > 0) {
      out["generator_max_tick_gap_ms"] =
          std::round(std::chrono::duration<double, std::milli>(max_tick_gap_).count());
    }
    return out;
  }

  long long deliveries_in_window() const { return deliveries_in_window_; }
  long long deliveries() const { return deliveries_; }

 private:
  void tick() {
    if (!sending_) return;
    // A late tick means the generator itself stalled: the figures of such a run are suspect.
    const auto now = Clock::now();
    if (last_tick_ != Clock::time_point{})
      max_tick_gap_ = std::max(max_tick_gap_, now - last_tick_);
    last_tick_ = now;
    const double elapsed = std::chrono::duration<double>(Clock::now() - started_).count();
    const auto due = static_cast<long long>(elapsed * plan_.rate);
    while (offered_ < due && !senders_.empty()) {
      ++offered_;
      const int sender = senders_[next_sender_++ % senders_.size()];
      if (plan_.connections[sender]->in_flight() >= kMaxInFlightPerSender) {
        ++unsent_;
        continue;
      }
      send_one(sender);
    }
    timer_.expires_after(kTick);
    timer_.async_wait([weak = weak_from_this()](std::error_code error) {
      auto self = weak.lock();
      if (!error && self) self->tick();
    });
  }

  std::string body(std::int64_t sent_ns, int sender, std::int64_t number) const {
    std::string text =
        std::to_string(sent_ns) + ":" + std::to_string(sender) + ":" + std::to_string(number) + ":";
    if (static_cast<int>(text.size()) < plan_.body_bytes) text.resize(plan_.body_bytes, 'x');
    return text;
  }

  void send_one(int sender) {
    auto& connection = plan_.connections[sender];
    if (!sending_ || connection->closed()) return;
    const std::int64_t number = ++counters_[sender];
    const std::int64_t sent_ns = now_ns();
    const std::uint64_t key = (static_cast<std::uint64_t>(sender) << 40) | number;
    tracked_[key] = {sent_ns, 0, false, in_window_};
    ++outstanding_;
    if (in_window_) ++offered_in_window_;
    std::string fields = R"("type":"send_message","chat_id":)" +
                         std::to_string(plan_.sender_chat[sender]) + R"(,"client_msg_id":")" +
                         std::to_string(number) + R"(","text":")" + body(sent_ns, sender, number) +
                         "\"";
    std::weak_ptr<MessageLoad> weak = weak_from_this();
    connection->request(fields, [weak, sender, key](bool ok, const std::string& frame) {
      auto self = weak.lock();
      if (!self) return;
      if (self->plan_.echo) {
        self->on_delivery(frame);
        ok = true;
      }
      self->on_ack(sender, key, ok);
    });
  }

  void on_ack(int sender, std::uint64_t key, bool ok) {
    auto found = tracked_.find(key);
    if (!ok) {
      ++errors_;
      if (found != tracked_.end()) {
        if (found->second.received == 0) --outstanding_;
        tracked_.erase(found);
      }
    } else {
      ++acked_;
      if (found != tracked_.end()) {
        found->second.acked = true;
        forget_if_done(found);
      }
    }
    if (plan_.rate <= 0) send_one(sender);
  }

  void on_event(const std::string& frame) {
    if (frame.compare(0, kMessageEvent.size(), kMessageEvent) != 0) return;
    on_delivery(frame);
  }

  void on_delivery(const std::string& frame) {
    const auto now = now_ns();
    auto at = frame.find(kTextField);
    if (at == std::string::npos) return;
    const char* cursor = frame.data() + at + kTextField.size();
    const char* end = frame.data() + frame.size();
    std::int64_t sent_ns = 0;
    long long sender = 0;
    std::int64_t number = 0;
    cursor = std::from_chars(cursor, end, sent_ns).ptr + 1;
    cursor = std::from_chars(cursor, end, sender).ptr + 1;
    std::from_chars(cursor, end, number);
    ++deliveries_;
    if (in_window_) ++deliveries_in_window_;

    auto found = tracked_.find((static_cast<std::uint64_t>(sender) << 40) | number);
    if (found == tracked_.end()) return;
    auto& tracked = found->second;
    if (++tracked.received == plan_.receivers_per_message) {
      --outstanding_;
      if (tracked.in_window) {
        ++complete_in_window_;
        latencies_ms_.push_back(static_cast<double>(now - tracked.sent_ns) / 1e6);
      }
    }
    forget_if_done(found);
  }

  void forget_if_done(std::unordered_map<std::uint64_t, Tracked>::iterator found) {
    if (found->second.acked && found->second.received >= plan_.receivers_per_message) {
      tracked_.erase(found);
    }
  }

  const LoadPlan& plan_;
  asio::steady_timer timer_;
  std::vector<int> senders_;
  std::vector<std::int64_t> counters_;
  std::unordered_map<std::uint64_t, Tracked> tracked_;
  std::vector<double> latencies_ms_;
  Clock::time_point started_;
  Clock::time_point last_tick_{};
  Clock::duration max_tick_gap_{};
  bool sending_ = true;
  bool in_window_ = false;
  std::size_t next_sender_ = 0;
  long long offered_ = 0;
  long long offered_in_window_ = 0;
  long long outstanding_ = 0;
  long long acked_ = 0;
  long long unsent_ = 0;
  long long errors_ = 0;
  long long deliveries_ = 0;
  long long deliveries_in_window_ = 0;
  long long complete_in_window_ = 0;
};

Clock::duration seconds(double value) {
  return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(value));
}

}  // namespace

Json run_message_load(asio::io_context& io, const LoadPlan& plan) {
  auto load = std::make_shared<MessageLoad>(io, plan);
  const auto never = [] { return false; };
  const auto started = Clock::now();
  load->start();
  run_until(io, never, started + seconds(plan.warmup_s));

  const auto server_before = sample_process(plan.server_pid);
  const auto own_before = own_cpu_us();
  const auto window_start = Clock::now();
  load->set_window(true);
  run_until(io, never, window_start + seconds(plan.measure_s));
  load->set_window(false);
  load->stop_sending();
  const auto window_us =
      std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - window_start).count();
  const auto own_after = own_cpu_us();
  const auto server_after = sample_process(plan.server_pid);

  run_until(
      io, [&] { return load->drained(); }, Clock::now() + seconds(plan.drain_s));
  // Acks and deliveries that were still on their way when the drain ended.
  run_until(io, never, Clock::now() + std::chrono::milliseconds(200));

  Json out = load->report(plan.measure_s);
  const auto window_deliveries = std::max<long long>(1, load->deliveries_in_window());
  out["server_cpu_us_per_msg"] =
      std::round(10.0 * static_cast<double>(server_after.cpu_us - server_before.cpu_us) /
                 static_cast<double>(window_deliveries)) /
      10.0;
  out["server_cpu_cores"] =
      std::round(100.0 * static_cast<double>(server_after.cpu_us - server_before.cpu_us) /
                 static_cast<double>(window_us)) /
      100.0;
  out["generator_cpu_cores"] = std::round(100.0 * static_cast<double>(own_after - own_before) /
                                          static_cast<double>(window_us)) /
                               100.0;
  out["server_rss_kb"] = server_after.rss_kb;
  out["server_hwm_kb"] = server_after.hwm_kb;
  return out;
}

}  // namespace messenger::bench
