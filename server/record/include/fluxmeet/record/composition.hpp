#pragma once
// Composition (issue 6): after a recording stops, its per-track WebM files become one file per
// meeting - the video tracks laid out on one canvas, all audio mixed - made by the ffmpeg program.
// This header is the pure part: the manifest a recording keeps of its tracks, the layout, and the
// ffmpeg command line. Running it is composer_process.hpp.
//
// Every track file carries timestamps from the recording's start (webm_track_writer.hpp), so with
// -copyts the inputs line up as they were heard and seen; a track that starts late or ends early
// leaves its cell black meanwhile, and audio gaps are filled with silence.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "fluxmeet/common/result.hpp"

namespace fluxmeet::record {

// One per-track file of a recording, as the manifest lists it.
struct ManifestTrack {
  std::string file;    // a plain file name inside the recording directory
  std::string peerId;  // whose track; a peer's camera files share one cell
  std::string name;    // the peer's display name
  std::string source;  // "camera", "screen", "mic", "screen-audio"
  bool video = false;
};

// <recording dir>/tracks.json, rewritten (atomically) whenever a track is added, so that a
// recording cut short by a crash can still be composed.
inline constexpr const char* kManifestFileName = "tracks.json";
nlohmann::json manifestJson(const std::vector<ManifestTrack>& tracks);
// Strict: a manifest that is not ours (bad shape, a path instead of a file name) is an error.
Result<std::vector<ManifestTrack>> parseManifest(const nlohmann::json& json);
Result<void> writeManifest(const std::string& directory, const std::vector<ManifestTrack>& tracks);
Result<std::vector<ManifestTrack>> readManifest(const std::string& directory);

struct Cell {
  int x = 0;
  int y = 0;
  int width = 0;
  int height = 0;
};

// Where each video cell goes on a width x height canvas (even sizes, for yuv420p). With a screen
// share among them, the first screen gets the large area on the left and the others a column on
// the right; otherwise an even grid, the last row centred. `screen[i]` says cell i is a screen.
std::vector<Cell> layoutCells(const std::vector<bool>& screen, int width, int height);

struct CompositionOptions {
  int width = 1280;
  int height = 720;
  int fps = 30;
  int videoKbps = 1500;
  int audioKbps = 96;
  int maxCells = 16;  // video cells beyond these are left out of the picture (their audio stays)
  std::string ffmpeg = "ffmpeg";
};

struct CompositionCommand {
  std::vector<std::string> argv;  // argv[0] is the program
  bool hasVideo = false;
  bool hasAudio = false;
};

// The ffmpeg command that composes `tracks` (files inside `directory`) into `output` (WebM,
// VP8 + Opus), `durationMs` long. Progress goes to stdout (-progress pipe:1). Fails when no
// track exists on disk.
Result<CompositionCommand> compositionCommand(const std::string& directory, const std::vector<ManifestTrack>& tracks,
                                              const std::string& output, int64_t durationMs,
                                              const CompositionOptions& options = {});

}  // namespace fluxmeet::record
