// The recorder end to end on real media: VP8 and Opus made by ffmpeg, packetized into RTP, fed
// through RecorderSink (depacketizer, clock, queue, writer thread, WebM writer), and the files
// checked with ffprobe and ffmpeg's decoder.
#include "fluxmeet/record/recorder_sink.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <thread>
#include <vector>

#include "record_test_support.hpp"

namespace fluxmeet::record {
namespace {

using media::codecs::Codec;
using namespace test;
using namespace std::chrono_literals;

constexpr int64_t kStartNs = 5'000'000'000;       // the recording's start on the arrival clock
constexpr int64_t kFrameIntervalNs = 33'333'333;  // 30 fps
constexpr int64_t kAudioIntervalNs = 20'000'000;

struct KeyframeRequests final : RecorderSinkListener {
  void onKeyframeRequest(uint32_t ssrc) override { ssrcs.push_back(ssrc); }
  std::vector<uint32_t> ssrcs;
};

class RecorderSinkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(mediaFixtures().video.size(), 60u);
    ASSERT_GE(mediaFixtures().audio.size(), 99u);
  }

  std::unique_ptr<RecorderSink> makeSink(Codec codec, const std::string& path,
                                         std::chrono::milliseconds cluster = 1000ms) {
    RecorderSinkOptions options;
    options.codec = codec;
    options.path = path;
    options.startNs = kStartNs;
    options.maxClusterDuration = cluster;
    auto sink = RecorderSink::create(writer_, options, &requests_);
    EXPECT_TRUE(sink.ok());
    return sink.ok() ? std::move(sink).value() : nullptr;
  }

  // Feeds packets as if they arrived in real time, skipping the sequence numbers in `drop`.
  static void feed(RecorderSink& sink, std::vector<RtpBytes>& packets, int64_t intervalNs,
                   const std::vector<uint16_t>& drop = {}) {
    for (RtpBytes& packet : packets) {
      if (std::find(drop.begin(), drop.end(), packet.sequenceNumber) != drop.end()) continue;
      sink.onRtp(view(packet), kStartNs + static_cast<int64_t>(packet.frame) * intervalNs);
    }
  }

  static RecordingTrackSummary finish(RecorderSink& sink) {
    sink.close();
    EXPECT_TRUE(sink.track()->waitFinished(10s));
    return sink.track()->summary();
  }

  TempDir dir_;
  RecordingWriter writer_{20ms};
  KeyframeRequests requests_;
};

TEST_F(RecorderSinkTest, Vp8StreamBecomesAPlayableWebmWithEveryFrame) {
  auto packets = packetizeVp8(mediaFixtures().video, 1200);
  const std::string path = dir_.file("video.webm");
  auto sink = makeSink(Codec::Vp8, path);
  feed(*sink, packets, kFrameIntervalNs);
  const auto summary = finish(*sink);
  EXPECT_FALSE(summary.error.has_value());
  EXPECT_EQ(summary.frames, 60u);
  EXPECT_TRUE(requests_.ssrcs.empty());  // it started on a keyframe and lost nothing

  const auto info = probe(path);
  ASSERT_TRUE(info.contains("streams")) << info.dump();
  const auto& stream = info["streams"][0];
  EXPECT_EQ(stream["codec_name"], "vp8");
  EXPECT_EQ(stream["width"], 320);
  EXPECT_EQ(stream["height"], 240);
  EXPECT_EQ(probeFrames(info), 60);
  EXPECT_NEAR(probeDuration(info), 2.0, 0.1);
  EXPECT_EQ(decodeErrors(path), "");
}

TEST_F(RecorderSinkTest, OpusStreamBecomesAPlayableWebmWithEveryPacket) {
  const auto& audio = mediaFixtures().audio;
  auto packets = packetizeOpus(audio);
  const std::string path = dir_.file("audio.webm");
  auto sink = makeSink(Codec::Opus, path);
  feed(*sink, packets, kAudioIntervalNs);
  const auto summary = finish(*sink);
  EXPECT_FALSE(summary.error.has_value());
  EXPECT_EQ(summary.frames, audio.size());

  const auto info = probe(path);
  ASSERT_TRUE(info.contains("streams")) << info.dump();
  const auto& stream = info["streams"][0];
  EXPECT_EQ(stream["codec_name"], "opus");
  EXPECT_EQ(stream["sample_rate"], "48000");
  EXPECT_EQ(stream["channels"], 2);
  EXPECT_EQ(probeFrames(info), static_cast<int64_t>(audio.size()));
  EXPECT_NEAR(probeDuration(info), 2.0, 0.1);
  EXPECT_EQ(decodeErrors(path), "");
}

