#pragma once
// RecordingService: what server recording needs from the process (issue 6) - the directory
// recordings go under, the one RecordingWriter thread every meeting's files share, the recordings
// rows, and the composition jobs that turn a stopped recording's track files into one file.
//
//   Room (control thread)            RecordingService                  composition workers
//   recording.start ->  checkFreeSpace, begin (row "recording")
//   recording.stop  ->  finish (row "composing") -> queue  ------->  ComposerProcess (niced ffmpeg)
//                                                  <- post(progress, "ready" | "failed") --
//
// Threading: every public method on the control thread (the one that owns the Store); the
// workers only touch the store through `post`. Owned by the app, which destroys it after the
// signaling (every Room's recording stopped) and before the store.
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "fluxmeet/common/clock.hpp"
#include "fluxmeet/common/result.hpp"
#include "fluxmeet/record/composer_process.hpp"
#include "fluxmeet/record/composition.hpp"
#include "fluxmeet/record/recording_writer.hpp"
#include "fluxmeet/store/store.hpp"

namespace fluxmeet::meeting {

struct RecordingServiceOptions {
  std::string rootDir;                        // recordings go to <rootDir>/<meeting code>/<start time>/
  uint64_t minFreeBytes = 1024ULL << 20;      // recording.start refuses below this much free space
  unsigned composeJobs = 1;                   // compositions running at once
  int retentionDays = 0;                      // older recordings are deleted; 0 keeps them
  int niceness = 10;
  record::CompositionOptions composition;
};

class RecordingService {
 public:
  using Post = std::function<void(std::function<void()>)>;  // runs a task on the control thread

  // Without a store (unit tests of the room) recordings have no rows and are not composed.
  RecordingService(RecordingServiceOptions options, store::Store* store = nullptr, Post post = {});
  explicit RecordingService(std::string rootDir) : RecordingService(RecordingServiceOptions{.rootDir = rootDir}) {}
  ~RecordingService();  // cancels running compositions (they run again after a restart)
  RecordingService(const RecordingService&) = delete;
  RecordingService& operator=(const RecordingService&) = delete;

  const std::string& rootDir() const { return options_.rootDir; }
  const RecordingServiceOptions& options() const { return options_; }
  record::RecordingWriter& writer();
  bool writerStarted() const { return writer_ != nullptr; }

  // Unavailable, saying how much is free, when the recordings' disk is below the threshold.
  Result<void> checkFreeSpace() const;

  // A recording started: its row (status "recording"), whose id the Room keeps.
  Result<store::Id> begin(const store::NewRecording& recording);
  // It stopped: the row goes to "composing" and the composition is queued.
  void finish(store::Id recordingId, UnixTime stoppedAt, int64_t durationMs, int tracks);

  // After a restart: recordings a crash cut short are composed from what reached the disk, and
  // compositions that were running are run again.
  void recover(UnixTime now);
  // Deletes recordings (rows and files) started more than retentionDays ago; returns how many.
  size_t sweepRetention(UnixTime now);
  // Deletes one recording's row and files; a queued or running composition of it is dropped.
  Result<void> remove(const store::Recording& recording);

  // Meetings being recorded right now, for the pre-join screen's notice.
  void setMeetingRecording(const std::string& meetingCode, bool recording);
  bool meetingRecording(const std::string& meetingCode) const { return recordingMeetings_.contains(meetingCode); }

  // The composition queue is empty and no job runs (tests, shutdown).
  bool idle() const;

 private:
  struct Job {
    store::Id recordingId = 0;
    std::string directory;
    int64_t durationMs = 0;
  };

  void enqueue(Job job);
  void workerLoop();
  void compose(const Job& job, record::ComposerProcess& process);
  void update(store::Id recordingId, store::RecordingUpdate update);

  RecordingServiceOptions options_;
  store::Store* store_;
  Post post_;
  std::unique_ptr<record::RecordingWriter> writer_;
  std::set<std::string> recordingMeetings_;

  mutable std::mutex mutex_;  // guards the queue and `running_` (workers and the control thread)
  std::condition_variable wake_;
  std::deque<Job> queue_;
  std::map<store::Id, record::ComposerProcess*> running_;
  bool stopping_ = false;
  std::vector<std::thread> workers_;  // started with the first job
};

// Bytes free for an unprivileged writer on the file system holding `path` (or its nearest
// existing parent).
Result<uint64_t> freeBytesAt(const std::string& path);

}  // namespace fluxmeet::meeting
