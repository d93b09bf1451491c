#include "fluxmeet/media/net/packet_classifier.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace fluxmeet::media::net {
namespace {

std::vector<uint8_t> packet(uint8_t first, uint8_t second, size_t size) {
  std::vector<uint8_t> p(size, 0);
  p[0] = first;
  if (size > 1) p[1] = second;
  return p;
}

TEST(PacketClassifier, FirstByteRanges) {
  EXPECT_EQ(classifyPacket(packet(0x00, 0x01, 20)), PacketKind::Stun);
  EXPECT_EQ(classifyPacket(packet(0x03, 0x01, 20)), PacketKind::Stun);
  EXPECT_EQ(classifyPacket(packet(16, 0, 40)), PacketKind::Unknown);   // ZRTP
  EXPECT_EQ(classifyPacket(packet(20, 0xfe, 13)), PacketKind::Dtls);   // change_cipher_spec
  EXPECT_EQ(classifyPacket(packet(22, 0xfe, 13)), PacketKind::Dtls);   // handshake
  EXPECT_EQ(classifyPacket(packet(63, 0, 13)), PacketKind::Dtls);
  EXPECT_EQ(classifyPacket(packet(64, 0, 40)), PacketKind::Unknown);   // TURN channel
  EXPECT_EQ(classifyPacket(packet(127, 0, 40)), PacketKind::Unknown);
  EXPECT_EQ(classifyPacket(packet(0x80, 96, 12)), PacketKind::Rtp);
  EXPECT_EQ(classifyPacket(packet(0x90, 0xE0, 12)), PacketKind::Rtp);  // marker + PT 96
  EXPECT_EQ(classifyPacket(packet(0xBF, 0, 12)), PacketKind::Rtp);
  EXPECT_EQ(classifyPacket(packet(192, 0, 40)), PacketKind::Unknown);
  EXPECT_EQ(classifyPacket(packet(255, 0, 40)), PacketKind::Unknown);
}

TEST(PacketClassifier, RtcpByPacketType) {
  // RFC 5761 section 4: second byte 192..223 is RTCP.
  EXPECT_EQ(classifyPacket(packet(0x80, 200, 28)), PacketKind::Rtcp);  // SR
  EXPECT_EQ(classifyPacket(packet(0x81, 201, 8)), PacketKind::Rtcp);   // RR
  EXPECT_EQ(classifyPacket(packet(0x81, 205, 12)), PacketKind::Rtcp);  // RTPFB
  EXPECT_EQ(classifyPacket(packet(0x80, 192, 4)), PacketKind::Rtcp);
  EXPECT_EQ(classifyPacket(packet(0x80, 223, 4)), PacketKind::Rtcp);
  EXPECT_EQ(classifyPacket(packet(0x80, 191, 12)), PacketKind::Rtp);
  EXPECT_EQ(classifyPacket(packet(0x80, 224, 12)), PacketKind::Rtp);
}

TEST(PacketClassifier, TooShortIsUnknown) {
  EXPECT_EQ(classifyPacket({}), PacketKind::Unknown);
  EXPECT_EQ(classifyPacket(packet(0x00, 0x01, 19)), PacketKind::Unknown);
  EXPECT_EQ(classifyPacket(packet(22, 0xfe, 12)), PacketKind::Unknown);
  EXPECT_EQ(classifyPacket(packet(0x80, 96, 11)), PacketKind::Unknown);
  EXPECT_EQ(classifyPacket(packet(0x80, 200, 3)), PacketKind::Unknown);
  EXPECT_EQ(classifyPacket(packet(0x80, 0, 1)), PacketKind::Unknown);
}

TEST(PacketClassifier, Names) {
  EXPECT_EQ(packetKindName(PacketKind::Rtcp), "rtcp");
  EXPECT_EQ(packetKindName(PacketKind::Unknown), "unknown");
}

}  // namespace
}  // namespace fluxmeet::media::net
