#include "fluxmeet/media/rtcp/compound.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "fluxmeet/media/rtcp/sdes.hpp"
#include "fluxmeet/media/rtcp/sender_report.hpp"

namespace fluxmeet::media::rtcp {
namespace {

std::vector<uint8_t> srPlusSdes() {
  std::array<uint8_t, 256> buffer{};
  const SenderInfo info{0x11223344, 0xE0E1E2E3E4E5E6E7ULL, 90000, 10, 1000};
  ReportBlock block;
  block.ssrc = 0xAABBCCDD;
  block.fractionLost = 25;
  block.cumulativeLost = 3;
  auto srSize = writeSenderReport(buffer, info, std::span(&block, 1));
  EXPECT_TRUE(srSize.has_value());
  const SdesChunk chunk{0x11223344, "user@flux"};
  auto sdesSize = writeSdes(std::span(buffer).subspan(*srSize), std::span(&chunk, 1));
  EXPECT_TRUE(sdesSize.has_value());
  return {buffer.begin(), buffer.begin() + static_cast<long>(*srSize + *sdesSize)};
}

TEST(RtcpCompound, IteratesSrPlusSdes) {
  const auto data = srPlusSdes();
  auto compound = RtcpCompound::parse(data);
  ASSERT_TRUE(compound.has_value());
  EXPECT_EQ(compound->packetCount(), 2U);
  std::vector<uint8_t> types;
  for (const RtcpPacket& packet : *compound) {
    types.push_back(packet.packetType);
    if (auto sr = SenderReportView::parse(packet)) {
      EXPECT_EQ(sr->senderInfo().ssrc, 0x11223344U);
      ASSERT_EQ(sr->reportCount(), 1U);
      EXPECT_EQ(sr->reportBlock(0).fractionLost, 25);
    } else if (auto sdes = SdesView::parse(packet)) {
      EXPECT_EQ(sdes->cnameFor(0x11223344), "user@flux");
    } else {
      ADD_FAILURE() << "unexpected packet type " << int(packet.packetType);
    }
  }
  EXPECT_EQ(types, (std::vector<uint8_t>{200, 202}));
}

TEST(RtcpCompound, RejectsTruncatedAndTrailingBytes) {
  const auto data = srPlusSdes();
  constexpr size_t kSrSize = 4 + 24 + 24;  // a lone SR is itself a valid compound
  for (size_t n = 0; n < data.size(); ++n) {
    EXPECT_EQ(RtcpCompound::parse(std::span(data).first(n)).has_value(), n == kSrSize) << n;
  }
  auto longer = data;
  longer.push_back(0x80);
  EXPECT_FALSE(RtcpCompound::parse(longer).has_value());
}

TEST(RtcpCompound, RejectsBadVersion) {
  auto data = srPlusSdes();
  data[0] = (data[0] & 0x3F) | 0x40;
  EXPECT_FALSE(RtcpCompound::parse(data).has_value());
}

TEST(RtcpCompound, PaddingOnlyOnLastPacket) {
  // RR with no blocks (8 bytes) padded by 4 bytes, followed by nothing: valid.
  std::vector<uint8_t> padded = {0xA0, 201, 0x00, 0x02, 0, 0, 0, 1, 0, 0, 0, 4};
  auto compound = RtcpCompound::parse(padded);
  ASSERT_TRUE(compound.has_value());
  EXPECT_EQ(compound->begin()->body.size(), 4U);
  // The same padded packet followed by another one: invalid (RFC 3550 section 6.4.1).
  auto twice = padded;
  twice.insert(twice.end(), {0x80, 201, 0x00, 0x01, 0, 0, 0, 2});
  EXPECT_FALSE(RtcpCompound::parse(twice).has_value());
  // Padding count larger than the packet: invalid.
  padded.back() = 12;
  EXPECT_FALSE(RtcpCompound::parse(padded).has_value());
}

}  // namespace
}  // namespace fluxmeet::media::rtcp
