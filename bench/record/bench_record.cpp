// bench_record: how many tracks can one core record into WebM files at once, with no frame lost?
// Issue 6's target is at least 200 concurrent track recordings per core (1.5 Mbit/s 720p VP8 at
// 30 fps and Opus).
//
// One process plays the media worker's part on its main thread (the "packet thread") and feeds
// N RecorderSinks real VP8 and Opus RTP (media_clip.hpp), each track with its own SSRC and the
// tracks' frames spread over the frame interval; the sinks hand frames to one RecordingWriter
// thread, which writes the files under /tmp. By default the process is pinned to one CPU, so both
// threads share it: "one core" literally. Per scenario it prints one Markdown table row (see
// --header):
//   mode          real time (--speed 1: packets are fed when they are due, like arrivals),
//                 N× real time, or unpaced (--speed 0: as fast as possible, the writer drained
//                 every 100 ms of media so no queue overflows; for profiling)
//   packet thread its CPU clock (CLOCK_THREAD_CPUTIME_ID: user + system) over the feed, as % of
//                 one core per second of media, and per RTP packet
//   writer        the rest of the process's CPU clock (CLOCK_PROCESS_CPUTIME_ID: the writer is
//                 the only other thread), same unit; the kernel's later write-back is not in it
//   one core      the two together: the share of one core the N recordings take
//   tracks/core   N / that share: how many such tracks one core would record
//   CPU wait      time the two threads were runnable but waited for a CPU (schedstat, summed),
//                 per second of wall time: other work on the machine, or the two threads queueing for one
//                 core
//   max late      real time only: the most a packet was fed after it was due
//   lost          frames the recording lost: queue-full drops, frames skipped after them, frames
//                 the depacketizer dropped, keyframe requests, and fed minus written frames
//   files         every track finalized without an error, and the sampled files checked with
//                 ffprobe (codec, size, every frame decodes with no error, frame count)
// Each scenario first feeds --warmup seconds of media unpaced (18 s: every slot of the sinks'
// 512-frame queues has then held a frame, so their buffers have grown as in a long recording);
// the measured window then starts at the next packet and ends when the writer has drained every
// queue after the last one. Finalizing the files (Cues, sizes) is reported apart, on stderr
// with the kernel's share of each thread's time and the RSS growth.
#include <sched.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "media_clip.hpp"
#include "proc_stats.hpp"
#include "record_load.hpp"

namespace fluxmeet::bench {
namespace {

using namespace std::chrono_literals;

volatile sig_atomic_t stopRequested = 0;

void onSignal(int) { stopRequested = 1; }

struct Options {
  std::vector<int> tracks{200};
  std::string kind = "av";
  double seconds = 10;
  double warmup = 18;
  double speed = 1;
  int cpu = 1;
  int pollMs = 50;
  int probe = 1;
  bool header = false;
  bool keep = false;
  std::string clipDir;
  ClipOptions clip;
};

std::string thousands(double value) {
  const std::string digits = std::to_string(static_cast<long long>(value + 0.5));
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0 && digits[i - 1] != '-') out += ',';
    out += digits[i];
  }
  return out;
}

std::string format(const char* pattern, double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, pattern, value);
  return buffer;
}

// Checks a recorded file the way a player would see it: one stream of the expected codec (and
// size), every frame decoded with no error message, as many frames as the writer wrote.
std::string probeFile(const std::string& path, bool video, const MediaClip& clip, uint64_t frames) {
  const auto output = runCommand(
      "ffprobe -v error -count_frames -show_entries stream=codec_name,width,height,"
      "nb_read_frames -of default=nw=1 '" +
      path + "' 2>&1");
  std::string expected = video ? "codec_name=vp8\nwidth=" + std::to_string(clip.width) +
                                     "\nheight=" + std::to_string(clip.height) + "\n"
                               : "codec_name=opus\n";
  expected += "nb_read_frames=" + std::to_string(frames) + "\n";
  if (output.exitCode == 0 && output.text == expected) return "";
  return path + ": ffprobe said\n" + output.text + "expected\n" + expected;
}

std::string modeName(double speed) {
  if (speed <= 0) return "unpaced";
  if (speed == 1) return "real time";
  return format("%g× real time", speed);
}

std::string tracksName(const LoadResult& result) {
  if (result.videoTracks > 0 && result.audioTracks > 0) {
    return std::to_string(result.videoTracks) + " V + " + std::to_string(result.audioTracks) + " A";
  }
  return std::to_string(result.videoTracks + result.audioTracks) + (result.videoTracks > 0 ? " V" : " A");
}

// What the paced feed loop costs with nothing to feed: one sleep_until per 1 ms tick, the
// packet thread's fixed overhead in real-time runs (a media worker has its own, in epoll_wait).
double idleTimerLoopShare() {
  const auto start = std::chrono::steady_clock::now();
  const int64_t cpuBefore = threadCpuNs(CLOCK_THREAD_CPUTIME_ID);
  for (auto tick = start; tick - start < 1s; tick = std::chrono::steady_clock::now()) {
    std::this_thread::sleep_until(tick + 1ms);
  }
  const double wallNs =
      std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count();
  return static_cast<double>(threadCpuNs(CLOCK_THREAD_CPUTIME_ID) - cpuBefore) / wallNs;
}

