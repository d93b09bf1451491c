#pragma once
// JSON views of stored meeting data shared by the Room's files (wire shapes: docs/protocol.md).
#include <nlohmann/json.hpp>

#include "fluxmeet/common/clock.hpp"
#include "fluxmeet/meeting/room.hpp"
#include "fluxmeet/store/store.hpp"

namespace fluxmeet::meeting {

inline nlohmann::json chatMessageJson(const store::ChatMessage& message) {
  return {{"id", message.id},
          {"peerId", message.senderPeerId},
          {"senderName", message.senderName},
          {"text", message.deleted ? std::string() : message.body},
          {"createdAt", isoUtc(message.createdAt)},
          {"editedAt", message.editedAt ? nlohmann::json(isoUtc(*message.editedAt)) : nlohmann::json(nullptr)},
          {"deleted", message.deleted}};
}

inline nlohmann::json meetingSettingsJson(const store::MeetingSettings& settings) {
  return {{"waitingRoom", settings.waitingRoom},
          {"guestsAllowed", settings.guestsAllowed},
          {"muteOnEntry", settings.muteOnEntry},
          {"autoRecord", settings.autoRecord},
          {"screenShare", settings.screenShare == store::ScreenSharePolicy::HostsOnly ? "hosts" : "everyone"}};
}

inline std::string_view kindName(MediaKind kind) {
  switch (kind) {
    case MediaKind::Audio: return "audio";
    case MediaKind::Video: return "video";
    case MediaKind::Screen: return "screen";
  }
  return "audio";
}

inline bool& muteFlag(Peer& peer, MediaKind kind) {
  switch (kind) {
    case MediaKind::Audio: return peer.muted.audio;
    case MediaKind::Video: return peer.muted.video;
    case MediaKind::Screen: return peer.muted.screen;
  }
  return peer.muted.audio;
}

}  // namespace fluxmeet::meeting
