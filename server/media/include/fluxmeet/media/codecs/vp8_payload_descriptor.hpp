#pragma once
// VP8 RTP payload descriptor (RFC 7741 section 4.2,
// https://www.rfc-editor.org/rfc/rfc7741#section-4.2) and the VP8 payload header that follows it
// at the start of a frame (section 4.3, with the keyframe start code and dimensions of RFC 6386
// section 9.1). The SFU reads these to find keyframes and temporal layers, and rewrites the
// picture ID and TL0PICIDX in place so a consumer switching simulcast layers sees one stream.
//
//      0 1 2 3 4 5 6 7
//     +-+-+-+-+-+-+-+-+
//     |X|R|N|S|R| PID | (REQUIRED)
//     +-+-+-+-+-+-+-+-+
//  X: |I|L|T|K| RSV   | (OPTIONAL)
//     +-+-+-+-+-+-+-+-+
//  I: |M| PictureID   | (OPTIONAL, 7 bits, or 15 bits when M = 1 with a second octet)
//     +-+-+-+-+-+-+-+-+
//  L: |   TL0PICIDX   | (OPTIONAL)
//     +-+-+-+-+-+-+-+-+
// T/K:|TID|Y| KEYIDX  | (OPTIONAL)
//     +-+-+-+-+-+-+-+-+
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace fluxmeet::media::codecs {

inline constexpr uint16_t kVp8PictureIdMask15 = 0x7FFF;
inline constexpr uint16_t kVp8PictureIdMask7 = 0x7F;

// RFC 6386 section 9.1: 14-bit dimensions plus a 2-bit upscaling code each.
struct Vp8FrameSize {
  uint16_t width = 0;
  uint16_t height = 0;
  uint8_t horizontalScale = 0;
  uint8_t verticalScale = 0;
};

// RFC 7741 section 4.3: present only in the first packet of a frame (S = 1, PID = 0).
struct Vp8PayloadHeader {
  bool keyframe = false;            // P bit clear *and* a valid keyframe start code (RFC 6386 9.1)
  bool showFrame = false;           // H bit
  uint8_t version = 0;              // VER, 3 bits
  uint32_t firstPartitionSize = 0;  // Size0 + 8 * Size1 + 2048 * Size2 (19 bits)
  std::optional<Vp8FrameSize> frameSize;  // keyframes only
};

class Vp8PayloadDescriptor {
 public:
  // Parses the descriptor at the start of an RTP payload, and the payload header when the
  // packet starts a frame. Fails on a truncated descriptor or when no VP8 data follows it.
  static std::optional<Vp8PayloadDescriptor> parse(std::span<const uint8_t> payload);

  // Bytes taken by the descriptor: the VP8 payload starts at this offset.
  size_t size() const { return size_; }

  bool nonReference() const { return nonReference_; }          // N
  bool startOfPartition() const { return startOfPartition_; }  // S
  uint8_t partitionIndex() const { return partitionIndex_; }   // PID, 0..7
  // S = 1 and PID = 0: the first packet of a frame (section 4.2).
  bool startsFrame() const { return startOfPartition_ && partitionIndex_ == 0; }

  std::optional<uint16_t> pictureId() const;
  bool hasLongPictureId() const { return longPictureId_; }  // M = 1: a 15-bit picture ID
  std::optional<uint8_t> tl0PicIdx() const;
  std::optional<uint8_t> temporalLayer() const;  // TID, when T = 1
  bool layerSync() const { return layerSync_; }  // Y; meaningful only when T = 1
  std::optional<uint8_t> keyIndex() const;       // KEYIDX, when K = 1

  const std::optional<Vp8PayloadHeader>& payloadHeader() const { return payloadHeader_; }
  bool isKeyframe() const { return payloadHeader_ && payloadHeader_->keyframe; }
  std::optional<Vp8FrameSize> keyframeSize() const;

  // In-place rewrites of the packet this descriptor was parsed from. The field keeps its width
  // (a 7-bit picture ID gets the low 7 bits), so the packet length never changes. Return false
  // when the field is absent or `payload` is too short.
  bool writePictureId(std::span<uint8_t> payload, uint16_t pictureId) const;
  bool writeTl0PicIdx(std::span<uint8_t> payload, uint8_t tl0PicIdx) const;

 private:
  Vp8PayloadDescriptor() = default;

  size_t size_ = 0;
  bool nonReference_ = false;
  bool startOfPartition_ = false;
  uint8_t partitionIndex_ = 0;
  bool hasPictureId_ = false;
  bool longPictureId_ = false;
  uint16_t pictureId_ = 0;
  bool hasTl0PicIdx_ = false;
  uint8_t tl0PicIdx_ = 0;
  bool hasTemporalLayer_ = false;
  uint8_t temporalLayer_ = 0;
  bool layerSync_ = false;
  bool hasKeyIndex_ = false;
  uint8_t keyIndex_ = 0;
  uint8_t pictureIdOffset_ = 0;  // valid when hasPictureId_
  uint8_t tl0PicIdxOffset_ = 0;  // valid when hasTl0PicIdx_
  std::optional<Vp8PayloadHeader> payloadHeader_;
};

// Parses the section 4.3 payload header from the VP8 data after the descriptor. Fails when
// fewer than 3 bytes remain.
std::optional<Vp8PayloadHeader> parseVp8PayloadHeader(std::span<const uint8_t> vp8Data);

}  // namespace fluxmeet::media::codecs
