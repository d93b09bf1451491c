#include "fluxmeet/media/rtp/extension_id_map.hpp"

namespace fluxmeet::media::rtp {

void ExtensionIdMap::apply(RtpPacketView& packet) const {
  const auto format = packet.extensionFormat();
  auto data = packet.extensionData();
  size_t i = 0;
  if (format == ExtensionFormat::OneByte) {
    // RFC 8285 section 4.2: 4-bit id, 4-bit (length - 1); id 0 is padding, 15 ends parsing.
    while (i < data.size()) {
      const uint8_t id = data[i] >> 4;
      if (id == 0) {
        ++i;
        continue;
      }
      if (id == 15) return;
      const size_t length = (data[i] & 0x0F) + 1U;
      if (i + 1 + length > data.size()) return;
      const uint8_t mapped = map_[id] > 14 ? 15 : map_[id];
      // 15 would end the receiver's parsing early; use it only if nothing else is free.
      data[i] = static_cast<uint8_t>((mapped << 4) | (data[i] & 0x0F));
      i += 1 + length;
    }
  } else if (format == ExtensionFormat::TwoByte) {
    // RFC 8285 section 4.3: 8-bit id, 8-bit length; id 0 is padding.
    while (i < data.size()) {
      if (data[i] == 0) {
        ++i;
        continue;
      }
      if (i + 2 > data.size()) return;
      const size_t length = data[i + 1];
      if (i + 2 + length > data.size()) return;
      data[i] = map_[data[i]] == 0 ? 255 : map_[data[i]];
      i += 2 + length;
    }
  }
}

}  // namespace fluxmeet::media::rtp
