#pragma once
// The RTCP common header (RFC 3550 section 6.4.1, https://www.rfc-editor.org/rfc/rfc3550#section-6.4.1)
// shared by every RTCP packet type, and the packet type numbers.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace fluxmeet::media::rtcp {

inline constexpr size_t kCommonHeaderSize = 4;

namespace packet_type {
inline constexpr uint8_t kSenderReport = 200;    // RFC 3550 section 6.4.1
inline constexpr uint8_t kReceiverReport = 201;  // RFC 3550 section 6.4.2
inline constexpr uint8_t kSdes = 202;            // RFC 3550 section 6.5
inline constexpr uint8_t kBye = 203;             // RFC 3550 section 6.6
inline constexpr uint8_t kApp = 204;             // RFC 3550 section 6.7
inline constexpr uint8_t kRtpFeedback = 205;     // RFC 4585 section 6.1 (RTPFB)
inline constexpr uint8_t kPayloadFeedback = 206; // RFC 4585 section 6.1 (PSFB)
}  // namespace packet_type

// One RTCP packet inside a compound packet. `count` is the 5-bit RC / SC / FMT field.
struct RtcpPacket {
  uint8_t count = 0;
  uint8_t packetType = 0;
  std::span<const uint8_t> bytes;  // the whole packet, header and padding included
  std::span<const uint8_t> body;   // after the 4-byte header, padding removed
};

// Parses the packet at the start of `data` (which may hold more packets after it): version 2,
// length within `data`, and a valid padding count when P is set.
std::optional<RtcpPacket> parseRtcpPacket(std::span<const uint8_t> data);

// Writes V=2, P=0, count, packet type and the length field for a packet of `totalBytes`
// (a multiple of 4, at least 4). `out` must hold at least 4 bytes.
void writeCommonHeader(uint8_t* out, uint8_t count, uint8_t packetType, size_t totalBytes);

}  // namespace fluxmeet::media::rtcp
