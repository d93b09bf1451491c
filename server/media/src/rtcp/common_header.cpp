#include "fluxmeet/media/rtcp/common_header.hpp"

#include "fluxmeet/media/net/byte_io.hpp"

namespace fluxmeet::media::rtcp {

std::optional<RtcpPacket> parseRtcpPacket(std::span<const uint8_t> data) {
  if (data.size() < kCommonHeaderSize || (data[0] >> 6) != 2) {
    return std::nullopt;
  }
  // Length is in 32-bit words minus one, so a packet is always a whole number of words.
  const size_t total = 4U * (static_cast<size_t>(net::loadU16(&data[2])) + 1U);
  if (total > data.size()) {
    return std::nullopt;
  }
  RtcpPacket packet;
  packet.count = data[0] & 0x1F;
  packet.packetType = data[1];
  packet.bytes = data.first(total);
  size_t padding = 0;
  if ((data[0] & 0x20) != 0) {
    padding = packet.bytes.back();
    if (padding == 0 || padding > total - kCommonHeaderSize) {
      return std::nullopt;
    }
  }
  packet.body = packet.bytes.subspan(kCommonHeaderSize, total - kCommonHeaderSize - padding);
  return packet;
}

void writeCommonHeader(uint8_t* out, uint8_t count, uint8_t packetType, size_t totalBytes) {
  out[0] = static_cast<uint8_t>(0x80 | (count & 0x1F));
  out[1] = packetType;
  net::storeU16(out + 2, static_cast<uint16_t>(totalBytes / 4 - 1));
}

}  // namespace fluxmeet::media::rtcp
