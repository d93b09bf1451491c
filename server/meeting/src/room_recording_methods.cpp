// Room: recording.start / recording.stop and automatic recording (docs/protocol.md "Recording").
#include <spdlog/spdlog.h>

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
  if (auto started = startRecording(*actor); !started) return started.error();
  return recordingJson();
}

Result<void> Room::startRecording(const Peer* by) {
  if (!recordingService_) return makeError(ErrorCode::Unavailable, "recording is not available on this server");
  if (!media_) {
    if (!by) return makeError(ErrorCode::Unavailable, "no media to record yet");
    if (auto media = mediaFor(by->peerId); !media) return media.error();
  }
  if (auto space = recordingService_->checkFreeSpace(); !space) return space.error();
  const UnixTime now = unixNow();
  auto started = RoomRecording::start(*recordingService_, *media_, meeting_.code, by ? by->peerId : "", now);
  if (!started) return started.error();
  auto id = recordingService_->begin(store::NewRecording{.meetingId = meeting_.id,
                                                         .startedByUserId = by ? by->userId : std::nullopt,
                                                         .startedByName = by ? by->displayName : "Automatic",
                                                         .directory = (*started)->directory(),
                                                         .startedAt = now});
  if (!id) return id.error();  // the empty directory stays; nothing refers to it
  (*started)->setRecordingId(*id);
  recording_ = std::move(*started);
  recordingService_->setMeetingRecording(meeting_.code, true);
  for (const auto& producer : media_->producers()) recordProducer(producer);
  broadcast("recording.started", recordingJson());
  return {};
}

void Room::recordProducer(const ProducerInfo& producer) {
  if (!recording_) return;
  const auto peer = peers_.find(producer.peerId);
  const std::string name = peer != peers_.end() ? peer->second.displayName : producer.peerId;
  // A failed sink (say, a codec the recorder cannot write) must not fail the producer.
  if (auto added = recording_->addProducer(producer, name); !added) {
    spdlog::warn("recording {}: producer {} not recorded: {}", meeting_.code, producer.id, added.error().message);
  }
}

void Room::maybeAutoRecord() {
  if (recording_ || autoRecordDone_ || !meeting_.settings.autoRecord || !media_) return;
  autoRecordDone_ = true;  // once per room: a host who stops it is not overruled
  if (auto started = startRecording(nullptr); !started) {
    spdlog::warn("meeting {}: automatic recording did not start: {}", meeting_.code, started.error().message);
  }
}

Result<json> Room::recordingStop(const std::string& peerId) {
  auto actor = joinedPeer(peerId);
  if (!actor) return actor.error();
  if (auto allowed = ensureCanModerate((*actor)->role); !allowed) return allowed.error();
  if (!recording_) return makeError(ErrorCode::Conflict, "not recording");
  const size_t files = recording_->files();
  const store::Id id = recording_->recordingId();
  stopRecording(peerId, true);
  return json{{"files", files}, {"recordingId", id != 0 ? json(id) : json(nullptr)}};
}

json Room::recordingJson() const {
  if (!recording_) return nullptr;
  return {{"by", recording_->by().empty() ? json(nullptr) : json(recording_->by())},
          {"startedAt", isoUtc(recording_->startedAt())}};
}

void Room::stopRecording(const std::string& by, bool notify) {
  if (!recording_) return;
  const size_t files = recording_->stop();
  const store::Id id = recording_->recordingId();
  recordingService_->finish(id, unixNow(), recording_->elapsedMs(), static_cast<int>(files));
  recordingService_->setMeetingRecording(meeting_.code, false);
  recording_.reset();
  if (notify) {
    broadcast("recording.stopped", {{"by", by.empty() ? json(nullptr) : json(by)},
                                    {"files", files},
                                    {"recordingId", id != 0 ? json(id) : json(nullptr)}});
  }
}

}  // namespace fluxmeet::meeting
