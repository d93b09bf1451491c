#include "fluxmeet/media/rtcp/compound.hpp"

namespace fluxmeet::media::rtcp {

std::optional<RtcpCompound> RtcpCompound::parse(std::span<const uint8_t> data) {
  if (data.empty()) {
    return std::nullopt;
  }
  RtcpCompound compound(data);
  std::span<const uint8_t> rest = data;
  while (!rest.empty()) {
    auto packet = parseRtcpPacket(rest);
    if (!packet) {
      return std::nullopt;
    }
    rest = rest.subspan(packet->bytes.size());
    const bool padded = packet->body.size() + kCommonHeaderSize != packet->bytes.size();
    if (padded && !rest.empty()) {
      return std::nullopt;
    }
    ++compound.packetCount_;
  }
  return compound;
}

// The compound was validated by parse(), so each step here succeeds.
RtcpCompound::Iterator::Iterator(std::span<const uint8_t> rest) : rest_(rest) {
  if (!rest_.empty()) {
    if (auto packet = parseRtcpPacket(rest_)) {
      current_ = *packet;
    } else {
      rest_ = rest_.subspan(rest_.size());
    }
  }
}

RtcpCompound::Iterator& RtcpCompound::Iterator::operator++() {
  *this = Iterator(rest_.subspan(current_.bytes.size()));
  return *this;
}

}  // namespace fluxmeet::media::rtcp
