#include "fluxmeet/media/rtcp/bye.hpp"

#include <gtest/gtest.h>

#include <array>
#include <vector>

namespace fluxmeet::media::rtcp {
namespace {

RtcpPacket single(std::span<const uint8_t> data) {
  auto packet = parseRtcpPacket(data);
  EXPECT_TRUE(packet.has_value());
  EXPECT_EQ(packet ? packet->bytes.size() : 0, data.size());
  return packet.value_or(RtcpPacket{});
}

TEST(Bye, RoundTripWithReason) {
  const std::vector<uint32_t> ssrcs = {0x10, 0x20};
  std::array<uint8_t, 64> buffer{};
  auto size = writeBye(buffer, ssrcs, "left the meeting");
  ASSERT_EQ(size, 4U + 8 + 20);
  auto bye = ByeView::parse(single(std::span(buffer).first(*size)));
  ASSERT_TRUE(bye.has_value());
  ASSERT_EQ(bye->ssrcCount(), 2U);
  EXPECT_EQ(bye->ssrc(1), 0x20U);
  EXPECT_EQ(bye->reason(), "left the meeting");
  auto bare = writeBye(buffer, ssrcs);
  ASSERT_EQ(bare, 12U);
  EXPECT_TRUE(ByeView::parse(single(std::span(buffer).first(*bare)))->reason().empty());
}

TEST(Bye, RejectsReasonOverrun) {
  const std::vector<uint8_t> data = {0x81, 203, 0x00, 0x02, 0, 0, 0, 1, 9, 'b', 'y', 'e'};
  EXPECT_FALSE(ByeView::parse(single(data)).has_value());
}

}  // namespace
}  // namespace fluxmeet::media::rtcp
