#include "fluxmeet/media/codecs/vp8_payload_descriptor.hpp"

namespace fluxmeet::media::codecs {
namespace {

// Section 4.2 first octet: |X|R|N|S|R| PID |.
constexpr uint8_t kExtendedBit = 0x80;
constexpr uint8_t kNonReferenceBit = 0x20;
constexpr uint8_t kStartBit = 0x10;
constexpr uint8_t kPartitionIndexMask = 0x07;
// Extension octet: |I|L|T|K| RSV |.
constexpr uint8_t kPictureIdBit = 0x80;
constexpr uint8_t kTl0PicIdxBit = 0x40;
constexpr uint8_t kTemporalLayerBit = 0x20;
constexpr uint8_t kKeyIndexBit = 0x10;
// Picture ID octet: |M| PictureID |.
constexpr uint8_t kLongPictureIdBit = 0x80;
// TID/Y/KEYIDX octet: |TID|Y| KEYIDX |.
constexpr uint8_t kLayerSyncBit = 0x20;
constexpr uint8_t kKeyIndexMask = 0x1F;

// Section 4.3 / RFC 6386 section 9.1.
constexpr size_t kPayloadHeaderSize = 3;
constexpr size_t kKeyframeHeaderSize = 10;  // frame tag + start code + width + height
constexpr uint8_t kStartCode[3] = {0x9d, 0x01, 0x2a};
constexpr uint8_t kInterframeBit = 0x01;  // P: 0 = keyframe
constexpr uint8_t kShowFrameBit = 0x10;

uint16_t loadU16LittleEndian(const uint8_t* p) {
  return static_cast<uint16_t>(p[0] | (static_cast<uint16_t>(p[1]) << 8));
}

}  // namespace

std::optional<Vp8PayloadDescriptor> Vp8PayloadDescriptor::parse(std::span<const uint8_t> payload) {
  if (payload.empty()) return std::nullopt;
  Vp8PayloadDescriptor d;
  const uint8_t first = payload[0];
  d.nonReference_ = (first & kNonReferenceBit) != 0;
  d.startOfPartition_ = (first & kStartBit) != 0;
  d.partitionIndex_ = first & kPartitionIndexMask;
  size_t offset = 1;

  if ((first & kExtendedBit) != 0) {
    if (offset >= payload.size()) return std::nullopt;
    const uint8_t extension = payload[offset++];
    if ((extension & kPictureIdBit) != 0) {
      if (offset >= payload.size()) return std::nullopt;
      d.hasPictureId_ = true;
      d.pictureIdOffset_ = static_cast<uint8_t>(offset);
      if ((payload[offset] & kLongPictureIdBit) != 0) {
        if (payload.size() - offset < 2) return std::nullopt;
        d.longPictureId_ = true;
        d.pictureId_ = static_cast<uint16_t>(((payload[offset] & 0x7F) << 8) | payload[offset + 1]);
        offset += 2;
      } else {
        d.pictureId_ = payload[offset] & kVp8PictureIdMask7;
        offset += 1;
      }
    }
    if ((extension & kTl0PicIdxBit) != 0) {
      if (offset >= payload.size()) return std::nullopt;
      d.hasTl0PicIdx_ = true;
      d.tl0PicIdxOffset_ = static_cast<uint8_t>(offset);
      d.tl0PicIdx_ = payload[offset++];
    }
    // One octet carries TID, Y and KEYIDX; it is present if either T or K is set, and each
    // field is meaningful only under its own flag.
    const bool hasTemporalLayer = (extension & kTemporalLayerBit) != 0;
    const bool hasKeyIndex = (extension & kKeyIndexBit) != 0;
    if (hasTemporalLayer || hasKeyIndex) {
      if (offset >= payload.size()) return std::nullopt;
      const uint8_t octet = payload[offset++];
      if (hasTemporalLayer) {
        d.hasTemporalLayer_ = true;
        d.temporalLayer_ = static_cast<uint8_t>(octet >> 6);
        d.layerSync_ = (octet & kLayerSyncBit) != 0;
      }
      if (hasKeyIndex) {
        d.hasKeyIndex_ = true;
        d.keyIndex_ = octet & kKeyIndexMask;
      }
    }
  }
  // Section 4.1: the descriptor is followed by (part of) a VP8 partition; a descriptor alone
  // carries nothing to forward.
  if (offset >= payload.size()) return std::nullopt;
  d.size_ = offset;
  if (d.startsFrame()) d.payloadHeader_ = parseVp8PayloadHeader(payload.subspan(offset));
  return d;
}

std::optional<uint16_t> Vp8PayloadDescriptor::pictureId() const {
  if (!hasPictureId_) return std::nullopt;
  return pictureId_;
}

std::optional<uint8_t> Vp8PayloadDescriptor::tl0PicIdx() const {
  if (!hasTl0PicIdx_) return std::nullopt;
  return tl0PicIdx_;
}

std::optional<uint8_t> Vp8PayloadDescriptor::temporalLayer() const {
  if (!hasTemporalLayer_) return std::nullopt;
  return temporalLayer_;
}

std::optional<uint8_t> Vp8PayloadDescriptor::keyIndex() const {
  if (!hasKeyIndex_) return std::nullopt;
  return keyIndex_;
}

std::optional<Vp8FrameSize> Vp8PayloadDescriptor::keyframeSize() const {
  if (!isKeyframe()) return std::nullopt;
  return payloadHeader_->frameSize;
}

bool Vp8PayloadDescriptor::writePictureId(std::span<uint8_t> payload, uint16_t pictureId) const {
  if (!hasPictureId_) return false;
  const size_t width = longPictureId_ ? 2 : 1;
  if (payload.size() < pictureIdOffset_ + width) return false;
  if (longPictureId_) {
    payload[pictureIdOffset_] = static_cast<uint8_t>(kLongPictureIdBit | ((pictureId >> 8) & 0x7F));
    payload[pictureIdOffset_ + 1] = static_cast<uint8_t>(pictureId);
  } else {
    payload[pictureIdOffset_] = static_cast<uint8_t>(pictureId & kVp8PictureIdMask7);
  }
  return true;
}

bool Vp8PayloadDescriptor::writeTl0PicIdx(std::span<uint8_t> payload, uint8_t tl0PicIdx) const {
  if (!hasTl0PicIdx_ || payload.size() <= tl0PicIdxOffset_) return false;
  payload[tl0PicIdxOffset_] = tl0PicIdx;
  return true;
}

// RFC 7741 section 4.3:  |Size0|H| VER |P|  Size1  Size2  (the RFC 6386 section 9.1 frame tag,
// little-endian), then on keyframes the start code 9d 01 2a and two little-endian 16-bit words
// of 14-bit dimension + 2-bit scale.
std::optional<Vp8PayloadHeader> parseVp8PayloadHeader(std::span<const uint8_t> vp8Data) {
  if (vp8Data.size() < kPayloadHeaderSize) return std::nullopt;
  Vp8PayloadHeader header;
  const uint8_t tag = vp8Data[0];
  header.showFrame = (tag & kShowFrameBit) != 0;
  header.version = static_cast<uint8_t>((tag >> 1) & 0x07);
  header.firstPartitionSize = static_cast<uint32_t>(tag >> 5) |
                              (static_cast<uint32_t>(vp8Data[1]) << 3) |
                              (static_cast<uint32_t>(vp8Data[2]) << 11);
  // A P bit of 0 alone is weak evidence in a corrupt or truncated packet; a decoder rejects a
  // keyframe without the start code (RFC 6386 section 9.1), so the SFU does too.
  if ((tag & kInterframeBit) == 0 && vp8Data.size() >= kKeyframeHeaderSize &&
      vp8Data[3] == kStartCode[0] && vp8Data[4] == kStartCode[1] && vp8Data[5] == kStartCode[2]) {
    header.keyframe = true;
    const uint16_t width = loadU16LittleEndian(&vp8Data[6]);
    const uint16_t height = loadU16LittleEndian(&vp8Data[8]);
    header.frameSize =
        Vp8FrameSize{static_cast<uint16_t>(width & 0x3FFF), static_cast<uint16_t>(height & 0x3FFF),
                     static_cast<uint8_t>(width >> 14), static_cast<uint8_t>(height >> 14)};
  }
  return header;
}

}  // namespace fluxmeet::media::codecs
