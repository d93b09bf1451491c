#include "fluxmeet/media/srtp/srtp_session.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

namespace fluxmeet::media::srtp {
namespace {

using Bytes = std::vector<uint8_t>;

SrtpKeys keysFor(SrtpProfile profile, uint8_t seed) {
  SrtpKeys keys;
  for (size_t i = 0; i < srtpMasterKeyLength(profile); ++i) keys.key.push_back(seed + i);
  for (size_t i = 0; i < srtpMasterSaltLength(profile); ++i) keys.salt.push_back(seed * 3 + i);
  return keys;
}

Bytes rtpPacket(uint16_t sequence, uint32_t ssrc = 0x01020304, size_t payloadSize = 200) {
  Bytes packet = {0x80,
                  0x6F,
                  static_cast<uint8_t>(sequence >> 8),
                  static_cast<uint8_t>(sequence),
                  0x00,
                  0x01,
                  0x00,
                  0x00,
                  static_cast<uint8_t>(ssrc >> 24),
                  static_cast<uint8_t>(ssrc >> 16),
                  static_cast<uint8_t>(ssrc >> 8),
                  static_cast<uint8_t>(ssrc)};
  for (size_t i = 0; i < payloadSize; ++i) packet.push_back(static_cast<uint8_t>(i ^ sequence));
  return packet;
}

Bytes rtcpReceiverReport() {
  Bytes packet = {0x81, 0xC9, 0x00, 0x07, 0x01, 0x02, 0x03, 0x04};
  for (int i = 0; i < 24; ++i) packet.push_back(static_cast<uint8_t>(i));
  return packet;
}

size_t tagLength(SrtpProfile profile) {
  return profile == SrtpProfile::AeadAes128Gcm ? 16 : 10;  // RFC 7714 / RFC 3711 section 4.2
}

class SrtpSessionTest : public ::testing::TestWithParam<SrtpProfile> {
 protected:
  void SetUp() override {
    auto outbound =
        SrtpSession::create(SrtpDirection::Outbound, GetParam(), keysFor(GetParam(), 7));
    auto inbound = SrtpSession::create(SrtpDirection::Inbound, GetParam(), keysFor(GetParam(), 7));
    ASSERT_TRUE(outbound.ok() && inbound.ok());
    sender_ = std::move(outbound.value());
    receiver_ = std::move(inbound.value());
  }

  // Protects `plain` into a buffer with trailer room; returns the protected bytes.
  Bytes protect(const Bytes& plain, bool rtcp = false) {
    Bytes buffer = plain;
    size_t length = buffer.size();
    buffer.resize(length + SrtpSession::kRtcpTrailerRoom);
    SrtpStatus status =
        rtcp ? sender_->protectRtcp(buffer, length) : sender_->protectRtp(buffer, length);
    EXPECT_EQ(status, SrtpStatus::Ok);
    buffer.resize(length);
    return buffer;
  }

  SrtpStatus unprotect(Bytes& packet, bool rtcp = false) {
    size_t length = packet.size();
    SrtpStatus status =
        rtcp ? receiver_->unprotectRtcp(packet, length) : receiver_->unprotectRtp(packet, length);
    packet.resize(length);
    return status;
  }

