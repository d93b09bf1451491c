#pragma once
// Sorts every datagram arriving on a WebRTC transport's single UDP port into STUN, DTLS, RTP or
// RTCP. This is the one place the media plane demultiplexes; everything downstream trusts it.
#include <cstdint>
#include <span>
#include <string_view>

namespace fluxmeet::media::net {

enum class PacketKind { Stun, Dtls, Rtp, Rtcp, Unknown };

std::string_view packetKindName(PacketKind kind);

// RFC 7983 section 7 (https://www.rfc-editor.org/rfc/rfc7983#section-7), by the first byte B:
//
//                  +----------------+
//                  |        [0..3] -+--> STUN   (RFC 8489)
//                  |                |
//                  |      [16..19] -+--> ZRTP   (not used by WebRTC: Unknown)
//                  |                |
//      packet -->  |      [20..63] -+--> DTLS   (RFC 6347 / 9147 record content types)
//                  |                |
//                  |      [64..79] -+--> TURN channel data (we are not a TURN server: Unknown)
//                  |                |
//                  |    [128..191] -+--> RTP/RTCP (version 2), then by the second byte:
//                  +----------------+      [192..223] -> RTCP (RFC 5761 section 4: RTCP packet
//                                          types 200..206 seen as marker + PT 64..95), else RTP
//
// Packets shorter than the smallest valid header of their kind are Unknown (STUN 20 bytes,
// DTLS record 13, RTP 12, RTCP 4), so callers never hand a hopeless buffer to a parser.
PacketKind classifyPacket(std::span<const uint8_t> packet);

}  // namespace fluxmeet::media::net
