#include "fluxmeet/media/client/synthetic_vp8_source.hpp"

#include <algorithm>
#include <cstring>
#include <random>
#include <utility>

#include "fluxmeet/media/client/rtp_packet_writer.hpp"
#include "fluxmeet/media/client/synthetic_trailer.hpp"
#include "fluxmeet/media/ortc/ortc.hpp"

namespace fluxmeet::media::client {
namespace {

// RFC 7741 section 4.2 descriptor as we always write it: X=1; I, L and T set; 15-bit picture ID.
constexpr size_t kDescriptorSize = 6;
constexpr uint8_t kExtendedBit = 0x80;
constexpr uint8_t kNonReferenceBit = 0x20;
constexpr uint8_t kStartBit = 0x10;
constexpr uint8_t kPictureIdPresent = 0x80;
constexpr uint8_t kTl0PicIdxPresent = 0x40;
constexpr uint8_t kTidPresent = 0x20;
constexpr uint8_t kLongPictureId = 0x80;
constexpr uint8_t kLayerSyncBit = 0x20;

// RFC 6386 section 9.1: 3-byte frame tag, and on keyframes start code + two 16-bit dimensions.
constexpr size_t kFrameTagSize = 3;
constexpr size_t kKeyframeHeaderSize = 10;

struct TemporalStep {
  uint8_t tid;
  bool layerSync;  // Y: references only TL0 pictures, so a receiver may switch up here
};

// libwebrtc's temporal patterns: L1T2 = 0 1, L1T3 = 0 2 1 2.
TemporalStep temporalStep(uint8_t layers, uint8_t index) {
  if (layers == 2) return index % 2 == 0 ? TemporalStep{0, false} : TemporalStep{1, true};
  if (layers >= 3) {
    static constexpr TemporalStep kL1T3[4] = {{0, false}, {2, true}, {1, true}, {2, false}};
    return kL1T3[index % 4];
  }
  return {0, false};
}

uint8_t patternLength(uint8_t layers) { return layers >= 3 ? 4 : (layers == 2 ? 2 : 1); }

}  // namespace

SyntheticVp8Source::SyntheticVp8Source(SyntheticVp8Options options) : options_(std::move(options)) {
  options_.temporalLayers = std::clamp<uint8_t>(options_.temporalLayers, 1, 3);
  options_.fps = std::max<uint32_t>(options_.fps, 1);
  options_.maxPayloadSize = std::clamp<size_t>(options_.maxPayloadSize, 64, payload_.size());
  for (const auto& layer : options_.layers) {
    std::mt19937 random(layer.ssrc);
    LayerState state;
    state.sequenceNumber = static_cast<uint16_t>(random());
    state.timestampBase = random();
    state.pictureId = static_cast<uint16_t>(random() & 0x7FFF);
    state.tl0PicIdx = static_cast<uint8_t>(random());
    state_.push_back(state);
  }
}

std::optional<size_t> SyntheticVp8Source::layerOfSsrc(uint32_t ssrc) const {
  for (size_t i = 0; i < options_.layers.size(); ++i) {
    if (options_.layers[i].ssrc == ssrc) return i;
  }
  return std::nullopt;
}

void SyntheticVp8Source::requestKeyframe(size_t layer, uint32_t afterFrames) {
  if (layer >= state_.size()) return;
  auto& state = state_[layer];
  const uint32_t due = afterFrames + 1;
  if (state.keyframeDueIn == 0 || due < state.keyframeDueIn) state.keyframeDueIn = due;
}

bool SyntheticVp8Source::requestKeyframeForSsrc(uint32_t ssrc, uint32_t afterFrames) {
  const auto layer = layerOfSsrc(ssrc);
  if (!layer) return false;
  requestKeyframe(*layer, afterFrames);
  return true;
}

void SyntheticVp8Source::sendFrame(int64_t sendTimeNs, const PacketSink& sink) {
  for (size_t layer = 0; layer < state_.size(); ++layer) sendLayerFrame(layer, sendTimeNs, sink);
  ++frame_;
}

void SyntheticVp8Source::sendLayerFrame(size_t layerIndex, int64_t sendTimeNs, const PacketSink& sink) {
  const auto& config = options_.layers[layerIndex];
  auto& state = state_[layerIndex];
  bool keyframe = false;
  if (state.keyframeDueIn > 0 && --state.keyframeDueIn == 0) keyframe = true;
  if (options_.keyframeInterval > 0 && state.frames % options_.keyframeInterval == 0) keyframe = true;
  if (keyframe) state.patternIndex = 0;
  const TemporalStep step = temporalStep(options_.temporalLayers, state.patternIndex);
  state.patternIndex = static_cast<uint8_t>((state.patternIndex + 1) % patternLength(options_.temporalLayers));
  state.pictureId = static_cast<uint16_t>((state.pictureId + 1) & 0x7FFF);
  if (step.tid == 0) ++state.tl0PicIdx;
  const bool nonReference = options_.temporalLayers > 1 && step.tid == options_.temporalLayers - 1;

  // Frame size from the bitrate; split evenly over as few packets as the payload limit allows.
  const size_t frameBytes =
      std::max<size_t>(config.bitrate / 8 / options_.fps * (keyframe ? 2 : 1), kKeyframeHeaderSize + 1);
  const size_t dataPerPacket = options_.maxPayloadSize - kDescriptorSize - kSyntheticTrailerSize;
  const size_t packets = (frameBytes + dataPerPacket - 1) / dataPerPacket;
  const uint32_t timestamp = state.timestampBase + frame_ * (90000 / options_.fps);
  const std::string_view rid = config.rid;
  const std::string_view mid = options_.mid;
  const RtpExtensionElement extensions[] = {
      {mid.empty() ? uint8_t{0} : options_.midExtensionId, {reinterpret_cast<const uint8_t*>(mid.data()), mid.size()}},
      {rid.empty() ? uint8_t{0} : options_.ridExtensionId, {reinterpret_cast<const uint8_t*>(rid.data()), rid.size()}},
  };

  size_t remaining = frameBytes;
  for (size_t index = 0; index < packets; ++index) {
    const size_t data = std::max<size_t>(remaining / (packets - index), index == 0 ? kKeyframeHeaderSize : 1);
    remaining -= std::min(remaining, data);
    uint8_t* p = payload_.data();
    p[0] = static_cast<uint8_t>(kExtendedBit | (nonReference ? kNonReferenceBit : 0) | (index == 0 ? kStartBit : 0));
    p[1] = kPictureIdPresent | kTl0PicIdxPresent | kTidPresent;
    p[2] = static_cast<uint8_t>(kLongPictureId | (state.pictureId >> 8));
    p[3] = static_cast<uint8_t>(state.pictureId);
    p[4] = state.tl0PicIdx;
    p[5] = static_cast<uint8_t>((step.tid << 6) | (step.layerSync ? kLayerSyncBit : 0));
    uint8_t* vp8 = p + kDescriptorSize;
    // Filler that is neither zero nor constant, like compressed data.
    for (size_t i = 0; i < data; ++i) vp8[i] = static_cast<uint8_t>(state.pictureId + i * 31);
    if (index == 0) {
      // Frame tag, little-endian: P (bit 0, 0 = keyframe), VER (bits 1-3), H = show_frame
      // (bit 4), first partition size (bits 5-23).
      const uint32_t firstPartition = static_cast<uint32_t>(std::min<size_t>(frameBytes / 2, 0x7FFFF));
      const uint32_t tag = (keyframe ? 0u : 1u) | 0x10u | (firstPartition << 5);
      vp8[0] = static_cast<uint8_t>(tag);
      vp8[1] = static_cast<uint8_t>(tag >> 8);
      vp8[2] = static_cast<uint8_t>(tag >> 16);
      if (keyframe) {
        vp8[kFrameTagSize + 0] = 0x9d;
        vp8[kFrameTagSize + 1] = 0x01;
        vp8[kFrameTagSize + 2] = 0x2a;
        vp8[kFrameTagSize + 3] = static_cast<uint8_t>(config.width);
        vp8[kFrameTagSize + 4] = static_cast<uint8_t>((config.width >> 8) & 0x3F);
        vp8[kFrameTagSize + 5] = static_cast<uint8_t>(config.height);
        vp8[kFrameTagSize + 6] = static_cast<uint8_t>((config.height >> 8) & 0x3F);
      }
    }
    const size_t payloadSize = kDescriptorSize + data + kSyntheticTrailerSize;
    const std::span<uint8_t> payload(payload_.data(), payloadSize);
    writeSyntheticTrailer(payload, {.layer = static_cast<uint8_t>(layerIndex),
                                    .keyframe = keyframe,
                                    .frame = state.frames,
                                    .sendTimeNs = sendTimeNs});
    const rtp::RtpHeaderFields fields{.marker = index + 1 == packets,
                                      .payloadType = options_.payloadType,
                                      .sequenceNumber = state.sequenceNumber,
                                      .timestamp = timestamp,
                                      .ssrc = config.ssrc};
    const auto size = writeRtpPacket(packet_, fields, extensions, payload);
    if (!size) continue;
    ++state.sequenceNumber;
    ++state.packets;
    sink(std::span<const uint8_t>(packet_.data(), *size));
  }
  ++state.frames;
  if (keyframe) ++state.keyframes;
}

ortc::RtpParameters SyntheticVp8Source::producerParameters() const { return vp8ProducerParameters(options_); }

ortc::RtpParameters vp8ProducerParameters(const SyntheticVp8Options& options) {
  ortc::RtpParameters parameters;
  parameters.mid = options.mid;
  const std::vector<ortc::RtcpFeedback> feedback = {
      {"goog-remb", ""}, {"transport-cc", ""}, {"ccm", "fir"}, {"nack", ""}, {"nack", "pli"}};
  parameters.codecs.push_back({.mimeType = "video/VP8",
                               .payloadType = options.payloadType,
                               .clockRate = 90000,
                               .parameters = {},
                               .rtcpFeedback = feedback});
  parameters.codecs.push_back({.mimeType = "video/rtx",
                               .payloadType = options.rtxPayloadType,
                               .clockRate = 90000,
                               .parameters = {{"apt", int64_t{options.payloadType}}},
                               .rtcpFeedback = {}});
  if (options.midExtensionId != 0)
    parameters.headerExtensions.push_back({std::string(ortc::kMidUri), options.midExtensionId});
  const bool simulcast = options.layers.size() > 1;
  if (simulcast && options.ridExtensionId != 0) {
    parameters.headerExtensions.push_back({std::string(ortc::kRtpStreamIdUri), options.ridExtensionId});
  }
  if (simulcast && options.repairedRidExtensionId != 0) {
    parameters.headerExtensions.push_back(
        {std::string(ortc::kRepairedRtpStreamIdUri), options.repairedRidExtensionId});
  }
  const std::string mode = "L1T" + std::to_string(options.temporalLayers);
  for (const auto& layer : options.layers) {
    ortc::RtpEncodingParameters encoding;
    // Simulcast is signalled by rid (RFC 8853), a single encoding by SSRC, as Chrome does.
    if (simulcast && !layer.rid.empty()) {
      encoding.rid = layer.rid;
    } else {
      encoding.ssrc = layer.ssrc;
    }
    encoding.scalabilityMode = mode;
    encoding.maxBitrate = layer.bitrate;
    parameters.encodings.push_back(std::move(encoding));
  }
  parameters.rtcp.cname = options.cname;
  parameters.rtcp.reducedSize = true;
  return parameters;
}

}  // namespace fluxmeet::media::client
