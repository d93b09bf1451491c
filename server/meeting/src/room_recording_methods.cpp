// Room: recording.start / recording.stop (docs/protocol.md "Recording").
#include "fluxmeet/common/clock.hpp"
#include "fluxmeet/meeting/permissions.hpp"
#include "fluxmeet/meeting/room.hpp"

namespace fluxmeet::meeting {

using json = nlohmann::json;

Result<json> Room::recordingStart(const std::string& peerId) {
  auto actor = joinedPeer(peerId);
  if (!actor) return actor.error();
  if (auto allowed = ensureCanModerate((*actor)->role); !allowed) return allowed.error();
  if (recording_) return makeError(ErrorCode::Conflict, "already recording");
  if (!recordingService_) return makeError(ErrorCode::Unavailable, "recording is not available on this server");
  auto media = mediaFor(peerId);
  if (!media) return media.error();
  auto started = RoomRecording::start(*recordingService_, **media, meeting_.code, peerId, unixNow());
  if (!started) return started.error();
  recording_ = std::move(*started);
  for (const auto& producer : (*media)->producers()) (void)recording_->addProducer(producer);
  broadcast("recording.started", recordingJson());
  return recordingJson();
}

Result<json> Room::recordingStop(const std::string& peerId) {
  auto actor = joinedPeer(peerId);
  if (!actor) return actor.error();
  if (auto allowed = ensureCanModerate((*actor)->role); !allowed) return allowed.error();
  if (!recording_) return makeError(ErrorCode::Conflict, "not recording");
  const size_t files = recording_->files();
  stopRecording(peerId, true);
  return json{{"files", files}};
}

json Room::recordingJson() const {
  if (!recording_) return nullptr;
  return {{"by", recording_->by()}, {"startedAt", isoUtc(recording_->startedAt())}};
}

void Room::stopRecording(const std::string& by, bool notify) {
  if (!recording_) return;
  const size_t files = recording_->stop();
  recording_.reset();
  if (notify) broadcast("recording.stopped", {{"by", by.empty() ? json(nullptr) : json(by)}, {"files", files}});
}

}  // namespace fluxmeet::meeting
