#pragma once
// RoomRecording: one meeting's recording while it runs (issue 6): a RecorderTap per producer,
// each writing <dir>/<peerId>-<source>-<producerId>.webm, all on one time line (startNs).
// Producers that appear while recording are added by the Room; producers that close get their
// file finalized at once.
//
// Threading: the control thread (the Room's); Router work goes through RoomMedia::withRouter.
// Lifetime: stop() (or the destructor) before the RoomMedia is destroyed.
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "fluxmeet/common/clock.hpp"
#include "fluxmeet/common/result.hpp"
#include "fluxmeet/meeting/recorder_tap.hpp"
#include "fluxmeet/meeting/recording_service.hpp"
#include "fluxmeet/meeting/room_media.hpp"
#include "fluxmeet/record/composition.hpp"

namespace fluxmeet::meeting {

// "<peerId>-<source>-<producerId>.webm"; ids are server-made tokens, safe as file names.
std::string recordingFileName(const ProducerInfo& producer);
// "2026-11-25T180412Z": isoUtc without colons, which some file systems refuse.
std::string recordingDirectoryName(UnixTime startedAt);

class RoomRecording {
 public:
  // Creates <rootDir>/<code>/<start time>/ (a suffix when two start in one second).
  static Result<std::unique_ptr<RoomRecording>> start(RecordingService& service, RoomMedia& media,
                                                      const std::string& meetingCode, std::string by,
                                                      UnixTime startedAt);
  ~RoomRecording();  // stop()
  RoomRecording(const RoomRecording&) = delete;
  RoomRecording& operator=(const RoomRecording&) = delete;

  // A sink for the producer, listed in the directory's track manifest under the peer's
  // `displayName`. Errors (codec not recordable, file not created) leave the rest of the
  // recording running.
  Result<void> addProducer(const ProducerInfo& producer, const std::string& displayName);
  // Finalizes the producer's file (it closed).
  void removeProducer(const std::string& producerId);
  // Finalizes every file; returns how many the recording made. Idempotent.
  size_t stop();

  const std::string& by() const { return by_; }
  UnixTime startedAt() const { return startedAt_; }
  const std::string& directory() const { return directory_; }
  size_t files() const { return files_; }
  // Since start (steady clock).
  int64_t elapsedMs() const;
  // The recordings row (0 when the service keeps none).
  store::Id recordingId() const { return recordingId_; }
  void setRecordingId(store::Id id) { recordingId_ = id; }

 private:
  RoomRecording(RecordingService& service, RoomMedia& media, std::string directory, std::string by,
                UnixTime startedAt, int64_t startNs);
  void close(std::unique_ptr<RecorderTap> tap);

  RecordingService& service_;
  RoomMedia& media_;
  std::string directory_;
  std::string by_;
  UnixTime startedAt_;
  int64_t startNs_;  // steady clock, as the Router stamps packets
  std::map<std::string, std::unique_ptr<RecorderTap>> taps_;  // by producerId
  std::vector<record::ManifestTrack> manifest_;              // every file made, for composition
  size_t files_ = 0;
  store::Id recordingId_ = 0;
};

}  // namespace fluxmeet::meeting
