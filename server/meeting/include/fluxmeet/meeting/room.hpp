#pragma once
#include <memory>

#include "fluxmeet/meeting/room_media.hpp"
#include "fluxmeet/meeting/room_board.hpp"
#include "fluxmeet/meeting/room_recording.hpp"
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
#include "fluxmeet/meeting/activity_listener.hpp"
#include "fluxmeet/meeting/join_policy.hpp"
#include "fluxmeet/meeting/lobby_listener.hpp"
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

  // `media` may be null (no media plane): media methods then answer Unavailable.
  // `recording` may be null too: recording.start then answers Unavailable.
  Room(store::Store& store, store::Meeting meeting, RateLimiter& passcodeLimiter,
       media::worker::MediaPlane* media = nullptr, RecordingService* recording = nullptr);
  ~Room();
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

  // Told when someone starts waiting in the lobby; null: nobody. Non-owning, outlives the room.
  void setLobbyListener(LobbyListener* listener) { lobbyListener_ = listener; }
  // Told when the meeting starts and closes and of each chat message; null: nobody. Non-owning,
  // outlives the room.
  void setActivityListener(ActivityListener* listener) { activityListener_ = listener; }

  // Recording (room_recording_methods.cpp), hosts and co-hosts: every producer of the meeting
  // is recorded while it runs; everyone sees recording.started / recording.stopped.
  Result<nlohmann::json> recordingStart(const std::string& peerId);
  Result<nlohmann::json> recordingStop(const std::string& peerId);
  bool recording() const { return recording_ != nullptr; }

  // Media (room_media_methods.cpp): the mediasoup-client flow of docs/protocol.md. Each checks
  // that the peer has joined and owns what it names.
  Result<nlohmann::json> routerRtpCapabilities(const std::string& peerId);
  Result<nlohmann::json> createTransport(const std::string& peerId, const nlohmann::json& data);
  Result<nlohmann::json> connectTransport(const std::string& peerId, const nlohmann::json& data);
  Result<nlohmann::json> restartIce(const std::string& peerId, const nlohmann::json& data);
  Result<nlohmann::json> produce(const std::string& peerId, const nlohmann::json& data);
  Result<nlohmann::json> closeProducer(const std::string& peerId, const nlohmann::json& data);
  Result<nlohmann::json> setProducerPaused(const std::string& peerId, const nlohmann::json& data, bool paused);
  Result<nlohmann::json> consume(const std::string& peerId, const nlohmann::json& data);
  Result<nlohmann::json> setConsumerPaused(const std::string& peerId, const nlohmann::json& data, bool paused);
  Result<nlohmann::json> setPreferredLayers(const std::string& peerId, const nlohmann::json& data);
  Result<nlohmann::json> requestKeyframe(const std::string& peerId, const nlohmann::json& data);
  Result<nlohmann::json> mediaStats(const std::string& peerId);
  // Whiteboard (room_board_methods.cpp, docs/protocol.md "Whiteboard"). Anyone joined draws,
  // unless a host or co-host made the board read-only; hosts and co-hosts open and close it.
  Result<nlohmann::json> boardSetOpen(const std::string& peerId, bool open);
  Result<nlohmann::json> boardSetReadOnly(const std::string& peerId, bool readOnly);
  // A page of the scene (`maxBytes` of elements): a delta after sinceSeq of `epoch`, or a reset.
  // The answer's data as JSON text ({complete, elements, epoch, reset, seq}), assembled from
  // the board's stored element text.
  Result<std::string> boardSync(const std::string& peerId, const std::string& epoch, std::uint64_t sinceSeq,
                                std::size_t maxBytes);
  Result<nlohmann::json> boardUpdate(const std::string& peerId, const nlohmann::json& elements);
  // Pointer ({x, y, pointer?, selected?}) and presenter viewport ({scrollX, scrollY, zoom}):
  // relayed to the others at most 20 times a second per peer; the last one always goes out.
  Result<nlohmann::json> boardCursor(const std::string& peerId, const nlohmann::json& data);
  Result<nlohmann::json> boardViewport(const std::string& peerId, const nlohmann::json& data);
  // An image uploaded over REST by a joined peer: {fileId, mimeType, size}; the others get board.file.
  Result<nlohmann::json> boardAddFile(const std::string& peerId, const std::string& fileId,
                                      const std::string& mimeType, std::vector<std::uint8_t> bytes);
  const RoomBoard& board() const { return *board_; }
  // When onBoardTimer should next run (updates to relay, held cursors, a save due); nullopt:
  // nothing pending. The owner arms a control-thread timer for it after every operation on the room.
  std::optional<std::chrono::steady_clock::time_point> boardWakeAt() const;
  void onBoardTimer(std::chrono::steady_clock::time_point now);

  // Events from the media worker, delivered on the control thread.
  void onConsumerClosed(const std::string& consumerId);
  void onTransportClosed(const std::string& transportId, std::string_view reason);
  void onActiveSpeaker(const std::string& producerId);
  void onConsumerLayersChanged(const std::string& consumerId, int spatialLayer);

 private:
  bool endedByHost() const;
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
  nlohmann::json producersJson() const;
  // The distinct accounts of the joined peers, leaving out `exceptUserId` if given.
  std::vector<store::Id> presentUserIds(std::optional<store::Id> exceptUserId = std::nullopt) const;
  Result<RoomMedia*> mediaFor(const std::string& peerId);
  // Sets the peer's mute flag and pauses/resumes its producers of that kind; tells everyone.
  void applyMute(Peer& peer, MediaKind kind, bool muted);
  void closeMediaOf(const std::string& peerId);
  void announceProducerClosed(const ProducerInfo& producer);
  nlohmann::json recordingJson() const;
  nlohmann::json boardJson() const;  // the snapshot's "board"
  // Cursors and viewports: to the connected others only; a reconnecting peer would only have
  // its missed-message buffer filled with positions that are stale by the time it is back.
  // Sends the queued board updates (RoomBoard::kRelayDelay) as one board.elements per peer.
  void relayBoardUpdates();
  void relayPointer(std::string_view method, const nlohmann::json& data, const std::string& fromPeerId);
  void saveBoard();
  // Finalizes the files; tells everyone unless the room is going away. `by` empty: the server.
  void stopRecording(const std::string& by, bool notify);
  // `by` null: the meeting's autoRecord setting started it.
  Result<void> startRecording(const Peer* by);
  void recordProducer(const ProducerInfo& producer);
  void maybeAutoRecord();

  store::Store& store_;
  store::Meeting meeting_;
  RateLimiter& passcodeLimiter_;
  std::map<std::string, Peer> peers_;  // joined
  std::map<std::string, Peer> lobby_;  // waiting, admitted in any order
  std::deque<std::string> lobbyOrder_;
  std::set<std::string> bans_;  // identities and, for guests, "ip:<address>"
  bool started_ = false;
  bool ended_ = false;
  media::worker::MediaPlane* mediaPlane_ = nullptr;
  std::unique_ptr<RoomMedia> media_;  // created by the first media request
  RecordingService* recordingService_ = nullptr;
  std::unique_ptr<RoomRecording> recording_;  // while recording; stopped before media_ goes
  bool autoRecordDone_ = false;
  std::unique_ptr<RoomBoard> board_;  // restored from the store when the room is created
  LobbyListener* lobbyListener_ = nullptr;
  ActivityListener* activityListener_ = nullptr;
};

}  // namespace fluxmeet::meeting
