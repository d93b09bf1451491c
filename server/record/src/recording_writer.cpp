#include "fluxmeet/record/recording_writer.hpp"

#include <algorithm>

namespace fluxmeet::record {

RecordingTrack::RecordingTrack(std::unique_ptr<WebmTrackWriter> writer, size_t queueFrames, size_t queueBytes)
    : queue_(queueFrames, queueBytes), writer_(std::move(writer)) {
  summary_.path = writer_->path();
}

void RecordingTrack::drain() {
  bool failed = false;
  {
    std::lock_guard lock(mutex_);
    failed = summary_.error.has_value();
  }
  while (QueuedFrame* frame = queue_.front()) {
    if (!failed) {
      auto written = writer_->writeFrame(frame->data, frame->timestampNs, frame->keyframe, frame->width,
                                         frame->height);
      if (!written) {
        failed = true;
        std::lock_guard lock(mutex_);
        summary_.error = std::move(written).takeError();
      }
    }
    queue_.pop();  // after a failure frames are dropped so the producer never blocks
  }
  framesWritten_.store(writer_->stats().frames, std::memory_order_relaxed);
  clustersWritten_.store(writer_->stats().clusters, std::memory_order_relaxed);
}

void RecordingTrack::finish() {
  drain();
  auto closed = writer_->close();
  const WebmTrackStats& stats = writer_->stats();
  std::lock_guard lock(mutex_);
  summary_.frames = stats.frames;
  summary_.clusters = stats.clusters;
  summary_.bytes = stats.bytes;
  summary_.durationMs = stats.lastTimestampMs;
  if (!closed && !summary_.error) summary_.error = std::move(closed).takeError();
  clustersWritten_.store(stats.clusters, std::memory_order_relaxed);
  finished_ = true;
  finishedCv_.notify_all();
}

bool RecordingTrack::waitFinished(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return finishedCv_.wait_for(lock, timeout, [this] { return finished_; });
}

bool RecordingTrack::finished() const {
  std::lock_guard lock(mutex_);
  return finished_;
}

RecordingTrackSummary RecordingTrack::summary() const {
  std::lock_guard lock(mutex_);
  return summary_;
}

RecordingWriter::RecordingWriter(std::chrono::milliseconds pollInterval)
    : pollInterval_(pollInterval), thread_([this] { run(); }) {}

RecordingWriter::~RecordingWriter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wakeCv_.notify_all();
  thread_.join();
}

Result<std::shared_ptr<RecordingTrack>> RecordingWriter::addTrack(RecordingTrackOptions options) {
  auto writer = WebmTrackWriter::open(options.path, options.webm);
  if (!writer) return std::move(writer).takeError();
  auto track = std::make_shared<RecordingTrack>(std::move(writer).value(), options.queueFrames,
                                                options.queueBytes);
  std::lock_guard lock(mutex_);
  if (stopping_) return makeError(ErrorCode::Unavailable, "recording writer is stopping");
  tracks_.push_back(track);
  return track;
}

void RecordingWriter::wake() {
  {
    std::lock_guard lock(mutex_);
    wakeRequested_ = true;
  }
  wakeCv_.notify_all();
}

size_t RecordingWriter::trackCount() const {
  std::lock_guard lock(mutex_);
  return tracks_.size();
}

void RecordingWriter::run() {
  std::vector<std::shared_ptr<RecordingTrack>> tracks;
  for (;;) {
    bool stopping = false;
    {
      std::unique_lock lock(mutex_);
      wakeCv_.wait_for(lock, pollInterval_, [this] { return stopping_ || wakeRequested_; });
      wakeRequested_ = false;
      stopping = stopping_;
      tracks = tracks_;  // I/O happens outside the lock so addTrack never waits for a disk
    }
    std::vector<RecordingTrack*> finished;
    for (const auto& track : tracks) {
      // Read the flag before draining: frames pushed before requestClose() are then in the queue.
      if (stopping || track->closeRequested()) {
        track->finish();
        finished.push_back(track.get());
      } else {
        track->drain();
      }
    }
    if (!finished.empty()) {
      std::lock_guard lock(mutex_);
      std::erase_if(tracks_, [&](const auto& track) {
        return std::find(finished.begin(), finished.end(), track.get()) != finished.end();
      });
    }
    if (stopping) return;
  }
}

}  // namespace fluxmeet::record
