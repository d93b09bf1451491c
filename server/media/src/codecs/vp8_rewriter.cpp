#include "fluxmeet/media/codecs/vp8_rewriter.hpp"

#include <algorithm>

#include "fluxmeet/media/rtp/sequence_number.hpp"

namespace fluxmeet::media::codecs {
namespace {

constexpr uint16_t kHalfPictureIdSpace = 0x4000;  // serial comparison of 15-bit picture IDs

uint16_t wrapPictureId(uint32_t value) {
  return static_cast<uint16_t>(value & kVp8PictureIdMask15);
}

// Forward distance from `b` to `a` in the 15-bit picture ID space.
uint16_t pictureIdDistance(uint16_t a, uint16_t b) { return wrapPictureId(a + 0x8000U - b); }

}  // namespace

Vp8PacketInfo Vp8PacketInfo::from(const Vp8PayloadDescriptor& descriptor, bool layerSwitch) {
  Vp8PacketInfo info;
  info.pictureId = descriptor.pictureId();
  info.longPictureId = descriptor.hasLongPictureId();
  info.tl0PicIdx = descriptor.tl0PicIdx();
  info.temporalLayer = descriptor.temporalLayer();
  info.layerSync = descriptor.layerSync();
  info.keyframe = descriptor.isKeyframe();
  info.layerSwitch = layerSwitch;
  return info;
}

Vp8Rewriter::Vp8Rewriter(uint8_t targetTemporalLayer)
    : targetTemporalLayer_(std::min(targetTemporalLayer, kVp8MaxTemporalLayer)) {}

void Vp8Rewriter::setTargetTemporalLayer(uint8_t temporalLayer) {
  targetTemporalLayer_ = std::min(temporalLayer, kVp8MaxTemporalLayer);
  currentTemporalLayer_ = std::min(currentTemporalLayer_, targetTemporalLayer_);
}

std::optional<Vp8RewrittenIds> Vp8Rewriter::rewrite(const Vp8PacketInfo& packet) {
  // Each counter re-bases at the first packet after the switch that carries it.
  if (packet.layerSwitch) {
    pictureIdResyncPending_ = true;
    tl0ResyncPending_ = true;
  }
  Vp8RewrittenIds ids;
  if (packet.pictureId) {
    ids.pictureId = mapPictureId(packet);
    if (!ids.pictureId) return std::nullopt;
  } else if (!admitNewPicture(packet)) {
    // Without picture IDs there is nothing to keep contiguous: decide packet by packet.
    return std::nullopt;
  }
  ids.tl0PicIdx = mapTl0PicIdx(packet);
  return ids;
}

bool Vp8Rewriter::rewritePayload(std::span<uint8_t> payload, bool layerSwitch) {
  const auto descriptor = Vp8PayloadDescriptor::parse(payload);
  if (!descriptor) {
    if (layerSwitch) pictureIdResyncPending_ = tl0ResyncPending_ = true;
    return false;
  }
  const auto ids = rewrite(Vp8PacketInfo::from(*descriptor, layerSwitch));
  if (!ids) return false;
  if (ids->pictureId) descriptor->writePictureId(payload, *ids->pictureId);
  if (ids->tl0PicIdx) descriptor->writeTl0PicIdx(payload, *ids->tl0PicIdx);
  return true;
}

std::optional<uint16_t> Vp8Rewriter::mapPictureId(const Vp8PacketInfo& packet) {
  const uint16_t source = extendPictureId(*packet.pictureId, packet.longPictureId);
  if (!started_) {
    // The first picture keeps its own ID: there is no earlier output to continue.
    started_ = true;
    pictureIdOffset_ = 0;
    newestSourceId_ = wrapPictureId(source + kVp8PictureIdMask15);  // source - 1
    history_.fill({});
  } else if (pictureIdResyncPending_) {
    resync(source);
  }
  pictureIdResyncPending_ = false;

  const uint16_t ahead = pictureIdDistance(source, newestSourceId_);
  if (ahead != 0 && ahead < kHalfPictureIdSpace) {
    // Pictures skipped by the source side (lost, or still in flight) keep their place in the
    // output, so a late one fits between its neighbours. Only the last kHistorySize - 1 can
    // still arrive in time.
    const uint16_t missing = ahead - 1;
    const uint16_t reserved = std::min<uint16_t>(missing, kHistorySize - 1);
    for (uint16_t i = missing - reserved + 1; i <= missing; ++i) {
      const uint16_t id = wrapPictureId(newestSourceId_ + i);
      recordFor(id) = {id, wrapPictureId(id + pictureIdOffset_), PictureState::Pending};
    }
    newestSourceId_ = source;
    PictureRecord& record = recordFor(source);
    record.sourceId = source;
    record.outputId = wrapPictureId(source + pictureIdOffset_);
    if (admitNewPicture(packet)) {
      record.state = PictureState::Forwarded;
      return record.outputId;
    }
    // Dropping the newest picture: every later picture moves down by one.
    record.state = PictureState::Dropped;
    pictureIdOffset_ = wrapPictureId(pictureIdOffset_ + kVp8PictureIdMask15);
    return std::nullopt;
  }

  // Another packet of a known picture, or a late one.
  if (pictureIdDistance(newestSourceId_, source) >= kHistorySize) return std::nullopt;
  PictureRecord& record = recordFor(source);
  if (record.state == PictureState::Empty || record.sourceId != source) {
    return std::nullopt;  // before the first picture or the last layer switch
  }
  if (record.state == PictureState::Pending) {
    record.state = admitLatePicture(packet) ? PictureState::Forwarded : PictureState::Dropped;
  }
  if (record.state == PictureState::Dropped) return std::nullopt;
  return record.outputId;
}

// A 7-bit picture ID wraps every 128 pictures; place it within 64 of the newest picture so it
// shares the 15-bit history. The written value keeps only the low 7 bits, which continue too.
uint16_t Vp8Rewriter::extendPictureId(uint16_t pictureId, bool longPictureId) const {
  if (longPictureId) return wrapPictureId(pictureId);
  const uint16_t low = pictureId & kVp8PictureIdMask7;
  if (!started_) return low;
  uint16_t candidate = static_cast<uint16_t>((newestSourceId_ & ~kVp8PictureIdMask7) | low);
  const uint16_t forward = pictureIdDistance(candidate, newestSourceId_);
  const uint16_t backward = pictureIdDistance(newestSourceId_, candidate);
  if (forward < kHalfPictureIdSpace && forward > 64) {
    candidate = wrapPictureId(candidate + 0x8000U - 128);
  } else if (backward < kHalfPictureIdSpace && backward >= 64) {
    candidate = wrapPictureId(candidate + 128U);
  }
  return candidate;
}

// Re-bases the offset so `sourceId` becomes the output after the newest one, and forgets the
// previous layer's pictures (their IDs mean nothing in the new layer).
void Vp8Rewriter::resync(uint16_t sourceId) {
  const uint16_t nextOutput = wrapPictureId(newestSourceId_ + pictureIdOffset_ + 1U);
  pictureIdOffset_ = pictureIdDistance(nextOutput, sourceId);
  newestSourceId_ = wrapPictureId(sourceId + kVp8PictureIdMask15);  // sourceId - 1
  history_.fill({});
}

bool Vp8Rewriter::admitNewPicture(const Vp8PacketInfo& packet) {
  if (packet.keyframe) {
    // Everything after a keyframe can be decoded: all layers up to the target may flow.
    currentTemporalLayer_ = targetTemporalLayer_;
    return true;
  }
  const uint8_t temporalLayer = packet.temporalLayer.value_or(0);
  if (temporalLayer > targetTemporalLayer_) return false;
  if (temporalLayer > currentTemporalLayer_) {
    // RFC 7741 section 4.2, Y: this picture depends only on TL0 pictures, so the receiver can
    // decode it although earlier pictures of its layer were not sent.
    if (!packet.layerSync) return false;
    currentTemporalLayer_ = temporalLayer;
  }
  return true;
}

bool Vp8Rewriter::admitLatePicture(const Vp8PacketInfo& packet) const {
  return packet.keyframe || packet.temporalLayer.value_or(0) <= currentTemporalLayer_;
}

std::optional<uint8_t> Vp8Rewriter::mapTl0PicIdx(const Vp8PacketInfo& packet) {
  if (!packet.tl0PicIdx) return std::nullopt;
  const uint8_t source = *packet.tl0PicIdx;
  if (!tl0Started_) {
    tl0Started_ = true;
    tl0Offset_ = 0;
    newestOutputTl0_ = source;
  } else if (tl0ResyncPending_) {
    // The switch happens on a keyframe, which starts a new TL0 picture: the next index.
    tl0Offset_ = static_cast<uint8_t>(newestOutputTl0_ + 1 - source);
  }
  tl0ResyncPending_ = false;
  const auto output = static_cast<uint8_t>(source + tl0Offset_);
  if (rtp::isNewer<uint8_t>(output, newestOutputTl0_)) newestOutputTl0_ = output;
  return output;
}

}  // namespace fluxmeet::media::codecs
