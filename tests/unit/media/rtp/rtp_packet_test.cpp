#include "fluxmeet/media/rtp/rtp_packet.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace fluxmeet::media::rtp {
namespace {

// Shaped like Chrome's Opus packets: PT 111, one-byte extensions ssrc-audio-level (id 1),
// abs-send-time (id 2) and transport-wide-cc (id 3, RFC 8285 section 4.2 layout), 4-word block.
std::vector<uint8_t> opusPacket() {
  return {0x90, 0x6f, 0x1a, 0x2b, 0x00, 0x01, 0xe2, 0x40, 0x5e, 0x3f, 0x1c, 0x0d,  // header
          0xbe, 0xde, 0x00, 0x03,                                                  // ext hdr
          0x10, 0xaa, 0x22, 0x12, 0x34, 0x56, 0x31, 0x00, 0x07, 0x00, 0x00, 0x00,  // elements
          0x78, 0x0b, 0xe4, 0xc1, 0x36, 0xec, 0xc5, 0x8d};                          // payload
}

// Shaped like a VP8 packet from an RTX-padded probe: CSRC, two-byte extensions, padding.
std::vector<uint8_t> vp8PacketWithPadding() {
  return {0xb1, 0xe0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe, 0x00, 0x00, 0x04, 0xd2,  // V2 P X CC=1 M PT96
          0x11, 0x22, 0x33, 0x44,                                                  // CSRC
          0x10, 0x00, 0x00, 0x02,                                                  // two-byte, 2 words
          0x05, 0x03, 0xa1, 0xa2, 0xa3, 0x00, 0x09, 0x00,                          // id5 len3, pad, id9 len0
          0x90, 0x80, 0x12, 0x34,                                                  // payload
          0x00, 0x00, 0x03};                                                       // 3 bytes padding
}

TEST(RtpPacket, ParsesOneByteExtensionPacket) {
  auto data = opusPacket();
  auto packet = RtpPacketView::parse(data);
  ASSERT_TRUE(packet.has_value());
  EXPECT_EQ(packet->version(), 2);
  EXPECT_FALSE(packet->hasPadding());
  EXPECT_TRUE(packet->hasExtension());
  EXPECT_EQ(packet->csrcCount(), 0);
  EXPECT_FALSE(packet->marker());
  EXPECT_EQ(packet->payloadType(), 111);
  EXPECT_EQ(packet->sequenceNumber(), 0x1a2b);
  EXPECT_EQ(packet->timestamp(), 123456U);
  EXPECT_EQ(packet->ssrc(), 0x5e3f1c0dU);
  EXPECT_EQ(packet->headerSize(), 28U);
  EXPECT_EQ(packet->payload().size(), 8U);
  EXPECT_EQ(packet->payload()[0], 0x78);
  EXPECT_EQ(packet->extensionFormat(), ExtensionFormat::OneByte);
  auto level = packet->findExtension(1);
  ASSERT_TRUE(level.has_value());
  ASSERT_EQ(level->size(), 1U);
  EXPECT_EQ((*level)[0], 0xaa);
  auto absSendTime = packet->findExtension(2);
  ASSERT_TRUE(absSendTime.has_value());
  ASSERT_EQ(absSendTime->size(), 3U);
  EXPECT_EQ((*absSendTime)[2], 0x56);
  auto twcc = packet->findExtension(3);
  ASSERT_TRUE(twcc.has_value());
  ASSERT_EQ(twcc->size(), 2U);
  EXPECT_EQ((*twcc)[1], 0x07);
  EXPECT_FALSE(packet->findExtension(4).has_value());
  EXPECT_FALSE(packet->findExtension(15).has_value());
}

TEST(RtpPacket, ParsesCsrcTwoByteExtensionAndPadding) {
  auto data = vp8PacketWithPadding();
  auto packet = RtpPacketView::parse(data);
  ASSERT_TRUE(packet.has_value());
  EXPECT_TRUE(packet->hasPadding());
  EXPECT_TRUE(packet->marker());
  EXPECT_EQ(packet->payloadType(), 96);
  EXPECT_EQ(packet->sequenceNumber(), 0xffff);
  EXPECT_EQ(packet->timestamp(), 0xfffffffeU);
  EXPECT_EQ(packet->csrcCount(), 1);
  EXPECT_EQ(packet->csrc(0), 0x11223344U);
  EXPECT_EQ(packet->extensionFormat(), ExtensionFormat::TwoByte);
  EXPECT_EQ(packet->paddingSize(), 3U);
  ASSERT_EQ(packet->payload().size(), 4U);
  EXPECT_EQ(packet->payload()[0], 0x90);
  auto five = packet->findExtension(5);
  ASSERT_TRUE(five.has_value());
  EXPECT_EQ(five->size(), 3U);
  EXPECT_EQ((*five)[0], 0xa1);
  auto nine = packet->findExtension(9);
  ASSERT_TRUE(nine.has_value());
  EXPECT_TRUE(nine->empty());
}

TEST(RtpPacket, RewritesInPlace) {
  auto data = opusPacket();
  const auto original = data;
  auto packet = RtpPacketView::parse(data);
  ASSERT_TRUE(packet.has_value());
  packet->setSsrc(0xdeadbeef);
  packet->setSequenceNumber(7);
  packet->setTimestamp(0x01020304);
  packet->setPayloadType(100);
  packet->setMarker(true);
  // Extension values are writable in place (e.g. the SFU's own transport-wide sequence).
  auto twcc = packet->findExtension(3);
  ASSERT_TRUE(twcc.has_value());
  (*twcc)[0] = 0xab;

  auto again = RtpPacketView::parse(data);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->ssrc(), 0xdeadbeefU);
  EXPECT_EQ(again->sequenceNumber(), 7);
  EXPECT_EQ(again->timestamp(), 0x01020304U);
  EXPECT_EQ(again->payloadType(), 100);
  EXPECT_TRUE(again->marker());
  EXPECT_EQ((*again->findExtension(3))[0], 0xab);
  EXPECT_TRUE(again->hasExtension());
  EXPECT_EQ(data[0], original[0]);
  EXPECT_TRUE(std::equal(data.begin() + 12, data.begin() + 22, original.begin() + 12));
  EXPECT_TRUE(std::equal(data.begin() + 24, data.end(), original.begin() + 24));
}