TEST_F(RecorderSinkTest, LossSkipsToTheNextKeyframeAndAsksForIt) {
  const auto& video = mediaFixtures().video;
  // Small packets so delta frames span several: lose the middle packet of one of them.
  auto packets = packetizeVp8(video, 200);
  size_t lostFrame = 0;
  uint16_t lostSequence = 0;
  for (size_t frame = 5; frame < video.size() && lostFrame == 0; ++frame) {
    std::vector<uint16_t> sequences;
    for (const auto& packet : packets) {
      if (packet.frame == frame) sequences.push_back(packet.sequenceNumber);
    }
    if (!video[frame].keyframe() && sequences.size() >= 3) {
      lostFrame = frame;
      lostSequence = sequences[sequences.size() / 2];
    }
  }
  ASSERT_NE(lostFrame, 0u) << "no multi-packet delta frame";
  size_t nextKeyframe = lostFrame + 1;
  while (nextKeyframe < video.size() && !video[nextKeyframe].keyframe()) ++nextKeyframe;
  ASSERT_LT(nextKeyframe, video.size()) << "no keyframe after the loss";
  const auto expectedFrames = static_cast<int64_t>(lostFrame + (video.size() - nextKeyframe));

  const std::string path = dir_.file("lossy.webm");
  auto sink = makeSink(Codec::Vp8, path);
  feed(*sink, packets, kFrameIntervalNs, {lostSequence});
  const auto summary = finish(*sink);
  EXPECT_EQ(static_cast<int64_t>(summary.frames), expectedFrames);
  ASSERT_FALSE(requests_.ssrcs.empty());
  EXPECT_EQ(requests_.ssrcs[0], 0x1234u);
  EXPECT_EQ(sink->depacketizerStats().framesDropped, 1u);
  EXPECT_EQ(sink->depacketizerStats().framesSkipped, nextKeyframe - lostFrame - 1);
  EXPECT_EQ(sink->reorderStats().lost, 1u);

  const auto info = probe(path);
  EXPECT_EQ(probeFrames(info), expectedFrames);
  EXPECT_EQ(decodeErrors(path), "");
}

TEST_F(RecorderSinkTest, ReorderedAndDuplicatedPacketsLoseNothing) {
  auto packets = packetizeVp8(mediaFixtures().video, 300);
  // Swap neighbours and repeat every tenth packet, as a network with several paths would.
  for (size_t i = 1; i + 1 < packets.size(); i += 7) std::swap(packets[i], packets[i + 1]);
  std::vector<RtpBytes> withDuplicates;
  for (size_t i = 0; i < packets.size(); ++i) {
    withDuplicates.push_back(packets[i]);
    if (i % 10 == 0) withDuplicates.push_back(packets[i]);
  }
  const std::string path = dir_.file("reordered.webm");
  auto sink = makeSink(Codec::Vp8, path);
  feed(*sink, withDuplicates, kFrameIntervalNs);
  EXPECT_EQ(finish(*sink).frames, 60u);
  EXPECT_GT(sink->reorderStats().reordered, 0u);
  EXPECT_GT(sink->reorderStats().duplicates + sink->reorderStats().late, 0u);
  EXPECT_EQ(probeFrames(probe(path)), 60);
  EXPECT_EQ(decodeErrors(path), "");
}

