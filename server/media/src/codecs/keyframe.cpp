#include "fluxmeet/media/codecs/keyframe.hpp"

#include <cstddef>

#include "fluxmeet/media/codecs/vp8_payload_descriptor.hpp"
#include "fluxmeet/media/net/byte_io.hpp"

namespace fluxmeet::media::codecs {
namespace {

bool equalsIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

// RFC 9628 section 4.2, first octet: |I|P|L|F|B|E|V|Z|.
constexpr uint8_t kVp9PictureIdBit = 0x80;
constexpr uint8_t kVp9InterPictureBit = 0x40;
constexpr uint8_t kVp9LayerIndicesBit = 0x20;
constexpr uint8_t kVp9BeginningOfFrameBit = 0x08;
constexpr uint8_t kVp9LongPictureIdBit = 0x80;  // M in the picture ID octet

// RFC 6184 section 5.2 NAL unit types (1-23 are single NAL units, section 5.6).
constexpr uint8_t kNalTypeMask = 0x1F;
constexpr uint8_t kNalIdrSlice = 5;
constexpr uint8_t kNalSps = 7;
constexpr uint8_t kNalStapA = 24;
constexpr uint8_t kNalFuA = 28;
constexpr uint8_t kFuStartBit = 0x80;

bool isH264KeyNal(uint8_t nalType) { return nalType == kNalIdrSlice || nalType == kNalSps; }

// AV1 RTP spec section 4.4 aggregation header: |Z|Y| W |N|-|-|-|.
constexpr uint8_t kAv1NewCodedVideoSequenceBit = 0x08;

}  // namespace

Codec codecFromMimeType(std::string_view mimeType) {
  if (equalsIgnoringCase(mimeType, "audio/opus")) return Codec::Opus;
  if (equalsIgnoringCase(mimeType, "video/vp8")) return Codec::Vp8;
  if (equalsIgnoringCase(mimeType, "video/vp9")) return Codec::Vp9;
  if (equalsIgnoringCase(mimeType, "video/h264")) return Codec::H264;
  if (equalsIgnoringCase(mimeType, "video/av1")) return Codec::Av1;
  return Codec::Unknown;
}

bool isKeyframe(Codec codec, std::span<const uint8_t> payload) {
  switch (codec) {
    case Codec::Opus:
      return true;
    case Codec::Vp8:
      return isVp8Keyframe(payload);
    case Codec::Vp9:
      return isVp9Keyframe(payload);
    case Codec::H264:
      return isH264Keyframe(payload);
    case Codec::Av1:
      return isAv1Keyframe(payload);
    case Codec::Unknown:
      return false;
  }
  return false;
}

bool isKeyframe(std::string_view mimeType, std::span<const uint8_t> payload) {
  return isKeyframe(codecFromMimeType(mimeType), payload);
}

bool isVp8Keyframe(std::span<const uint8_t> payload) {
  const auto descriptor = Vp8PayloadDescriptor::parse(payload);
  return descriptor && descriptor->isKeyframe();
}

// A picture is a keyframe when its base spatial layer is not inter-picture predicted (P = 0)
// and this packet begins that layer's frame (B = 1, SID = 0; no L octet means SID 0).
bool isVp9Keyframe(std::span<const uint8_t> payload) {
  if (payload.empty()) return false;
  const uint8_t first = payload[0];
  if ((first & kVp9InterPictureBit) != 0 || (first & kVp9BeginningOfFrameBit) == 0) return false;
  size_t offset = 1;
  if ((first & kVp9PictureIdBit) != 0) {
    if (offset >= payload.size()) return false;
    offset += (payload[offset] & kVp9LongPictureIdBit) != 0 ? 2 : 1;
  }
  if ((first & kVp9LayerIndicesBit) == 0) return offset <= payload.size();
  if (offset >= payload.size()) return false;
  // Layer indices octet: |TID|U| SID |D|.
  const uint8_t spatialLayer = (payload[offset] >> 1) & 0x07;
  return spatialLayer == 0;
}

// An IDR slice, or an SPS (which senders place right before the IDR), in a single NAL unit,
// anywhere in a STAP-A aggregate, or at the start of an FU-A fragmented unit.
bool isH264Keyframe(std::span<const uint8_t> payload) {
  if (payload.empty()) return false;
  const uint8_t nalType = payload[0] & kNalTypeMask;
  if (nalType == kNalStapA) {
    // Section 5.7.1: after the STAP-A header, units of 16-bit size + NAL unit.
    size_t offset = 1;
    while (payload.size() - offset >= 2) {
      const size_t unitSize = net::loadU16(&payload[offset]);
      offset += 2;
      if (unitSize == 0 || unitSize > payload.size() - offset) return false;
      if (isH264KeyNal(payload[offset] & kNalTypeMask)) return true;
      offset += unitSize;
    }
    return false;
  }
  if (nalType == kNalFuA) {
    // Section 5.8: FU indicator, then FU header |S|E|R| Type |.
    if (payload.size() < 2) return false;
    return (payload[1] & kFuStartBit) != 0 && isH264KeyNal(payload[1] & kNalTypeMask);
  }
  return isH264KeyNal(nalType);
}

// N = 1: the first packet of a coded video sequence, which begins with a key frame.
bool isAv1Keyframe(std::span<const uint8_t> payload) {
  return !payload.empty() && (payload[0] & kAv1NewCodedVideoSequenceBit) != 0;
}

}  // namespace fluxmeet::media::codecs
