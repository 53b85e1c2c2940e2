#include "server/login_throttle.hpp"

#include <algorithm>

namespace messenger {
namespace {

constexpr std::chrono::seconds kFirstDelay{1};
/// A name with no wrong password for this long starts again with its free attempts.
constexpr std::chrono::minutes kForgetAfter{15};
/// Guessing across many names must not grow memory without bound. Past this many names the
/// stale records go; if none are stale, new names are counted once old ones are forgotten.
constexpr std::size_t kMaxNames = 100'000;

}  // namespace

LoginThrottle::Duration LoginThrottle::wait_for(std::string_view name) {
  auto now = clock_.monotonic();
  std::lock_guard lock(mutex_);
  auto found = records_.find(std::string(name));
  if (found == records_.end() || found->second.blocked_until <= now) return Duration::zero();
  return found->second.blocked_until - now;
}

LoginThrottle::Duration LoginThrottle::failed(std::string_view name) {
  auto now = clock_.monotonic();
  std::lock_guard lock(mutex_);
  auto found = records_.find(std::string(name));
  if (found == records_.end()) {
    if (records_.size() >= kMaxNames) forget_stale(now);
    if (records_.size() >= kMaxNames) return Duration::zero();
    found = records_.emplace(std::string(name), Record{}).first;
  }

  auto& record = found->second;
  if (now - record.last_failure > kForgetAfter) record.failures = 0;
  record.failures += 1;
  record.last_failure = now;
  if (record.failures <= free_failures_) return Duration::zero();

  // Doubling from the first delay; the shift is capped so that it cannot overflow.
  auto doublings = std::min<std::size_t>(record.failures - free_failures_ - 1, 30);
  Duration delay = std::min<Duration>(kFirstDelay * (std::int64_t{1} << doublings), max_delay_);
  record.blocked_until = now + delay;
  return delay;
}

void LoginThrottle::succeeded(std::string_view name) {
  std::lock_guard lock(mutex_);
  records_.erase(std::string(name));
}

void LoginThrottle::forget_stale(std::chrono::steady_clock::time_point now) {
  std::erase_if(records_, [now](const auto& entry) {
    return entry.second.blocked_until <= now && now - entry.second.last_failure > kForgetAfter;
  });
}

}  // namespace messenger
