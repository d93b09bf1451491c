#pragma once
// RoomRegistry: meeting code -> live Room. A room is created by the first join of its meeting.
// An ended room is destroyed at once; an empty one after a grace period (releaseIfEmpty, called by
// the owner after each operation, never from inside a Room method, then closeIdle when the grace
// runs out), so that a meeting whose last person leaves and comes straight back (or is replaced by
// the next one) keeps its Router and transports' worker instead of building them again. Owns the
// passcode rate limiter shared by all rooms (5 attempts a minute per meeting and user, or per
// meeting and IP for guests).
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "fluxmeet/common/rate_limiter.hpp"
#include "fluxmeet/meeting/room.hpp"
#include "fluxmeet/store/store.hpp"

namespace fluxmeet::meeting {

class RoomRegistry {
 public:
  static constexpr int kPasscodeAttemptsPerMinute = 5;

  using Clock = std::chrono::steady_clock;

  // `media` may be null: rooms then have no media plane. `emptyGrace` zero: empty rooms go at once.
  // `recording` may be null: no recording. It must outlive the registry.
  explicit RoomRegistry(store::Store& store, media::worker::MediaPlane* media = nullptr,
                        Clock::duration emptyGrace = Clock::duration::zero(), RecordingService* recording = nullptr);

  Room* find(const std::string& code);
  // Finds the meeting (NotFound when unknown or deleted), creates its room if needed and joins.
  // `room` is set to the room the peer joined or waits in.
  Result<nlohmann::json> join(const std::string& code, const JoinRequest& request, Room*& room);
  // Destroys the room if it has ended; if it is empty, starts its grace period (or destroys it
  // when there is none). Returns when closeIdle should next run, if a grace period started.
  std::optional<Clock::time_point> releaseIfEmpty(const std::string& code, Clock::time_point now = Clock::now());
  // Destroys the rooms that stayed empty for the whole grace period. Returns when to run again,
  // if rooms are still in their grace period.
  std::optional<Clock::time_point> closeIdle(Clock::time_point now = Clock::now());
  std::size_t roomCount() const { return rooms_.size(); }
  // Given to every room (see Room::setLobbyListener); null: none. Must outlive the registry.
  void setLobbyListener(LobbyListener* listener);
  // Given to every room (see Room::setActivityListener); null: none. Must outlive the registry.
  void setActivityListener(ActivityListener* listener);

 private:
  struct Entry {
    std::unique_ptr<Room> room;
    std::optional<Clock::time_point> emptySince;
  };

  store::Store& store_;
  media::worker::MediaPlane* media_;
  RecordingService* recording_;
  Clock::duration emptyGrace_;
  RateLimiter passcodeLimiter_;
  std::map<std::string, Entry> rooms_;
  LobbyListener* lobbyListener_ = nullptr;
  ActivityListener* activityListener_ = nullptr;
};

}  // namespace fluxmeet::meeting