  std::unique_ptr<SrtpSession> sender_;
  std::unique_ptr<SrtpSession> receiver_;
};

TEST_P(SrtpSessionTest, RtpRoundTrip) {
  for (uint16_t sequence = 65530; sequence != 6; ++sequence) {  // across the ROC wrap
    const Bytes plain = rtpPacket(sequence);
    Bytes wire = protect(plain);
    ASSERT_EQ(wire.size(), plain.size() + tagLength(GetParam()));
    EXPECT_TRUE(std::equal(plain.begin(), plain.begin() + 12, wire.begin()));  // header clear
    EXPECT_FALSE(std::equal(plain.begin() + 12, plain.end(), wire.begin() + 12));
    ASSERT_EQ(unprotect(wire), SrtpStatus::Ok);
    EXPECT_EQ(wire, plain);
  }
}

TEST_P(SrtpSessionTest, RtcpRoundTrip) {
  for (int i = 0; i < 3; ++i) {
    const Bytes plain = rtcpReceiverReport();
    Bytes wire = protect(plain, true);
    // RFC 3711 section 3.4: E flag + 31-bit index, then the tag.
    ASSERT_EQ(wire.size(), plain.size() + 4 + tagLength(GetParam()));
    ASSERT_EQ(unprotect(wire, true), SrtpStatus::Ok);
    EXPECT_EQ(wire, plain);
  }
}

TEST_P(SrtpSessionTest, TamperedPacketsAreRejected) {
  Bytes wire = protect(rtpPacket(100));
  Bytes payloadFlipped = wire;
  payloadFlipped[40] ^= 0x01;
  EXPECT_EQ(unprotect(payloadFlipped), SrtpStatus::AuthFailed);
  Bytes tagFlipped = wire;
  tagFlipped.back() ^= 0x80;
  EXPECT_EQ(unprotect(tagFlipped), SrtpStatus::AuthFailed);
  Bytes headerFlipped = wire;
  headerFlipped[1] ^= 0x01;  // payload type is authenticated too
  EXPECT_EQ(unprotect(headerFlipped), SrtpStatus::AuthFailed);
  // The untouched packet still decrypts: failed attempts do not poison the replay list.
  EXPECT_EQ(unprotect(wire), SrtpStatus::Ok);

  Bytes rtcp = protect(rtcpReceiverReport(), true);
  rtcp[10] ^= 0x04;
  EXPECT_EQ(unprotect(rtcp, true), SrtpStatus::AuthFailed);
}

TEST_P(SrtpSessionTest, ReplayedPacketsAreRejected) {
  const Bytes wire = protect(rtpPacket(500));
  Bytes first = wire;
  ASSERT_EQ(unprotect(first), SrtpStatus::Ok);
  Bytes again = wire;
  EXPECT_EQ(unprotect(again), SrtpStatus::Replayed);

  const Bytes rtcp = protect(rtcpReceiverReport(), true);
  Bytes rtcpFirst = rtcp;
  ASSERT_EQ(unprotect(rtcpFirst, true), SrtpStatus::Ok);
  Bytes rtcpAgain = rtcp;
  EXPECT_EQ(unprotect(rtcpAgain, true), SrtpStatus::Replayed);
}

TEST_P(SrtpSessionTest, ReorderedPacketsInsideTheWindowAreAccepted) {
  Bytes late = protect(rtpPacket(1000));
  Bytes early = protect(rtpPacket(1001));
  EXPECT_EQ(unprotect(early), SrtpStatus::Ok);
  EXPECT_EQ(unprotect(late), SrtpStatus::Ok);
}

TEST_P(SrtpSessionTest, WrongKeyFailsAuthentication) {
  auto stranger = SrtpSession::create(SrtpDirection::Inbound, GetParam(), keysFor(GetParam(), 99));
  ASSERT_TRUE(stranger.ok());
  Bytes wire = protect(rtpPacket(1));
  size_t length = wire.size();
  EXPECT_EQ(stranger.value()->unprotectRtp(wire, length), SrtpStatus::AuthFailed);
}

TEST_P(SrtpSessionTest, RefusesTooSmallBuffersShortPacketsAndWrongDirection) {
  Bytes buffer = rtpPacket(1);
  size_t length = buffer.size();
  buffer.resize(length + SrtpSession::kRtpTrailerRoom - 1);
  EXPECT_EQ(sender_->protectRtp(buffer, length), SrtpStatus::BufferTooSmall);
  EXPECT_EQ(length, rtpPacket(1).size());  // untouched on failure

  Bytes tiny(8 + SrtpSession::kRtpTrailerRoom, 0x80);
  size_t tinyLength = 8;
  EXPECT_EQ(sender_->protectRtp(tiny, tinyLength), SrtpStatus::BadPacket);
  EXPECT_EQ(receiver_->unprotectRtp(tiny, tinyLength), SrtpStatus::BadPacket);
  size_t overlong = tiny.size() + 1;
  EXPECT_EQ(receiver_->unprotectRtp(tiny, overlong), SrtpStatus::BadPacket);

  buffer.resize(length + SrtpSession::kRtcpTrailerRoom);
  EXPECT_EQ(receiver_->protectRtp(buffer, length), SrtpStatus::BadPacket);
  EXPECT_EQ(sender_->unprotectRtp(buffer, length), SrtpStatus::BadPacket);
}

TEST_P(SrtpSessionTest, PacketsOlderThanTheReplayWindowAreReplayed) {
  Bytes old = protect(rtpPacket(100));
  for (uint16_t sequence = 101; sequence <= 100 + SrtpSession::kReplayWindow; ++sequence) {
    Bytes wire = protect(rtpPacket(sequence, 0x01020304, 20));
    ASSERT_EQ(unprotect(wire), SrtpStatus::Ok);
  }
  EXPECT_EQ(unprotect(old), SrtpStatus::Replayed);  // never seen, but 1024 behind
  // Another SSRC has its own window.
  Bytes other = protect(rtpPacket(100, 0x0A0B0C0D));
  EXPECT_EQ(unprotect(other), SrtpStatus::Ok);
}

TEST_P(SrtpSessionTest, HeaderExtensionAndCsrcsAreAuthenticatedNotEncrypted) {
  Bytes plain = rtpPacket(7);
  plain[0] = 0x91;  // X=1, CC=1
  const Bytes extra = {0xC5, 0xC5, 0xC5, 0xC5, 0xBE, 0xDE, 0x00, 0x01, 0x22, 0xAB, 0xCD, 0x00};
  plain.insert(plain.begin() + 12, extra.begin(), extra.end());
  Bytes wire = protect(plain);
  EXPECT_TRUE(std::equal(plain.begin(), plain.begin() + 24, wire.begin()));  // clear
  EXPECT_FALSE(std::equal(plain.begin() + 24, plain.end(), wire.begin() + 24));
  Bytes tampered = wire;
  tampered[21] ^= 0x01;  // inside the extension
  EXPECT_EQ(unprotect(tampered), SrtpStatus::AuthFailed);
  ASSERT_EQ(unprotect(wire), SrtpStatus::Ok);
  EXPECT_EQ(wire, plain);
}

TEST_P(SrtpSessionTest, ShortAndMalformedPacketsAreBadPackets) {
  Bytes buffer(64, 0);
  size_t length = 7;  // shorter than the RTCP header
  buffer[0] = 0x81;
  EXPECT_EQ(sender_->protectRtcp(buffer, length), SrtpStatus::BadPacket);
  length = 8 + 4 + tagLength(GetParam()) - 1;  // no room for E||index and the tag
  EXPECT_EQ(receiver_->unprotectRtcp(buffer, length), SrtpStatus::BadPacket);
  length = 12 + tagLength(GetParam()) - 1;
  buffer[0] = 0x80;
  EXPECT_EQ(receiver_->unprotectRtp(buffer, length), SrtpStatus::BadPacket);

  Bytes notV2 = rtpPacket(1);
  notV2[0] = 0x40;
  length = notV2.size();
  notV2.resize(length + SrtpSession::kRtpTrailerRoom);
  EXPECT_EQ(sender_->protectRtp(notV2, length), SrtpStatus::BadPacket);
  Bytes csrcsBeyondEnd = rtpPacket(1, 0x01020304, 0);
  csrcsBeyondEnd[0] = 0x8F;  // 15 CSRCs in a 12-byte packet
  length = csrcsBeyondEnd.size();
  csrcsBeyondEnd.resize(length + SrtpSession::kRtpTrailerRoom);
  EXPECT_EQ(sender_->protectRtp(csrcsBeyondEnd, length), SrtpStatus::BadPacket);
  Bytes extensionBeyondEnd = rtpPacket(1, 0x01020304, 8);
  extensionBeyondEnd[0] = 0x90;
  extensionBeyondEnd[14] = 0x00;
  extensionBeyondEnd[15] = 0x09;  // 36 bytes of extension announced, 4 there
  length = extensionBeyondEnd.size();
  extensionBeyondEnd.resize(length + SrtpSession::kRtpTrailerRoom);
  EXPECT_EQ(sender_->protectRtp(extensionBeyondEnd, length), SrtpStatus::BadPacket);
}

TEST_P(SrtpSessionTest, RtcpInTheWrongDirectionIsRefused) {
  Bytes buffer = rtcpReceiverReport();
  size_t length = buffer.size();
  buffer.resize(length + SrtpSession::kRtcpTrailerRoom);
  EXPECT_EQ(receiver_->protectRtcp(buffer, length), SrtpStatus::BadPacket);
  Bytes wire = protect(rtcpReceiverReport(), true);
  length = wire.size();
  EXPECT_EQ(sender_->unprotectRtcp(wire, length), SrtpStatus::BadPacket);
  EXPECT_EQ(unprotect(wire, true), SrtpStatus::Ok);  // untouched by the refused call
}

TEST_P(SrtpSessionTest, RandomBytesNeverAuthenticateNorReadOutOfBounds) {
  // Under AddressSanitizer (the `make test` build) any read past `length` would abort here.
  std::mt19937 random(7);
  for (int i = 0; i < 5000; ++i) {
    Bytes packet(random() % 80);
    for (auto& byte : packet) byte = static_cast<uint8_t>(random());
    if (!packet.empty() && i % 2 == 0) packet[0] = static_cast<uint8_t>(0x80 | (packet[0] & 0x3F));
    Bytes copy = packet;
    EXPECT_NE(unprotect(packet), SrtpStatus::Ok);
    EXPECT_NE(unprotect(copy, true), SrtpStatus::Ok);
  }
}

TEST_P(SrtpSessionTest, RemoveStreamForgetsOneSsrc) {
  Bytes wire = protect(rtpPacket(42, 0xAABBCCDD));
  Bytes copy = wire;
  ASSERT_EQ(unprotect(copy), SrtpStatus::Ok);
  EXPECT_TRUE(receiver_->removeStream(0xAABBCCDD));
  EXPECT_FALSE(receiver_->removeStream(0xAABBCCDD));
  EXPECT_FALSE(receiver_->removeStream(0x12345678));
  // A fresh stream has a fresh replay list, so the old packet is accepted again.
  EXPECT_EQ(unprotect(wire), SrtpStatus::Ok);
}

INSTANTIATE_TEST_SUITE_P(Profiles, SrtpSessionTest,
                         ::testing::Values(SrtpProfile::AeadAes128Gcm,
                                           SrtpProfile::AesCm128HmacSha1_80),
                         [](const auto& info) {
                           return info.param == SrtpProfile::AeadAes128Gcm ? "AeadAes128Gcm"
                                                                           : "AesCm128HmacSha1_80";
                         });

TEST(SrtpSessionCreateTest, RejectsKeysOfTheWrongLength) {
  SrtpKeys gcmKeys = keysFor(SrtpProfile::AeadAes128Gcm, 1);  // 12-byte salt
  EXPECT_FALSE(
      SrtpSession::create(SrtpDirection::Inbound, SrtpProfile::AesCm128HmacSha1_80, gcmKeys).ok());
  gcmKeys.key.pop_back();
  EXPECT_FALSE(
      SrtpSession::create(SrtpDirection::Inbound, SrtpProfile::AeadAes128Gcm, gcmKeys).ok());
}

TEST(SrtpProfileTest, NamesAndLengths) {
  EXPECT_EQ(srtpProfileName(SrtpProfile::AeadAes128Gcm), "SRTP_AEAD_AES_128_GCM");
  EXPECT_EQ(srtpProfileName(SrtpProfile::AesCm128HmacSha1_80), "SRTP_AES128_CM_SHA1_80");
  EXPECT_EQ(srtpMasterKeyLength(SrtpProfile::AeadAes128Gcm), 16u);
  EXPECT_EQ(srtpMasterSaltLength(SrtpProfile::AeadAes128Gcm), 12u);
  EXPECT_EQ(srtpMasterKeyLength(SrtpProfile::AesCm128HmacSha1_80), 16u);
  EXPECT_EQ(srtpMasterSaltLength(SrtpProfile::AesCm128HmacSha1_80), 14u);
  EXPECT_EQ(srtpStatusName(SrtpStatus::Replayed), "replayed");
}

}  // namespace
}  // namespace fluxmeet::media::srtp
