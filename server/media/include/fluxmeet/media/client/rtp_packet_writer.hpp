#pragma once
// Builds RTP packets with RFC 8285 one-byte header extensions, for MediaClient's synthetic
// sources (test and benchmark code; the SFU rewrites packets in place and never builds one
// from parts). See media_client.hpp.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "fluxmeet/media/rtp/rtp_packet.hpp"

namespace fluxmeet::media::client {

// One element of the one-byte header (RFC 8285 section 4.2): id 1..14, value 1..16 bytes.
struct RtpExtensionElement {
  uint8_t id = 0;
  std::span<const uint8_t> value;
};

// Writes the fixed header (RFC 3550 section 5.1, no CSRCs), the 0xBEDE extension block with
// `extensions` (elements with id 0 are skipped; the block is padded to 32 bits) and `payload`.
// Returns the packet size, or nullopt if `out` is too small or an element is invalid.
std::optional<size_t> writeRtpPacket(std::span<uint8_t> out, const rtp::RtpHeaderFields& fields,
                                     std::span<const RtpExtensionElement> extensions, std::span<const uint8_t> payload);

}  // namespace fluxmeet::media::client
