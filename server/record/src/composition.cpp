#include "fluxmeet/record/composition.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <system_error>
#include <utility>

namespace fluxmeet::record {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

constexpr size_t kMaxManifestTracks = 4096;
constexpr size_t kMaxManifestText = 256;

// yuv420p wants even sizes and positions.
int evenSize(int value) { return std::max(2, value - value % 2); }
int evenPosition(int value) { return std::max(0, value - value % 2); }

bool plainFileName(const std::string& name) {
  return !name.empty() && name.size() <= kMaxManifestText && name != "." && name != ".." &&
         name.find('/') == std::string::npos && name.find('\0') == std::string::npos;
}

Result<std::string> textField(const json& track, const char* name, size_t index) {
  const auto found = track.find(name);
  if (found == track.end() || !found->is_string() || found->get_ref<const std::string&>().size() > kMaxManifestText) {
    return makeError(ErrorCode::ValidationFailed, "manifest track has no valid " + std::string(name),
                     "tracks[" + std::to_string(index) + "]." + name);
  }
  return found->get<std::string>();
}

std::string seconds(int64_t ms) { return fmt::format("{}.{:03}", ms / 1000, ms % 1000); }

}  // namespace

json manifestJson(const std::vector<ManifestTrack>& tracks) {
  json list = json::array();
  for (const auto& track : tracks) {
    list.push_back({{"file", track.file},
                    {"peerId", track.peerId},
                    {"name", track.name},
                    {"source", track.source},
                    {"kind", track.video ? "video" : "audio"}});
  }
  return {{"version", 1}, {"tracks", std::move(list)}};
}

Result<std::vector<ManifestTrack>> parseManifest(const json& manifest) {
  if (!manifest.is_object() || manifest.value("version", 0) != 1 || !manifest.contains("tracks") ||
      !manifest["tracks"].is_array()) {
    return makeError(ErrorCode::ValidationFailed, "not a recording manifest (version 1 with tracks)");
  }
  const json& list = manifest["tracks"];
  if (list.size() > kMaxManifestTracks) return makeError(ErrorCode::PayloadTooLarge, "too many tracks in manifest");
  std::vector<ManifestTrack> tracks;
  for (size_t i = 0; i < list.size(); ++i) {
    const json& entry = list[i];
    if (!entry.is_object()) return makeError(ErrorCode::ValidationFailed, "manifest track is not an object");
    ManifestTrack track;
    auto file = textField(entry, "file", i);
    auto peer = textField(entry, "peerId", i);
    auto name = textField(entry, "name", i);
    auto source = textField(entry, "source", i);
    auto kind = textField(entry, "kind", i);
    for (auto* field : {&file, &peer, &name, &source, &kind}) {
      if (!*field) return field->error();
    }
    if (!plainFileName(*file)) {
      return makeError(ErrorCode::ValidationFailed, "manifest file is not a plain file name",
                       "tracks[" + std::to_string(i) + "].file");
    }
    if (*kind != "video" && *kind != "audio") {
      return makeError(ErrorCode::ValidationFailed, "manifest kind is neither video nor audio",
                       "tracks[" + std::to_string(i) + "].kind");
    }
    track.file = std::move(*file);
    track.peerId = std::move(*peer);
    track.name = std::move(*name);
    track.source = std::move(*source);
    track.video = *kind == "video";
    tracks.push_back(std::move(track));
  }
  return tracks;
}

Result<void> writeManifest(const std::string& directory, const std::vector<ManifestTrack>& tracks) {
  const fs::path target = fs::path(directory) / kManifestFileName;
  const fs::path temporary = fs::path(directory) / (std::string(kManifestFileName) + ".tmp");
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << manifestJson(tracks).dump(2) << "\n";
    out.flush();
    if (!out) return makeError(ErrorCode::Unavailable, "cannot write " + temporary.string());
  }
  std::error_code error;
  fs::rename(temporary, target, error);  // atomic: a reader sees the old or the new list
  if (error) return makeError(ErrorCode::Unavailable, "cannot replace " + target.string() + ": " + error.message());
  return {};
}

Result<std::vector<ManifestTrack>> readManifest(const std::string& directory) {
  const fs::path path = fs::path(directory) / kManifestFileName;
  std::ifstream in(path);
  if (!in) return makeError(ErrorCode::NotFound, "no track manifest in " + directory);
  json manifest = json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (manifest.is_discarded()) return makeError(ErrorCode::ValidationFailed, path.string() + " is not JSON");
  return parseManifest(manifest);
}

std::vector<Cell> layoutCells(const std::vector<bool>& screen, int width, int height) {
  const int count = static_cast<int>(screen.size());
  std::vector<Cell> cells(screen.size());
  if (count == 0) return cells;
  const auto firstScreen = std::find(screen.begin(), screen.end(), true);
  // The presentation large, people beside it - while the column stays a sensible size.
  if (firstScreen != screen.end() && count >= 2 && count <= 5) {
    const int main = static_cast<int>(firstScreen - screen.begin());
    const int mainWidth = evenSize(width * 3 / 4);
    const int sideWidth = evenSize(width - mainWidth);
    const int others = count - 1;
    const int sideHeight = evenSize(std::min(height / others, sideWidth * 3 / 4 + 2));
    const int top = (height - sideHeight * others) / 2;
    int row = 0;
    for (int i = 0; i < count; ++i) {
      if (i == main) {
        cells[i] = {0, 0, mainWidth, evenSize(height)};
      } else {
        cells[i] = {mainWidth, evenPosition(top + row * sideHeight), sideWidth, sideHeight};
        ++row;
      }
    }
    return cells;
  }
  const int columns = static_cast<int>(std::ceil(std::sqrt(static_cast<double>(count))));
  const int rows = (count + columns - 1) / columns;
  const int cellWidth = evenSize(width / columns);
  const int cellHeight = evenSize(height / rows);
  for (int i = 0; i < count; ++i) {
    const int row = i / columns;
    const int column = i % columns;
    const int inRow = row == rows - 1 ? count - row * columns : columns;
    const int left = (width - inRow * cellWidth) / 2;  // the last row centred
    cells[i] = {evenPosition(left + column * cellWidth), row * cellHeight, cellWidth, cellHeight};
  }
  return cells;
}

