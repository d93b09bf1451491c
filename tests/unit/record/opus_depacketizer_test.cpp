#include "fluxmeet/record/opus_depacketizer.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace fluxmeet::record {
namespace {

using Bytes = std::vector<uint8_t>;

struct Frames final : FrameListener {
  void onFrame(const EncodedFrame& frame) override {
    timestamps.push_back(frame.rtpTimestamp);
    sizes.push_back(frame.data.size());
    EXPECT_TRUE(frame.keyframe);
  }
  std::vector<uint32_t> timestamps;
  std::vector<size_t> sizes;
};

class OpusDepacketizerTest : public ::testing::Test {
 protected:
  PushResult push(uint16_t sequence, uint32_t timestamp, size_t size = 40) {
    const Bytes payload(size, 0x78);
    return depacketizer_.push(OrderedPacket{sequence, timestamp, false, payload});
  }
  Frames frames_;
  OpusDepacketizer depacketizer_{frames_, OpusDepacketizerOptions{.maxPacketSize = 1500, .reorderWindow = 4}};
};

TEST_F(OpusDepacketizerTest, EveryPacketIsAFrame) {
  for (uint16_t i = 0; i < 5; ++i) EXPECT_EQ(push(i, 960u * i), PushResult::Ok);
  EXPECT_EQ(frames_.timestamps, (std::vector<uint32_t>{0, 960, 1920, 2880, 3840}));
  EXPECT_FALSE(depacketizer_.waitingForKeyframe());
}

TEST_F(OpusDepacketizerTest, DtxGapsAndLossNeedNoKeyframe) {
  push(1, 960);
  push(2, 1920);
  push(3, 48000);  // DTX: a second of silence, no sequence gap
  push(5, 48960);  // 4 lost
  for (uint16_t s = 6; s < 10; ++s) EXPECT_EQ(push(s, 48960u + 960u * (s - 5)), PushResult::Ok);
  EXPECT_EQ(frames_.timestamps.size(), 8u);
  EXPECT_EQ(depacketizer_.reorderStats().lost, 1u);
  EXPECT_EQ(depacketizer_.stats().keyframeRequests, 0u);
}

TEST_F(OpusDepacketizerTest, ReordersAndDropsDuplicates) {
  push(1, 960);
  push(3, 2880);
  push(2, 1920);
  push(2, 1920);
  EXPECT_EQ(frames_.timestamps, (std::vector<uint32_t>{960, 1920, 2880}));
}

TEST_F(OpusDepacketizerTest, EmptyAndOversizePacketsAreNotFrames) {
  push(1, 960, 0);
  push(2, 1920, 1501);
  push(3, 2880, 1);  // a 1-byte TOC-only packet is valid (DTX frame)
  depacketizer_.flush();
  EXPECT_EQ(frames_.timestamps, (std::vector<uint32_t>{2880}));
}

}  // namespace
}  // namespace fluxmeet::record
