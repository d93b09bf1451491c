#pragma once
// RateLimiter: at most `limit` events per `window` per key (client address, account, ...).
//
// Algorithm: GCRA, the "generic cell rate algorithm" (ITU-T I.371), which is a token bucket
// of capacity `limit` refilled at limit/window, stored as one time point per key (the
// theoretical arrival time, TAT). A burst of `limit` is allowed at once; after that, one
// event per window/limit. Unlike a fixed window it never lets 2*limit through around a window
// boundary, and unlike a sliding log it keeps O(1) memory per key.
//
// Time is passed in by the caller so tests control it. Memory is bounded: at most `maxKeys`
// entries. When a new key arrives and the table is full, entries whose bucket has refilled
// completely (equivalent to absent) are pruned starting from the least recently used; if the
// table is still full, the least recently used entry is evicted. Eviction forgets that key's
// history, so size `maxKeys` well above the number of concurrently active keys.
//
// NOT thread-safe, by design: it is used on the control event loop only. Wrap it or give
// each thread its own if that ever changes.
#include <chrono>
#include <cstddef>
#include <functional>
#include <list>
#include <string>
#include <string_view>
#include <unordered_map>

namespace fluxmeet {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  using TimePoint = Clock::time_point;

  struct Decision {
    bool allowed = false;
    int retryAfterSeconds = 0;  // 0 when allowed; otherwise >= 1 (for a Retry-After header)
  };

  // limit >= 1 and window > 0 (values below are raised to the minimum).
  RateLimiter(int limit, Clock::duration window, size_t maxKeys = 100000);

  // Records one event for `key` at `now` if allowed. A denied event is not counted, so a
  // client that waits retryAfterSeconds will get through.
  Decision take(std::string_view key, TimePoint now);

  // Forgets `key` (e.g. after a successful login, reset the failed-attempt counter).
  void reset(std::string_view key);

  size_t size() const { return entries_.size(); }
  size_t maxKeys() const { return maxKeys_; }

 private:
  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using LruList = std::list<std::string>;  // front = least recently used key
  struct Entry {
    TimePoint theoreticalArrival;
    LruList::iterator lruPosition;
  };

  void makeRoom(TimePoint now);

  Clock::duration emissionInterval_;  // window / limit: time to refill one event
  Clock::duration burstTolerance_;    // window - emissionInterval_
  size_t maxKeys_;
  LruList lru_;
  std::unordered_map<std::string, Entry, StringHash, std::equal_to<>> entries_;
};

}  // namespace fluxmeet
