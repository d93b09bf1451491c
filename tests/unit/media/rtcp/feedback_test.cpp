#include "fluxmeet/media/rtcp/feedback.hpp"

#include <gtest/gtest.h>

#include <vector>


namespace fluxmeet::media::rtcp {
namespace {

RtcpPacket single(std::span<const uint8_t> data) {
  auto packet = parseRtcpPacket(data);
  EXPECT_TRUE(packet.has_value());
  return packet.value_or(RtcpPacket{});
}

TEST(Nack, ExpandsPidAndBlp) {
  // RFC 4585 section 6.2.1: PID 1000, BLP 0b1000'0000'0000'0101 -> 1000, 1001, 1003, 1016.
  // Second entry PID 65535 BLP 0x0001 -> 65535, 0 (wraps).
  const std::vector<uint8_t> data = {0x81, 205, 0x00, 0x04, 0, 0, 0, 1, 0, 0, 0, 2,
                                     0x03, 0xE8, 0x80, 0x05, 0xFF, 0xFF, 0x00, 0x01};
  auto nack = NackView::parse(single(data));
  ASSERT_TRUE(nack.has_value());
  EXPECT_EQ(nack->senderSsrc(), 1U);
  EXPECT_EQ(nack->mediaSsrc(), 2U);
  EXPECT_EQ(nack->entryCount(), 2U);
  std::vector<uint16_t> lost;
  nack->forEachLost([&](uint16_t seq) { lost.push_back(seq); });
  EXPECT_EQ(lost, (std::vector<uint16_t>{1000, 1001, 1003, 1016, 65535, 0}));
  std::array<uint16_t, 3> firstThree{};
  EXPECT_EQ(nack->expand(firstThree), 3U);
  EXPECT_EQ(firstThree[2], 1003);
}

TEST(Nack, BuildRoundTrip) {
  const std::vector<uint16_t> lost = {65530, 65531, 65535, 3, 10, 11, 40};
  std::array<uint8_t, 64> buffer{};
  auto size = writeNack(buffer, 0xA, 0xB, lost);
  ASSERT_TRUE(size.has_value());
  // 65530 covers up to 65530+16 = 10 (wrapped); 11 and 40 need new entries.
  EXPECT_EQ(*size, 12U + 3 * 4);
  auto nack = NackView::parse(single(std::span(buffer).first(*size)));
  ASSERT_TRUE(nack.has_value());
  std::vector<uint16_t> expanded;
  nack->forEachLost([&](uint16_t seq) { expanded.push_back(seq); });
  EXPECT_EQ(expanded, lost);
  EXPECT_FALSE(writeNack(buffer, 1, 2, {}).has_value());
  EXPECT_FALSE(writeNack(std::span(buffer).first(16), 1, 2, lost).has_value());
}

TEST(Nack, RejectsEmptyOrRaggedFci) {
  const std::vector<uint8_t> empty = {0x81, 205, 0x00, 0x02, 0, 0, 0, 1, 0, 0, 0, 2};
  EXPECT_FALSE(NackView::parse(single(empty)).has_value());
  const std::vector<uint8_t> pli = {0x81, 206, 0x00, 0x02, 0, 0, 0, 1, 0, 0, 0, 2};
  EXPECT_FALSE(NackView::parse(single(pli)).has_value());
}

TEST(Pli, RoundTrip) {
  std::array<uint8_t, 12> buffer{};
  ASSERT_EQ(writePli(buffer, 0x1111, 0x2222), 12U);
  EXPECT_EQ(buffer[0], 0x81);
  EXPECT_EQ(buffer[1], 206);
  auto pli = parsePli(single(buffer));
  ASSERT_TRUE(pli.has_value());
  EXPECT_EQ(pli->senderSsrc, 0x1111U);
  EXPECT_EQ(pli->mediaSsrc, 0x2222U);
  EXPECT_FALSE(writePli(std::span(buffer).first(11), 1, 2).has_value());
  const std::vector<uint8_t> truncated = {0x81, 206, 0x00, 0x01, 0, 0, 0, 1};
  EXPECT_FALSE(parsePli(single(truncated)).has_value());
}

TEST(Fir, RoundTrip) {
  const std::vector<FirEntry> entries = {{0xAAAA, 3}, {0xBBBB, 250}};
  std::array<uint8_t, 64> buffer{};
  auto size = writeFir(buffer, 0x77, entries);
  ASSERT_EQ(size, 28U);
  EXPECT_EQ(buffer[0], 0x84);
  auto fir = FirView::parse(single(std::span(buffer).first(*size)));
  ASSERT_TRUE(fir.has_value());
  EXPECT_EQ(fir->senderSsrc(), 0x77U);
  ASSERT_EQ(fir->entryCount(), 2U);
  EXPECT_EQ(fir->entry(0), entries[0]);
  EXPECT_EQ(fir->entry(1), entries[1]);
}

}  // namespace
}  // namespace fluxmeet::media::rtcp
