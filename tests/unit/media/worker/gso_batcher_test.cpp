// GsoBatcher as a pure function: which queued datagrams become one UDP GSO send, and in what
// order the runs leave.
#include "fluxmeet/media/worker/gso_batcher.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <random>
#include <vector>

namespace fluxmeet::media::worker {
namespace {

const ice::TransportAddress kAlice = ice::makeIpv4Address(192, 0, 2, 1, 50000);
const ice::TransportAddress kBob = ice::makeIpv4Address(192, 0, 2, 2, 50000);
const ice::TransportAddress kCarol = ice::makeIpv4Address(192, 0, 2, 1, 50001);  // Alice's IP, another port

struct Queued {
  size_t length;
  ice::TransportAddress to;
};

// A run as its slots, for readable expectations.
struct PlannedRun {
  std::vector<uint16_t> slots;
  uint16_t segmentSize = 0;
  bool operator==(const PlannedRun&) const = default;
};

std::ostream& operator<<(std::ostream& out, const PlannedRun& run) {
  out << "{segment " << run.segmentSize << ":";
  for (const auto slot : run.slots) out << " " << slot;
  return out << "}";
}

class GsoBatcherTest : public ::testing::Test {
 protected:
  std::vector<PlannedRun> plan(const std::vector<Queued>& batch, bool gso = true) {
    lengths_.clear();
    destinations_.clear();
    for (const auto& item : batch) {
      lengths_.push_back(item.length);
      destinations_.push_back(item.to);
    }
    batcher_.plan(lengths_, destinations_, gso);
    std::vector<PlannedRun> runs;
    for (const auto& run : batcher_.runs()) {
      PlannedRun planned{.segmentSize = run.segmentSize};
      for (uint16_t k = 0; k < run.count; ++k) planned.slots.push_back(batcher_.order()[run.first + k]);
      runs.push_back(planned);
    }
    return runs;
  }

  GsoBatcher batcher_;
  std::vector<size_t> lengths_;
  std::vector<ice::TransportAddress> destinations_;
};

TEST_F(GsoBatcherTest, EqualDatagramsToOneDestinationAreOneRun) {
  const auto runs = plan({{1200, kAlice}, {1200, kAlice}, {1200, kAlice}, {1200, kAlice}});
  EXPECT_EQ(runs, (std::vector<PlannedRun>{{{0, 1, 2, 3}, 1200}}));
}

TEST_F(GsoBatcherTest, AShorterDatagramEndsItsRun) {
  // UDP_SEGMENT allows a shorter last segment, but nothing after it.
  const auto runs = plan({{1200, kAlice}, {1200, kAlice}, {800, kAlice}, {1200, kAlice}, {1200, kAlice}});
  EXPECT_EQ(runs, (std::vector<PlannedRun>{{{0, 1, 2}, 1200}, {{3, 4}, 1200}}));
}

TEST_F(GsoBatcherTest, ALongerDatagramStartsANewRun) {
  const auto runs = plan({{1000, kAlice}, {1000, kAlice}, {1001, kAlice}, {1001, kAlice}});
  EXPECT_EQ(runs, (std::vector<PlannedRun>{{{0, 1}, 1000}, {{2, 3}, 1001}}));
}

TEST_F(GsoBatcherTest, InterleavedDestinationsGroupApartInQueueOrder) {
  // One frame forwarded to three consumers: packet 1 to each, then packet 2 to each...
  const auto runs = plan({{1100, kAlice}, {1100, kBob}, {1100, kCarol},
                          {1100, kAlice}, {1100, kBob}, {1100, kCarol},
                          {900, kAlice}, {900, kBob}, {1100, kCarol}});
  EXPECT_EQ(runs, (std::vector<PlannedRun>{{{0, 3, 6}, 1100}, {{1, 4, 7}, 1100}, {{2, 5, 8}, 1100}}));
}

TEST_F(GsoBatcherTest, AnotherPacketToTheDestinationEndsTheRunWithoutReordering) {
  // Video, then an audio packet, then more video to one consumer: the audio packet ends the run
  // (as its shorter last segment) and may not be overtaken, so the video after it is a new run.
  const auto runs = plan({{1200, kAlice}, {1200, kBob}, {1200, kAlice}, {160, kAlice}, {1200, kBob},
                          {1200, kAlice}, {1200, kAlice}});
  EXPECT_EQ(runs, (std::vector<PlannedRun>{{{0, 2, 3}, 1200}, {{1, 4}, 1200}, {{5, 6}, 1200}}));
}

TEST_F(GsoBatcherTest, AtMost64SegmentsPerRun) {
  std::vector<Queued> batch(150, {500, kAlice});
  const auto runs = plan(batch);
  ASSERT_EQ(runs.size(), 3u);
  EXPECT_EQ(runs[0].slots.size(), 64u);
  EXPECT_EQ(runs[1].slots.size(), 64u);
  EXPECT_EQ(runs[2].slots.size(), 22u);
  EXPECT_EQ(runs[1].slots.front(), 64u);
  EXPECT_EQ(runs[2].slots.back(), 149u);
}

TEST_F(GsoBatcherTest, ARunFitsOneUdpDatagram) {
  // 54 * 1200 = 64,800 bytes fit 65,507; a 55th would not.
  std::vector<Queued> batch(60, {1200, kAlice});
  const auto runs = plan(batch);
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].slots.size(), 54u);
  EXPECT_EQ(runs[1].slots.size(), 6u);
}

