#include "fluxmeet/media/rtcp/receiver_report.hpp"

#include <gtest/gtest.h>

#include <array>
#include <vector>

#include "fluxmeet/media/rtcp/sender_report.hpp"

namespace fluxmeet::media::rtcp {
namespace {

RtcpPacket single(std::span<const uint8_t> data) {
  auto packet = parseRtcpPacket(data);
  EXPECT_TRUE(packet.has_value());
  EXPECT_EQ(packet ? packet->bytes.size() : 0, data.size());
  return packet.value_or(RtcpPacket{});
}

ReportBlock sampleBlock(uint32_t ssrc) {
  return ReportBlock{ssrc, 64, -2, 0x0001FFFF, 1234, 0x12345678, 65536};
}

TEST(ReceiverReport, RoundTripWithNegativeLoss) {
  const std::vector<ReportBlock> blocks = {sampleBlock(7)};
  std::array<uint8_t, 64> buffer{};
  auto size = writeReceiverReport(buffer, 0x01020304, blocks);
  ASSERT_EQ(size, 32U);
  EXPECT_EQ(buffer[13], 0xFF);  // -2 as 24-bit two's complement: FF FF FE
  EXPECT_EQ(buffer[15], 0xFE);
  auto rr = ReceiverReportView::parse(single(std::span(buffer).first(*size)));
  ASSERT_TRUE(rr.has_value());
  EXPECT_EQ(rr->senderSsrc(), 0x01020304U);
  ASSERT_EQ(rr->reportCount(), 1U);
  EXPECT_EQ(rr->reportBlock(0), blocks[0]);
  EXPECT_EQ(rr->reportBlock(0).cumulativeLost, -2);
  EXPECT_FALSE(SenderReportView::parse(single(std::span(buffer).first(*size))).has_value());
}

}  // namespace
}  // namespace fluxmeet::media::rtcp
