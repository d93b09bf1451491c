// Feeds the RFC 7983 demultiplexer, then the parser the packet was sorted to, as the media
// worker's receive path does.
#include <cstddef>
#include <cstdint>

#include "fluxmeet/media/net/packet_classifier.hpp"
#include "media/exercise_rtcp.hpp"
#include "media/exercise_rtp.hpp"
#include "media/exercise_stun.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using fluxmeet::media::net::PacketKind;
  const std::span<const uint8_t> packet(data, size);
  const PacketKind kind = fluxmeet::media::net::classifyPacket(packet);
  (void)fluxmeet::media::net::packetKindName(kind);
  switch (kind) {
    case PacketKind::Stun: fluxmeet::fuzz::exerciseStun(packet); break;
    case PacketKind::Rtp: fluxmeet::fuzz::exerciseRtp(packet); break;
    case PacketKind::Rtcp: fluxmeet::fuzz::exerciseRtcp(packet); break;
    case PacketKind::Dtls:
    case PacketKind::Unknown: break;
  }
  return 0;
}
