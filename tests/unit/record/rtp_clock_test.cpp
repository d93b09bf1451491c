#include "fluxmeet/record/rtp_clock.hpp"

#include <gtest/gtest.h>

namespace fluxmeet::record {
namespace {

constexpr int64_t kMs = 1'000'000;
constexpr int64_t kSecond = 1'000'000'000;

uint64_t ntpFromNs(int64_t ns) {
  const auto seconds = static_cast<uint64_t>(ns / kSecond);
  const auto fraction = (static_cast<uint64_t>(ns % kSecond) << 32) / kSecond;
  return (seconds << 32) | fraction;
}

TEST(RtpClock, NtpConversion) {
  EXPECT_EQ(ntpToNanoseconds(uint64_t{5} << 32), 5 * kSecond);
  EXPECT_EQ(ntpToNanoseconds((uint64_t{1} << 32) | 0x80000000u), kSecond + 500 * kMs);
  EXPECT_NEAR(static_cast<double>(ntpToNanoseconds(ntpFromNs(123 * kSecond + 456789))),
              static_cast<double>(123 * kSecond + 456789), 1.0);
}

TEST(RtpClock, FirstPacketAnchorsAndRtpTimeRulesAfterwards) {
  RtpClock clock(90000);
  EXPECT_FALSE(clock.started());
  EXPECT_FALSE(clock.toLocalNs(1000).has_value());
  EXPECT_EQ(clock.onPacket(1000, 7 * kSecond), 7 * kSecond);
  // Arrival jitter does not move the timeline: 90000 ticks later is one second later.
  EXPECT_EQ(clock.onPacket(91000, 8 * kSecond + 40 * kMs), 8 * kSecond);
  EXPECT_EQ(clock.onPacket(4000, 9 * kSecond), 7 * kSecond + 33333333);  // older frame, late
  EXPECT_EQ(*clock.toLocalNs(1000 - 9000), 7 * kSecond - 100 * kMs);     // before the anchor
  EXPECT_FALSE(clock.synchronized());
}

TEST(RtpClock, TimestampWrapKeepsCounting) {
  RtpClock clock(48000);
  const uint32_t nearEnd = 0xFFFFFFFFu - 47999;  // one second before the wrap
  EXPECT_EQ(clock.onPacket(nearEnd, 0), 0);
  EXPECT_EQ(clock.onPacket(nearEnd + 24000, 0), 500 * kMs);
  EXPECT_EQ(clock.onPacket(nearEnd + 48000, 0), kSecond);  // == 0 after the wrap
  EXPECT_EQ(clock.onPacket(nearEnd + 96000, 0), 2 * kSecond);
  // Many wraps later (a 90 kHz clock wraps every 13.25 hours) still exact.
  RtpClock video(90000);
  uint32_t ts = 0xFFFF0000u;
  video.onPacket(ts, 0);
  for (int i = 0; i < 3 * 48; ++i) video.onPacket(ts += 0x2000000u, 0);  // 3 wraps in steps
  EXPECT_EQ(*video.toLocalNs(ts), static_cast<int64_t>(3 * 48) * 0x2000000LL * kSecond / 90000);
}

TEST(RtpClock, SenderReportMapsThroughTheSendersWallClock) {
  RtpClock audio(48000);
  RtpClock video(90000);
  const int64_t senderNow = 3'900'000'000LL * kSecond;
  const int64_t transit = 30 * kMs;
  // Same sender instant in both media clocks, different RTP bases.
  audio.onSenderReport(ntpFromNs(senderNow), 160000, 10 * kSecond + transit);
  video.onSenderReport(ntpFromNs(senderNow), 7000000, 10 * kSecond + transit);
  EXPECT_TRUE(audio.synchronized());
  // The audio's packets arrive a lot later than the video's, yet both map to the same instant.
  EXPECT_EQ(audio.onPacket(160000 + 4800, 12 * kSecond), video.onPacket(7000000 + 9000, 10 * kSecond + 200 * kMs));
  EXPECT_NEAR(static_cast<double>(*audio.toLocalNs(160000)), static_cast<double>(10 * kSecond + transit), 2.0);
}

TEST(RtpClock, SenderReportReanchorsAStreamTimedByArrival) {
  RtpClock clock(90000);
  clock.onPacket(90000, 5 * kSecond + 250 * kMs);  // first packet held up 250 ms
  const int64_t sender = 1000 * kSecond;
  clock.onSenderReport(ntpFromNs(sender + kSecond), 180000, 6 * kSecond);  // SR on time
  EXPECT_NEAR(static_cast<double>(*clock.toLocalNs(90000)), static_cast<double>(5 * kSecond), 2.0);
}

TEST(RtpClock, KeepsTheSmallestTransitOfRecentReports) {
  RtpClock clock(90000);
  const int64_t sender = 2000 * kSecond;
  clock.onSenderReport(ntpFromNs(sender), 0, 100 * kSecond + 20 * kMs);
  // A report queued 300 ms behind does not move the mapping.
  clock.onSenderReport(ntpFromNs(sender + kSecond), 90000, 101 * kSecond + 320 * kMs);
  EXPECT_NEAR(static_cast<double>(*clock.toLocalNs(180000)), static_cast<double>(102 * kSecond + 20 * kMs), 2.0);
  // Once the fast report leaves the window, the mapping follows the newer ones.
  for (int i = 2; i < 2 + static_cast<int>(RtpClock::kSenderReportWindow); ++i) {
    clock.onSenderReport(ntpFromNs(sender + i * kSecond), static_cast<uint32_t>(i * 90000),
                         (100 + i) * kSecond + 50 * kMs);
  }
  EXPECT_NEAR(static_cast<double>(*clock.toLocalNs(0)), static_cast<double>(100 * kSecond + 50 * kMs), 2.0);
}

TEST(RtpClock, SenderReportAcrossTheWrap) {
  RtpClock clock(90000);
  clock.onPacket(0xFFFFFF00u, 0);
  // SR taken just after the RTP timestamp wrapped: 0x100 ticks later.
  clock.onSenderReport(ntpFromNs(50 * kSecond), 0x00000000u, kSecond);
  EXPECT_NEAR(static_cast<double>(*clock.toLocalNs(0xFFFFFF00u)),
              static_cast<double>(kSecond - 256LL * kSecond / 90000), 2.0);
  EXPECT_NEAR(static_cast<double>(clock.onPacket(0x00000100u, 0)),
              static_cast<double>(kSecond + 256LL * kSecond / 90000), 2.0);
}

}  // namespace
}  // namespace fluxmeet::record
