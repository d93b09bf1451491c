#include "fluxmeet/media/client/rtp_packet_writer.hpp"

#include <cstring>

#include "fluxmeet/media/net/byte_io.hpp"

namespace fluxmeet::media::client {

std::optional<size_t> writeRtpPacket(std::span<uint8_t> out, const rtp::RtpHeaderFields& fields,
                                     std::span<const RtpExtensionElement> extensions,
                                     std::span<const uint8_t> payload) {
  size_t elementBytes = 0;
  for (const auto& element : extensions) {
    if (element.id == 0) continue;
    if (element.id > 14 || element.value.empty() || element.value.size() > 16) return std::nullopt;
    elementBytes += 1 + element.value.size();
  }
  const size_t extensionWords = (elementBytes + 3) / 4;
  const size_t headerSize = rtp::kFixedHeaderSize + (elementBytes > 0 ? 4 + extensionWords * 4 : 0);
  if (out.size() < headerSize + payload.size() || fields.payloadType > 127) return std::nullopt;

  uint8_t* p = out.data();
  p[0] = static_cast<uint8_t>(0x80 | (elementBytes > 0 ? 0x10 : 0x00));  // V=2, X
  p[1] = static_cast<uint8_t>((fields.marker ? 0x80 : 0x00) | fields.payloadType);
  net::storeU16(p + 2, fields.sequenceNumber);
  net::storeU32(p + 4, fields.timestamp);
  net::storeU32(p + 8, fields.ssrc);
  if (elementBytes > 0) {
    uint8_t* block = p + rtp::kFixedHeaderSize;
    net::storeU16(block, rtp::kOneByteExtensionProfile);
    net::storeU16(block + 2, static_cast<uint16_t>(extensionWords));
    uint8_t* element = block + 4;
    for (const auto& extension : extensions) {
      if (extension.id == 0) continue;
      // RFC 8285 section 4.2: ID (4 bits) and L = length - 1 (4 bits), then the value.
      *element++ = static_cast<uint8_t>((extension.id << 4) | (extension.value.size() - 1));
      std::memcpy(element, extension.value.data(), extension.value.size());
      element += extension.value.size();
    }
    std::memset(element, 0, extensionWords * 4 - elementBytes);  // padding bytes are zero
  }
  if (!payload.empty()) std::memcpy(p + headerSize, payload.data(), payload.size());
  return headerSize + payload.size();
}

}  // namespace fluxmeet::media::client
