// Interop of our OpenSSL SrtpSession with libsrtp2 (the reference, linked into this test only):
// packets protected by one unprotect with the other, in both directions and both profiles, for
// RTP with CSRCs and a header extension across a sequence-number wrap (ROC 0 -> 1), reordered
// packets, several SSRCs, and SRTCP.
#include <gtest/gtest.h>

#include <vector>

#include "fluxmeet/media/srtp/srtp_session.hpp"
#include "libsrtp_reference.hpp"

namespace fluxmeet::media::srtp {
namespace {

using Bytes = std::vector<uint8_t>;
using testing::LibsrtpReference;

SrtpKeys keysFor(SrtpProfile profile) {
  SrtpKeys keys;
  for (size_t i = 0; i < srtpMasterKeyLength(profile); ++i) keys.key.push_back(0x30 + i * 5);
  for (size_t i = 0; i < srtpMasterSaltLength(profile); ++i) keys.salt.push_back(0xA0 ^ i * 3);
  return keys;
}

// V=2, X=1, CC=2, M=1 PT=96; two CSRCs; a one-byte-header extension (RFC 8285) of two words.
Bytes rtpPacket(uint16_t sequence, uint32_t ssrc) {
  Bytes packet = {0x92, 0xE0, static_cast<uint8_t>(sequence >> 8), static_cast<uint8_t>(sequence),
                  0x00, 0x00, 0x12, 0x34,
                  static_cast<uint8_t>(ssrc >> 24), static_cast<uint8_t>(ssrc >> 16),
                  static_cast<uint8_t>(ssrc >> 8), static_cast<uint8_t>(ssrc),
                  0x11, 0x11, 0x11, 0x11, 0x22, 0x22, 0x22, 0x22,  // CSRCs
                  0xBE, 0xDE, 0x00, 0x02,                          // extension header
                  0x10, 0xAA, 0x21, 0xBB, 0xCC, 0x00, 0x00, 0x00};  // two elements + padding
  const size_t payload = 50 + sequence % 700;  // varied sizes, not block-aligned
  for (size_t i = 0; i < payload; ++i) packet.push_back(static_cast<uint8_t>(i * 13 + sequence));
  return packet;
}

// A sender report with one report block, then an SDES chunk would follow in a compound packet;
// the body beyond the first 8 bytes is encrypted.
Bytes rtcpSenderReport(uint32_t ssrc, uint8_t seed) {
  Bytes packet = {0x81, 0xC8, 0x00, 0x0C, static_cast<uint8_t>(ssrc >> 24),
                  static_cast<uint8_t>(ssrc >> 16), static_cast<uint8_t>(ssrc >> 8),
                  static_cast<uint8_t>(ssrc)};
  for (int i = 0; i < 44; ++i) packet.push_back(static_cast<uint8_t>(seed + i));
  return packet;
}

// The order a jittery network delivers: mostly in order, with neighbours swapped now and then.
std::vector<uint16_t> sequencesAcrossWrap() {
  std::vector<uint16_t> sequences;
  for (uint32_t s = 65500; s < 65536 + 60; ++s) sequences.push_back(static_cast<uint16_t>(s));
  for (size_t i = 5; i + 1 < sequences.size(); i += 9) std::swap(sequences[i], sequences[i + 1]);
  return sequences;
}

class SrtpLibsrtpInteropTest : public ::testing::TestWithParam<SrtpProfile> {
 protected:
  std::unique_ptr<SrtpSession> ours(SrtpDirection direction) {
    auto session = SrtpSession::create(direction, GetParam(), keysFor(GetParam()));
    EXPECT_TRUE(session.ok());
    return std::move(session.value());
  }

