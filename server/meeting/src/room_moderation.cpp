// Room host controls: lobby, mute, remove, roles, lock, end, settings. Each starts with its
// named permission check (docs/protocol.md, role x method table).
#include "fluxmeet/common/clock.hpp"
#include "fluxmeet/meeting/permissions.hpp"
#include "fluxmeet/meeting/room.hpp"
#include "room_json.hpp"

namespace fluxmeet::meeting {


Result<nlohmann::json> Room::admit(const std::string& actorId, const std::string& waiterId) {
  auto actor = joinedPeer(actorId);
  if (!actor) return actor.error();
  if (auto allowed = ensureCanModerate((*actor)->role); !allowed) return allowed.error();
  auto it = lobby_.find(waiterId);
  if (it == lobby_.end()) return makeError(ErrorCode::NotFound, "nobody with that peerId is waiting");
  Peer waiter = std::move(it->second);
  lobby_.erase(it);
  std::erase(lobbyOrder_, waiterId);
  PeerSink* sink = waiter.sink;
  auto entered = enter(std::move(waiter));
  if (!entered) return entered.error();
  notifyModerators("lobby.resolved", {{"peerId", waiterId}, {"outcome", "admitted"}});
  if (sink) sink->notify("lobby.admitted", *entered);
  return nlohmann::json::object();
}

Result<nlohmann::json> Room::deny(const std::string& actorId, const std::string& waiterId) {
  auto actor = joinedPeer(actorId);
  if (!actor) return actor.error();
  if (auto allowed = ensureCanModerate((*actor)->role); !allowed) return allowed.error();
  auto it = lobby_.find(waiterId);
  if (it == lobby_.end()) return makeError(ErrorCode::NotFound, "nobody with that peerId is waiting");
  if (it->second.sink) it->second.sink->notify("lobby.denied", nlohmann::json::object());
  dropPeer(waiterId, "denied", true);
  return nlohmann::json::object();
}

Result<nlohmann::json> Room::mute(const std::string& actorId, const std::string& targetId, MediaKind kind) {
  auto actor = joinedPeer(actorId);
  if (!actor) return actor.error();
  if (actorId != targetId) {
    if (auto allowed = ensureCanModerate((*actor)->role); !allowed) return allowed.error();
  }
  auto target = peers_.find(targetId);
  if (target == peers_.end()) return makeError(ErrorCode::NotFound, "no such peer in this meeting");
  if (!muteFlag(target->second, kind)) {
    if (target->second.sink && actorId != targetId) {
      target->second.sink->notify("you.muted", {{"kind", kindName(kind)}, {"by", actorId}});
    }
    applyMute(target->second, kind, true);
  }
  return nlohmann::json::object();
}

Result<nlohmann::json> Room::muteAll(const std::string& actorId, MediaKind kind) {
  auto actor = joinedPeer(actorId);
  if (!actor) return actor.error();
  if (auto allowed = ensureCanModerate((*actor)->role); !allowed) return allowed.error();
  int count = 0;
  for (auto& [id, peer] : peers_) {
    if (isModerator(peer.role) || muteFlag(peer, kind)) continue;
    ++count;
    if (peer.sink) peer.sink->notify("you.muted", {{"kind", kindName(kind)}, {"by", actorId}});
    applyMute(peer, kind, true);
  }
  return nlohmann::json{{"muted", count}};
}

Result<nlohmann::json> Room::remove(const std::string& actorId, const std::string& targetId, bool ban) {
  auto actor = joinedPeer(actorId);
  if (!actor) return actor.error();
  if (auto allowed = ensureCanModerate((*actor)->role); !allowed) return allowed.error();
  auto target = peers_.find(targetId);
  if (target == peers_.end()) return makeError(ErrorCode::NotFound, "no such peer in this meeting");
  if (auto allowed = ensureOutranks((*actor)->role, target->second.role); !allowed) return allowed.error();
  if (ban) {
    bans_.insert(target->second.identity);
    if (target->second.role == store::Role::Guest) bans_.insert("ip:" + target->second.ip);
  }
  if (target->second.sink) target->second.sink->notify("you.removed", {{"banned", ban}});
  dropPeer(targetId, "removed", true);
  return nlohmann::json::object();
}

Result<nlohmann::json> Room::setRole(const std::string& actorId, const std::string& targetId, store::Role role) {
  auto actor = joinedPeer(actorId);
  if (!actor) return actor.error();
  if (auto allowed = ensureIsHost((*actor)->role); !allowed) return allowed.error();
  auto target = peers_.find(targetId);
  if (target == peers_.end()) return makeError(ErrorCode::NotFound, "no such peer in this meeting");
  if (target->second.role == store::Role::Host) return makeError(ErrorCode::Unprocessable, "the host keeps their role");
  if (target->second.role == store::Role::Guest) {
    return makeError(ErrorCode::Unprocessable, "guests cannot change role; they need an account");
  }
  if (role != store::Role::CoHost && role != store::Role::Participant) {
    return makeError(ErrorCode::ValidationFailed, "role must be cohost or participant", "role");
  }
  if (target->second.role != role) {
    target->second.role = role;
    broadcast("peer.updated", peerJson(target->second));
  }
  return nlohmann::json::object();
}

Result<nlohmann::json> Room::setLocked(const std::string& actorId, bool locked) {
  auto actor = joinedPeer(actorId);
  if (!actor) return actor.error();
  if (auto allowed = ensureCanModerate((*actor)->role); !allowed) return allowed.error();
  if (meeting_.locked != locked) {
    if (auto saved = store_.setMeetingLocked(meeting_.id, locked, unixNow()); !saved) return saved.error();
    meeting_.locked = locked;
    broadcast("meeting.locked", {{"locked", locked}});
  }
  return nlohmann::json{{"locked", locked}};
}

Result<nlohmann::json> Room::end(const std::string& actorId) {
  auto actor = joinedPeer(actorId);
  if (!actor) return actor.error();
  if (auto allowed = ensureIsHost((*actor)->role); !allowed) return allowed.error();
  UnixTime now = unixNow();
  if (auto saved = store_.markMeetingEnded(meeting_.id, now); !saved) return saved.error();
  ended_ = true;
  stopRecording(actorId, true);
  saveBoard();
  std::map<std::string, Peer> peers = std::move(peers_);
  std::map<std::string, Peer> lobby = std::move(lobby_);
  peers_.clear();
  lobby_.clear();
  lobbyOrder_.clear();
  for (auto& [id, peer] : peers) {
    if (peer.participantId) (void)store_.recordLeave(*peer.participantId, now);
  }
  for (auto* group : {&peers, &lobby}) {
    for (auto& [id, peer] : *group) {
      if (!peer.sink) continue;
      peer.sink->notify("meeting.ended", nlohmann::json::object());
      peer.sink->leftRoom();
    }
  }
  return nlohmann::json::object();
}

Result<nlohmann::json> Room::updateSettings(const std::string& actorId, const SettingsChange& change) {
  auto actor = joinedPeer(actorId);
  if (!actor) return actor.error();
  if (auto allowed = ensureCanModerate((*actor)->role); !allowed) return allowed.error();
  store::MeetingSettings settings = meeting_.settings;
  if (change.waitingRoom) settings.waitingRoom = *change.waitingRoom;
  if (change.guestsAllowed) settings.guestsAllowed = *change.guestsAllowed;
  if (change.muteOnEntry) settings.muteOnEntry = *change.muteOnEntry;
  if (change.screenShare) settings.screenShare = *change.screenShare;
  auto saved = store_.updateMeeting(meeting_.id, store::MeetingUpdate{.settings = settings, .now = unixNow()});
  if (!saved) return saved.error();
  meeting_.settings = settings;
  nlohmann::json view{{"settings", meetingSettingsJson(settings)}};
  broadcast("meeting.settings", view);
  // Turning the waiting room off lets everyone who was waiting in, in arrival order.
  if (!settings.waitingRoom) {
    std::deque<std::string> waiting = lobbyOrder_;
    for (const auto& waiterId : waiting) (void)admit(actorId, waiterId);
  }
  return view;
}

}  // namespace fluxmeet::meeting
