#include "fluxmeet/record/webm_track_writer.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "record_test_support.hpp"

namespace fluxmeet::record {
namespace {

using namespace test;

constexpr int64_t kStartNs = 1'000'000'000;

bool contains(const Bytes& haystack, const Bytes& needle) {
  return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end()) != haystack.end();
}

std::unique_ptr<WebmTrackWriter> openWriter(const std::string& path, TrackKind kind,
                                            std::chrono::milliseconds cluster = std::chrono::milliseconds(1000)) {
  auto writer = WebmTrackWriter::open(path, WebmTrackOptions{.kind = kind, .startNs = kStartNs,
                                                             .maxClusterDuration = cluster});
  EXPECT_TRUE(writer.ok());
  return writer.ok() ? std::move(writer).value() : nullptr;
}

void writeVideo(WebmTrackWriter& writer, size_t from = 0) {
  const auto& video = mediaFixtures().video;
  for (size_t i = from; i < video.size(); ++i) {
    const auto result = writer.writeFrame(video[i].data, kStartNs + static_cast<int64_t>(i) * 33'333'333,
                                          video[i].keyframe(), 320, 240);
    ASSERT_TRUE(result.ok()) << result.error().message;
  }
}

TEST(WebmTrackWriter, FinalizedVideoFileHasCuesDurationAndSeeks) {
  TempDir dir;
  const std::string path = dir.file("v.webm");
  auto writer = openWriter(path, TrackKind::Video);
  writeVideo(*writer);
  ASSERT_TRUE(writer->close().ok());
  EXPECT_EQ(writer->stats().frames, 60u);
  EXPECT_GE(writer->stats().clusters, 2u);  // a cluster per keyframe (every 30 frames) at least

  const Bytes file = readFile(path);
  EXPECT_EQ(file.size(), writer->stats().bytes);
  EXPECT_TRUE(contains(file, {0x1C, 0x53, 0xBB, 0x6B}));                         // Cues
  EXPECT_FALSE(contains(file, Bytes(std::begin(ebml::kUnknownSize), std::end(ebml::kUnknownSize))));
  const auto info = probe(path);
  EXPECT_EQ(probeFrames(info), 60);
  EXPECT_NEAR(probeDuration(info), 2.0, 0.1);
  EXPECT_EQ(info["streams"][0]["codec_name"], "vp8");
  // Seeking to the second keyframe uses the Cues.
  EXPECT_EQ(runCommand("ffmpeg -nostdin -v error -ss 1.0 -i '" + path + "' -frames:v 5 -f null - 2>&1").output, "");
}

TEST(WebmTrackWriter, ClustersCloseByDurationAndEachIsFlushed) {
  TempDir dir;
  const std::string path = dir.file("v.webm");
  auto writer = openWriter(path, TrackKind::Video, std::chrono::milliseconds(200));
  writeVideo(*writer);
  // 2 s in clusters of 200 ms: all but the open one are on disk before close().
  EXPECT_GE(writer->stats().clusters, 9u);
  EXPECT_EQ(readFile(path).size(), writer->stats().bytes);
  const auto unfinalized = probe(path);
  EXPECT_GT(probeFrames(unfinalized), 50);
  ASSERT_TRUE(writer->close().ok());
  EXPECT_EQ(probeFrames(probe(path)), 60);
}

TEST(WebmTrackWriter, OpusTrackHeader) {
  TempDir dir;
  const std::string path = dir.file("a.webm");
  auto writer = openWriter(path, TrackKind::Audio);
  const auto& audio = mediaFixtures().audio;
  for (size_t i = 0; i < audio.size(); ++i) {
    ASSERT_TRUE(writer->writeFrame(audio[i], kStartNs + static_cast<int64_t>(i) * 20'000'000, true).ok());
  }
  ASSERT_TRUE(writer->close().ok());
  const Bytes file = readFile(path);
  EXPECT_TRUE(contains(file, {'O', 'p', 'u', 's', 'H', 'e', 'a', 'd', 1, 2}));
  EXPECT_TRUE(contains(file, {'A', '_', 'O', 'P', 'U', 'S'}));
  const auto info = probe(path);
  EXPECT_EQ(info["streams"][0]["codec_name"], "opus");
  EXPECT_EQ(probeFrames(info), static_cast<int64_t>(audio.size()));
  EXPECT_EQ(decodeErrors(path), "");
}

TEST(WebmTrackWriter, VideoMustStartWithASizedKeyframe) {
  TempDir dir;
  auto writer = openWriter(dir.file("v.webm"), TrackKind::Video);
  const auto& video = mediaFixtures().video;
  EXPECT_EQ(writer->writeFrame(video[1].data, kStartNs, false, 320, 240).error().code, ErrorCode::Unprocessable);
  EXPECT_FALSE(writer->writeFrame(video[0].data, kStartNs, true, 0, 0).ok());
  EXPECT_FALSE(writer->headerWritten());
  EXPECT_TRUE(writer->writeFrame(video[0].data, kStartNs, true, 320, 240).ok());
}

TEST(WebmTrackWriter, TimestampsStartAtZeroAndNeverGoBack) {
  TempDir dir;
  const std::string path = dir.file("a.webm");
  auto writer = openWriter(path, TrackKind::Audio);
  const auto& audio = mediaFixtures().audio;
  const int64_t times[] = {kStartNs - 500'000'000, kStartNs + 20'000'000, kStartNs + 10'000'000,
                           kStartNs + 60'000'000};
  for (size_t i = 0; i < 4; ++i) ASSERT_TRUE(writer->writeFrame(audio[i], times[i], true).ok());
  EXPECT_EQ(writer->stats().lastTimestampMs, 60);
  ASSERT_TRUE(writer->close().ok());
  const auto result = runCommand("ffprobe -v error -show_entries packet=pts_time -of csv=p=0 '" + path + "'");
  EXPECT_EQ(result.output, "0.000000\n0.020000\n0.020000\n0.060000\n");
}

TEST(WebmTrackWriter, LongGapsStartNewClusters) {
  TempDir dir;
  const std::string path = dir.file("a.webm");
  auto writer = openWriter(path, TrackKind::Audio, std::chrono::milliseconds(100000));
  const auto& audio = mediaFixtures().audio;
  // 40 s of DTX silence between two packets: past the int16 block offset of a cluster.
  ASSERT_TRUE(writer->writeFrame(audio[0], kStartNs, true).ok());
  ASSERT_TRUE(writer->writeFrame(audio[1], kStartNs + 40'000'000'000, true).ok());
  ASSERT_TRUE(writer->close().ok());
  EXPECT_EQ(writer->stats().clusters, 2u);
  EXPECT_NEAR(probeDuration(probe(path)), 40.1, 0.03);
}

TEST(WebmTrackWriter, OpenFailsForAnUnwritablePath) {
  auto writer = WebmTrackWriter::open("/nonexistent-dir/x.webm", {});
  ASSERT_FALSE(writer.ok());
  EXPECT_NE(writer.error().message.find("/nonexistent-dir/x.webm"), std::string::npos);
}

TEST(WebmTrackWriter, CloseWithoutFramesLeavesAnEmptyFile) {
  TempDir dir;
  const std::string path = dir.file("empty.webm");
  auto writer = openWriter(path, TrackKind::Video);
  EXPECT_TRUE(writer->close().ok());
  EXPECT_TRUE(writer->close().ok());
  EXPECT_TRUE(readFile(path).empty());
  EXPECT_FALSE(writer->writeFrame(Bytes{1}, kStartNs, true, 1, 1).ok());
}

}  // namespace
}  // namespace fluxmeet::record
