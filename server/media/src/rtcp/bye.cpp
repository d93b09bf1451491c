#include "fluxmeet/media/rtcp/bye.hpp"

#include <cstring>

#include "fluxmeet/media/net/byte_io.hpp"

namespace fluxmeet::media::rtcp {

std::optional<ByeView> ByeView::parse(const RtcpPacket& packet) {
  const size_t ssrcBytes = 4U * packet.count;
  if (packet.packetType != packet_type::kBye || packet.body.size() < ssrcBytes) {
    return std::nullopt;
  }
  std::string_view reason;
  // Optional reason: one length octet then text, padded to 32 bits.
  if (packet.body.size() > ssrcBytes) {
    const size_t length = packet.body[ssrcBytes];
    if (length > packet.body.size() - ssrcBytes - 1) return std::nullopt;
    reason = std::string_view(reinterpret_cast<const char*>(&packet.body[ssrcBytes + 1]), length);
  }
  return ByeView(packet.body, packet.count, reason);
}

uint32_t ByeView::ssrc(size_t index) const { return net::loadU32(&body_[4 * index]); }

std::optional<size_t> writeBye(std::span<uint8_t> out, std::span<const uint32_t> ssrcs,
                               std::string_view reason) {
  if (ssrcs.size() > 31 || reason.size() > 255) return std::nullopt;
  const size_t reasonBytes = reason.empty() ? 0 : (1 + reason.size() + 3) & ~static_cast<size_t>(3);
  const size_t total = kCommonHeaderSize + 4 * ssrcs.size() + reasonBytes;
  if (out.size() < total) return std::nullopt;
  writeCommonHeader(out.data(), static_cast<uint8_t>(ssrcs.size()), packet_type::kBye, total);
  for (size_t i = 0; i < ssrcs.size(); ++i) {
    net::storeU32(&out[4 + 4 * i], ssrcs[i]);
  }
  if (!reason.empty()) {
    const size_t offset = 4 + 4 * ssrcs.size();
    std::memset(&out[offset], 0, reasonBytes);
    out[offset] = static_cast<uint8_t>(reason.size());
    std::memcpy(&out[offset + 1], reason.data(), reason.size());
  }
  return total;
}

}  // namespace fluxmeet::media::rtcp
