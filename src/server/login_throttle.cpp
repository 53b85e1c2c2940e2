#include "server/login_throttle.hpp"

#include <algorithm>

namespace messenger {
namespace {

constexpr std::chrono::seconds kFirstDelay{1};
/// A key with no wrong password for this long starts again with its free attempts.
constexpr std::chrono::minutes kForgetAfter{15};
/// Guessing across many names must not grow memory without bound.
constexpr std::size_t kMaxKeys = 100'000;

}  // namespace

std::string LoginThrottle::name_key(std::string_view name) {
  std::string key(name);
  for (auto& c : key) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return key;
}

std::string LoginThrottle::session_key(std::int64_t session) {
  // Names cannot hold control characters, so this never meets a name's key.
  return "\x01session " + std::to_string(session);
}

LoginThrottle::Duration LoginThrottle::begin(const std::string& key) {
  auto now = clock_.monotonic();
  std::lock_guard lock(mutex_);
  auto found = records_.find(key);
  if (found == records_.end()) return Duration::zero();

  auto& record = found->second;
  if (record.blocked_until > now) return record.blocked_until - now;
  if (record.failures < free_failures_) return Duration::zero();
  // Past the free attempts, checks run one at a time, so that guesses sent together cannot
  // all be checked before the first wrong one sets the next wait.
  if (record.checking) return kFirstDelay;
  record.checking = true;
  return Duration::zero();
}

LoginThrottle::Duration LoginThrottle::failed(const std::string& key) {
  auto now = clock_.monotonic();
  std::lock_guard lock(mutex_);
  auto found = records_.find(key);
  if (found == records_.end()) {
    if (records_.size() >= kMaxKeys && !make_room(now)) return Duration::zero();
    found = records_.emplace(key, Record{}).first;
  }

  auto& record = found->second;
  record.checking = false;
  if (now - record.last_failure > kForgetAfter) record.failures = 0;
  record.failures += 1;
  record.last_failure = now;
  if (record.failures < free_failures_) return Duration::zero();

  // Doubling from the first delay; the shift is capped so that it cannot overflow.
  auto doublings = std::min<std::size_t>(record.failures - free_failures_, 30);
  Duration delay = std::min<Duration>(kFirstDelay * (std::int64_t{1} << doublings), max_delay_);
  record.blocked_until = now + delay;
  return delay;
}

void LoginThrottle::abandoned(const std::string& key) {
  std::lock_guard lock(mutex_);
  if (auto found = records_.find(key); found != records_.end()) found->second.checking = false;
}

void LoginThrottle::succeeded(const std::string& key) {
  std::lock_guard lock(mutex_);
  records_.erase(key);
}

bool LoginThrottle::make_room(std::chrono::steady_clock::time_point now) {
  // Keys that block nobody go first: forgetting one gives back at most its free attempts,
  // while a guesser who fills the table pays a hash for every key. Blocked keys stay.
  std::erase_if(records_, [now](const auto& entry) {
    return entry.second.blocked_until <= now && !entry.second.checking;
  });
  return records_.size() < kMaxKeys;
}

}  // namespace messenger
