#pragma once
// Per-consumer VP8 picture ID / TL0PICIDX rewriting (RFC 7741 section 4.2) for simulcast and
// temporal scalability. A consumer receives one simulcast layer at a time; each layer is a
// separate encoder with its own picture ID and TL0PICIDX counters, and the receiver's decoder
// uses gaps in those counters to detect lost frames. So the SFU maps every forwarded picture
// onto one continuous output sequence:
//   - output = source + offset (15-bit wraparound for picture IDs, 8-bit for TL0PICIDX);
//   - on a layer switch (at a keyframe of the new layer) the offsets are re-based so the
//     keyframe gets the next output value;
//   - a picture dropped because its temporal layer is above the target shrinks the picture ID
//     offset by one, so the pictures after it stay contiguous. TL0 pictures are never dropped,
//     so TL0PICIDX needs no adjustment.
// Packets of one picture share its picture ID and may arrive late or out of order
// (retransmissions), so the decision and output ID of each recent picture are kept in a fixed
// ring: no allocation per packet.
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "fluxmeet/media/codecs/vp8_payload_descriptor.hpp"

namespace fluxmeet::media::codecs {

inline constexpr uint8_t kVp8MaxTemporalLayer = 3;  // TID is 2 bits

// What the rewriter needs to know about one packet of the forwarded layer.
struct Vp8PacketInfo {
  std::optional<uint16_t> pictureId;
  bool longPictureId = true;  // 15-bit (M = 1) or 7-bit picture ID
  std::optional<uint8_t> tl0PicIdx;
  std::optional<uint8_t> temporalLayer;  // absent: no temporal layering, treated as TID 0
  bool layerSync = false;                // Y bit
  bool keyframe = false;                 // first packet of a keyframe
  // True on the first forwarded packet of a new simulcast layer (a keyframe), or after the
  // source restarted; false on every later packet, including the rest of that keyframe.
  bool layerSwitch = false;

  static Vp8PacketInfo from(const Vp8PayloadDescriptor& descriptor, bool layerSwitch);
};

// Values to write into a forwarded packet; each is set when the packet carries the field.
struct Vp8RewrittenIds {
  std::optional<uint16_t> pictureId;  // 15-bit; write it with the packet's own width
  std::optional<uint8_t> tl0PicIdx;
};

class Vp8Rewriter {
 public:
  // Pictures older than this many picture IDs behind the newest are dropped: retransmissions
  // that late (about 4 s at 30 fps) cannot be used by the receiver anyway.
  static constexpr size_t kHistorySize = 128;

  explicit Vp8Rewriter(uint8_t targetTemporalLayer = kVp8MaxTemporalLayer);

  // Pictures with TID above the target are dropped. Lowering takes effect at once (higher
  // layers are not referenced by lower ones); raising waits for a layer-sync picture (Y = 1)
  // of the new layer or for a keyframe, since earlier pictures of that layer were not sent.
  void setTargetTemporalLayer(uint8_t temporalLayer);
  uint8_t targetTemporalLayer() const { return targetTemporalLayer_; }
  // The highest temporal layer currently being forwarded.
  uint8_t currentTemporalLayer() const { return currentTemporalLayer_; }

  // Decides one packet: nullopt means drop it; otherwise the ids to write.
  std::optional<Vp8RewrittenIds> rewrite(const Vp8PacketInfo& packet);

  // Parses `payload` (an RTP payload starting with the descriptor), decides and rewrites it in
  // place. Returns false when the packet must be dropped (also when it is malformed).
  bool rewritePayload(std::span<uint8_t> payload, bool layerSwitch);

 private:
  enum class PictureState : uint8_t { Empty, Pending, Forwarded, Dropped };
  struct PictureRecord {
    uint16_t sourceId = 0;
    uint16_t outputId = 0;
    PictureState state = PictureState::Empty;
  };

  std::optional<uint16_t> mapPictureId(const Vp8PacketInfo& packet);
  uint16_t extendPictureId(uint16_t pictureId, bool longPictureId) const;
  void resync(uint16_t sourceId);
  bool admitNewPicture(const Vp8PacketInfo& packet);
  bool admitLatePicture(const Vp8PacketInfo& packet) const;
  std::optional<uint8_t> mapTl0PicIdx(const Vp8PacketInfo& packet);
  PictureRecord& recordFor(uint16_t sourceId) { return history_[sourceId % kHistorySize]; }

  uint8_t targetTemporalLayer_;
  uint8_t currentTemporalLayer_ = 0;

  bool started_ = false;
  bool pictureIdResyncPending_ = false;
  uint16_t newestSourceId_ = 0;   // 15-bit, 7-bit sources extended
  uint16_t pictureIdOffset_ = 0;  // output = source + offset for the next new picture
  std::array<PictureRecord, kHistorySize> history_{};

  bool tl0Started_ = false;
  bool tl0ResyncPending_ = false;
  uint8_t tl0Offset_ = 0;
  uint8_t newestOutputTl0_ = 0;
};

}  // namespace fluxmeet::media::codecs