  static SrtpStatus run(SrtpSession& session, Bytes& packet, bool rtcp) {
    size_t length = packet.size();
    packet.resize(length + SrtpSession::kRtcpTrailerRoom);
    SrtpStatus status;
    if (session.direction() == SrtpDirection::Outbound) {
      status = rtcp ? session.protectRtcp(packet, length) : session.protectRtp(packet, length);
    } else {
      status = rtcp ? session.unprotectRtcp(packet, length) : session.unprotectRtp(packet, length);
    }
    packet.resize(length);
    return status;
  }
};

TEST_P(SrtpLibsrtpInteropTest, OursProtectLibsrtpUnprotectsRtpAcrossTheWrap) {
  auto sender = ours(SrtpDirection::Outbound);
  LibsrtpReference receiver(SrtpDirection::Inbound, GetParam(), keysFor(GetParam()));
  // Protect in sending order, deliver in the network's order.
  const auto delivery = sequencesAcrossWrap();
  std::vector<Bytes> wire(65536);
  for (uint32_t s = 65500; s < 65536 + 60; ++s) {
    for (uint32_t ssrc : {0xAABBCCDDu, 0x01020304u}) {
      Bytes packet = rtpPacket(static_cast<uint16_t>(s), ssrc);
      ASSERT_EQ(run(*sender, packet, false), SrtpStatus::Ok);
      if (ssrc == 0xAABBCCDDu) wire[static_cast<uint16_t>(s)] = packet;
    }
  }
  for (uint16_t sequence : delivery) {
    Bytes packet = wire[sequence];
    ASSERT_EQ(receiver.unprotectRtp(packet), srtp_err_status_ok) << "seq " << sequence;
    EXPECT_EQ(packet, rtpPacket(sequence, 0xAABBCCDD));
  }
}

TEST_P(SrtpLibsrtpInteropTest, LibsrtpProtectsOursUnprotectsRtpAcrossTheWrap) {
  LibsrtpReference sender(SrtpDirection::Outbound, GetParam(), keysFor(GetParam()));
  auto receiver = ours(SrtpDirection::Inbound);
  std::vector<Bytes> wire(65536);
  for (uint32_t s = 65500; s < 65536 + 60; ++s) {
    Bytes packet = rtpPacket(static_cast<uint16_t>(s), 0x5EED5EED);
    ASSERT_EQ(sender.protectRtp(packet), srtp_err_status_ok);
    wire[static_cast<uint16_t>(s)] = packet;
  }
  for (uint16_t sequence : sequencesAcrossWrap()) {
    Bytes packet = wire[sequence];
    ASSERT_EQ(run(*receiver, packet, false), SrtpStatus::Ok) << "seq " << sequence;
    EXPECT_EQ(packet, rtpPacket(sequence, 0x5EED5EED));
  }
  // And libsrtp's replay of an already delivered packet is refused by ours.
  Bytes again = wire[3];
  EXPECT_EQ(run(*receiver, again, false), SrtpStatus::Replayed);
}

TEST_P(SrtpLibsrtpInteropTest, BothProduceIdenticalSrtpBytes) {
  // Same keys, same index: AES-CM / AES-GCM are deterministic, so the wire bytes must match.
  auto oursSender = ours(SrtpDirection::Outbound);
  LibsrtpReference theirs(SrtpDirection::Outbound, GetParam(), keysFor(GetParam()));
  for (uint32_t s = 65530; s < 65536 + 5; ++s) {
    Bytes mine = rtpPacket(static_cast<uint16_t>(s), 0x0BADCAFE);
    Bytes reference = mine;
    ASSERT_EQ(run(*oursSender, mine, false), SrtpStatus::Ok);
    ASSERT_EQ(theirs.protectRtp(reference), srtp_err_status_ok);
    EXPECT_EQ(mine, reference) << "seq " << s;
  }
}

TEST_P(SrtpLibsrtpInteropTest, RtcpInBothDirections) {
  auto oursSender = ours(SrtpDirection::Outbound);
  auto oursReceiver = ours(SrtpDirection::Inbound);
  LibsrtpReference theirSender(SrtpDirection::Outbound, GetParam(), keysFor(GetParam()));
  LibsrtpReference theirReceiver(SrtpDirection::Inbound, GetParam(), keysFor(GetParam()));
  for (uint8_t i = 0; i < 20; ++i) {
    for (uint32_t ssrc : {0x10203040u, 0x50607080u}) {
      const Bytes plain = rtcpSenderReport(ssrc, i);
      Bytes fromOurs = plain;
      ASSERT_EQ(run(*oursSender, fromOurs, true), SrtpStatus::Ok);
      ASSERT_EQ(theirReceiver.unprotectRtcp(fromOurs), srtp_err_status_ok);
      EXPECT_EQ(fromOurs, plain);

      Bytes fromTheirs = plain;
      ASSERT_EQ(theirSender.protectRtcp(fromTheirs), srtp_err_status_ok);
      const Bytes replay = fromTheirs;
      ASSERT_EQ(run(*oursReceiver, fromTheirs, true), SrtpStatus::Ok);
      EXPECT_EQ(fromTheirs, plain);
      Bytes again = replay;
      EXPECT_EQ(run(*oursReceiver, again, true), SrtpStatus::Replayed);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Profiles, SrtpLibsrtpInteropTest,
                         ::testing::Values(SrtpProfile::AeadAes128Gcm,
                                           SrtpProfile::AesCm128HmacSha1_80),
                         [](const auto& info) {
                           return info.param == SrtpProfile::AeadAes128Gcm ? "AeadAes128Gcm"
                                                                           : "AesCm128HmacSha1_80";
                         });

}  // namespace
}  // namespace fluxmeet::media::srtp
