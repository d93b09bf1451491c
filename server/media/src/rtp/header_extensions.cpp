#include "fluxmeet/media/rtp/header_extensions.hpp"

#include "fluxmeet/media/net/byte_io.hpp"

namespace fluxmeet::media::rtp {
namespace {

constexpr size_t kAbsSendTimeSize = 3;
constexpr uint32_t kAbsSendTimeMask = 0xFFFFFF;
constexpr int kAbsSendTimeFractionBits = 18;
constexpr uint64_t kAbsSendTimeWrapMicros = 64'000'000;  // 6 integer bits: 64 s
constexpr uint64_t kMicrosPerSecond = 1'000'000;

// Calls visit(id, value) for each element of a one-byte or two-byte extension block, with the
// same rules as RtpPacketView::findExtension (RFC 8285 sections 4.2 and 4.3): ID 0 is a
// padding byte, one-byte ID 15 stops parsing, an element overrunning the block stops parsing.
template <class Visit>
void forEachExtensionElement(const RtpPacketView& packet, Visit&& visit) {
  const ExtensionFormat format = packet.extensionFormat();
  const std::span<const uint8_t> ext = packet.extensionData();
  size_t offset = 0;
  if (format == ExtensionFormat::OneByte) {
    while (offset < ext.size()) {
      const uint8_t id = ext[offset] >> 4;
      if (id == 0) {
        ++offset;
        continue;
      }
      if (id == 15) return;
      const size_t length = (ext[offset] & 0x0F) + 1U;
      if (length > ext.size() - offset - 1) return;
      visit(id, ext.subspan(offset + 1, length));
      offset += 1 + length;
    }
  } else if (format == ExtensionFormat::TwoByte) {
    while (offset < ext.size()) {
      const uint8_t id = ext[offset];
      if (id == 0) {
        ++offset;
        continue;
      }
      if (ext.size() - offset < 2) return;
      const size_t length = ext[offset + 1];
      if (length > ext.size() - offset - 2) return;
      visit(id, ext.subspan(offset + 2, length));
      offset += 2 + length;
    }
  }
}

// Stores a decoded value unless an earlier element with the same ID already did.
template <class T, class Read>
void readOnce(uint8_t negotiatedId, uint8_t id, std::span<const uint8_t> value,
              std::optional<T>& out, bool& seen, Read read) {
  if (negotiatedId == 0 || negotiatedId != id || seen) return;
  seen = true;
  out = read(value);
}

}  // namespace

HeaderExtensionValues readHeaderExtensions(const RtpPacketView& packet,
                                           const HeaderExtensionIds& ids) {
  HeaderExtensionValues values;
  // Per-field "first element seen" flags: a malformed first element must not let a later
  // duplicate through, to match findExtension.
  bool seen[7] = {};
  forEachExtensionElement(packet, [&](uint8_t id, std::span<const uint8_t> value) {
    readOnce(ids.mid, id, value, values.mid, seen[0], readStringExtension);
    readOnce(ids.rid, id, value, values.rid, seen[1], readStringExtension);
    readOnce(ids.repairedRid, id, value, values.repairedRid, seen[2], readStringExtension);
    readOnce(ids.absSendTime, id, value, values.absSendTime, seen[3], readAbsSendTime);
    readOnce(ids.transportWideCc, id, value, values.transportWideSequenceNumber, seen[4],
             readTransportWideSequenceNumber);
    readOnce(ids.audioLevel, id, value, values.audioLevel, seen[5], readAudioLevel);
    readOnce(ids.videoOrientation, id, value, values.videoOrientation, seen[6],
             readVideoOrientation);
  });
  return values;
}

std::optional<std::string_view> readStringExtension(std::span<const uint8_t> value) {
  size_t length = 0;
  while (length < value.size() && value[length] != 0) ++length;
  if (length == 0) return std::nullopt;
  for (size_t i = length; i < value.size(); ++i) {
    if (value[i] != 0) return std::nullopt;  // a zero inside the value, not padding after it
  }
  for (size_t i = 0; i < length; ++i) {
    if (value[i] < 0x21 || value[i] > 0x7E) return std::nullopt;
  }
  return std::string_view(reinterpret_cast<const char*>(value.data()), length);
}

std::optional<uint32_t> readAbsSendTime(std::span<const uint8_t> value) {
  if (value.size() != kAbsSendTimeSize) return std::nullopt;
  return net::loadU24(value.data());
}

bool writeAbsSendTime(std::span<uint8_t> value, uint32_t absSendTime) {
  if (value.size() != kAbsSendTimeSize) return false;
  net::storeU24(value.data(), absSendTime & kAbsSendTimeMask);
  return true;
}

uint32_t absSendTimeFromMicros(uint64_t micros) {
  // Reduce first: the value wraps every 64 s, and shifting a large clock would overflow.
  const uint64_t withinWrap = micros % kAbsSendTimeWrapMicros;
  return static_cast<uint32_t>(((withinWrap << kAbsSendTimeFractionBits) + kMicrosPerSecond / 2) /
                               kMicrosPerSecond) &
         kAbsSendTimeMask;
}

uint64_t absSendTimeToMicros(uint32_t absSendTime) {
  const uint64_t fixed = absSendTime & kAbsSendTimeMask;
  return ((fixed * kMicrosPerSecond) + (1U << (kAbsSendTimeFractionBits - 1))) >>
         kAbsSendTimeFractionBits;
}

std::optional<uint16_t> readTransportWideSequenceNumber(std::span<const uint8_t> value) {
  if (value.size() < 2) return std::nullopt;
  return net::loadU16(value.data());
}

bool writeTransportWideSequenceNumber(std::span<uint8_t> value, uint16_t sequenceNumber) {
  if (value.size() < 2) return false;
  net::storeU16(value.data(), sequenceNumber);
  return true;
}

std::optional<AudioLevel> readAudioLevel(std::span<const uint8_t> value) {
  if (value.empty()) return std::nullopt;
  return AudioLevel{(value[0] & 0x80) != 0, static_cast<uint8_t>(value[0] & 0x7F)};
}

std::optional<VideoOrientation> readVideoOrientation(std::span<const uint8_t> value) {
  if (value.empty()) return std::nullopt;
  const uint8_t byte = value[0];
  return VideoOrientation{(byte & 0x08) != 0, (byte & 0x04) != 0,
                          static_cast<uint16_t>((byte & 0x03) * 90)};
}

bool setAbsSendTime(const RtpPacketView& packet, uint8_t id, uint32_t absSendTime) {
  const auto value = packet.findExtension(id);
  return value && writeAbsSendTime(*value, absSendTime);
}

bool setTransportWideSequenceNumber(const RtpPacketView& packet, uint8_t id,
                                    uint16_t sequenceNumber) {
  const auto value = packet.findExtension(id);
  return value && writeTransportWideSequenceNumber(*value, sequenceNumber);
}

}  // namespace fluxmeet::media::rtp