void printHeader(const Options& options, const MediaClip& clip) {
  std::printf(
      "bench_record: writer polls every %d ms; %s; the packet thread's 1 ms timer loop alone costs "
      "%.1f %% of a core\n",
      options.pollMs,
      options.cpu >= 0 ? ("both threads pinned to CPU " + std::to_string(options.cpu)).c_str() : "not pinned",
      100 * idleTimerLoopShare());
  std::printf("machine: %u CPUs, %s, load average %s\n", std::thread::hardware_concurrency(),
              runCommand("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//' | tr -d '\\n'")
                  .text.c_str(),
              runCommand("cut -d' ' -f1-3 /proc/loadavg | tr -d '\\n'").text.c_str());
  std::printf(
      "media: VP8 %ux%u %u fps, %.0f kbit/s measured (%zu frames, %.1f packets per frame, one keyframe "
      "per %zu-frame loop); Opus %.0f kbit/s, 20 ms\n\n",
      clip.width, clip.height, clip.fps, clip.videoKbps(), clip.video.size(),
      static_cast<double>(clip.videoPackets) / static_cast<double>(clip.video.size()), clip.video.size(),
      clip.audioKbps());
  std::printf(
      "| mode | tracks | media s | in Mbit/s | packet thread: core %% (µs/pkt) | writer: core %% | "
      "one core | tracks/core | CPU wait | max late | lost | files |\n");
  std::printf("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
}

// Runs one scenario in a fresh directory and writer; returns false when a frame was lost or a
// file is not right.
bool runScenario(const Options& options, MediaClip& clip, int tracks, const std::string& dir) {
  LoadOptions load;
  load.videoTracks = options.kind == "audio" ? 0 : (options.kind == "av" ? (tracks + 1) / 2 : tracks);
  load.audioTracks = options.kind == "video" ? 0 : (options.kind == "av" ? tracks / 2 : tracks);
  load.seconds = options.seconds;
  load.warmupSeconds = options.warmup;
  load.speed = options.speed;
  load.dir = dir;
  load.pollInterval = std::chrono::milliseconds(options.pollMs);
  load.stop = &stopRequested;
  auto result = runLoad(load, clip);
  if (!result) {
    std::fprintf(stderr, "bench_record: %s\n", result.error().message.c_str());
    return false;
  }
  if (stopRequested != 0) return false;  // a partial window: no row
  const LoadResult& r = *result;
  const int count = r.videoTracks + r.audioTracks;
  const double mediaS = r.mediaSeconds;
  const double packetCore = r.packetThreadCpuNs / 1e9 / mediaS;
  const double writerCore = r.writerCpuNs / 1e9 / mediaS;
  const double core = packetCore + writerCore;

  std::string files = r.fileErrors.empty() ? "ok" : std::to_string(r.fileErrors.size()) + " bad";
  int probed = 0;
  int probeFailed = 0;
  for (const auto& sample : r.samples) {
    if (probed >= 2 * options.probe) break;
    ++probed;
    const std::string error = probeFile(sample.path, sample.video, clip, sample.frames);
    if (!error.empty()) {
      ++probeFailed;
      std::fprintf(stderr, "%s\n", error.c_str());
    }
  }
  if (probed > 0) files += ", ffprobe " + std::to_string(probed - probeFailed) + "/" + std::to_string(probed);
  std::printf(
      "| %s | %s | %.1f | %.1f | %.1f %% (%.2f) | %.1f %% | **%.1f %%** | **%s** | %.1f %% | %s | %s | %s "
      "|\n",
      modeName(options.speed).c_str(), tracksName(r).c_str(), mediaS,
      static_cast<double>(r.rtpBytes) * 8 / mediaS / 1e6, 100 * packetCore,
      r.packetThreadCpuNs / 1e3 / static_cast<double>(r.packets), 100 * writerCore, 100 * core,
      thousands(count / core).c_str(), 100 * r.waitNs / 1e9 / r.wallSeconds,
      options.speed > 0 ? format("%.1f ms", r.maxLateNs / 1e6).c_str() : "-",
      thousands(static_cast<double>(r.lostFrames)).c_str(), files.c_str());
  std::fflush(stdout);
  std::fprintf(stderr,
               "  %s: %s packets, %.1f s wall (warm-up %.1f s); kernel share: packet thread %.0f %%, writer "
               "%.0f %%; %s MB "
               "written; RSS grew %s KiB; finalizing %d files took %.0f ms (CPU %.0f ms)\n",
               tracksName(r).c_str(), thousands(static_cast<double>(r.packets)).c_str(), r.wallSeconds,
               r.warmupWallSeconds, 100 * r.packetThreadSystemShare, 100 * r.writerSystemShare,
               thousands(static_cast<double>(r.bytesWritten) / 1e6).c_str(),
               thousands(static_cast<double>(r.rssGrowthKiB)).c_str(), count, r.finalizeWallNs / 1e6,
               r.finalizeCpuNs / 1e6);
  for (const auto& error : r.fileErrors) std::fprintf(stderr, "  %s\n", error.c_str());
  return r.lostFrames == 0 && r.fileErrors.empty() && probeFailed == 0;
}

int run(const Options& options) {
  std::string pattern = (std::filesystem::temp_directory_path() / "fluxmeet-bench-record-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {
    std::perror("bench_record: mkdtemp");
    return 1;
  }
  const std::filesystem::path dir = pattern;
  ClipOptions clipOptions = options.clip;
  clipOptions.cacheDir = options.clipDir.empty() ? dir.string() : options.clipDir;
  // Before pinning: ffmpeg inherits the mask and may use every CPU.
  auto clip = makeMediaClip(clipOptions);
  if (!clip) {
    std::fprintf(stderr, "bench_record: %s\n", clip.error().message.c_str());
    std::filesystem::remove_all(dir);
    return 1;
  }
  if (options.cpu >= 0) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(options.cpu, &set);
    // Threads made after this (each scenario's RecordingWriter) inherit the mask.
    if (sched_setaffinity(0, sizeof set, &set) != 0) std::perror("bench_record: sched_setaffinity");
  }
  if (options.header) printHeader(options, *clip);
  bool ok = true;
  for (size_t i = 0; i < options.tracks.size() && stopRequested == 0; ++i) {
    const std::filesystem::path scenarioDir = dir / ("run" + std::to_string(i));
    std::filesystem::create_directories(scenarioDir);
    ok = runScenario(options, *clip, options.tracks[i], scenarioDir.string()) && ok;
    // Each scenario writes up to a few hundred MB: gone before the next one starts.
    if (!options.keep) std::filesystem::remove_all(scenarioDir);
  }
  if (options.keep) {
    std::fprintf(stderr, "bench_record: files kept in %s\n", dir.c_str());
  } else {
    std::filesystem::remove_all(dir);
  }
  if (stopRequested != 0) std::fprintf(stderr, "bench_record: interrupted\n");
  return ok && stopRequested == 0 ? 0 : 1;
}

}  // namespace
}  // namespace fluxmeet::bench

