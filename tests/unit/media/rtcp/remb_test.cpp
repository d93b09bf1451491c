#include "fluxmeet/media/rtcp/remb.hpp"

#include <gtest/gtest.h>

#include <array>
#include <vector>

namespace fluxmeet::media::rtcp {
namespace {

RtcpPacket single(std::span<const uint8_t> data) {
  auto packet = parseRtcpPacket(data);
  EXPECT_TRUE(packet.has_value());
  return packet.value_or(RtcpPacket{});
}

TEST(Remb, RoundTrip) {
  const std::vector<uint32_t> ssrcs = {0x1234, 0x5678};
  std::array<uint8_t, 64> buffer{};
  auto size = writeRemb(buffer, 0x99, 1'500'000, ssrcs);
  ASSERT_EQ(size, 28U);
  auto remb = RembView::parse(single(std::span(buffer).first(*size)));
  ASSERT_TRUE(remb.has_value());
  EXPECT_EQ(remb->senderSsrc(), 0x99U);
  // 1,500,000 = 0b1_0110_1110_0011_0110_0000: needs exponent 3, mantissa 187500 exactly.
  EXPECT_EQ(remb->bitrateBps(), 1'500'000U);
  ASSERT_EQ(remb->ssrcCount(), 2U);
  EXPECT_EQ(remb->ssrc(1), 0x5678U);
  // Bitrates needing more than 18 bits of mantissa are rounded down.
  size = writeRemb(buffer, 1, 1'000'000'007, {});
  ASSERT_TRUE(size.has_value());
  remb = RembView::parse(single(std::span(buffer).first(*size)));
  ASSERT_TRUE(remb.has_value());
  EXPECT_LE(remb->bitrateBps(), 1'000'000'007U);
  EXPECT_GT(remb->bitrateBps(), 999'990'000U);
}

TEST(Remb, KnownWireBytes) {
  // Exp 5, mantissa 0x0F424 -> 62500 << 5 = 2,000,000 bps; one SSRC.
  const std::vector<uint8_t> data = {0x8F, 206, 0x00, 0x05, 0, 0, 0, 1, 0, 0, 0, 0,
                                     'R',  'E', 'M',  'B',  1, 0x14, 0xF4, 0x24, 0xDE, 0xAD, 0xBE, 0xEF};
  auto remb = RembView::parse(single(data));
  ASSERT_TRUE(remb.has_value());
  EXPECT_EQ(remb->bitrateBps(), 2'000'000U);
  EXPECT_EQ(remb->ssrc(0), 0xDEADBEEFU);
  auto bad = data;
  bad[16] = 3;  // claims 3 SSRCs, has 1
  EXPECT_FALSE(RembView::parse(single(bad)).has_value());
  bad = data;
  bad[12] = 'X';
  EXPECT_FALSE(RembView::parse(single(bad)).has_value());
}

}  // namespace
}  // namespace fluxmeet::media::rtcp
