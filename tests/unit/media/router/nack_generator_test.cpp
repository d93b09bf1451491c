#include "fluxmeet/media/router/nack_generator.hpp"

#include <gtest/gtest.h>

#include <array>
#include <vector>

namespace fluxmeet::media::router {
namespace {

using namespace std::chrono_literals;
using Arrival = NackGenerator::Arrival;
using Clock = NackGenerator::Clock;

std::vector<uint16_t> due(NackGenerator &nack, Clock::time_point now) {
  std::array<uint16_t, 64> out{};
  const size_t count = nack.collectDue(now, out);
  return {out.begin(), out.begin() + static_cast<std::ptrdiff_t>(count)};
}

TEST(NackGeneratorTest, InOrderPacketsNeedNoNack) {
  NackGenerator nack;
  const auto t0 = Clock::now();
  EXPECT_EQ(nack.receive(100, t0), Arrival::First);
  for (uint16_t s = 101; s < 200; ++s) EXPECT_EQ(nack.receive(s, t0), Arrival::InOrder);
  EXPECT_EQ(nack.missingCount(), 0u);
  EXPECT_TRUE(due(nack, t0).empty());
}

TEST(NackGeneratorTest, GapIsAskedForAtOnceThenEveryRoundTripUntilRepaired) {
  NackGenerator nack;
  const auto t0 = Clock::now();
  nack.receive(10, t0);
  EXPECT_EQ(nack.receive(14, t0), Arrival::InOrder);  // 11, 12, 13 lost
  EXPECT_EQ(nack.missingCount(), 3u);
  EXPECT_EQ(due(nack, t0), (std::vector<uint16_t>{11, 12, 13}));
  EXPECT_TRUE(due(nack, t0 + 50ms).empty()) << "not before a round trip (100 ms until measured)";
  EXPECT_EQ(nack.receive(12, t0 + 60ms), Arrival::Repaired);
  EXPECT_EQ(due(nack, t0 + 100ms), (std::vector<uint16_t>{11, 13}));
  EXPECT_EQ(nack.receive(11, t0 + 130ms), Arrival::Repaired);
  EXPECT_EQ(nack.receive(13, t0 + 140ms), Arrival::Repaired);
  EXPECT_EQ(nack.missingCount(), 0u);
  EXPECT_EQ(nack.stats().repaired, 3u);
  EXPECT_EQ(nack.stats().requested, 5u);
  // The one-request repair (12, 60 ms) pulled the smoothed round trip down from
  // 100 ms.
  EXPECT_LT(nack.roundTrip(), 100ms);
  EXPECT_GT(nack.roundTrip(), 60ms);
}

TEST(NackGeneratorTest, ReorderedPacketIsLateNotRepairedAndNotAskedFor) {
  NackGenerator nack;
  const auto t0 = Clock::now();
  nack.receive(1, t0);
  nack.receive(3, t0);
  EXPECT_EQ(nack.receive(2, t0 + 1ms), Arrival::Late);
  EXPECT_EQ(nack.missingCount(), 0u);
  EXPECT_TRUE(due(nack, t0 + 2ms).empty());
  EXPECT_EQ(nack.stats().requested, 0u);
}

TEST(NackGeneratorTest, DuplicatesAreRecognisedIncludingASecondRepair) {
  NackGenerator nack;
  const auto t0 = Clock::now();
  nack.receive(1, t0);
  nack.receive(3, t0);
  EXPECT_EQ(due(nack, t0).size(), 1u);
  EXPECT_EQ(nack.receive(2, t0 + 10ms), Arrival::Repaired);
  EXPECT_EQ(nack.receive(2, t0 + 11ms), Arrival::Duplicate);
  EXPECT_EQ(nack.receive(3, t0 + 12ms), Arrival::Duplicate);
  EXPECT_EQ(nack.receive(1, t0 + 13ms), Arrival::Duplicate);
  EXPECT_EQ(nack.stats().duplicates, 3u);
}

TEST(NackGeneratorTest, WrapAroundKeepsTheGapsRight) {
  NackGenerator nack;
  const auto t0 = Clock::now();
  nack.receive(65533, t0);
  EXPECT_EQ(nack.receive(65535, t0), Arrival::InOrder);
  EXPECT_EQ(nack.receive(2, t0),
            Arrival::InOrder);  // 65534 earlier, 0 and 1 now
  EXPECT_EQ(due(nack, t0), (std::vector<uint16_t>{65534, 0, 1}));
  EXPECT_EQ(nack.receive(0, t0 + 20ms), Arrival::Repaired);
  EXPECT_EQ(nack.receive(65534, t0 + 20ms), Arrival::Repaired);
  EXPECT_EQ(nack.receive(65535, t0 + 20ms), Arrival::Duplicate);
  EXPECT_EQ(nack.missingCount(), 1u);
  EXPECT_EQ(due(nack, t0 + 200ms), (std::vector<uint16_t>{1}));
}

TEST(NackGeneratorTest, GivesUpAfterTheRetriesAndCountsTheLoss) {
  NackGenerator nack({.maxRetries = 3, .maxAge = 10s, .minRetryInterval = 20ms, .initialRtt = 20ms});
  const auto t0 = Clock::now();
  nack.receive(1, t0);
  nack.receive(3, t0);
  size_t asked = 0;
  for (int tick = 0; tick < 20; ++tick) asked += due(nack, t0 + tick * 20ms).size();
  EXPECT_EQ(asked, 3u);
  EXPECT_EQ(nack.missingCount(), 0u);
  EXPECT_EQ(nack.stats().lost, 1u);
  EXPECT_EQ(nack.receive(2, t0 + 1s), Arrival::Late) << "too late to be a repair, still usable";
}

TEST(NackGeneratorTest, GivesUpAfterTheMaximumAge) {
  NackGenerator nack({.maxRetries = 100, .maxAge = 300ms, .minRetryInterval = 20ms, .initialRtt = 20ms});
  const auto t0 = Clock::now();
  nack.receive(1, t0);
  nack.receive(3, t0);
  EXPECT_EQ(due(nack, t0).size(), 1u);
  EXPECT_EQ(due(nack, t0 + 200ms).size(), 1u);
  EXPECT_TRUE(due(nack, t0 + 301ms).empty());
  EXPECT_EQ(nack.stats().lost, 1u);
}

TEST(NackGeneratorTest, BigJumpsResetInsteadOfAskingForHundredsOfPackets) {
  NackGenerator nack;
  const auto t0 = Clock::now();
  nack.receive(1000, t0);
  nack.receive(1002, t0);  // 1001 missing
  EXPECT_EQ(nack.receive(1002 + NackGenerator::kMaxGap + 1, t0), Arrival::Reset);
  EXPECT_EQ(nack.missingCount(), 0u);
  EXPECT_EQ(nack.stats().lost, 1u);
  EXPECT_EQ(nack.stats().resets, 1u);
  // A stream restarted far behind is a reset too, not thousands of late
  // packets.
  EXPECT_EQ(nack.receive(40000, t0), Arrival::Reset);
  EXPECT_EQ(nack.receive(40001, t0), Arrival::InOrder);
  // The largest gap that is still repaired.
  EXPECT_EQ(nack.receive(40001 + NackGenerator::kMaxGap, t0), Arrival::InOrder);
  EXPECT_EQ(nack.missingCount(), NackGenerator::kMaxGap - 1u);
}

TEST(NackGeneratorTest, PacketsOlderThanTheWindowAreDroppedAndMissingOnesExpire) {
  NackGenerator nack;
  const auto t0 = Clock::now();
  nack.receive(0, t0);
  nack.receive(2, t0);  // 1 missing
  uint16_t s = 2;
  while (s < NackGenerator::kWindow + 10) nack.receive(++s, t0);
  EXPECT_EQ(nack.missingCount(), 0u) << "its slot was reused";
  EXPECT_EQ(nack.stats().lost, 1u);
  EXPECT_EQ(nack.receive(1, t0), Arrival::Duplicate) << "older than the window: of no use";
}

TEST(NackGeneratorTest, ManyLossesFillOneCallUpToTheOutputSize) {
  NackGenerator nack;
  const auto t0 = Clock::now();
  nack.receive(0, t0);
  nack.receive(201, t0);  // 200 missing
  std::array<uint16_t, 64> out{};
  EXPECT_EQ(nack.collectDue(t0, out), 64u);
  EXPECT_EQ(out.front(), 1);
  EXPECT_EQ(out.back(), 64);
  EXPECT_EQ(nack.collectDue(t0, out), 64u) << "the next ones, not yet asked for";
  EXPECT_EQ(out.front(), 65);
}

}  // namespace
}  // namespace fluxmeet::media::router
