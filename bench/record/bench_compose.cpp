// bench_compose: composition speed as a multiple of real time (issue 6: "a 4-person 5-minute
// meeting at 720p", target >= 1x real time on one core). Makes the meeting's track files with the
// ffmpeg program - per person a 720p VP8 camera (~1.5 Mbit/s) and an Opus microphone, the
// second person joining 20 s late and the third leaving 30 s early, as a real meeting's files
// would - then runs the server's own composition (record::compositionCommand +
// ComposerProcess, niceness 0 here) and reports wall time, the composer's CPU time
// (RUSAGE_CHILDREN) and the speed. Run it under `taskset -c 1` for "one core".
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "fluxmeet/record/composer_process.hpp"
#include "fluxmeet/record/composition.hpp"

namespace {

namespace fs = std::filesystem;
using fluxmeet::record::ManifestTrack;

int shell(const std::string& command) { return std::system(command.c_str()); }

double childCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_CHILDREN, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

// One 30 s clip per kind, looped (stream copy) to `seconds`, shifted to `offset` like the
// recorder's files (timestamps from the recording's start).
bool makeTrack(const fs::path& clip, const fs::path& out, int seconds, int offset) {
  const int loops = seconds / 30 + 1;
  return shell("ffmpeg -nostdin -v error -y -stream_loop " + std::to_string(loops) + " -i '" + clip.string() +
               "' -t " + std::to_string(seconds) + " -c copy -output_ts_offset " + std::to_string(offset) + " '" +
               out.string() + "'") == 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Composition speed of a recorded meeting (issue 6)"};
  int people = 4;
  int seconds = 300;
  std::string keep;
  app.add_option("--people", people, "People in the meeting (camera + mic each)")->check(CLI::Range(1, 16));
  app.add_option("--seconds", seconds, "Length of the meeting")->check(CLI::Range(30, 3600));
  app.add_option("--dir", keep, "Keep the track files here (default: a temp dir, deleted)");
  CLI11_PARSE(app, argc, argv);

  const fs::path dir = keep.empty() ? fs::temp_directory_path() / ("fluxmeet-bench-compose-" + std::to_string(getpid()))
                                    : fs::path(keep);
  fs::create_directories(dir);
  const fs::path videoClip = dir / "clip-video.webm";
  const fs::path audioClip = dir / "clip-audio.webm";
  if (!fs::exists(videoClip) &&
      shell("ffmpeg -nostdin -v error -y -f lavfi -i testsrc2=s=1280x720:r=30:d=30 -vf noise=alls=8:allf=t "
            "-c:v libvpx -deadline realtime -cpu-used 8 -b:v 1500k -g 150 -auto-alt-ref 0 '" +
            videoClip.string() + "'") != 0) {
    std::fprintf(stderr, "bench_compose: ffmpeg could not make the video clip\n");
    return 1;
  }
  if (!fs::exists(audioClip) && shell("ffmpeg -nostdin -v error -y -f lavfi -i sine=f=330:d=30 -ac 2 -c:a libopus "
                                      "-b:a 48k '" + audioClip.string() + "'") != 0) {
    std::fprintf(stderr, "bench_compose: ffmpeg could not make the audio clip\n");
    return 1;
  }
  std::vector<ManifestTrack> tracks;
  for (int person = 0; person < people; ++person) {
    const int start = person == 1 ? 20 : 0;           // a late joiner
    const int end = person == 2 ? seconds - 30 : seconds;  // an early leaver
    const std::string peer = "p" + std::to_string(person);
    if (!makeTrack(videoClip, dir / (peer + "-camera.webm"), end - start, start) ||
        !makeTrack(audioClip, dir / (peer + "-mic.webm"), end - start, start)) {
      std::fprintf(stderr, "bench_compose: ffmpeg could not loop the clips\n");
      return 1;
    }
    tracks.push_back({peer + "-camera.webm", peer, peer, "camera", true});
    tracks.push_back({peer + "-mic.webm", peer, peer, "mic", false});
  }
  auto command = fluxmeet::record::compositionCommand(dir.string(), tracks, (dir / "composed.webm").string(),
                                                      int64_t{seconds} * 1000);
  if (!command) {
    std::fprintf(stderr, "bench_compose: %s\n", command.error().message.c_str());
    return 1;
  }
  const double cpuBefore = childCpuSeconds();
  const auto started = std::chrono::steady_clock::now();
  fluxmeet::record::ComposerProcess process;
  auto ran = process.run(*command, {.durationMs = int64_t{seconds} * 1000,
                                    .logPath = (dir / "compose.log").string(),
                                    .niceness = 0,
                                    .timeout = std::chrono::seconds(seconds * 20)});
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const double cpu = childCpuSeconds() - cpuBefore;
  if (!ran) {
    std::fprintf(stderr, "bench_compose: %s\n", ran.error().message.c_str());
    return 1;
  }
  const auto size = fs::file_size(dir / "composed.webm");
  std::printf("| people | meeting | output | wall | composer CPU | speed (wall) | speed per CPU-second |\n");
  std::printf("|---|---|---|---|---|---|---|\n");
  std::printf("| %d (720p VP8 + Opus each) | %d s | %.1f MB 1280x720 VP8 + Opus | %.1f s | %.1f s | **%.2fx** real time | %.2fx |\n",
              people, seconds, static_cast<double>(size) / 1e6, wall, cpu, seconds / wall, seconds / cpu);
  if (keep.empty()) fs::remove_all(dir);
  return 0;
}
