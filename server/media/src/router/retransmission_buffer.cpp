#include "fluxmeet/media/router/retransmission_buffer.hpp"

#include <cstring>

namespace fluxmeet::media::router {

void RetransmissionBuffer::store(uint16_t sequenceNumber, std::span<const uint8_t> packet) {
  if (packet.size() > kMaxPacket) return;
  auto& slot = slots_[sequenceNumber % kSlots];
  slot.used = true;
  slot.sequenceNumber = sequenceNumber;
  slot.length = static_cast<uint16_t>(packet.size());
  std::memcpy(slot.data.data(), packet.data(), packet.size());
}

std::optional<std::span<const uint8_t>> RetransmissionBuffer::find(uint16_t sequenceNumber) const {
  const auto& slot = slots_[sequenceNumber % kSlots];
  if (!slot.used || slot.sequenceNumber != sequenceNumber) return std::nullopt;
  return std::span<const uint8_t>(slot.data.data(), slot.length);
}

}  // namespace fluxmeet::media::router
