#include "fluxmeet/meeting/room.hpp"

#include <algorithm>

#include "fluxmeet/media/ortc/rtp_parameters.hpp"

#include <sodium.h>

#include "fluxmeet/common/clock.hpp"
#include "fluxmeet/meeting/permissions.hpp"
#include "room_json.hpp"

namespace fluxmeet::meeting {

std::optional<MediaKind> parseMediaKind(std::string_view name) {
  if (name == "audio") return MediaKind::Audio;
  if (name == "video") return MediaKind::Video;
  if (name == "screen") return MediaKind::Screen;
  return std::nullopt;
}

Room::Room(store::Store& store, store::Meeting meeting, RateLimiter& passcodeLimiter,
           media::worker::MediaPlane* media, RecordingService* recording)
    : store_(store),
      meeting_(std::move(meeting)),
      passcodeLimiter_(passcodeLimiter),
      mediaPlane_(media),
      recordingService_(recording),
      board_(std::make_unique<RoomBoard>(store_, meeting_.id)) {}

// The room closes: its files are finalized while its Router still exists; the board is saved.
Room::~Room() {
  stopRecording({}, false);
  saveBoard();
  if (started_ && activityListener_) activityListener_->onMeetingClosed(meeting_);
}

const Peer* Room::findPeer(const std::string& peerId) const {
  auto it = peers_.find(peerId);
  return it == peers_.end() ? nullptr : &it->second;
}

Result<Peer*> Room::joinedPeer(const std::string& peerId) {
  auto it = peers_.find(peerId);
  if (it == peers_.end()) return makeError(ErrorCode::Unprocessable, "you are not in this meeting");
  return &it->second;
}

PasscodeCheck Room::checkPasscode(const JoinRequest& request, store::Role role) {
  if (meeting_.passcode.empty() || role == store::Role::Host) return PasscodeCheck::NotRequired;
  // Every attempt counts, so a correct guess after the limit is refused too; success resets the key.
  std::string key = meeting_.code + "|" + (request.guest ? "ip:" + request.ip : request.identity);
  if (!passcodeLimiter_.take(key, RateLimiter::Clock::now()).allowed) return PasscodeCheck::RateLimited;
  if (!request.passcode || request.passcode->empty()) return PasscodeCheck::Missing;
  const std::string& given = *request.passcode;
  bool same = given.size() == meeting_.passcode.size() &&
              sodium_memcmp(given.data(), meeting_.passcode.data(), given.size()) == 0;
  if (!same) return PasscodeCheck::Wrong;
  passcodeLimiter_.reset(key);
  return PasscodeCheck::Correct;
}

// Ended with meeting.end: closed to everyone but the host until the host starts it again. A
// scheduled meeting moved to a time after it ended is its next occurrence, open as usual.
bool Room::endedByHost() const {
  if (!meeting_.endedAt) return false;
  return !(meeting_.kind == store::MeetingKind::Scheduled && meeting_.startsAt && *meeting_.startsAt > *meeting_.endedAt);
}

Result<nlohmann::json> Room::join(const JoinRequest& request) {
  if (ended_) return makeError(ErrorCode::Unprocessable, "the meeting has ended");
  if (peers_.count(request.peerId) || lobby_.count(request.peerId)) {
    return makeError(ErrorCode::Conflict, "already in this meeting");
  }
  store::Role role = request.guest                                        ? store::Role::Guest
                     : request.userId && *request.userId == meeting_.hostId ? store::Role::Host
                                                                            : store::Role::Participant;
  JoinFacts facts{.role = role,
                  .guestsAllowed = meeting_.settings.guestsAllowed,
                  .banned = bans_.count(request.identity) != 0 || (request.guest && bans_.count("ip:" + request.ip)),
                  .locked = meeting_.locked,
                  .waitingRoom = meeting_.settings.waitingRoom,
                  .endedByHost = endedByHost()};
  // The passcode is only looked at once the cheaper refusals passed, so they cost no attempts.
  if (auto early = decideJoin(facts); !early) return early.error();
  facts.passcode = checkPasscode(request, role);
  auto decision = decideJoin(facts);
  if (!decision) return decision.error();
  // The same person again while their old connection waits out its reconnect grace (a reloaded
  // tab): the new seat replaces the old one at once instead of showing them twice.
  std::vector<std::string> stale;
  for (const auto& [id, existing] : peers_) {
    if (!existing.connected && existing.identity == request.identity) stale.push_back(id);
  }
  for (const auto& id : stale) dropPeer(id, "left", true);

  Peer peer{.peerId = request.peerId,
            .userId = request.userId,
            .identity = request.identity,
            .ip = request.ip,
            .displayName = request.displayName,
            .role = role,
            .sink = request.sink};
  if (meeting_.settings.muteOnEntry && !isModerator(role)) peer.muted.audio = true;
  if (*decision == JoinOutcome::Wait) {
    nlohmann::json waiter{{"peerId", peer.peerId}, {"displayName", peer.displayName}};
    lobbyOrder_.push_back(peer.peerId);
    lobby_.emplace(peer.peerId, std::move(peer));
    notifyModerators("lobby.request", waiter);
    if (!moderatorPresent() && request.sink) request.sink->notify("lobby.hostAbsent", nlohmann::json::object());
    if (lobbyListener_) {
      const bool hostPresent = std::any_of(peers_.begin(), peers_.end(), [](const auto& entry) {
        return entry.second.role == store::Role::Host && entry.second.connected;
      });
      lobbyListener_->onLobbyWaiting(meeting_, request.displayName, hostPresent);
    }
    return nlohmann::json{{"state", "waiting"}};
  }
  return enter(std::move(peer));
}

Result<nlohmann::json> Room::enter(Peer peer) {
  UnixTime now = unixNow();
  const bool starting = !started_;
  if (starting) {
    if (auto started = store_.markMeetingStarted(meeting_.id, now); !started) return started.error();
    started_ = true;
    meeting_.startedAt = now;
    meeting_.endedAt.reset();
  }
  auto row = store_.recordJoin(store::NewParticipant{
      .meetingId = meeting_.id, .userId = peer.userId, .displayName = peer.displayName, .role = peer.role, .joinedAt = now});
  if (!row) return row.error();
  peer.participantId = *row;
  std::string peerId = peer.peerId;
  std::string displayName = peer.displayName;
  nlohmann::json joined = peerJson(peer);
  peers_.emplace(peerId, std::move(peer));
  broadcast("peer.joined", joined, peerId);
  if (starting && activityListener_) activityListener_->onMeetingStarted(meeting_, displayName, presentUserIds());
  return snapshot(peerId);
}

std::vector<store::Id> Room::presentUserIds(std::optional<store::Id> exceptUserId) const {
  std::vector<store::Id> ids;
  for (const auto& [id, peer] : peers_) {
    if (peer.userId && peer.userId != exceptUserId) ids.push_back(*peer.userId);
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

nlohmann::json Room::producersJson() const {
  nlohmann::json producers = nlohmann::json::array();
  if (media_) {
    for (const auto& producer : media_->producers()) producers.push_back(producerJson(producer));
  }
  return producers;
}

nlohmann::json Room::snapshot(const std::string& peerId) {
  const Peer* self = findPeer(peerId);
  nlohmann::json peers = nlohmann::json::array();
  for (const auto& [id, peer] : peers_) {
    if (id != peerId) peers.push_back(peerJson(peer));
  }
  nlohmann::json messages = nlohmann::json::array();
  bool hasMore = false;
  if (auto chat = store_.listChat(meeting_.id, 0, kSnapshotChatMessages + 1)) {
    hasMore = static_cast<int>(chat->size()) > kSnapshotChatMessages;
    if (hasMore) chat->pop_back();
    for (auto it = chat->rbegin(); it != chat->rend(); ++it) messages.push_back(chatMessageJson(*it));
  }
  nlohmann::json view{
      {"state", "joined"},
      {"meeting",
       {{"code", meeting_.code}, {"title", meeting_.title}, {"settings", settingsJson()}, {"locked", meeting_.locked}}},
      {"peers", peers},
      {"producers", producersJson()},
      // Saves the client a getRouterRtpCapabilities round trip before device.load().
      {"routerRtpCapabilities",
       mediaPlane_ ? media::ortc::toJson(mediaPlane_->routerCapabilities()) : nlohmann::json(nullptr)},
      {"chat", {{"messages", messages}, {"hasMore", hasMore}}},
      {"recording", recordingJson()},
      {"board", boardJson()},
  };
  if (self) {
    view["you"] = {{"peerId", self->peerId}, {"role", store::roleName(self->role)}, {"displayName", self->displayName}};
    if (isModerator(self->role)) {
      nlohmann::json lobby = nlohmann::json::array();
      for (const auto& id : lobbyOrder_) {
        if (auto it = lobby_.find(id); it != lobby_.end()) {
          lobby.push_back({{"peerId", id}, {"displayName", it->second.displayName}});
        }
      }
      view["lobby"] = lobby;
    }
  }
  return view;
}

void Room::leave(const std::string& peerId, std::string_view reason) { dropPeer(peerId, reason, false); }

void Room::dropPeer(const std::string& peerId, std::string_view reason, bool notifySink) {
  if (auto it = lobby_.find(peerId); it != lobby_.end()) {
    PeerSink* sink = it->second.sink;
    lobby_.erase(it);
    std::erase(lobbyOrder_, peerId);
    notifyModerators("lobby.resolved", {{"peerId", peerId}, {"outcome", reason == "denied" ? "denied" : "left"}});
    if (notifySink && sink) sink->leftRoom();
    return;
  }
  auto it = peers_.find(peerId);
  if (it == peers_.end()) return;
  Peer peer = std::move(it->second);
  peers_.erase(it);
  closeMediaOf(peerId);
  board_->forget(peerId);
  if (peer.participantId) (void)store_.recordLeave(*peer.participantId, unixNow());
  broadcast("peer.left", {{"peerId", peerId}, {"reason", reason}});
  if (notifySink && peer.sink) peer.sink->leftRoom();
  if (!lobby_.empty() && !moderatorPresent()) notifyLobby("lobby.hostAbsent", nlohmann::json::object());
}

void Room::setConnected(const std::string& peerId, bool connected, PeerSink* sink) {
  auto it = peers_.find(peerId);
  if (it == peers_.end()) return;
  it->second.connected = connected;
  if (sink) it->second.sink = sink;
  broadcast("peer.updated", peerJson(it->second), peerId);
}

Result<nlohmann::json> Room::setName(const std::string& peerId, const std::string& displayName) {
  auto peer = joinedPeer(peerId);
  if (!peer) return peer.error();
  (*peer)->displayName = displayName;
  broadcast("peer.updated", peerJson(**peer));
  return nlohmann::json::object();
}

Result<nlohmann::json> Room::setHand(const std::string& peerId, bool raised) {
  auto peer = joinedPeer(peerId);
  if (!peer) return peer.error();
  if ((*peer)->handRaised != raised) {
    (*peer)->handRaised = raised;
    broadcast("peer.updated", peerJson(**peer));
  }
  return nlohmann::json::object();
}

Result<nlohmann::json> Room::reaction(const std::string& peerId, const std::string& emoji) {
  auto peer = joinedPeer(peerId);
  if (!peer) return peer.error();
  broadcast("reaction", {{"peerId", peerId}, {"emoji", emoji}}, peerId);
  return nlohmann::json::object();
}

Result<nlohmann::json> Room::unmuteSelf(const std::string& peerId, MediaKind kind) {
  auto peer = joinedPeer(peerId);
  if (!peer) return peer.error();
  applyMute(**peer, kind, false);
  return nlohmann::json::object();
}

void Room::broadcast(std::string_view method, const nlohmann::json& data, const std::string& exceptPeerId) {
  std::string encoded;
  for (auto& [id, peer] : peers_) {
    if (id != exceptPeerId && peer.sink) peer.sink->notifyShared(method, data, encoded);
  }
}

void Room::notifyModerators(std::string_view method, const nlohmann::json& data) {
  std::string encoded;
  for (auto& [id, peer] : peers_) {
    if (isModerator(peer.role) && peer.sink) peer.sink->notifyShared(method, data, encoded);
  }
}

void Room::notifyLobby(std::string_view method, const nlohmann::json& data) {
  std::string encoded;
  for (auto& [id, peer] : lobby_) {
    if (peer.sink) peer.sink->notifyShared(method, data, encoded);
  }
}

bool Room::moderatorPresent() const {
  for (const auto& [id, peer] : peers_) {
    if (isModerator(peer.role)) return true;
  }
  return false;
}

nlohmann::json Room::peerJson(const Peer& peer) const {
  return {{"peerId", peer.peerId},
          {"displayName", peer.displayName},
          {"role", store::roleName(peer.role)},
          {"handRaised", peer.handRaised},
          {"muted", {{"audio", peer.muted.audio}, {"video", peer.muted.video}, {"screen", peer.muted.screen}}},
          {"connection", peer.connected ? "connected" : "reconnecting"}};
}

nlohmann::json Room::settingsJson() const { return meetingSettingsJson(meeting_.settings); }

}  // namespace fluxmeet::meeting
