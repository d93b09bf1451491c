#pragma once
// CursorThrottle: at most one cursor broadcast per peer per interval (default 50 ms, i.e. the
// issue's 20 per second), without losing where the pointer stopped. An update that comes too
// soon is held as the peer's pending cursor, replacing an older pending one, and goes out when
// its time comes through takeDue(); nextDue() says when to arm the timer for that. A plain rate
// limiter (common/rate_limiter.hpp) would drop the last move of a gesture and leave the
// pointer short of where it ended on everyone else's screen.
//
// Time is passed in by the caller, so tests control it. Memory: one entry per peer until
// forget() (call it when the peer leaves). Not thread-safe: the Room's control thread owns it.
#include <chrono>
#include <cstddef>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace fluxmeet::whiteboard {

class CursorThrottle {
 public:
  using Clock = std::chrono::steady_clock;
  using TimePoint = Clock::time_point;
  static constexpr Clock::duration kDefaultInterval = std::chrono::milliseconds(50);

  explicit CursorThrottle(Clock::duration interval = kDefaultInterval);

  // The cursor back if it may be broadcast now (it then counts as sent at `now`); nullopt if it
  // is held for takeDue().
  std::optional<nlohmann::json> offer(const std::string& peerId, nlohmann::json cursor, TimePoint now);

  struct Due {
    std::string peerId;
    nlohmann::json cursor;
  };
  // The held cursors whose interval has passed by `now`, one per peer; they count as sent.
  std::vector<Due> takeDue(TimePoint now);
  // The earliest time takeDue() has something, or nullopt when nothing is held.
  std::optional<TimePoint> nextDue() const;

  void forget(const std::string& peerId) { peers_.erase(peerId); }
  std::size_t size() const { return peers_.size(); }

 private:
  struct PeerState {
    TimePoint lastSent;
    std::optional<nlohmann::json> pending;
  };

  Clock::duration interval_;
  std::map<std::string, PeerState> peers_;
};

}  // namespace fluxmeet::whiteboard