TEST(RtpPacket, BuildRoundTrip) {
  const std::vector<uint8_t> payload = {1, 2, 3, 4, 5};
  std::array<uint8_t, 64> buffer{};
  RtpHeaderFields fields{true, 97, 65000, 90000, 42};
  auto size = RtpPacketView::build(buffer, fields, payload);
  ASSERT_EQ(size, 17U);
  auto packet = RtpPacketView::parse(std::span(buffer).first(*size));
  ASSERT_TRUE(packet.has_value());
  EXPECT_TRUE(packet->marker());
  EXPECT_EQ(packet->payloadType(), 97);
  EXPECT_EQ(packet->sequenceNumber(), 65000);
  EXPECT_EQ(packet->timestamp(), 90000U);
  EXPECT_EQ(packet->ssrc(), 42U);
  EXPECT_EQ(packet->extensionFormat(), ExtensionFormat::None);
  EXPECT_FALSE(packet->findExtension(1).has_value());
  ASSERT_EQ(packet->payload().size(), payload.size());
  EXPECT_TRUE(std::equal(payload.begin(), payload.end(), packet->payload().begin()));
  std::array<uint8_t, 14> small{};
  EXPECT_FALSE(RtpPacketView::build(small, fields, payload).has_value());
  fields.payloadType = 128;
  EXPECT_FALSE(RtpPacketView::build(buffer, fields, payload).has_value());
}

TEST(RtpPacket, RejectsShortAndBadVersion) {
  auto data = opusPacket();
  for (size_t n = 0; n < 28; ++n) {
    EXPECT_FALSE(RtpPacketView::parse(std::span(data).first(n)).has_value()) << n;
  }
  data[0] = 0x50;  // version 1
  EXPECT_FALSE(RtpPacketView::parse(data).has_value());
}

TEST(RtpPacket, RejectsCsrcBeyondBuffer) {
  std::vector<uint8_t> data = {0x8f, 96, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0};  // CC=15
  EXPECT_FALSE(RtpPacketView::parse(data).has_value());
}

TEST(RtpPacket, RejectsExtensionLengthBeyondBuffer) {
  auto data = opusPacket();
  data[15] = 0x10;  // 16 words
  EXPECT_FALSE(RtpPacketView::parse(data).has_value());
}

TEST(RtpPacket, RejectsBadPadding) {
  auto data = vp8PacketWithPadding();
  data.back() = 9;  // more than payload + padding (7 bytes after the header)
  EXPECT_FALSE(RtpPacketView::parse(data).has_value());
  data.back() = 0;  // zero padding count with P set
  EXPECT_FALSE(RtpPacketView::parse(data).has_value());
  data.back() = 7;  // exactly everything after the header: empty payload is valid
  auto packet = RtpPacketView::parse(data);
  ASSERT_TRUE(packet.has_value());
  EXPECT_TRUE(packet->payload().empty());
}

TEST(RtpPacket, MalformedExtensionElementsAreIgnoredNotOverread) {
  auto data = opusPacket();
  data[16] = 0x1f;  // id 1 claims 16 bytes inside a 12-byte block
  auto packet = RtpPacketView::parse(data);
  ASSERT_TRUE(packet.has_value());
  EXPECT_FALSE(packet->findExtension(1).has_value());
  EXPECT_FALSE(packet->findExtension(3).has_value());
}

TEST(RtpPacket, OtherExtensionProfilesHaveNoElements) {
  auto data = opusPacket();
  data[12] = 0x12;
  data[13] = 0x34;
  auto packet = RtpPacketView::parse(data);
  ASSERT_TRUE(packet.has_value());
  EXPECT_EQ(packet->extensionFormat(), ExtensionFormat::Other);
  EXPECT_EQ(packet->extensionProfile(), 0x1234);
  EXPECT_EQ(packet->extensionData().size(), 12U);
  EXPECT_FALSE(packet->findExtension(1).has_value());
}

}  // namespace
}  // namespace fluxmeet::media::rtp
