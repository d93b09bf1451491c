#include "fluxmeet/record/vp8_depacketizer.hpp"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace fluxmeet::record {
namespace {

using Bytes = std::vector<uint8_t>;

struct Frames final : FrameListener {
  void onFrame(const EncodedFrame& frame) override {
    data.emplace_back(frame.data.begin(), frame.data.end());
    timestamps.push_back(frame.rtpTimestamp);
    keyframes.push_back(frame.keyframe);
    sizes.emplace_back(frame.width, frame.height);
  }
  std::vector<Bytes> data;
  std::vector<uint32_t> timestamps;
  std::vector<bool> keyframes;
  std::vector<std::pair<uint16_t, uint16_t>> sizes;
};

// RFC 6386 section 9.1 frame starts: a keyframe with start code and 320x240, or an interframe.
Bytes keyframeData(uint8_t fill, size_t size = 20) {
  Bytes data = {0x10, 0x02, 0x00, 0x9d, 0x01, 0x2a, 0x40, 0x01, 0xF0, 0x00};
  data.resize(size, fill);
  return data;
}
Bytes deltaData(uint8_t fill, size_t size = 20) {
  Bytes data = {0x11, 0x02, 0x00};
  data.resize(size, fill);
  return data;
}

class Vp8DepacketizerTest : public ::testing::Test {
 protected:
  // One RTP packet: a 1-byte descriptor (S = start, PID 0) and `chunk`.
  PushResult push(uint16_t sequence, uint32_t timestamp, bool start, bool marker, const Bytes& chunk) {
    Bytes payload = {static_cast<uint8_t>(start ? 0x10 : 0x00)};
    payload.insert(payload.end(), chunk.begin(), chunk.end());
    return depacketizer_.push(OrderedPacket{sequence, timestamp, marker, payload});
  }
  // A frame split into `parts` packets starting at `sequence`; returns the next sequence number.
  uint16_t pushFrame(uint16_t sequence, uint32_t timestamp, const Bytes& data, size_t parts = 1,
                     std::vector<PushResult>* results = nullptr) {
    const size_t step = (data.size() + parts - 1) / parts;
    for (size_t offset = 0; offset < data.size(); offset += step) {
      const Bytes chunk(data.begin() + static_cast<long>(offset),
                        data.begin() + static_cast<long>(std::min(data.size(), offset + step)));
      const auto result = push(sequence++, timestamp, offset == 0, offset + step >= data.size(), chunk);
      if (results != nullptr) results->push_back(result);
    }
    return sequence;
  }

