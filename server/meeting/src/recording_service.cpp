#include "fluxmeet/meeting/recording_service.hpp"

#include <spdlog/spdlog.h>
#include <sys/statvfs.h>

#include <algorithm>
#include <filesystem>
#include <system_error>

namespace fluxmeet::meeting {

namespace fs = std::filesystem;
using store::RecordingStatus;
using store::RecordingUpdate;

namespace {

constexpr const char* kComposedFile = "composed.webm";
constexpr const char* kComposingFile = "composed.webm.part";
constexpr const char* kComposeLog = "compose.log";
constexpr int64_t kSecondsPerDay = 86'400;

// A composition that takes ten times the meeting's length (and at least an hour) is stuck.
std::chrono::seconds compositionTimeout(int64_t durationMs) {
  return std::chrono::seconds(std::max<int64_t>(3600, durationMs / 100));
}

// Only what lies under the recordings root is ever deleted, whatever a row says.
bool isInside(const fs::path& root, const fs::path& path) {
  std::error_code error;
  const fs::path base = fs::weakly_canonical(root, error);
  if (error) return false;
  const fs::path target = fs::weakly_canonical(path, error);
  if (error) return false;
  const auto [rootEnd, unused] = std::mismatch(base.begin(), base.end(), target.begin(), target.end());
  return rootEnd == base.end() && target != base;
}

// The newest write into a recording's directory: where a recording cut short by a crash ended.
std::optional<fs::file_time_type> lastWrite(const std::string& directory) {
  std::error_code error;
  std::optional<fs::file_time_type> newest;
  for (const auto& entry : fs::directory_iterator(directory, error)) {
    const auto written = entry.last_write_time(error);
    if (!error && (!newest || written > *newest)) newest = written;
  }
  return newest;
}

}  // namespace

Result<uint64_t> freeBytesAt(const std::string& path) {
  fs::path probe = fs::absolute(path);
  std::error_code error;
  while (!fs::exists(probe, error) && probe.has_parent_path() && probe != probe.parent_path()) {
    probe = probe.parent_path();
  }
  struct statvfs stats {};
  if (::statvfs(probe.c_str(), &stats) != 0) {
    return makeError(ErrorCode::Unavailable, "cannot read free space of " + probe.string());
  }
  return static_cast<uint64_t>(stats.f_bavail) * stats.f_frsize;
}

RecordingService::RecordingService(RecordingServiceOptions options, store::Store* store, Post post)
    : options_(std::move(options)), store_(store), post_(std::move(post)) {
  options_.composeJobs = std::max(1U, options_.composeJobs);
}

RecordingService::~RecordingService() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    queue_.clear();
    for (auto& [id, process] : running_) process->cancel();
  }
  wake_.notify_all();
  for (auto& worker : workers_) worker.join();
}

record::RecordingWriter& RecordingService::writer() {
  if (!writer_) writer_ = std::make_unique<record::RecordingWriter>();
  return *writer_;
}

Result<void> RecordingService::checkFreeSpace() const {
  auto free = freeBytesAt(options_.rootDir);
  if (!free) return free.error();
  if (*free < options_.minFreeBytes) {
    return makeError(ErrorCode::Unavailable, "not enough disk space to record: " + std::to_string(*free >> 20) +
                                                 " MB free, " + std::to_string(options_.minFreeBytes >> 20) +
                                                 " MB needed");
  }
  return {};
}

Result<store::Id> RecordingService::begin(const store::NewRecording& recording) {
  if (!store_) return store::Id{0};
  auto created = store_->createRecording(recording);
  if (!created) return created.error();
  recordingMeetings_.insert(created->meetingCode);
  return created->id;
}

void RecordingService::finish(store::Id recordingId, UnixTime stoppedAt, int64_t durationMs, int tracks) {
  if (!store_ || recordingId == 0) return;
  auto finished = store_->updateRecording(recordingId, RecordingUpdate{.status = RecordingStatus::Composing,
                                                                       .stoppedAt = stoppedAt,
                                                                       .progress = 0,
                                                                       .durationMs = durationMs,
                                                                       .tracks = tracks});
  if (!finished) {
    spdlog::error("recording {}: cannot mark it stopped: {}", recordingId, finished.error().message);
    return;
  }
  enqueue({recordingId, finished->directory, durationMs});
}

void RecordingService::setMeetingRecording(const std::string& meetingCode, bool recording) {
  if (recording) {
    recordingMeetings_.insert(meetingCode);
  } else {
    recordingMeetings_.erase(meetingCode);
  }
}

