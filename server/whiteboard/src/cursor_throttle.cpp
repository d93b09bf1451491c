#include "fluxmeet/whiteboard/cursor_throttle.hpp"

#include <algorithm>
#include <utility>

namespace fluxmeet::whiteboard {

CursorThrottle::CursorThrottle(Clock::duration interval) : interval_(std::max(interval, Clock::duration::zero())) {}

std::optional<nlohmann::json> CursorThrottle::offer(const std::string& peerId, nlohmann::json cursor, TimePoint now) {
  const auto [it, inserted] = peers_.try_emplace(peerId);
  PeerState& state = it->second;
  if (inserted || now - state.lastSent >= interval_) {
    state.lastSent = now;
    state.pending.reset();  // older than this one
    return cursor;
  }
  state.pending = std::move(cursor);
  return std::nullopt;
}

std::vector<CursorThrottle::Due> CursorThrottle::takeDue(TimePoint now) {
  std::vector<Due> due;
  for (auto& [peerId, state] : peers_) {
    if (!state.pending || now - state.lastSent < interval_) continue;
    due.push_back(Due{peerId, std::move(*state.pending)});
    state.pending.reset();
    state.lastSent = now;
  }
  return due;
}

std::optional<CursorThrottle::TimePoint> CursorThrottle::nextDue() const {
  std::optional<TimePoint> earliest;
  for (const auto& [peerId, state] : peers_) {
    if (!state.pending) continue;
    const TimePoint at = state.lastSent + interval_;
    if (!earliest || at < *earliest) earliest = at;
  }
  return earliest;
}

}  // namespace fluxmeet::whiteboard