  Frames frames_;
  Vp8Depacketizer depacketizer_{frames_, Vp8DepacketizerOptions{.maxFrameSize = 1000, .reorderWindow = 4}};
};

TEST_F(Vp8DepacketizerTest, AssemblesFramesAndReadsTheKeyframeSize) {
  uint16_t sequence = pushFrame(1, 3000, keyframeData(0xAA, 100), 3);
  sequence = pushFrame(sequence, 6000, deltaData(0xBB, 50), 2);
  ASSERT_EQ(frames_.data.size(), 2u);
  EXPECT_EQ(frames_.data[0], keyframeData(0xAA, 100));  // descriptors stripped, parts joined
  EXPECT_EQ(frames_.data[1], deltaData(0xBB, 50));
  EXPECT_EQ(frames_.timestamps, (std::vector<uint32_t>{3000, 6000}));
  EXPECT_EQ(frames_.keyframes, (std::vector<bool>{true, false}));
  EXPECT_EQ(frames_.sizes[0], (std::pair<uint16_t, uint16_t>{320, 240}));
  EXPECT_EQ(frames_.sizes[1], (std::pair<uint16_t, uint16_t>{320, 240}));  // carried over
  EXPECT_FALSE(depacketizer_.waitingForKeyframe());
  EXPECT_EQ(depacketizer_.stats().frames, 2u);
}

TEST_F(Vp8DepacketizerTest, StartsOnlyAtAKeyframeAndAsksOnce) {
  std::vector<PushResult> results;
  uint16_t sequence = pushFrame(1, 3000, deltaData(1), 2, &results);
  sequence = pushFrame(sequence, 6000, deltaData(2), 2, &results);
  EXPECT_EQ(results, (std::vector<PushResult>{PushResult::NeedKeyframe, PushResult::Ok, PushResult::Ok,
                                              PushResult::Ok}));
  EXPECT_TRUE(frames_.data.empty());
  EXPECT_TRUE(depacketizer_.waitingForKeyframe());
  pushFrame(sequence, 9000, keyframeData(3));
  ASSERT_EQ(frames_.data.size(), 1u);
  EXPECT_TRUE(frames_.keyframes[0]);
  EXPECT_EQ(depacketizer_.stats().framesSkipped, 2u);
}

TEST_F(Vp8DepacketizerTest, LossDropsTheFrameAndEverythingUntilTheNextKeyframe) {
  uint16_t sequence = pushFrame(1, 3000, keyframeData(1));
  // Delta frame of 3 packets; the middle one is lost.
  EXPECT_EQ(push(sequence, 6000, true, false, deltaData(2, 10)), PushResult::Ok);
  EXPECT_EQ(push(sequence + 2, 6000, false, true, Bytes(10, 2)), PushResult::Ok);
  sequence += 3;
  std::vector<PushResult> results;
  for (uint32_t ts = 9000; ts < 9000 + 6 * 3000; ts += 3000) sequence = pushFrame(sequence, ts, deltaData(3), 1, &results);
  // The hole is given up on once the window (4) has passed it: one request, then silence.
  EXPECT_EQ(std::count(results.begin(), results.end(), PushResult::NeedKeyframe), 1);
  EXPECT_EQ(frames_.data.size(), 1u);
  EXPECT_TRUE(depacketizer_.waitingForKeyframe());
  pushFrame(sequence, 30000, keyframeData(4));
  sequence = pushFrame(sequence + 1, 33000, deltaData(5));
  for (int i = 0; i < 4; ++i) sequence = pushFrame(sequence, 36000 + i * 3000, deltaData(6));
  EXPECT_EQ(frames_.keyframes, (std::vector<bool>{true, true, false, false, false, false, false}));
  EXPECT_EQ(depacketizer_.stats().framesDropped, 1u);
  EXPECT_EQ(depacketizer_.stats().framesSkipped, 6u);
  EXPECT_EQ(depacketizer_.reorderStats().lost, 1u);
}

TEST_F(Vp8DepacketizerTest, ReorderedAndDuplicatedPacketsAssembleOnce) {
  const Bytes key = keyframeData(7, 90);
  const Bytes part1(key.begin(), key.begin() + 30), part2(key.begin() + 30, key.begin() + 60),
      part3(key.begin() + 60, key.end());
  push(10, 3000, true, false, part1);
  push(12, 3000, false, true, part3);
  push(12, 3000, false, true, part3);
  push(11, 3000, false, false, part2);
  push(10, 3000, true, false, part1);
  ASSERT_EQ(frames_.data.size(), 1u);
  EXPECT_EQ(frames_.data[0], key);
  EXPECT_EQ(depacketizer_.reorderStats().duplicates + depacketizer_.reorderStats().late, 2u);
}

TEST_F(Vp8DepacketizerTest, MissingMarkerEndsTheFrameAtTheNextFrameStart) {
  push(1, 3000, true, false, keyframeData(1));  // the sender never set the marker
  EXPECT_TRUE(frames_.data.empty());
  push(2, 6000, true, true, deltaData(2));
  ASSERT_EQ(frames_.data.size(), 2u);
  EXPECT_EQ(frames_.timestamps, (std::vector<uint32_t>{3000, 6000}));
}

TEST_F(Vp8DepacketizerTest, NewTimestampWithoutAFrameStartIsCorruption) {
  pushFrame(1, 3000, keyframeData(1));
  push(2, 6000, true, false, deltaData(2));
  EXPECT_EQ(push(3, 9000, false, true, Bytes(5, 3)), PushResult::NeedKeyframe);  // start of 9000 missing
  EXPECT_EQ(frames_.data.size(), 1u);
  EXPECT_TRUE(depacketizer_.waitingForKeyframe());
}

TEST_F(Vp8DepacketizerTest, OversizeFrameIsDroppedAndAsksForAKeyframe) {
  pushFrame(1, 3000, keyframeData(1));
  std::vector<PushResult> results;
  pushFrame(2, 6000, deltaData(2, 1500), 5, &results);  // limit is 1000
  EXPECT_EQ(std::count(results.begin(), results.end(), PushResult::NeedKeyframe), 1);
  EXPECT_EQ(depacketizer_.stats().oversizeFrames, 1u);
  EXPECT_EQ(frames_.data.size(), 1u);
  pushFrame(7, 9000, keyframeData(3, 900), 3);  // a big keyframe within the limit is fine
  EXPECT_EQ(frames_.data.size(), 2u);
}

TEST_F(Vp8DepacketizerTest, PaddingPacketsAreNotLoss) {
  pushFrame(1, 3000, keyframeData(1));
  depacketizer_.push(OrderedPacket{2, 3000, false, {}});  // padding-only: empty payload
  pushFrame(3, 6000, deltaData(2));
  EXPECT_EQ(frames_.data.size(), 2u);
  EXPECT_FALSE(depacketizer_.waitingForKeyframe());
}

TEST_F(Vp8DepacketizerTest, MalformedDescriptorAsksForAKeyframe) {
  pushFrame(1, 3000, keyframeData(1));
  const Bytes truncated = {0x90};  // X set, extension octet missing
  EXPECT_EQ(depacketizer_.push(OrderedPacket{2, 6000, true, truncated}), PushResult::NeedKeyframe);
  EXPECT_EQ(depacketizer_.stats().malformed, 1u);
}

TEST_F(Vp8DepacketizerTest, ResetWaitsForAKeyframeAgain) {
  pushFrame(1, 3000, keyframeData(1));
  depacketizer_.reset();
  EXPECT_TRUE(depacketizer_.waitingForKeyframe());
  pushFrame(500, 6000, deltaData(2));
  EXPECT_EQ(frames_.data.size(), 1u);
}

TEST(Vp8DepacketizerGarbage, RandomPacketsNeverCrashNorOverflow) {
  Frames frames;
  Vp8Depacketizer depacketizer(frames, Vp8DepacketizerOptions{.maxFrameSize = 4096, .reorderWindow = 8});
  std::mt19937 random(42);
  uint16_t sequence = 0;
  uint32_t timestamp = 0;
  for (int i = 0; i < 20000; ++i) {
    Bytes payload(random() % 200);
    for (auto& byte : payload) byte = static_cast<uint8_t>(random());
    // Mostly plausible sequence numbers and timestamps, sometimes wild ones.
    sequence = static_cast<uint16_t>(sequence + (random() % 10 == 0 ? random() : random() % 3));
    if (random() % 4 == 0) timestamp += random() % 10 == 0 ? static_cast<uint32_t>(random()) : 3000;
    (void)depacketizer.push(OrderedPacket{sequence, timestamp, random() % 3 == 0, payload});
  }
  depacketizer.flush();
  for (const Bytes& frame : frames.data) EXPECT_LE(frame.size(), 4096u);
  EXPECT_GT(depacketizer.stats().packets, 0u);
}

}  // namespace
}  // namespace fluxmeet::record
