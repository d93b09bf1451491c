#include "fluxmeet/media/net/packet_classifier.hpp"

namespace fluxmeet::media::net {
namespace {

constexpr size_t kMinStunSize = 20;        // RFC 8489 section 5: fixed header
constexpr size_t kMinDtlsRecordSize = 13;  // RFC 6347 section 4.1: record header
constexpr size_t kMinRtpSize = 12;         // RFC 3550 section 5.1: fixed header
constexpr size_t kMinRtcpSize = 4;         // RFC 3550 section 6.4: common header (BYE, RC=0)

}  // namespace

std::string_view packetKindName(PacketKind kind) {
  switch (kind) {
    case PacketKind::Stun: return "stun";
    case PacketKind::Dtls: return "dtls";
    case PacketKind::Rtp: return "rtp";
    case PacketKind::Rtcp: return "rtcp";
    case PacketKind::Unknown: return "unknown";
  }
  return "unknown";
}

PacketKind classifyPacket(std::span<const uint8_t> packet) {
  if (packet.empty()) {
    return PacketKind::Unknown;
  }
  const uint8_t first = packet[0];
  if (first <= 3) {
    return packet.size() >= kMinStunSize ? PacketKind::Stun : PacketKind::Unknown;
  }
  if (first >= 20 && first <= 63) {
    return packet.size() >= kMinDtlsRecordSize ? PacketKind::Dtls : PacketKind::Unknown;
  }
  if (first >= 128 && first <= 191) {
    if (packet.size() < kMinRtcpSize) {
      return PacketKind::Unknown;
    }
    // RFC 5761 section 4: RTCP packet types 192..223 never collide with RTP payload types
    // 64..95 + marker, which RTP must therefore not use.
    const uint8_t second = packet[1];
    if (second >= 192 && second <= 223) {
      return PacketKind::Rtcp;
    }
    return packet.size() >= kMinRtpSize ? PacketKind::Rtp : PacketKind::Unknown;
  }
  // 16..19 ZRTP, 64..79 TURN ChannelData and everything unassigned.
  return PacketKind::Unknown;
}

}  // namespace fluxmeet::media::net
