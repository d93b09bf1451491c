#pragma once
// Room: one live meeting. Owns the peers (by peerId), their roles, hand and mute flags, the
// lobby queue and the bans; writes history and chat through the Store; reaches connections only
// through PeerSink. Runs on the control event loop (no locks). Every method that a client calls
// returns the response data or an Error; notifications to others go out before it returns.
// Ownership: RoomRegistry owns Rooms; sinks are non-owning and must outlive their peer's stay.
#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>

#include "fluxmeet/common/rate_limiter.hpp"
#include "fluxmeet/common/result.hpp"
#include "fluxmeet/meeting/join_policy.hpp"
#include "fluxmeet/meeting/peer_sink.hpp"
#include "fluxmeet/store/store.hpp"

namespace fluxmeet::meeting {

enum class MediaKind { Audio, Video, Screen };
std::optional<MediaKind> parseMediaKind(std::string_view name);

struct MuteState {
  bool audio = false;
  bool video = false;
  bool screen = false;
};

struct Peer {
  std::string peerId;
  std::optional<store::Id> userId;  // empty for guests
  std::string identity;             // "user:<id>" or "guest:<random>": bans and rate limits
  std::string ip;
  std::string displayName;
  store::Role role = store::Role::Participant;
  bool handRaised = false;
  MuteState muted;
  bool connected = true;
  std::optional<store::Id> participantId;  // history row while joined
  PeerSink* sink = nullptr;
};

struct JoinRequest {
  std::string peerId;
  std::optional<store::Id> userId;
  std::string identity;
  std::string ip;
  bool guest = false;
  std::string displayName;
  std::optional<std::string> passcode;
  PeerSink* sink = nullptr;
};

// Settings change: absent fields stay as they are.
struct SettingsChange {
  std::optional<bool> waitingRoom;
  std::optional<bool> guestsAllowed;
  std::optional<bool> muteOnEntry;
  std::optional<store::ScreenSharePolicy> screenShare;
};

class Room {
 public:
  static constexpr int kSnapshotChatMessages = 50;

  Room(store::Store& store, store::Meeting meeting, RateLimiter& passcodeLimiter);
  Room(const Room&) = delete;
  Room& operator=(const Room&) = delete;

  const store::Meeting& meeting() const { return meeting_; }
  const std::string& code() const { return meeting_.code; }
  // No joined and no waiting peers: the registry may destroy the room.
  bool empty() const { return peers_.empty() && lobby_.empty(); }
  const Peer* findPeer(const std::string& peerId) const;
  bool isWaiting(const std::string& peerId) const { return lobby_.count(peerId) != 0; }
  std::size_t peerCount() const { return peers_.size(); }

  // join -> {state:"waiting"} or the snapshot.
  Result<nlohmann::json> join(const JoinRequest& request);
  // The peer (joined or waiting) leaves; reason goes into peer.left ("left", "disconnected").
  void leave(const std::string& peerId, std::string_view reason = "left");
  nlohmann::json snapshot(const std::string& peerId);

  // Connection state for reconnection: others see peer.updated with connection "reconnecting".
  void setConnected(const std::string& peerId, bool connected, PeerSink* sink);

  // Chat (room_chat.cpp). Written to the store before anything is acknowledged or broadcast.
  Result<nlohmann::json> chatSend(const std::string& peerId, const std::string& text);
  Result<nlohmann::json> chatHistory(const std::string& peerId, store::Id before, int limit);
  Result<nlohmann::json> chatEdit(const std::string& peerId, store::Id messageId, const std::string& text);
  Result<nlohmann::json> chatDelete(const std::string& peerId, store::Id messageId);

  // Peer state.
  Result<nlohmann::json> setName(const std::string& peerId, const std::string& displayName);
  Result<nlohmann::json> setHand(const std::string& peerId, bool raised);
  Result<nlohmann::json> reaction(const std::string& peerId, const std::string& emoji);
  Result<nlohmann::json> unmuteSelf(const std::string& peerId, MediaKind kind);

  // Moderation (room_moderation.cpp).
  Result<nlohmann::json> admit(const std::string& actorId, const std::string& waiterId);
  Result<nlohmann::json> deny(const std::string& actorId, const std::string& waiterId);
  Result<nlohmann::json> mute(const std::string& actorId, const std::string& targetId, MediaKind kind);
  Result<nlohmann::json> muteAll(const std::string& actorId, MediaKind kind);
  Result<nlohmann::json> remove(const std::string& actorId, const std::string& targetId, bool ban);
  Result<nlohmann::json> setRole(const std::string& actorId, const std::string& targetId, store::Role role);
  Result<nlohmann::json> setLocked(const std::string& actorId, bool locked);
  Result<nlohmann::json> end(const std::string& actorId);
  Result<nlohmann::json> updateSettings(const std::string& actorId, const SettingsChange& change);

  bool ended() const { return ended_; }

 private:
  Result<Peer*> joinedPeer(const std::string& peerId);
  PasscodeCheck checkPasscode(const JoinRequest& request, store::Role role);
  Result<nlohmann::json> enter(Peer peer);  // into peers_, history, peer.joined -> snapshot
  void dropPeer(const std::string& peerId, std::string_view reason, bool notifySink);
  void broadcast(std::string_view method, const nlohmann::json& data, const std::string& exceptPeerId = {});
  void notifyModerators(std::string_view method, const nlohmann::json& data);
  void notifyLobby(std::string_view method, const nlohmann::json& data);
  bool moderatorPresent() const;
  nlohmann::json peerJson(const Peer& peer) const;
  nlohmann::json settingsJson() const;

  store::Store& store_;
  store::Meeting meeting_;
  RateLimiter& passcodeLimiter_;
  std::map<std::string, Peer> peers_;  // joined
  std::map<std::string, Peer> lobby_;  // waiting, admitted in any order
  std::deque<std::string> lobbyOrder_;
  std::set<std::string> bans_;  // identities and, for guests, "ip:<address>"
  bool started_ = false;
  bool ended_ = false;
};

}  // namespace fluxmeet::meeting
