#include "fluxmeet/meeting/room_registry.hpp"

#include <chrono>

namespace fluxmeet::meeting {

RoomRegistry::RoomRegistry(store::Store& store, media::worker::MediaPlane* media)
    : store_(store), media_(media), passcodeLimiter_(kPasscodeAttemptsPerMinute, std::chrono::minutes(1)) {}

Room* RoomRegistry::find(const std::string& code) {
  auto it = rooms_.find(code);
  return it == rooms_.end() ? nullptr : it->second.get();
}

Result<nlohmann::json> RoomRegistry::join(const std::string& code, const JoinRequest& request, Room*& room) {
  room = nullptr;
  Room* target = find(code);
  if (!target) {
    auto meeting = store_.findMeetingByCode(code);
    if (!meeting) {
      if (meeting.error().code == ErrorCode::NotFound) return makeError(ErrorCode::NotFound, "no meeting with that code");
      return meeting.error();
    }
    auto created = std::make_unique<Room>(store_, std::move(*meeting), passcodeLimiter_, media_);
    target = created.get();
    rooms_.emplace(code, std::move(created));
  }
  auto joined = target->join(request);
  if (joined) {
    room = target;
  } else {
    releaseIfEmpty(code);
  }
  return joined;
}

void RoomRegistry::releaseIfEmpty(const std::string& code) {
  auto it = rooms_.find(code);
  if (it != rooms_.end() && (it->second->empty() || it->second->ended())) rooms_.erase(it);
}

}  // namespace fluxmeet::meeting
