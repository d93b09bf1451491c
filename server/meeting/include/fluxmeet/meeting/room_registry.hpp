#pragma once
// RoomRegistry: meeting code -> live Room. A room is created by the first join of its meeting
// and destroyed when it is empty (releaseIfEmpty, called by the owner after each operation, never
// from inside a Room method). Owns the passcode rate limiter shared by all rooms (5 attempts a
// minute per meeting and user, or per meeting and IP for guests).
#include <map>
#include <memory>
#include <string>

#include "fluxmeet/common/rate_limiter.hpp"
#include "fluxmeet/meeting/room.hpp"
#include "fluxmeet/store/store.hpp"

namespace fluxmeet::meeting {

class RoomRegistry {
 public:
  static constexpr int kPasscodeAttemptsPerMinute = 5;

  // `media` may be null: rooms then have no media plane.
  explicit RoomRegistry(store::Store& store, media::worker::MediaPlane* media = nullptr);

  Room* find(const std::string& code);
  // Finds the meeting (NotFound when unknown or deleted), creates its room if needed and joins.
  // `room` is set to the room the peer joined or waits in.
  Result<nlohmann::json> join(const std::string& code, const JoinRequest& request, Room*& room);
  void releaseIfEmpty(const std::string& code);
  std::size_t roomCount() const { return rooms_.size(); }

 private:
  store::Store& store_;
  media::worker::MediaPlane* media_;
  RateLimiter passcodeLimiter_;
  std::map<std::string, std::unique_ptr<Room>> rooms_;
};

}  // namespace fluxmeet::meeting
