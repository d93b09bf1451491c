// Composition: the manifest, the layout, the ffmpeg command, and real runs of it on WebM files
// made by ffmpeg with the offsets a recording gives them (a late joiner, an early leaver).
#include "fluxmeet/record/composition.hpp"

#include <atomic>
#include <thread>

#include "fluxmeet/record/composer_process.hpp"
#include "record_test_support.hpp"

namespace fluxmeet::record::test {
namespace {

using nlohmann::json;

// `seconds` of VP8 (a moving test picture) or Opus (a tone), starting `offset` seconds into the
// recording like the recorder's files do.
void makeTrack(const std::string& path, bool video, double seconds, double offset, const std::string& size = "320x240") {
  const std::string source = video ? "-f lavfi -i testsrc2=s=" + size + ":r=30:d=" + std::to_string(seconds) +
                                         " -c:v libvpx -b:v 300k -deadline realtime"
                                   : "-f lavfi -i sine=f=440:d=" + std::to_string(seconds) + " -c:a libopus";
  const auto made = runCommand("ffmpeg -nostdin -v error -y " + source + " -output_ts_offset " +
                               std::to_string(offset) + " '" + path + "' 2>&1");
  ASSERT_EQ(made.exitCode, 0) << made.output;
}

int streamCount(const json& probed, const std::string& codec) {
  int count = 0;
  for (const auto& stream : probed.value("streams", json::array())) count += stream.value("codec_name", "") == codec;
  return count;
}

TEST(RecordingManifest, RoundTripsAndRefusesWhatIsNotOurs) {
  const std::vector<ManifestTrack> tracks = {{"p1-camera-a.webm", "p1", "Alice", "camera", true},
                                             {"p1-mic-b.webm", "p1", "Alice", "mic", false}};
  auto parsed = parseManifest(manifestJson(tracks));
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  ASSERT_EQ(parsed->size(), 2U);
  EXPECT_EQ((*parsed)[0].file, "p1-camera-a.webm");
  EXPECT_TRUE((*parsed)[0].video);
  EXPECT_FALSE((*parsed)[1].video);
  EXPECT_EQ((*parsed)[1].name, "Alice");

  EXPECT_FALSE(parseManifest(json::array()).ok());
  EXPECT_FALSE(parseManifest(json{{"version", 2}, {"tracks", json::array()}}).ok());
  json escaping = manifestJson(tracks);
  escaping["tracks"][0]["file"] = "../../etc/passwd";
  auto refused = parseManifest(escaping);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().field, "tracks[0].file");
  json badKind = manifestJson(tracks);
  badKind["tracks"][1]["kind"] = "data";
  EXPECT_EQ(parseManifest(badKind).error().field, "tracks[1].kind");
  json missing = manifestJson(tracks);
  missing["tracks"][0].erase("peerId");
  EXPECT_EQ(parseManifest(missing).error().field, "tracks[0].peerId");
}

TEST(RecordingManifest, IsWrittenAtomicallyAndReadBack) {
  TempDir dir;
  const std::string directory = std::filesystem::path(dir.file("x")).parent_path().string();
  ASSERT_TRUE(writeManifest(directory, {{"a.webm", "p", "P", "camera", true}}).ok());
  ASSERT_TRUE(writeManifest(directory, {{"a.webm", "p", "P", "camera", true}, {"b.webm", "p", "P", "mic", false}}).ok());
  auto read = readManifest(directory);
  ASSERT_TRUE(read.ok()) << read.error().message;
  EXPECT_EQ(read->size(), 2U);
  EXPECT_FALSE(std::filesystem::exists(dir.file("tracks.json.tmp")));
  EXPECT_EQ(readManifest(directory + "/nope").error().code, ErrorCode::NotFound);
}

TEST(CompositionLayout, AGridFillsTheCanvasAndCentresTheLastRow) {
  const auto one = layoutCells({false}, 1280, 720);
  ASSERT_EQ(one.size(), 1U);
  EXPECT_EQ(one[0].width, 1280);
  EXPECT_EQ(one[0].height, 720);

  const auto three = layoutCells({false, false, false}, 1280, 720);
  ASSERT_EQ(three.size(), 3U);  // 2 columns x 2 rows, the third centred below
  EXPECT_EQ(three[0].width, 640);
  EXPECT_EQ(three[0].height, 360);
  EXPECT_EQ(three[1].x, 640);
  EXPECT_EQ(three[2].y, 360);
  EXPECT_EQ(three[2].x, 320);

  for (int count = 1; count <= 16; ++count) {
    const auto cells = layoutCells(std::vector<bool>(static_cast<size_t>(count), false), 1280, 720);
    for (const auto& cell : cells) {
      EXPECT_GE(cell.x, 0);
      EXPECT_GE(cell.y, 0);
      EXPECT_LE(cell.x + cell.width, 1280) << count;
      EXPECT_LE(cell.y + cell.height, 720) << count;
      EXPECT_EQ(cell.width % 2, 0);
      EXPECT_EQ(cell.height % 2, 0);
    }
  }
}

TEST(CompositionLayout, AScreenShareGetsTheLargeArea) {
  const auto cells = layoutCells({false, true, false}, 1280, 720);
  ASSERT_EQ(cells.size(), 3U);
  EXPECT_EQ(cells[1].x, 0);
  EXPECT_EQ(cells[1].width, 960);
  EXPECT_EQ(cells[1].height, 720);
  EXPECT_EQ(cells[0].x, 960);
  EXPECT_EQ(cells[2].x, 960);
  EXPECT_GT(cells[2].y, cells[0].y);
  EXPECT_LE(cells[2].y + cells[2].height, 720);
}

TEST(CompositionCommand, SkipsEmptyFilesAndFailsWithNothingRecorded) {
  TempDir dir;
  const std::string directory = std::filesystem::path(dir.file("x")).parent_path().string();
  { std::ofstream(dir.file("empty.webm")); }
  auto nothing = compositionCommand(directory, {{"empty.webm", "p", "P", "camera", true},
                                                {"missing.webm", "p", "P", "mic", false}},
                                    dir.file("out.webm"), 10'000);
  ASSERT_FALSE(nothing.ok());
  EXPECT_EQ(nothing.error().code, ErrorCode::Unprocessable);
}

TEST(CompositionCommand, PutsAPeersFilesInOneCellAndMixesEveryAudioTrack) {
  TempDir dir;
  const std::string directory = std::filesystem::path(dir.file("x")).parent_path().string();
  for (const char* name : {"a1.webm", "a2.webm", "b.webm", "ma.webm", "mb.webm"}) std::ofstream(dir.file(name)) << "x";
  auto command = compositionCommand(directory,
                                    {{"a1.webm", "a", "A", "camera", true},
                                     {"b.webm", "b", "B", "camera", true},
                                     {"a2.webm", "a", "A", "camera", true},
                                     {"ma.webm", "a", "A", "mic", false},
                                     {"mb.webm", "b", "B", "mic", false}},
                                    dir.file("out.webm"), 65'432);
  ASSERT_TRUE(command.ok()) << command.error().message;
  EXPECT_TRUE(command->hasVideo);
  EXPECT_TRUE(command->hasAudio);
  const auto& argv = command->argv;
  EXPECT_EQ(std::count(argv.begin(), argv.end(), "-i"), 5);
  const auto graph = std::find(argv.begin(), argv.end(), "-filter_complex");
  ASSERT_NE(graph, argv.end());
  const std::string& text = *(graph + 1);
  // Two cells side by side: a's second file lands where its first was.
  EXPECT_NE(text.find("[base0][v0]overlay=0:"), std::string::npos) << text;
  EXPECT_NE(text.find("[base1][v1]overlay=640:"), std::string::npos) << text;
  EXPECT_NE(text.find("[base2][v2]overlay=0:"), std::string::npos) << text;
  EXPECT_NE(text.find("d=65.432"), std::string::npos) << text;
  EXPECT_NE(text.find("amix=inputs=2"), std::string::npos) << text;
  EXPECT_EQ(argv.back(), dir.file("out.webm"));
}

TEST(ProgressLine, ReadsOutTimeOnly) {
  EXPECT_EQ(parseProgressLine("out_time_us=1500000"), 1'500'000);
  EXPECT_EQ(parseProgressLine("out_time_us=N/A"), -1);
  EXPECT_EQ(parseProgressLine("out_time_ms=1500000"), -1);
  EXPECT_EQ(parseProgressLine("progress=end"), -1);
}

// The real thing: two cameras (one joins 2 s late, one leaves 2 s early) and two microphones
// with offsets, composed to one file whose length is the recording's.
TEST(ComposerProcess, ComposesTracksWithOffsetsIntoOneFileOfTheRecordingsLength) {
  TempDir dir;
  const std::string directory = std::filesystem::path(dir.file("x")).parent_path().string();
  makeTrack(dir.file("a-camera.webm"), true, 4.0, 0.0);
  makeTrack(dir.file("b-camera.webm"), true, 3.0, 2.0, "640x480");
  makeTrack(dir.file("a-mic.webm"), false, 5.0, 0.5);
  makeTrack(dir.file("b-mic.webm"), false, 2.0, 3.0);
  const std::vector<ManifestTrack> tracks = {{"a-camera.webm", "a", "A", "camera", true},
                                             {"b-camera.webm", "b", "B", "camera", true},
                                             {"a-mic.webm", "a", "A", "mic", false},
                                             {"b-mic.webm", "b", "B", "mic", false}};
  CompositionOptions options;
  options.width = 640;
  options.height = 360;
  auto command = compositionCommand(directory, tracks, dir.file("composed.webm"), 6'000, options);
  ASSERT_TRUE(command.ok()) << command.error().message;

  std::vector<int> progress;
  ComposerProcess process;
  auto ran = process.run(*command, {.durationMs = 6'000,
                                    .logPath = dir.file("compose.log"),
                                    .onProgress = [&progress](int percent) { progress.push_back(percent); }});
  ASSERT_TRUE(ran.ok()) << ran.error().message;
  const json probed = probe(dir.file("composed.webm"));
  EXPECT_EQ(streamCount(probed, "vp8"), 1) << probed.dump();
  EXPECT_EQ(streamCount(probed, "opus"), 1) << probed.dump();
  EXPECT_NEAR(probeDuration(probed), 6.0, 0.3);
  EXPECT_EQ(decodeErrors(dir.file("composed.webm")), "");
  ASSERT_FALSE(progress.empty());
  EXPECT_TRUE(std::is_sorted(progress.begin(), progress.end()));
  EXPECT_LE(progress.back(), 99);
}

TEST(ComposerProcess, AFailureSaysWhyFromFfmpegsLog) {
  TempDir dir;
  const std::string directory = std::filesystem::path(dir.file("x")).parent_path().string();
  std::ofstream(dir.file("broken.webm")) << "this is not a webm file";
  auto command = compositionCommand(directory, {{"broken.webm", "a", "A", "camera", true}}, dir.file("out.webm"), 1'000);
  ASSERT_TRUE(command.ok());
  ComposerProcess process;
  auto ran = process.run(*command, {.durationMs = 1'000, .logPath = dir.file("compose.log")});
  ASSERT_FALSE(ran.ok());
  EXPECT_NE(ran.error().message.find("broken.webm"), std::string::npos) << ran.error().message;
}

TEST(ComposerProcess, CancelStopsTheChild) {
  TempDir dir;
  const std::string directory = std::filesystem::path(dir.file("x")).parent_path().string();
  makeTrack(dir.file("a.webm"), true, 1.0, 0.0);
  // An hour-long canvas: far longer than the test waits.
  auto command = compositionCommand(directory, {{"a.webm", "a", "A", "camera", true}}, dir.file("out.webm"),
                                    3'600'000);
  ASSERT_TRUE(command.ok());
  ComposerProcess process;
  std::atomic<bool> sawProgress{false};
  std::thread canceller([&] {
    while (!sawProgress) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    process.cancel();
  });
  auto ran = process.run(*command, {.durationMs = 3'600'000,
                                    .logPath = dir.file("compose.log"),
                                    .onProgress = [&sawProgress](int) { sawProgress = true; }});
  canceller.join();
  ASSERT_FALSE(ran.ok());
  EXPECT_NE(ran.error().message.find("cancelled"), std::string::npos) << ran.error().message;
}

}  // namespace
}  // namespace fluxmeet::record::test
