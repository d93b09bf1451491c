#include "fluxmeet/media/rtp/rtp_packet.hpp"

#include <cstring>

#include "fluxmeet/media/net/byte_io.hpp"

namespace fluxmeet::media::rtp {
namespace {

using net::loadU16;
using net::loadU32;

constexpr uint8_t kVersion = 2;

}  // namespace

std::optional<RtpPacketView> RtpPacketView::parse(std::span<uint8_t> data) {
  if (data.size() < kFixedHeaderSize || (data[0] >> 6) != kVersion) {
    return std::nullopt;
  }
  RtpPacketView packet(data);
  size_t offset = kFixedHeaderSize + 4U * packet.csrcCount();
  if (offset > data.size()) {
    return std::nullopt;
  }
  // Section 5.3.1: 16-bit profile-defined field, 16-bit length in 32-bit words, then data.
  if (packet.hasExtension()) {
    if (data.size() - offset < 4) {
      return std::nullopt;
    }
    const size_t extensionBytes = 4U * loadU16(&data[offset + 2]);
    if (extensionBytes > data.size() - offset - 4) {
      return std::nullopt;
    }
    packet.extensionOffset_ = offset;
    packet.extensionSize_ = extensionBytes;
    offset += 4 + extensionBytes;
  }
  packet.headerSize_ = offset;
  // Section 5.1: with P set, the last octet counts the padding octets, itself included.
  if (packet.hasPadding()) {
    if (data.size() == offset) {
      return std::nullopt;
    }
    const size_t padding = data.back();
    if (padding == 0 || padding > data.size() - offset) {
      return std::nullopt;
    }
    packet.paddingSize_ = padding;
  }
  return packet;
}

std::optional<size_t> RtpPacketView::build(std::span<uint8_t> out, const RtpHeaderFields& fields,
                                           std::span<const uint8_t> payload) {
  if (fields.payloadType > 0x7F || out.size() < kFixedHeaderSize ||
      payload.size() > out.size() - kFixedHeaderSize) {
    return std::nullopt;
  }
  out[0] = kVersion << 6;
  out[1] = static_cast<uint8_t>((fields.marker ? 0x80 : 0x00) | fields.payloadType);
  net::storeU16(&out[2], fields.sequenceNumber);
  net::storeU32(&out[4], fields.timestamp);
  net::storeU32(&out[8], fields.ssrc);
  if (!payload.empty()) {
    std::memcpy(&out[kFixedHeaderSize], payload.data(), payload.size());
  }
  return kFixedHeaderSize + payload.size();
}

uint16_t RtpPacketView::sequenceNumber() const { return loadU16(&data_[2]); }
uint32_t RtpPacketView::timestamp() const { return loadU32(&data_[4]); }
uint32_t RtpPacketView::ssrc() const { return loadU32(&data_[8]); }
uint32_t RtpPacketView::csrc(size_t index) const { return loadU32(&data_[kFixedHeaderSize + 4 * index]); }

void RtpPacketView::setMarker(bool marker) {
  data_[1] = static_cast<uint8_t>((data_[1] & 0x7F) | (marker ? 0x80 : 0x00));
}
void RtpPacketView::setPayloadType(uint8_t payloadType) {
  data_[1] = static_cast<uint8_t>((data_[1] & 0x80) | (payloadType & 0x7F));
}
void RtpPacketView::setSequenceNumber(uint16_t sequenceNumber) { net::storeU16(&data_[2], sequenceNumber); }
void RtpPacketView::setTimestamp(uint32_t timestamp) { net::storeU32(&data_[4], timestamp); }
void RtpPacketView::setSsrc(uint32_t ssrc) { net::storeU32(&data_[8], ssrc); }

std::span<uint8_t> RtpPacketView::payload() const {
  return data_.subspan(headerSize_, data_.size() - headerSize_ - paddingSize_);
}

uint16_t RtpPacketView::extensionProfile() const {
  return extensionOffset_ == 0 ? 0 : loadU16(&data_[extensionOffset_]);
}

ExtensionFormat RtpPacketView::extensionFormat() const {
  if (extensionOffset_ == 0) return ExtensionFormat::None;
  const uint16_t profile = extensionProfile();
  if (profile == kOneByteExtensionProfile) return ExtensionFormat::OneByte;
  if ((profile & kTwoByteExtensionProfileMask) == kTwoByteExtensionProfile) return ExtensionFormat::TwoByte;
  return ExtensionFormat::Other;
}

std::span<uint8_t> RtpPacketView::extensionData() const {
  if (extensionOffset_ == 0) return {};
  return data_.subspan(extensionOffset_ + 4, extensionSize_);
}

// RFC 8285 section 4.2: one-byte elements are ID (4 bits) | L (4 bits, length - 1), ID 0 is a
// padding byte and ID 15 stops parsing. Section 4.3: two-byte elements are ID (8) | L (8, the
// length itself, may be 0), ID 0 is a padding byte.
std::optional<std::span<uint8_t>> RtpPacketView::findExtension(uint8_t id) const {
  const ExtensionFormat format = extensionFormat();
  if (id == 0 || (format != ExtensionFormat::OneByte && format != ExtensionFormat::TwoByte)) {
    return std::nullopt;
  }
  const std::span<uint8_t> ext = extensionData();
  size_t offset = 0;
  if (format == ExtensionFormat::OneByte) {
    if (id >= 15) return std::nullopt;
    while (offset < ext.size()) {
      const uint8_t elementId = ext[offset] >> 4;
      if (elementId == 0) {
        ++offset;
        continue;
      }
      if (elementId == 15) break;
      const size_t length = (ext[offset] & 0x0F) + 1U;
      if (length > ext.size() - offset - 1) break;
      if (elementId == id) return ext.subspan(offset + 1, length);
      offset += 1 + length;
    }
    return std::nullopt;
  }
  while (offset < ext.size()) {
    const uint8_t elementId = ext[offset];
    if (elementId == 0) {
      ++offset;
      continue;
    }
    if (ext.size() - offset < 2) break;
    const size_t length = ext[offset + 1];
    if (length > ext.size() - offset - 2) break;
    if (elementId == id) return ext.subspan(offset + 2, length);
    offset += 2 + length;
  }
  return std::nullopt;
}

}  // namespace fluxmeet::media::rtp
