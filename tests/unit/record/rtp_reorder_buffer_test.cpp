#include "fluxmeet/record/rtp_reorder_buffer.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace fluxmeet::record {
namespace {

struct Collector final : OrderedPacketListener {
  void onOrderedPacket(const OrderedPacket& packet) override {
    sequences.push_back(packet.sequenceNumber);
    gaps.push_back(packet.afterGap);
    payloads.emplace_back(packet.payload.begin(), packet.payload.end());
  }
  std::vector<uint16_t> sequences;
  std::vector<bool> gaps;
  std::vector<std::vector<uint8_t>> payloads;
};

class ReorderTest : public ::testing::Test {
 protected:
  void insert(uint16_t sequence, size_t payloadSize = 3) {
    std::vector<uint8_t> payload(payloadSize, static_cast<uint8_t>(sequence));
    buffer_.insert(OrderedPacket{sequence, 1000u + sequence, false, payload}, out_);
  }
  RtpReorderBuffer buffer_{4, 100};
  Collector out_;
};

TEST_F(ReorderTest, InOrderPassesStraightThrough) {
  for (uint16_t s = 10; s < 15; ++s) insert(s);
  EXPECT_EQ(out_.sequences, (std::vector<uint16_t>{10, 11, 12, 13, 14}));
  EXPECT_EQ(out_.gaps, std::vector<bool>(5, false));
  EXPECT_EQ(buffer_.buffered(), 0u);
}

TEST_F(ReorderTest, ReordersWithinTheWindowAndKeepsPayloads) {
  insert(10);
  insert(12);
  insert(13);
  insert(11);
  EXPECT_EQ(out_.sequences, (std::vector<uint16_t>{10, 11, 12, 13}));
  EXPECT_EQ(out_.gaps, std::vector<bool>(4, false));
  EXPECT_EQ(out_.payloads[2], std::vector<uint8_t>(3, 12));
  EXPECT_EQ(buffer_.stats().reordered, 2u);
}

TEST_F(ReorderTest, DuplicatesAndLatePacketsAreDropped) {
  insert(10);
  insert(12);
  insert(12);  // buffered twice
  insert(11);
  insert(11);  // already delivered
  insert(10);
  EXPECT_EQ(out_.sequences, (std::vector<uint16_t>{10, 11, 12}));
  EXPECT_EQ(buffer_.stats().duplicates, 1u);
  EXPECT_EQ(buffer_.stats().late, 2u);
}

TEST_F(ReorderTest, GivesUpOnAHoleWhenTheWindowOverflows) {
  insert(10);
  insert(12);
  insert(13);
  insert(14);
  EXPECT_EQ(out_.sequences.size(), 1u);  // still waiting for 11
  insert(15);                            // 15 - 11 >= window: 11 is lost
  EXPECT_EQ(out_.sequences, (std::vector<uint16_t>{10, 12, 13, 14, 15}));
  EXPECT_EQ(out_.gaps, (std::vector<bool>{false, true, false, false, false}));
  EXPECT_EQ(buffer_.stats().lost, 1u);
  insert(11);  // too late now
  EXPECT_EQ(buffer_.stats().late, 1u);
}

TEST_F(ReorderTest, JumpFarAheadLosesEverythingBetween) {
  insert(10);
  insert(12);
  insert(1000);
  // Holes within the window behind the newest packet still wait for their packets.
  EXPECT_EQ(out_.sequences, (std::vector<uint16_t>{10, 12}));
  for (uint16_t s = 1001; s < 1004; ++s) insert(s);
  EXPECT_EQ(out_.sequences, (std::vector<uint16_t>{10, 12, 1000, 1001, 1002, 1003}));
  EXPECT_EQ(out_.gaps, (std::vector<bool>{false, true, true, false, false, false}));
  EXPECT_EQ(buffer_.stats().lost, 1u + (999u - 12u));
}

TEST_F(ReorderTest, SequenceNumbersWrap) {
  insert(65534);
  insert(0);
  insert(65535);
  insert(1);
  EXPECT_EQ(out_.sequences, (std::vector<uint16_t>{65534, 65535, 0, 1}));
  EXPECT_EQ(buffer_.stats().lost, 0u);
}

TEST_F(ReorderTest, FlushDeliversTheRestWithGaps) {
  insert(10);
  insert(12);
  insert(14);
  buffer_.flush(out_);
  EXPECT_EQ(out_.sequences, (std::vector<uint16_t>{10, 12, 14}));
  EXPECT_EQ(out_.gaps, (std::vector<bool>{false, true, true}));
  EXPECT_EQ(buffer_.stats().lost, 2u);
  insert(15);
  EXPECT_EQ(out_.sequences.back(), 15);
}

TEST_F(ReorderTest, ASenderThatRestartsBehindIsFollowed) {
  for (uint16_t s = 30000; s < 30010; ++s) insert(s);
  // The sender restarted at 100: "late" by ~30000. After a few, the buffer follows it.
  for (uint16_t s = 100; s < 120; ++s) insert(s);
  EXPECT_EQ(buffer_.stats().restarts, 1u);
  EXPECT_EQ(out_.sequences.back(), 119);
}

TEST_F(ReorderTest, OversizePacketsBecomeHoles) {
  insert(10);
  insert(11, 101);
  insert(12);
  for (uint16_t s = 13; s < 16; ++s) insert(s);
  EXPECT_EQ(buffer_.stats().oversize, 1u);
  EXPECT_EQ(out_.sequences, (std::vector<uint16_t>{10, 12, 13, 14, 15}));
  EXPECT_TRUE(out_.gaps[1]);
}

}  // namespace
}  // namespace fluxmeet::record
