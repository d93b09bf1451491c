#include "fluxmeet/media/rtcp/sender_report.hpp"

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

ReportBlock sampleBlock(uint32_t ssrc) {
  return ReportBlock{ssrc, 64, -2, 0x0001FFFF, 1234, 0x12345678, 65536};
}

TEST(SenderReport, RoundTrip) {
  const SenderInfo info{0xCAFEBABE, 0x83AA7E80'00000000ULL, 3000, 42, 4200};
  const std::vector<ReportBlock> blocks = {sampleBlock(1), sampleBlock(2)};
  std::array<uint8_t, 128> buffer{};
  auto size = writeSenderReport(buffer, info, blocks);
  ASSERT_EQ(size, 4U + 24 + 48);
  EXPECT_EQ(buffer[0], 0x82);
  EXPECT_EQ(buffer[1], 200);
  EXPECT_EQ(buffer[3], 18);  // 76 bytes = 19 words, minus one
  auto sr = SenderReportView::parse(single(std::span(buffer).first(*size)));
  ASSERT_TRUE(sr.has_value());
  EXPECT_EQ(sr->senderInfo(), info);
  ASSERT_EQ(sr->reportCount(), 2U);
  EXPECT_EQ(sr->reportBlock(0), blocks[0]);
  EXPECT_EQ(sr->reportBlock(1), blocks[1]);
  EXPECT_FALSE(writeSenderReport(std::span(buffer).first(60), info, blocks).has_value());
}

TEST(SenderReport, RejectsCountBeyondBody) {
  std::array<uint8_t, 128> buffer{};
  auto size = writeSenderReport(buffer, SenderInfo{}, {});
  ASSERT_EQ(size, 28U);
  buffer[0] = 0x81;  // claims one report block that is not there
  auto packet = parseRtcpPacket(std::span(buffer).first(*size));
  ASSERT_TRUE(packet.has_value());
  EXPECT_FALSE(SenderReportView::parse(*packet).has_value());
}

}  // namespace
}  // namespace fluxmeet::media::rtcp
