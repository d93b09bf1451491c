#include "fluxmeet/media/rtp/header_extensions.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string_view>
#include <vector>

namespace fluxmeet::media::rtp {
namespace {

using Bytes = std::vector<uint8_t>;

// A Chrome-style simulcast video packet: PT 96, one-byte extensions (RFC 8285 section 4.2)
// mid=1 "0", rid=2 "hi", abs-send-time=3, transport-wide-cc=4, video-orientation=5, padding.
Bytes videoPacket() {
  return {0x90, 0x60, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x11, 0x22, 0x33, 0x44,  // header
          0xbe, 0xde, 0x00, 0x04,                                                  // ext hdr
          0x10, '0',                                                               // mid
          0x21, 'h',  'i',                                                         // rid
          0x32, 0x12, 0x34, 0x56,                                                  // abs-send-time
          0x41, 0x01, 0x02,                                                        // twcc 258
          0x50, 0x0d,                                                              // CVO
          0x00, 0x00,                                                              // padding
          0x90, 0xe0, 0x80, 0x01};                                                 // payload
}

HeaderExtensionIds videoIds() {
  HeaderExtensionIds ids;
  ids.mid = 1;
  ids.rid = 2;
  ids.absSendTime = 3;
  ids.transportWideCc = 4;
  ids.videoOrientation = 5;
  return ids;
}

TEST(HeaderExtensions, ReadsAllNegotiatedValuesInOnePass) {
  auto data = videoPacket();
  const auto packet = RtpPacketView::parse(data);
  ASSERT_TRUE(packet.has_value());
  const auto values = readHeaderExtensions(*packet, videoIds());
  EXPECT_EQ(values.mid, "0");
  EXPECT_EQ(values.rid, "hi");
  EXPECT_FALSE(values.repairedRid.has_value());
  EXPECT_EQ(values.absSendTime, 0x123456U);
  EXPECT_EQ(values.transportWideSequenceNumber, 258);
  EXPECT_FALSE(values.audioLevel.has_value());
  ASSERT_TRUE(values.videoOrientation.has_value());
  EXPECT_TRUE(values.videoOrientation->backCamera);
  EXPECT_TRUE(values.videoOrientation->horizontalFlip);
  EXPECT_EQ(values.videoOrientation->rotationDegrees, 90);
  // The string values are views into the packet, not copies.
  EXPECT_EQ(values.rid->data(), reinterpret_cast<const char*>(&data[19]));
}

TEST(HeaderExtensions, UnnegotiatedIdsAreIgnored) {
  auto data = videoPacket();
  const auto packet = RtpPacketView::parse(data);
  HeaderExtensionIds ids;  // nothing negotiated
  const auto none = readHeaderExtensions(*packet, ids);
  EXPECT_FALSE(none.mid || none.rid || none.absSendTime || none.transportWideSequenceNumber ||
               none.videoOrientation);
  ids.audioLevel = 1;  // misconfigured: mid's ID decoded as audio level
  const auto values = readHeaderExtensions(*packet, ids);
  ASSERT_TRUE(values.audioLevel.has_value());
  EXPECT_EQ(values.audioLevel->levelDbov, '0' & 0x7f);
}

TEST(HeaderExtensions, AudioLevelFromOpusPacket) {
  // Chrome's Opus: ssrc-audio-level id 1 = 0xaa (V=1, 42 -dBov), abs-send-time 2, twcc 3.
  Bytes data = {0x90, 0x6f, 0x1a, 0x2b, 0x00, 0x01, 0xe2, 0x40, 0x5e, 0x3f,
                0x1c, 0x0d, 0xbe, 0xde, 0x00, 0x03, 0x10, 0xaa, 0x22, 0x12,
                0x34, 0x56, 0x31, 0x00, 0x07, 0x00, 0x00, 0x00, 0x78, 0x0b};
  const auto packet = RtpPacketView::parse(data);
  HeaderExtensionIds ids;
  ids.audioLevel = 1;
  ids.absSendTime = 2;
  ids.transportWideCc = 3;
  const auto values = readHeaderExtensions(*packet, ids);
  ASSERT_TRUE(values.audioLevel.has_value());
  EXPECT_TRUE(values.audioLevel->voiceActivity);
  EXPECT_EQ(values.audioLevel->levelDbov, 42);
  EXPECT_EQ(values.absSendTime, 0x123456U);
  EXPECT_EQ(values.transportWideSequenceNumber, 7);
}

TEST(HeaderExtensions, TwoByteFormatWithRepairedRid) {
  // RFC 8285 section 4.3 (profile 0x1000): an RTX packet with repaired-rid id 20 = "f", and mid
  // id 200 of 17 bytes (neither fits the one-byte form), then two padding bytes.
  Bytes data = {0x90, 0x61, 0x00, 0x02, 0x00, 0x00, 0x00, 0x02, 0x55, 0x66, 0x77,
                0x88, 0x10, 0x00, 0x00, 0x06, 0x14, 0x01, 'f',  0xc8, 0x11};
  for (char c : std::string_view("abcdefghijklmnopq")) data.push_back(static_cast<uint8_t>(c));
  data.push_back(0x00);
  data.push_back(0x00);
  ASSERT_EQ(data.size(), 12U + 4U + 24U);
  data.push_back(0xaa);  // payload
  const auto packet = RtpPacketView::parse(data);
  ASSERT_TRUE(packet.has_value());
  HeaderExtensionIds ids;
  ids.repairedRid = 20;
  ids.mid = 200;
  const auto values = readHeaderExtensions(*packet, ids);
  EXPECT_EQ(values.repairedRid, "f");
  EXPECT_EQ(values.mid, "abcdefghijklmnopq");
}

TEST(HeaderExtensions, MalformedValuesAreLeftOut) {
  EXPECT_FALSE(readAbsSendTime(Bytes{0x01, 0x02}).has_value());
  EXPECT_FALSE(readAbsSendTime(Bytes{0x01, 0x02, 0x03, 0x04}).has_value());
  EXPECT_FALSE(readTransportWideSequenceNumber(Bytes{0x01}).has_value());
  EXPECT_EQ(readTransportWideSequenceNumber(Bytes{0x01, 0x02, 0x00, 0x01}), 0x0102);
  EXPECT_FALSE(readAudioLevel(Bytes{}).has_value());
  EXPECT_FALSE(readVideoOrientation(Bytes{}).has_value());
  EXPECT_FALSE(readStringExtension(Bytes{}).has_value());
  EXPECT_FALSE(readStringExtension(Bytes{0x00, 'a'}).has_value());       // starts with NUL
  EXPECT_FALSE(readStringExtension(Bytes{'a', 0x00, 'b'}).has_value());  // NUL inside
  EXPECT_FALSE(readStringExtension(Bytes{'a', ' ', 'b'}).has_value());   // not visible ASCII
  EXPECT_FALSE(readStringExtension(Bytes{'a', 0xc3, 0xa9}).has_value());
  EXPECT_EQ(readStringExtension(Bytes{'l', 'o', 0x00, 0x00}), "lo");  // trailing padding
}

TEST(HeaderExtensions, DuplicateIdFirstElementWinsEvenIfMalformed) {
  // twcc id 4 appears twice: first with 1 byte (malformed), then 2 bytes.
  Bytes data = {0x90, 0x60, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x11, 0x22, 0x33, 0x44, 0xbe,
                0xde, 0x00, 0x02, 0x40, 0x09, 0x41, 0x01, 0x02, 0x00, 0x00, 0x00, 0x90};
  const auto packet = RtpPacketView::parse(data);
  HeaderExtensionIds ids;
  ids.transportWideCc = 4;
  EXPECT_FALSE(readHeaderExtensions(*packet, ids).transportWideSequenceNumber.has_value());
  EXPECT_EQ(packet->findExtension(4)->size(), 1U);  // same element as findExtension
}

TEST(HeaderExtensions, OverrunningElementStopsWalkWithoutReadingPastBlock) {
  // One-byte block of 1 word: mid (id 1, 1 byte), then id 2 claiming 4 bytes in a 2-byte rest.
  // The payload after the block starts with bytes that would look like a valid element.
  Bytes data = {0x90, 0x60, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x11, 0x22, 0x33, 0x44,
                0xbe, 0xde, 0x00, 0x01, 0x10, 'm',  0x23, 'r',  0x30, 0x00, 0x00};
  const auto packet = RtpPacketView::parse(data);
  ASSERT_TRUE(packet.has_value());
  HeaderExtensionIds ids;
  ids.mid = 1;
  ids.rid = 2;
  ids.absSendTime = 3;
  const auto values = readHeaderExtensions(*packet, ids);
  EXPECT_EQ(values.mid, "m");
  EXPECT_FALSE(values.rid.has_value());
  EXPECT_FALSE(values.absSendTime.has_value());
  // ID 15 ends parsing too (RFC 8285 section 4.2).
  Bytes stop = {0x90, 0x60, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x11, 0x22, 0x33,
                0x44, 0xbe, 0xde, 0x00, 0x01, 0xf0, 0x10, 'm',  0x00, 0x90};
  const auto stopped = RtpPacketView::parse(stop);
  EXPECT_FALSE(readHeaderExtensions(*stopped, ids).mid.has_value());
  // No extension block at all.
  Bytes plain = {0x80, 0x60, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x11, 0x22, 0x33, 0x44, 0x90};
  const auto noExtensions = readHeaderExtensions(*RtpPacketView::parse(plain), ids);
  EXPECT_FALSE(noExtensions.mid.has_value());
}

TEST(HeaderExtensions, AbsSendTimeFixedPointConversions) {
  EXPECT_EQ(absSendTimeFromMicros(0), 0U);
  EXPECT_EQ(absSendTimeFromMicros(1'000'000), 0x040000U);  // 1 s = 1 << 18
  EXPECT_EQ(absSendTimeFromMicros(500'000), 0x020000U);
  EXPECT_EQ(absSendTimeFromMicros(63'500'000), 0xfe0000U);
  EXPECT_EQ(absSendTimeFromMicros(64'000'000), 0U);  // wraps every 64 s
  EXPECT_EQ(absSendTimeFromMicros(63'999'999), 0U);  // rounds to 64 s, which wraps
  EXPECT_EQ(absSendTimeFromMicros(65'000'000), 0x040000U);
  // A large monotonic clock (days of uptime) must not overflow the shift.
  EXPECT_EQ(absSendTimeFromMicros(86'400'000'000ULL * 400 + 1'000'000), 0x040000U);
  EXPECT_EQ(absSendTimeToMicros(0x040000), 1'000'000U);
  EXPECT_EQ(absSendTimeToMicros(0xfe0000), 63'500'000U);
  // Round trip within the 1/2^18 s (about 3.8 us) resolution.
  for (uint64_t micros : {1U, 12'345U, 33'333'333U, 63'999'000U}) {
    const auto back = absSendTimeToMicros(absSendTimeFromMicros(micros));
    EXPECT_LE(back > micros ? back - micros : micros - back, 4U) << micros;
  }
}

TEST(HeaderExtensions, WritersRewriteValuesInPlace) {
  auto data = videoPacket();
  const auto before = data;
  const auto packet = RtpPacketView::parse(data);
  ASSERT_TRUE(setAbsSendTime(*packet, 3, 0xabcdef));
  ASSERT_TRUE(setTransportWideSequenceNumber(*packet, 4, 0xfffe));
  EXPECT_EQ(data.size(), before.size());
  const auto values = readHeaderExtensions(*packet, videoIds());
  EXPECT_EQ(values.absSendTime, 0xabcdefU);
  EXPECT_EQ(values.transportWideSequenceNumber, 0xfffe);
  EXPECT_EQ(values.mid, "0");
  EXPECT_EQ(values.rid, "hi");
  // Values above 24 bits are masked; missing or wrong-sized elements are not written.
  ASSERT_TRUE(setAbsSendTime(*packet, 3, 0x01123456));
  EXPECT_EQ(readHeaderExtensions(*packet, videoIds()).absSendTime, 0x123456U);
  const auto snapshot = data;
  EXPECT_FALSE(setAbsSendTime(*packet, 9, 1));
  EXPECT_FALSE(setTransportWideSequenceNumber(*packet, 9, 1));
  EXPECT_FALSE(setAbsSendTime(*packet, 4, 1));                  // twcc element is 2 bytes
  EXPECT_FALSE(setTransportWideSequenceNumber(*packet, 5, 1));  // CVO element is 1 byte
  EXPECT_EQ(data, snapshot);
}

TEST(HeaderExtensions, AudioLevelAndVideoOrientationBits) {
  const auto silent = readAudioLevel(Bytes{0x7f});
  EXPECT_FALSE(silent->voiceActivity);
  EXPECT_EQ(silent->levelDbov, 127);
  const auto loud = readAudioLevel(Bytes{0x80});
  EXPECT_TRUE(loud->voiceActivity);
  EXPECT_EQ(loud->levelDbov, 0);
  const uint16_t rotations[] = {0, 90, 180, 270};
  for (uint8_t r = 0; r < 4; ++r) {
    const auto orientation = readVideoOrientation(Bytes{r});
    EXPECT_FALSE(orientation->backCamera);
    EXPECT_FALSE(orientation->horizontalFlip);
    EXPECT_EQ(orientation->rotationDegrees, rotations[r]);
  }
  const auto back = readVideoOrientation(Bytes{0x0b});
  EXPECT_TRUE(back->backCamera);
  EXPECT_FALSE(back->horizontalFlip);
  EXPECT_EQ(back->rotationDegrees, 270);
}

}  // namespace
}  // namespace fluxmeet::media::rtp
