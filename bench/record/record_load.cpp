#include "record_load.hpp"

#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <thread>

#include "fluxmeet/record/recorder_sink.hpp"
#include "fluxmeet/record/recording_writer.hpp"
#include "proc_stats.hpp"

namespace fluxmeet::bench {
namespace {

using Clock = std::chrono::steady_clock;
using media::codecs::Codec;
using namespace std::chrono_literals;

constexpr int64_t kAudioIntervalNs = 20'000'000;  // 20 ms Opus packets
constexpr int64_t kTickNs = 1'000'000;            // the packet thread looks at the clock every 1 ms
constexpr int64_t kUnpacedDrainNs = 100'000'000;  // unpaced: drain the writer every 100 ms of media

struct KeyframeRequests final : record::RecorderSinkListener {
  void onKeyframeRequest(uint32_t) override { ++count; }
  uint64_t count = 0;
};

struct FedTrack {
  std::unique_ptr<record::RecorderSink> sink;
  bool video = false;
  uint32_t ssrc = 0;
  uint16_t sequenceNumber = 0;
  uint32_t timestampBase = 0;
  uint16_t pictureIdBase = 0;
  int64_t phaseNs = 0;
  uint64_t fed = 0;   // frames (video) or packets (audio) so far
  int64_t dueNs = 0;  // of the next one, on the media clock
};

// The threads of this process other than the caller: the RecordingWriter's.
std::vector<pid_t> otherThreads() {
  std::vector<pid_t> tids;
  const auto self = static_cast<pid_t>(syscall(SYS_gettid));
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/task")) {
    const auto tid = static_cast<pid_t>(std::stol(entry.path().filename().string()));
    if (tid != self) tids.push_back(tid);
  }
  return tids;
}

struct ThreadSample {
  int64_t mainCpuNs = 0;
  int64_t processCpuNs = 0;
  int64_t waitNs = 0;
  int64_t mainUser = 0, mainSystem = 0;
  int64_t writerUser = 0, writerSystem = 0;
};

ThreadSample sampleThreads(pid_t self, const std::vector<pid_t>& writers) {
  ThreadSample sample;
  sample.mainCpuNs = threadCpuNs(CLOCK_THREAD_CPUTIME_ID);
  sample.processCpuNs = threadCpuNs(CLOCK_PROCESS_CPUTIME_ID);
  sample.waitNs = schedstat(self).second;
  std::tie(sample.mainUser, sample.mainSystem) = userSystemTicks(self);
  for (pid_t tid : writers) {
    sample.waitNs += schedstat(tid).second;
    const auto [user, system] = userSystemTicks(tid);
    sample.writerUser += user;
    sample.writerSystem += system;
  }
  return sample;
}

double share(int64_t part, int64_t whole) {
  return whole > 0 ? static_cast<double>(part) / static_cast<double>(whole) : 0;
}

class Feeder {
 public:
  Feeder(MediaClip& clip, std::vector<FedTrack>& tracks, int64_t endNs)
      : clip_(clip), tracks_(tracks), endNs_(endNs), frameIntervalNs_(1'000'000'000 / clip.fps) {}

  // Feeds every packet due at or before `mediaNs`. `wallNs` (paced runs) is the wall time
  // since the start on the media clock's scale, for lateness. True when every track is done.
  bool feedUpTo(int64_t mediaNs, int64_t wallNs) {
    bool done = true;
    for (FedTrack& track : tracks_) {
      while (track.dueNs <= mediaNs && track.dueNs < endNs_) {
        if (wallNs >= 0) maxLateNs_ = std::max(maxLateNs_, wallNs - track.dueNs);
        track.video ? feedVideo(track) : feedAudio(track);
      }
      done = done && track.dueNs >= endNs_;
    }
    return done;
  }

  uint64_t packets() const { return packets_; }
  uint64_t bytes() const { return bytes_; }
  int64_t maxLateNs() const { return maxLateNs_; }
  void resetLateness() { maxLateNs_ = 0; }

 private:
  void feedVideo(FedTrack& track) {
    VideoClipFrame& frame = clip_.video[track.fed % clip_.video.size()];
    const auto timestamp = static_cast<uint32_t>(track.timestampBase + track.fed * (90000 / clip_.fps));
    const auto pictureId = static_cast<uint16_t>((track.pictureIdBase + track.fed) & 0x7FFF);
    for (ClipPacket& packet : frame.packets) {
      stampVideo(packet, track.ssrc, track.sequenceNumber++, timestamp, pictureId);
      track.sink->onRtp(*packet.view, track.dueNs);
      ++packets_;
      bytes_ += packet.bytes.size();
    }
    ++track.fed;
    track.dueNs = track.phaseNs + static_cast<int64_t>(track.fed) * frameIntervalNs_;
  }

  void feedAudio(FedTrack& track) {
    ClipPacket& packet = clip_.audio[track.fed % clip_.audio.size()];
    stampAudio(packet, track.ssrc, track.sequenceNumber++,
               static_cast<uint32_t>(track.timestampBase + track.fed * 960));
    track.sink->onRtp(*packet.view, track.dueNs);
    ++packets_;
    bytes_ += packet.bytes.size();
    ++track.fed;
    track.dueNs = track.phaseNs + static_cast<int64_t>(track.fed) * kAudioIntervalNs;
  }

  MediaClip& clip_;
  std::vector<FedTrack>& tracks_;
  int64_t endNs_;
  int64_t frameIntervalNs_;
  uint64_t packets_ = 0;
  uint64_t bytes_ = 0;
  int64_t maxLateNs_ = 0;
};

// Wakes the writer and waits until it has drained every queue (bounded: 60 s).
void waitDrained(record::RecordingWriter& writer, const std::vector<FedTrack>& tracks) {
  writer.wake();
  const auto deadline = Clock::now() + 60s;
  for (const FedTrack& track : tracks) {
    while (track.sink->track()->queue().size() > 0 && Clock::now() < deadline)
      std::this_thread::sleep_for(1ms);
  }
}

Result<std::vector<FedTrack>> makeTracks(const LoadOptions& options, const MediaClip& clip,
                                         record::RecordingWriter& writer, KeyframeRequests& requests) {
  std::vector<FedTrack> tracks;
  const int count = std::max(options.videoTracks, options.audioTracks);
  const int64_t frameIntervalNs = 1'000'000'000 / clip.fps;
  // Interleaved (video 0, audio 0, video 1, ...) so a sample of the first tracks has both kinds.
  for (int i = 0; i < count; ++i) {
    for (const bool video : {true, false}) {
      const int kindCount = video ? options.videoTracks : options.audioTracks;
      if (i >= kindCount) continue;
      record::RecorderSinkOptions sinkOptions;
      sinkOptions.codec = video ? Codec::Vp8 : Codec::Opus;
      sinkOptions.payloadType = video ? 96 : 111;
      sinkOptions.path = options.dir + "/" + (video ? "video-" : "audio-") + std::to_string(i) + ".webm";
      sinkOptions.startNs = 0;
      auto sink = record::RecorderSink::create(writer, sinkOptions, video ? &requests : nullptr);
      if (!sink) return std::move(sink).takeError();
      FedTrack track;
      track.sink = std::move(sink).value();
      track.video = video;
      track.ssrc = 0x10000000u + static_cast<uint32_t>(i) * 2 + (video ? 0 : 1);
      track.sequenceNumber = static_cast<uint16_t>(i * 7919);  // wraps during long runs, as real ones do
      track.timestampBase = static_cast<uint32_t>(i) * 104729u;
      track.pictureIdBase = static_cast<uint16_t>(i * 31);
      track.phaseNs = (video ? frameIntervalNs : kAudioIntervalNs) * i / kindCount;
      track.dueNs = track.phaseNs;
      tracks.push_back(std::move(track));
    }
  }
  return tracks;
}

// Loss as the recording sees it: every counter of a frame not written.
uint64_t countLost(const std::vector<FedTrack>& tracks, const KeyframeRequests& requests) {
  uint64_t lost = requests.count;
  for (const FedTrack& track : tracks) {
    const auto& sink = track.sink->stats();
    const auto& depacketizer = track.sink->depacketizerStats();
    lost += sink.framesDroppedQueueFull + sink.framesSkippedAfterQueueFull + depacketizer.framesDropped +
            depacketizer.framesSkipped + depacketizer.malformed + track.sink->reorderStats().lost;
  }
  return lost;
}

}  // namespace

Result<LoadResult> runLoad(const LoadOptions& options, MediaClip& clip) {
  LoadResult result;
  result.videoTracks = options.videoTracks;
  result.audioTracks = options.audioTracks;
  const int64_t rssBefore = procStatusKiB("VmRSS");
  // Made on this thread, so the writer thread inherits its CPU affinity.
  auto writer = std::make_unique<record::RecordingWriter>(options.pollInterval);
  const auto self = static_cast<pid_t>(syscall(SYS_gettid));
  const std::vector<pid_t> writerThreads = otherThreads();
  KeyframeRequests requests;
  auto made = makeTracks(options, clip, *writer, requests);
  if (!made) return std::move(made).takeError();
  std::vector<FedTrack> tracks = std::move(made).value();

  const auto warmupNs = static_cast<int64_t>(options.warmupSeconds * 1e9);
  const auto endNs = warmupNs + static_cast<int64_t>(options.seconds * 1e9);
  Feeder feeder(clip, tracks, endNs);
  const auto warmupStart = Clock::now();
  bool done = false;
  for (int64_t mediaNs = 0; mediaNs < warmupNs && *options.stop == 0; mediaNs += kTickNs) {
    feeder.feedUpTo(mediaNs, -1);
    if (mediaNs % kUnpacedDrainNs == 0) waitDrained(*writer, tracks);
  }
  waitDrained(*writer, tracks);
  const uint64_t warmupPackets = feeder.packets();
  const uint64_t warmupBytes = feeder.bytes();
  feeder.resetLateness();

  const ThreadSample before = sampleThreads(self, writerThreads);
  const auto start = Clock::now();
  result.warmupWallSeconds = std::chrono::duration<double>(start - warmupStart).count();
  if (options.speed > 0) {
    while (!done && *options.stop == 0) {
      const auto tick = Clock::now();
      const auto wallNs = std::chrono::duration_cast<std::chrono::nanoseconds>(tick - start).count();
      const auto mediaNs = warmupNs + static_cast<int64_t>(static_cast<double>(wallNs) * options.speed);
      done = feeder.feedUpTo(mediaNs, mediaNs);
      std::this_thread::sleep_until(tick + std::chrono::nanoseconds(kTickNs));
    }
  } else {
    for (int64_t mediaNs = warmupNs; !done && *options.stop == 0; mediaNs += kTickNs) {
      done = feeder.feedUpTo(mediaNs, -1);
      if (done || mediaNs % kUnpacedDrainNs == 0) waitDrained(*writer, tracks);
    }
  }
  waitDrained(*writer, tracks);
  const ThreadSample after = sampleThreads(self, writerThreads);
  result.wallSeconds = std::chrono::duration<double>(Clock::now() - start).count();
  result.rssGrowthKiB = procStatusKiB("VmRSS") - rssBefore;

  result.mediaSeconds = options.seconds;
  result.packets = feeder.packets() - warmupPackets;
  result.rtpBytes = feeder.bytes() - warmupBytes;
  result.maxLateNs =
      options.speed > 0 ? static_cast<int64_t>(static_cast<double>(feeder.maxLateNs()) / options.speed) : 0;
  result.packetThreadCpuNs = static_cast<double>(after.mainCpuNs - before.mainCpuNs);
  result.writerCpuNs =
      static_cast<double>((after.processCpuNs - before.processCpuNs) - (after.mainCpuNs - before.mainCpuNs));
  result.waitNs = static_cast<double>(after.waitNs - before.waitNs);
  result.packetThreadSystemShare =
      share(after.mainSystem - before.mainSystem,
            (after.mainUser - before.mainUser) + (after.mainSystem - before.mainSystem));
  result.writerSystemShare =
      share(after.writerSystem - before.writerSystem,
            (after.writerUser - before.writerUser) + (after.writerSystem - before.writerSystem));
  result.lostFrames = countLost(tracks, requests);

  const auto finalizeStart = Clock::now();
  const int64_t finalizeCpu = threadCpuNs(CLOCK_PROCESS_CPUTIME_ID);
  for (FedTrack& track : tracks) track.sink->close();
  for (FedTrack& track : tracks) {
    if (!track.sink->track()->waitFinished(60s)) result.fileErrors.push_back("not finalized in 60 s");
  }
  result.finalizeWallNs = std::chrono::duration<double, std::nano>(Clock::now() - finalizeStart).count();
  result.finalizeCpuNs = static_cast<double>(threadCpuNs(CLOCK_PROCESS_CPUTIME_ID) - finalizeCpu);

  for (const FedTrack& track : tracks) {
    const auto summary = track.sink->track()->summary();
    if (summary.error) result.fileErrors.push_back(summary.path + ": " + summary.error->message);
    // A frame fed but not written is lost even if no counter saw it.
    if (summary.frames < track.fed) result.lostFrames += track.fed - summary.frames;
    result.bytesWritten += summary.bytes;
    result.samples.push_back(SampleFile{summary.path, track.video, summary.frames});
  }
  tracks.clear();
  writer.reset();
  return result;
}

}  // namespace fluxmeet::bench
