#include "fluxmeet/media/rtcp/transport_cc.hpp"

#include <gtest/gtest.h>

#include <tuple>
#include <vector>

namespace fluxmeet::media::rtcp {
namespace {

// Hand-computed from draft-holmer-rmcat-transport-wide-cc-extensions-01 section 3.1:
//   base seq 100, 24 statuses, reference time 258 (x 64 ms), feedback count 5.
//   chunk 0x2003: run length, S=01 (small delta), run 3          -> seq 100..102
//   chunk 0xC905: 2-bit vector: NR, L, S, NR, NR, S, S          -> seq 103..109
//   chunk 0xAC01: 1-bit vector: 1,0,1,1,0,0,0,0,0,0,0,0,0,1     -> seq 110..123
//   deltas: 04 08 00 | FFF0 10 01 02 | 05 06 07 FA, then 2 bytes of zero padding.
const std::vector<uint8_t> kFeedback = {
    0x8F, 0xCD, 0x00, 0x09,  // V=2 FMT=15 RTPFB, 10 words
    0x00, 0x00, 0x00, 0x01,  // sender SSRC
    0x00, 0x00, 0x00, 0x02,  // media SSRC
    0x00, 0x64, 0x00, 0x18,  // base seq 100, status count 24
    0x00, 0x01, 0x02, 0x05,  // reference time 258, fb pkt count 5
    0x20, 0x03, 0xC9, 0x05, 0xAC, 0x01,
    0x04, 0x08, 0x00, 0xFF, 0xF0, 0x10, 0x01, 0x02, 0x05, 0x06, 0x07, 0xFA,
    0x00, 0x00};

using Row = std::tuple<uint16_t, TccStatus, int32_t>;

std::vector<Row> rows(const TransportCcView& view) {
  std::vector<Row> out;
  view.forEachPacket([&](uint16_t seq, TccStatus status, int32_t delta) {
    out.emplace_back(seq, status, delta);
  });
  return out;
}

TEST(TransportCc, ParsesBothChunkKinds) {
  auto packet = parseRtcpPacket(kFeedback);
  ASSERT_TRUE(packet.has_value());
  auto tcc = TransportCcView::parse(*packet);
  ASSERT_TRUE(tcc.has_value());
  EXPECT_EQ(tcc->senderSsrc(), 1U);
  EXPECT_EQ(tcc->mediaSsrc(), 2U);
  EXPECT_EQ(tcc->baseSequence(), 100);
  EXPECT_EQ(tcc->packetStatusCount(), 24);
  EXPECT_EQ(tcc->referenceTime(), 258);
  EXPECT_EQ(tcc->referenceTimeUs(), 258 * 64000);
  EXPECT_EQ(tcc->feedbackPacketCount(), 5);

  using S = TccStatus;
  std::vector<Row> expected = {
      {100, S::SmallDelta, 4},   {101, S::SmallDelta, 8},   {102, S::SmallDelta, 0},
      {103, S::NotReceived, 0},  {104, S::LargeDelta, -16}, {105, S::SmallDelta, 16},
      {106, S::NotReceived, 0},  {107, S::NotReceived, 0},  {108, S::SmallDelta, 1},
      {109, S::SmallDelta, 2},   {110, S::SmallDelta, 5},   {111, S::NotReceived, 0},
      {112, S::SmallDelta, 6},   {113, S::SmallDelta, 7}};
  for (uint16_t seq = 114; seq <= 122; ++seq) expected.emplace_back(seq, S::NotReceived, 0);
  expected.emplace_back(123, S::SmallDelta, 250);
  EXPECT_EQ(rows(*tcc), expected);
}

TEST(TransportCc, LastChunkMayOverhang) {
  // 5 statuses from one 7-symbol vector chunk (NR, L, S, NR, NR, [S, S unused]).
  const std::vector<uint8_t> data = {0x8F, 0xCD, 0x00, 0x06, 0, 0, 0, 1, 0, 0, 0, 2,
                                     0x00, 0x64, 0x00, 0x05, 0xFF, 0xFF, 0xFF, 0x00,
                                     0xC9, 0x05, 0xFF, 0xF0, 0x10, 0x00, 0x00, 0x00};
  auto tcc = TransportCcView::parse(*parseRtcpPacket(data));
  ASSERT_TRUE(tcc.has_value());
  EXPECT_EQ(tcc->referenceTime(), -1);  // 24-bit signed
  const auto got = rows(*tcc);
  ASSERT_EQ(got.size(), 5U);
  EXPECT_EQ(got[1], Row(101, TccStatus::LargeDelta, -16));
  EXPECT_EQ(got[2], Row(102, TccStatus::SmallDelta, 16));
  EXPECT_EQ(got[4], Row(104, TccStatus::NotReceived, 0));
}

TEST(TransportCc, RejectsMalformed) {
  // A status count but no chunk to cover it.
  const std::vector<uint8_t> noChunks = {0x8F, 0xCD, 0x00, 0x04, 0, 0, 0, 1, 0, 0, 0, 2,
                                         0x00, 0x01, 0x00, 0x01, 0, 0, 0, 0};
  EXPECT_FALSE(TransportCcView::parse(*parseRtcpPacket(noChunks)).has_value());

  auto data = kFeedback;
  data[20] = 0x60;  // run length chunk with reserved status 3
  EXPECT_FALSE(TransportCcView::parse(*parseRtcpPacket(data)).has_value());

  data = kFeedback;
  data[20] = 0x40;  // run of 3 large deltas (6 bytes) instead of 3 small ones
  data[21] = 0x03;
  // 6 + 5 + 4 = 15 delta bytes > 14 available.
  EXPECT_FALSE(TransportCcView::parse(*parseRtcpPacket(data)).has_value());

  // Truncated FCI.
  std::vector<uint8_t> shortFci = {0x8F, 0xCD, 0x00, 0x03, 0, 0, 0, 1, 0, 0, 0, 2, 0, 1, 0, 1};
  EXPECT_FALSE(TransportCcView::parse(*parseRtcpPacket(shortFci)).has_value());

  // Wrong FMT.
  data = kFeedback;
  data[0] = 0x81;
  EXPECT_FALSE(TransportCcView::parse(*parseRtcpPacket(data)).has_value());
}

}  // namespace
}  // namespace fluxmeet::media::rtcp