Result<CompositionCommand> compositionCommand(const std::string& directory, const std::vector<ManifestTrack>& tracks,
                                              const std::string& output, int64_t durationMs,
                                              const CompositionOptions& options) {
  struct Input {
    std::string path;
    size_t cell = 0;
  };
  std::vector<Input> videoInputs;
  std::vector<std::string> audioInputs;
  std::map<std::pair<std::string, std::string>, size_t> cellOf;  // (peer, source) -> cell
  std::vector<bool> screenCells;
  std::error_code error;
  for (const auto& track : tracks) {
    const fs::path path = fs::path(directory) / track.file;
    // A file that never got its first frame is a header only (or missing): nothing to compose.
    if (!fs::is_regular_file(path, error) || fs::file_size(path, error) == 0) continue;
    if (!track.video) {
      audioInputs.push_back(path.string());
      continue;
    }
    const auto key = std::make_pair(track.peerId, track.source);
    auto found = cellOf.find(key);
    if (found == cellOf.end()) {
      if (screenCells.size() >= static_cast<size_t>(options.maxCells)) continue;
      found = cellOf.emplace(key, screenCells.size()).first;
      screenCells.push_back(track.source == "screen");
    }
    videoInputs.push_back({path.string(), found->second});
  }
  if (videoInputs.empty() && audioInputs.empty()) {
    return makeError(ErrorCode::Unprocessable, "nothing was recorded (no track has any media)");
  }
  const std::string duration = seconds(std::max<int64_t>(durationMs, 1));
  CompositionCommand command;
  command.hasVideo = !videoInputs.empty();
  command.hasAudio = !audioInputs.empty();
  auto& argv = command.argv;
  argv = {options.ffmpeg, "-nostdin", "-hide_banner", "-loglevel", "error", "-nostats", "-progress", "pipe:1",
          "-filter_complex_threads", "1", "-y", "-copyts"};
  // One decoding thread per input: composition runs niced beside live meetings, and its
  // parallelism is bounded by how many jobs run, not by ffmpeg's own thread pools.
  // -reinit_filter 0: a camera changes resolution mid-recording (simulcast layers, the browser's
  // own adaptation); rebuilding the whole graph then would restart every filter's clock and
  // send the mixed audio back in time. scale takes the new size as it comes.
  for (const auto& input : videoInputs) {
    argv.insert(argv.end(), {"-threads", "1", "-reinit_filter", "0", "-i", input.path});
  }
  for (const auto& input : audioInputs) argv.insert(argv.end(), {"-threads", "1", "-reinit_filter", "0", "-i", input});

  std::string graph;
  const auto cells = layoutCells(screenCells, options.width, options.height);
  auto out = std::back_inserter(graph);
  if (command.hasVideo) {
    fmt::format_to(out, "color=c=black:s={}x{}:r={}:d={}[base0];", options.width, options.height, options.fps,
                   duration);
    for (size_t i = 0; i < videoInputs.size(); ++i) {
      const Cell& cell = cells[videoInputs[i].cell];
      fmt::format_to(out,
                     "[{0}:v]scale={1}:{2}:force_original_aspect_ratio=decrease,"
                     "pad={1}:{2}:(ow-iw)/2:(oh-ih)/2:color=black,setsar=1[v{0}];",
                     i, cell.width, cell.height);
      // eof_action=pass: when this file ends the cell goes black (or the peer's next file shows).
      fmt::format_to(out, "[base{0}][v{0}]overlay={1}:{2}:eof_action=pass", i, cell.x, cell.y);
      if (i + 1 == videoInputs.size()) {
        graph += ",format=yuv420p[vout];";
      } else {
        fmt::format_to(out, "[base{}];", i + 1);
      }
    }
  }
  if (command.hasAudio) {
    const size_t first = videoInputs.size();
    for (size_t i = 0; i < audioInputs.size(); ++i) {
      // Silence from 0 up to the track's first packet and in every gap (muted, paused, lost);
      // then time from the sample count, as the recorder's packet times jitter by a few ms
      // (RTCP sender reports re-anchor its clock) and amix garbles overlapping timestamps.
      fmt::format_to(out, "[{}:a]aresample=async=1:first_pts=0,asetpts=N/SR/TB[a{}];", first + i, i);
    }
    for (size_t i = 0; i < audioInputs.size(); ++i) fmt::format_to(out, "[a{}]", i);
    fmt::format_to(out, "amix=inputs={}:duration=longest:normalize=0,atrim=end={}[aout]", audioInputs.size(),
                   duration);
  } else if (!graph.empty() && graph.back() == ';') {
    graph.pop_back();
  }
  argv.insert(argv.end(), {"-filter_complex", graph});
  if (command.hasVideo) {
    argv.insert(argv.end(), {"-map", "[vout]", "-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "8", "-b:v",
                             fmt::format("{}k", options.videoKbps), "-threads", "1"});
  }
  if (command.hasAudio) {
    argv.insert(argv.end(), {"-map", "[aout]", "-c:a", "libopus", "-b:a", fmt::format("{}k", options.audioKbps)});
  }
  argv.insert(argv.end(), {"-f", "webm", output});
  return command;
}

}  // namespace fluxmeet::record
