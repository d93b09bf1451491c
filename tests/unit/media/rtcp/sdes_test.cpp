#include "fluxmeet/media/rtcp/sdes.hpp"

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

TEST(Sdes, RoundTripSeveralChunks) {
  const std::vector<SdesChunk> chunks = {{1, "a"}, {2, "abc"}, {3, "0123456789abcdef"}};
  std::array<uint8_t, 128> buffer{};
  auto size = writeSdes(buffer, chunks);
  ASSERT_TRUE(size.has_value());
  EXPECT_EQ(*size % 4, 0U);
  auto sdes = SdesView::parse(single(std::span(buffer).first(*size)));
  ASSERT_TRUE(sdes.has_value());
  ASSERT_EQ(sdes->chunkCount(), 3U);
  EXPECT_EQ(sdes->chunk(1).ssrc, 2U);
  EXPECT_EQ(sdes->chunk(1).cname, "abc");
  EXPECT_EQ(sdes->cnameFor(3), "0123456789abcdef");
  EXPECT_FALSE(sdes->cnameFor(4).has_value());
}

TEST(Sdes, RejectsItemOverrun) {
  // One chunk whose CNAME claims 10 bytes in a 4-byte item area.
  const std::vector<uint8_t> data = {0x81, 202, 0x00, 0x02, 0, 0, 0, 1, 1, 10, 'a', 'b'};
  EXPECT_FALSE(SdesView::parse(single(data)).has_value());
  // A chunk without a terminating null item.
  const std::vector<uint8_t> unterminated = {0x81, 202, 0x00, 0x02, 0, 0, 0, 1, 1, 2, 'a', 'b'};
  EXPECT_FALSE(SdesView::parse(single(unterminated)).has_value());
}

// Found by fuzz_rtcp_compound: a chunk without CNAME has an empty (null) view.
TEST(Sdes, ChunkWithoutCnameRoundTrips) {
  const std::vector<SdesChunk> chunks = {{5, {}}};
  std::array<uint8_t, 32> buffer{};
  auto size = writeSdes(buffer, chunks);
  ASSERT_EQ(size, 12U);
  auto sdes = SdesView::parse(*parseRtcpPacket(std::span(buffer).first(*size)));
  ASSERT_TRUE(sdes.has_value());
  EXPECT_EQ(sdes->chunk(0).ssrc, 5U);
  EXPECT_TRUE(sdes->chunk(0).cname.empty());
}

}  // namespace
}  // namespace fluxmeet::media::rtcp