void RecordingService::recover(UnixTime now) {
  if (!store_) return;
  auto cut = store_->listRecordingsWithStatus(RecordingStatus::Recording);
  if (cut) {
    for (const auto& recording : *cut) {
      // The files were written as it went: compose what reached the disk.
      int64_t durationMs = 0;
      if (const auto written = lastWrite(recording.directory)) {
        const auto writtenAt = std::chrono::duration_cast<std::chrono::seconds>(
            std::chrono::file_clock::to_sys(*written).time_since_epoch());
        durationMs = std::max<int64_t>(0, (writtenAt.count() - recording.startedAt) * 1000);
      }
      auto tracks = record::readManifest(recording.directory);
      spdlog::warn("recording {} of {} was cut short by a restart; composing its {} s", recording.id,
                   recording.meetingCode, durationMs / 1000);
      finish(recording.id, std::min<UnixTime>(now, recording.startedAt + durationMs / 1000), durationMs,
             tracks ? static_cast<int>(tracks->size()) : 0);
    }
  }
  auto composing = store_->listRecordingsWithStatus(RecordingStatus::Composing);
  if (composing) {
    for (const auto& recording : *composing) enqueue({recording.id, recording.directory, recording.durationMs});
  }
}

size_t RecordingService::sweepRetention(UnixTime now) {
  if (!store_ || options_.retentionDays <= 0) return 0;
  auto old = store_->listRecordingsStartedBefore(now - options_.retentionDays * kSecondsPerDay);
  if (!old) return 0;
  size_t removed = 0;
  for (const auto& recording : *old) {
    if (recording.status == RecordingStatus::Recording) continue;  // still going: the next sweep
    if (remove(recording)) ++removed;
  }
  if (removed > 0) spdlog::info("retention: deleted {} recording(s) older than {} days", removed, options_.retentionDays);
  return removed;
}

Result<void> RecordingService::remove(const store::Recording& recording) {
  if (!store_) return makeError(ErrorCode::Unavailable, "recordings are not stored on this server");
  {
    std::lock_guard lock(mutex_);
    std::erase_if(queue_, [&](const Job& job) { return job.recordingId == recording.id; });
    if (const auto running = running_.find(recording.id); running != running_.end()) running->second->cancel();
  }
  const fs::path directory = recording.directory;
  if (isInside(options_.rootDir, directory)) {
    std::error_code error;
    fs::remove_all(directory, error);
    if (error) spdlog::warn("recording {}: cannot delete {}: {}", recording.id, directory.string(), error.message());
    fs::remove(directory.parent_path(), error);  // the meeting's folder, when this was its last recording
  } else {
    spdlog::warn("recording {}: {} is outside {}; row deleted, files left", recording.id, directory.string(),
                 options_.rootDir);
  }
  return store_->deleteRecording(recording.id);
}

bool RecordingService::idle() const {
  std::lock_guard lock(mutex_);
  return queue_.empty() && running_.empty();
}

void RecordingService::enqueue(Job job) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    queue_.push_back(std::move(job));
    if (workers_.empty()) {
      for (unsigned i = 0; i < options_.composeJobs; ++i) workers_.emplace_back([this] { workerLoop(); });
    }
  }
  wake_.notify_one();
}

void RecordingService::workerLoop() {
  for (;;) {
    Job job;
    record::ComposerProcess process;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      job = std::move(queue_.front());
      queue_.pop_front();
      running_[job.recordingId] = &process;
    }
    compose(job, process);
    std::lock_guard lock(mutex_);
    running_.erase(job.recordingId);
  }
}

void RecordingService::update(store::Id recordingId, RecordingUpdate change) {
  if (!post_) return;
  post_([store = store_, recordingId, change = std::move(change)] {
    // NotFound: deleted meanwhile, nothing to say.
    (void)store->updateRecording(recordingId, change);
  });
}

void RecordingService::compose(const Job& job, record::ComposerProcess& process) {
  const auto fail = [&](const std::string& why) {
    spdlog::warn("recording {}: composition failed: {}", job.recordingId, why);
    update(job.recordingId, {.status = RecordingStatus::Failed, .error = why});
  };
  auto tracks = record::readManifest(job.directory);
  if (!tracks) return fail(tracks.error().message);
  const fs::path directory = job.directory;
  auto command = record::compositionCommand(job.directory, *tracks, (directory / kComposingFile).string(),
                                            job.durationMs, options_.composition);
  if (!command) return fail(command.error().message);
  const auto started = std::chrono::steady_clock::now();
  auto ran = process.run(*command, {.durationMs = job.durationMs,
                                    .logPath = (directory / kComposeLog).string(),
                                    .niceness = options_.niceness,
                                    .timeout = compositionTimeout(job.durationMs),
                                    .onProgress = [this, id = job.recordingId](int percent) {
                                      update(id, {.progress = percent});
                                    }});
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;  // shutting down: it stays "composing" and runs again after a restart
  }
  if (!ran) {
    if (process.cancelled()) return;  // deleted meanwhile
    return fail(ran.error().message);
  }
  std::error_code error;
  fs::rename(directory / kComposingFile, directory / kComposedFile, error);
  if (error) return fail("cannot keep the composed file: " + error.message());
  const auto size = fs::file_size(directory / kComposedFile, error);
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  spdlog::info("recording {}: composed {} s of meeting in {} ms", job.recordingId, job.durationMs / 1000,
               took.count());
  update(job.recordingId, {.status = RecordingStatus::Ready,
                           .progress = 100,
                           .filePath = (directory / kComposedFile).string(),
                           .sizeBytes = error ? 0 : static_cast<int64_t>(size),
                           .error = ""});
}

}  // namespace fluxmeet::meeting
