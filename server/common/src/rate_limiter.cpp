#include "fluxmeet/common/rate_limiter.hpp"

#include <algorithm>

namespace fluxmeet {

RateLimiter::RateLimiter(int limit, Clock::duration window, size_t maxKeys)
    : maxKeys_(std::max<size_t>(maxKeys, 1)) {
  const int safeLimit = std::max(limit, 1);
  const Clock::duration safeWindow = std::max(window, Clock::duration{1});
  emissionInterval_ = std::max(safeWindow / safeLimit, Clock::duration{1});
  burstTolerance_ = emissionInterval_ * (safeLimit - 1);
}

RateLimiter::Decision RateLimiter::take(std::string_view key, TimePoint now) {
  auto it = entries_.find(key);
  if (it == entries_.end()) {
    makeRoom(now);
    lru_.emplace_back(key);
    it = entries_.emplace(lru_.back(), Entry{now, std::prev(lru_.end())}).first;
  } else {
    lru_.splice(lru_.end(), lru_, it->second.lruPosition);  // mark most recently used
  }
  Entry& entry = it->second;
  // GCRA: the event conforms if it arrives no earlier than TAT - tolerance.
  const TimePoint tat = std::max(entry.theoreticalArrival, now);
  const Clock::duration ahead = tat - now;
  if (ahead > burstTolerance_) {
    const auto wait = ahead - burstTolerance_;
    const auto seconds = std::chrono::ceil<std::chrono::seconds>(wait).count();
    return Decision{false, static_cast<int>(std::clamp<long long>(seconds, 1, 1LL << 30))};
  }
  entry.theoreticalArrival = tat + emissionInterval_;
  return Decision{true, 0};
}

void RateLimiter::reset(std::string_view key) {
  const auto it = entries_.find(key);
  if (it == entries_.end()) return;
  lru_.erase(it->second.lruPosition);
  entries_.erase(it);
}

void RateLimiter::makeRoom(TimePoint now) {
  // Prune from the least recently used end while buckets are full again (TAT <= now means
  // the key would be treated exactly like a new one). Stopping at the first live entry keeps
  // this O(1) amortised even when an attacker fills the table.
  while (!lru_.empty() && entries_.size() >= maxKeys_) {
    const auto it = entries_.find(lru_.front());
    if (it->second.theoreticalArrival > now) break;
    entries_.erase(it);
    lru_.pop_front();
  }
  if (entries_.size() >= maxKeys_ && !lru_.empty()) {
    entries_.erase(entries_.find(lru_.front()));
    lru_.pop_front();
  }
}

}  // namespace fluxmeet
