#pragma once
// One bench_record scenario: N RecorderSinks fed from the calling thread (the media worker's
// part) with the clip's RTP, one RecordingWriter thread writing their files, and what that cost.
//
// Track i replays the clip in a loop with its own SSRC, sequence numbers, RTP timestamps and
// picture IDs; the tracks' start times are spread evenly over one frame (video) or one packet
// (audio) interval so their frames arrive spread out, as from independent senders. A frame's
// packets arrive together, when the frame is due.
#include <signal.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "fluxmeet/common/result.hpp"
#include "media_clip.hpp"

namespace fluxmeet::bench {

struct LoadOptions {
  int videoTracks = 0;
  int audioTracks = 0;
  double seconds = 10;  // of media, per track, measured
  // Fed unpaced before the measured window, as fast as the writer drains it: long enough (more
  // than FrameQueue's 512 frames at 30 fps) and every queue slot has grown its buffer once, so
  // the window sees a recording's steady state, not its first minute's allocations.
  double warmupSeconds = 18;
  // 1: real time (packets fed when due); > 1 that many times faster; 0: unpaced, the writer
  // drained after every 100 ms of media (no queue can overflow, CPU cost only).
  double speed = 1;
  std::string dir;  // the files go here
  std::chrono::milliseconds pollInterval{50};
  const volatile sig_atomic_t* stop = nullptr;  // set by a signal: stop feeding, still clean up
};

struct SampleFile {
  std::string path;
  bool video = false;
  uint64_t frames = 0;  // written, as the writer counted them
};

struct LoadResult {
  int videoTracks = 0;
  int audioTracks = 0;
  double mediaSeconds = 0;  // measured, after the warm-up
  double wallSeconds = 0;   // first measured packet to every queue drained
  double warmupWallSeconds = 0;
  uint64_t packets = 0;
  uint64_t rtpBytes = 0;  // headers included
  double packetThreadCpuNs = 0;
  double writerCpuNs = 0;
  double waitNs = 0;                   // both threads runnable but not running (schedstat)
  double packetThreadSystemShare = 0;  // of its CPU time, in the kernel
  double writerSystemShare = 0;
  int64_t maxLateNs = 0;    // paced runs: the latest a packet was fed after it was due
  uint64_t lostFrames = 0;  // see bench_record.cpp's header; warm-up included
  uint64_t bytesWritten = 0;
  int64_t rssGrowthKiB = 0;   // VmRSS after the feed minus before the sinks were made
  double finalizeWallNs = 0;  // closing every sink until every file is finalized
  double finalizeCpuNs = 0;
  std::vector<std::string> fileErrors;
  std::vector<SampleFile> samples;  // video 0, audio 0, video 1, audio 1, ...
};

// `clip`'s packets are rewritten in place per track (stampVideo/stampAudio).
Result<LoadResult> runLoad(const LoadOptions& options, MediaClip& clip);

}  // namespace fluxmeet::bench