int main(int argc, char** argv) {
  using fluxmeet::bench::Options;
  Options options;
  CLI::App app{
      "Records N tracks of real VP8/Opus RTP on one thread + the writer thread; prints a Markdown row"};
  app.add_option("--tracks", options.tracks,
                 "tracks per scenario, one scenario each (av: half video, half audio)")
      ->delimiter(',');
  app.add_option("--kind", options.kind, "av, video or audio")
      ->check(CLI::IsMember({"av", "video", "audio"}));
  app.add_option("--seconds", options.seconds, "seconds of media per track")->check(CLI::Range(1.0, 600.0));
  app.add_option("--warmup", options.warmup, "seconds of media fed unpaced before the measured window")
      ->check(CLI::Range(0.0, 600.0));
  app.add_option("--speed", options.speed, "1 = real time, 2 = twice as fast, 0 = unpaced")
      ->check(CLI::Range(0.0, 100.0));
  app.add_option("--cpu", options.cpu, "CPU for both threads; -1 = no pinning");
  app.add_option("--poll-ms", options.pollMs, "RecordingWriter poll interval")->check(CLI::Range(1, 1000));
  app.add_option("--probe", options.probe, "pairs of files per scenario to check with ffprobe");
  app.add_option("--video-kbps", options.clip.videoKbps);
  app.add_option("--audio-kbps", options.clip.audioKbps);
  app.add_option("--fps", options.clip.fps)->check(CLI::Range(1, 60));
  app.add_option("--width", options.clip.width);
  app.add_option("--height", options.clip.height);
  app.add_option("--clip-seconds", options.clip.seconds, "length of the looped clip")
      ->check(CLI::Range(1, 60));
  app.add_option("--clip-dir", options.clipDir,
                 "keep the ffmpeg-made clip here and reuse it (default: made per run)");
  app.add_flag("--header", options.header, "print the machine, the media and the table header first");
  app.add_flag("--keep", options.keep, "keep the recorded files (printed directory)");
  CLI11_PARSE(app, argc, argv);
  if (options.kind == "av") {
    for (int tracks : options.tracks) {
      if (tracks < 2 || tracks % 2 != 0) {
        std::fprintf(stderr, "bench_record: --kind av needs an even number of tracks\n");
        return 2;
      }
    }
  }
  std::signal(SIGINT, fluxmeet::bench::onSignal);
  std::signal(SIGTERM, fluxmeet::bench::onSignal);
  return fluxmeet::bench::run(options);
}
