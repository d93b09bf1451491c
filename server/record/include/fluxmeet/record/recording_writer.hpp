#pragma once
// The recorder's writer thread: it drains the frame queues of every track being recorded into
// their WebM files, so file I/O never happens on a media worker.
//
//   media worker (one per Router)            RecordingWriter thread
//   RecorderSink::onRtp -> depacketizer      every pollInterval, and when a track closes:
//     -> FrameQueue::tryPush  ------------->   FrameQueue::front/pop -> WebmTrackWriter
//   RecorderSink::close -> requestClose  -->   drain, finalize the file, track finished
//
// The packet path only touches the lock-free FrameQueue. Adding a track, closing it and waiting
// for it are control-path calls and take a mutex. The writer polls instead of being woken per
// frame: a wake-up would cost the worker a syscall per frame, and recording needs no latency.
// One writer can serve many tracks (a meeting's, or a server's); files are independent, so an
// error on one (disk full) fails that track only.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "fluxmeet/common/result.hpp"
#include "fluxmeet/record/frame_queue.hpp"
#include "fluxmeet/record/webm_track_writer.hpp"

namespace fluxmeet::record {

struct RecordingTrackOptions {
  std::string path;
  WebmTrackOptions webm;
  size_t queueFrames = 512;              // ~10 s of Opus, ~17 s of 30 fps video
  size_t queueBytes = 32 * 1024 * 1024;
};

struct RecordingTrackSummary {
  std::string path;
  uint64_t frames = 0;
  uint64_t clusters = 0;
  uint64_t bytes = 0;
  int64_t durationMs = 0;  // last block timestamp
  std::optional<Error> error;  // the first write error; the track stops writing after it
};

// One file being written: shared by its RecorderSink (producer side) and the writer thread.
class RecordingTrack {
 public:
  RecordingTrack(std::unique_ptr<WebmTrackWriter> writer, size_t queueFrames, size_t queueBytes);

  FrameQueue& queue() { return queue_; }
  // Producer side: no frames will follow; the writer drains the queue and finalizes the file.
  void requestClose() { closeRequested_.store(true, std::memory_order_release); }
  bool closeRequested() const { return closeRequested_.load(std::memory_order_acquire); }

  // Control path: blocks until the file is finalized or `timeout` passes.
  bool waitFinished(std::chrono::milliseconds timeout);
  bool finished() const;
  // Progress as last published by the writer thread (cheap, any thread).
  uint64_t framesWritten() const { return framesWritten_.load(std::memory_order_relaxed); }
  uint64_t clustersWritten() const { return clustersWritten_.load(std::memory_order_relaxed); }
  RecordingTrackSummary summary() const;

 private:
  friend class RecordingWriter;
  void drain();     // writer thread
  void finish();    // writer thread

  FrameQueue queue_;
  std::unique_ptr<WebmTrackWriter> writer_;  // writer thread only
  std::atomic<bool> closeRequested_{false};
  std::atomic<uint64_t> framesWritten_{0};
  std::atomic<uint64_t> clustersWritten_{0};
  mutable std::mutex mutex_;
  std::condition_variable finishedCv_;
  bool finished_ = false;          // guarded by mutex_
  RecordingTrackSummary summary_;  // guarded by mutex_
};

class RecordingWriter {
 public:
  explicit RecordingWriter(std::chrono::milliseconds pollInterval = std::chrono::milliseconds(50));
  // Finishes every track still open (draining what is queued) and joins the thread.
  ~RecordingWriter();
  RecordingWriter(const RecordingWriter&) = delete;
  RecordingWriter& operator=(const RecordingWriter&) = delete;

  // Control path: creates the file and starts serving the track.
  Result<std::shared_ptr<RecordingTrack>> addTrack(RecordingTrackOptions options);
  // Makes the thread look at its tracks now (e.g. after a close request).
  void wake();
  size_t trackCount() const;

 private:
  void run();

  std::chrono::milliseconds pollInterval_;
  mutable std::mutex mutex_;
  std::condition_variable wakeCv_;
  bool stopping_ = false;   // guarded by mutex_
  bool wakeRequested_ = false;
  std::vector<std::shared_ptr<RecordingTrack>> tracks_;  // guarded by mutex_
  std::thread thread_;
};

}  // namespace fluxmeet::record