TEST_F(RecorderSinkTest, FileCopiedWhileRecordingIsPlayable) {
  auto packets = packetizeVp8(mediaFixtures().video, 1200);
  const std::string path = dir_.file("live.webm");
  auto sink = makeSink(Codec::Vp8, path, 250ms);
  feed(*sink, packets, kFrameIntervalNs);
  // The writer thread writes each cluster as it completes; the last one stays open.
  for (int i = 0; i < 500 && sink->track()->clustersWritten() < 4; ++i) std::this_thread::sleep_for(10ms);
  ASSERT_GE(sink->track()->clustersWritten(), 4u);
  const std::string copy = dir_.file("copy.webm");
  std::filesystem::copy_file(path, copy);

  const auto info = probe(copy);
  ASSERT_TRUE(info.contains("streams")) << info.dump();
  EXPECT_EQ(info["streams"][0]["codec_name"], "vp8");
  EXPECT_GT(probeFrames(info), 0);
  EXPECT_LT(probeFrames(info), 60);
  EXPECT_EQ(decodeErrors(copy), "");

  // Cut in the middle of a cluster, as a crash during a write would: still playable up to there.
  const auto size = std::filesystem::file_size(copy);
  std::filesystem::resize_file(copy, size - 300);
  EXPECT_GT(probeFrames(probe(copy)), 0);
  EXPECT_EQ(finish(*sink).frames, 60u);
}

TEST_F(RecorderSinkTest, FullQueueDropsVideoUntilTheNextKeyframe) {
  RecordingWriter stalled(std::chrono::hours(1));  // never drains on its own: a stuck disk
  RecorderSinkOptions options;
  options.codec = Codec::Vp8;
  options.path = dir_.file("stalled.webm");
  options.startNs = kStartNs;
  options.queueFrames = 10;
  auto sink = RecorderSink::create(stalled, options, &requests_);
  ASSERT_TRUE(sink.ok());
  auto packets = packetizeVp8(mediaFixtures().video, 1200);
  feed(**sink, packets, kFrameIntervalNs);
  const auto& stats = (*sink)->stats();
  EXPECT_EQ(stats.framesQueued, 10u);
  EXPECT_GT(stats.framesDroppedQueueFull, 0u);
  EXPECT_GT(stats.framesSkippedAfterQueueFull, 0u);
  EXPECT_FALSE(requests_.ssrcs.empty());
  const auto summary = finish(**sink);
  EXPECT_EQ(summary.frames, 10u);
  EXPECT_EQ(decodeErrors(options.path), "");
}

TEST_F(RecorderSinkTest, SenderReportsLineUpAudioThatArrivesLate) {
  // Both tracks start at the same sender instant and their SRs arrive on time, but the audio
  // packets are held up 400 ms (say a congested queue at the start). Timed by arrival the audio
  // would start at 0.4 s; the SRs put it at 0, with the video.
  auto video = packetizeVp8(mediaFixtures().video, 1200);
  auto audio = packetizeOpus(mediaFixtures().audio);
  auto videoSink = makeSink(Codec::Vp8, dir_.file("av-video.webm"));
  auto audioSink = makeSink(Codec::Opus, dir_.file("av-audio.webm"));
  const uint64_t ntp = uint64_t{3900000000} << 32;  // the sender's wall clock at the first frame
  videoSink->onSenderReport({0x1234, ntp, 90000, 0, 0}, kStartNs);
  audioSink->onSenderReport({0x5678, ntp, 4800, 0, 0}, kStartNs);
  feed(*videoSink, video, kFrameIntervalNs);
  for (RtpBytes& packet : audio) {
    audioSink->onRtp(view(packet), kStartNs + 400'000'000 + static_cast<int64_t>(packet.frame) * kAudioIntervalNs);
  }
  finish(*videoSink);
  finish(*audioSink);
  const auto firstPacketTime = [](const std::string& path) {
    const auto result = runCommand("ffprobe -v error -show_entries packet=pts_time -read_intervals %+#1 -of csv=p=0 '" +
                                   path + "'");
    return std::stod(result.output.empty() ? "-1" : result.output);
  };
  EXPECT_NEAR(firstPacketTime(dir_.file("av-video.webm")), 0.0, 0.002);
  EXPECT_NEAR(firstPacketTime(dir_.file("av-audio.webm")), 0.0, 0.002);
}

TEST_F(RecorderSinkTest, RejectsCodecsItCannotRecord) {
  RecorderSinkOptions options;
  options.codec = Codec::H264;
  options.path = dir_.file("h264.webm");
  auto sink = RecorderSink::create(writer_, options, nullptr);
  ASSERT_FALSE(sink.ok());
  EXPECT_EQ(sink.error().code, ErrorCode::UnsupportedMediaType);
}

}  // namespace
}  // namespace fluxmeet::record
