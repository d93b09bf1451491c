#include "fluxmeet/meeting/room_registry.hpp"

#include <algorithm>

namespace fluxmeet::meeting {

RoomRegistry::RoomRegistry(store::Store& store, media::worker::MediaPlane* media, Clock::duration emptyGrace,
                           RecordingService* recording)
    : store_(store),
      media_(media),
      recording_(recording),
      emptyGrace_(emptyGrace),
      passcodeLimiter_(kPasscodeAttemptsPerMinute, std::chrono::minutes(1)) {}

void RoomRegistry::setLobbyListener(LobbyListener* listener) {
  lobbyListener_ = listener;
  for (auto& [code, entry] : rooms_) entry.room->setLobbyListener(listener);
}

void RoomRegistry::setActivityListener(ActivityListener* listener) {
  activityListener_ = listener;
  for (auto& [code, entry] : rooms_) entry.room->setActivityListener(listener);
}

Room* RoomRegistry::find(const std::string& code) {
  auto it = rooms_.find(code);
  return it == rooms_.end() ? nullptr : it->second.room.get();
}

Result<nlohmann::json> RoomRegistry::join(const std::string& code, const JoinRequest& request, Room*& room) {
  room = nullptr;
  auto it = rooms_.find(code);
  if (it == rooms_.end()) {
    auto meeting = store_.findMeetingByCode(code);
    if (!meeting) {
      if (meeting.error().code == ErrorCode::NotFound) return makeError(ErrorCode::NotFound, "no meeting with that code");
      return meeting.error();
    }
    auto created = std::make_unique<Room>(store_, std::move(*meeting), passcodeLimiter_, media_, recording_);
    created->setLobbyListener(lobbyListener_);
    created->setActivityListener(activityListener_);
    it = rooms_.emplace(code, Entry{std::move(created), std::nullopt}).first;
  }
  Room* target = it->second.room.get();
  auto joined = target->join(request);
  if (joined) {
    it->second.emptySince.reset();
    room = target;
  } else if (target->empty() && !it->second.emptySince) {
    // Made for this refused join and never entered (wrong passcode, banned...): nobody can come
    // back to it, and no grace timer would ever be armed for it, so it goes now.
    rooms_.erase(it);
  }
  return joined;
}

std::optional<RoomRegistry::Clock::time_point> RoomRegistry::releaseIfEmpty(const std::string& code,
                                                                             Clock::time_point now) {
  auto it = rooms_.find(code);
  if (it == rooms_.end()) return std::nullopt;
  Entry& entry = it->second;
  if (entry.room->ended() || (entry.room->empty() && emptyGrace_ <= Clock::duration::zero())) {
    rooms_.erase(it);
    return std::nullopt;
  }
  if (!entry.room->empty()) {
    entry.emptySince.reset();
    return std::nullopt;
  }
  if (!entry.emptySince) entry.emptySince = now;
  return *entry.emptySince + emptyGrace_;
}

std::optional<RoomRegistry::Clock::time_point> RoomRegistry::closeIdle(Clock::time_point now) {
  std::optional<Clock::time_point> next;
  for (auto it = rooms_.begin(); it != rooms_.end();) {
    const Entry& entry = it->second;
    bool idle = entry.room->empty() && entry.emptySince;
    if (entry.room->ended() || (idle && now - *entry.emptySince >= emptyGrace_)) {
      it = rooms_.erase(it);
      continue;
    }
    if (idle) next = std::min(next.value_or(Clock::time_point::max()), *entry.emptySince + emptyGrace_);
    ++it;
  }
  return next;
}

}  // namespace fluxmeet::meeting