TEST_F(GsoBatcherTest, EmptyDatagramsStayAlone) {
  const auto runs = plan({{0, kAlice}, {0, kAlice}, {300, kAlice}, {0, kAlice}});
  EXPECT_EQ(runs, (std::vector<PlannedRun>{{{0}, 0}, {{1}, 0}, {{2}, 300}, {{3}, 0}}));
}

TEST_F(GsoBatcherTest, WithoutGsoEveryDatagramIsARunInQueueOrder) {
  const auto runs = plan({{1200, kAlice}, {1200, kBob}, {1200, kAlice}}, false);
  EXPECT_EQ(runs, (std::vector<PlannedRun>{{{0}, 1200}, {{1}, 1200}, {{2}, 1200}}));
}

TEST_F(GsoBatcherTest, IPv6AndIPv4DestinationsAreDistinct) {
  ice::TransportAddress v6 = kAlice;
  v6.family = ice::AddressFamily::IPv6;
  const auto runs = plan({{700, kAlice}, {700, v6}, {700, kAlice}, {700, v6}});
  EXPECT_EQ(runs, (std::vector<PlannedRun>{{{0, 2}, 700}, {{1, 3}, 700}}));
}

TEST_F(GsoBatcherTest, EveryBatchKeepsEachDestinationsOrderAndTheSegmentRule) {
  // Random batches of many destinations and a few sizes: every slot is sent once, each
  // destination's slots leave in queue order, and every run is one that UDP_SEGMENT accepts.
  std::mt19937 random(7);
  for (int round = 0; round < 200; ++round) {
    std::vector<Queued> batch(1 + random() % GsoBatcher::kMaxDatagrams);
    for (auto& item : batch) {
      item.to = ice::makeIpv4Address(10, 0, 0, static_cast<uint8_t>(random() % 20), 4000);
      const size_t sizes[] = {1200, 1200, 1200, 1199, 160, 90};
      item.length = sizes[random() % 6];
    }
    const auto runs = plan(batch);
    std::vector<int> seen(batch.size(), 0);
    std::map<uint8_t, int> lastSlot;  // by the destination's last address byte
    for (const auto& run : runs) {
      ASSERT_FALSE(run.slots.empty());
      ASSERT_LE(run.slots.size(), GsoBatcher::kMaxSegments);
      size_t bytes = 0;
      for (size_t k = 0; k < run.slots.size(); ++k) {
        const auto& item = batch[run.slots[k]];
        ++seen[run.slots[k]];
        bytes += item.length;
        EXPECT_EQ(item.to, batch[run.slots[0]].to);
        if (k + 1 < run.slots.size()) {
          EXPECT_EQ(item.length, run.segmentSize);
        } else {
          EXPECT_LE(item.length, run.segmentSize);
        }
        const uint8_t who = item.to.bytes[3];
        const auto previous = lastSlot.find(who);
        if (previous != lastSlot.end()) {
          EXPECT_LT(previous->second, run.slots[k]) << "round " << round;
        }
        lastSlot[who] = run.slots[k];
      }
      EXPECT_LE(bytes, GsoBatcher::kMaxRunBytes);
    }
    for (const int count : seen) ASSERT_EQ(count, 1) << "round " << round;
  }
}

}  // namespace
}  // namespace fluxmeet::media::worker
