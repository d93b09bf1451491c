#pragma once
// SyntheticVp8Source: a fake VP8 camera for MediaClient (test and benchmark code, see
// media_client.hpp; not used by the server). It produces what a browser's simulcast VP8 sender
// puts on the wire, without an encoder: per encoding (layer) its own SSRC, sequence numbers,
// RTP timestamps and RFC 7741 payload descriptors with a 15-bit picture ID, TL0PICIDX and
// TID/Y for L1T<n> temporal layering; keyframes start with a VP8 frame tag with P = 0 and the
// RFC 6386 section 9.1 start code 9d 01 2a plus dimensions, so the SFU's keyframe detection
// sees a real-looking keyframe. Each packet carries the rid and mid header extensions
// (RFC 8852, RFC 8843) and ends with a SyntheticTrailer.
//
// Threading: one thread. Builds packets into its own buffer (no allocation per packet).
#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "fluxmeet/media/ortc/rtp_parameters.hpp"

namespace fluxmeet::media::client {

struct SyntheticVp8Layer {
  uint32_t ssrc = 0;
  std::string rid;            // empty: no rid (single encoding signalled by SSRC)
  uint32_t bitrate = 300000;  // bits per second of delta frames; keyframes are 2x larger
  uint16_t width = 320;
  uint16_t height = 180;
};

struct SyntheticVp8Options {
  std::vector<SyntheticVp8Layer> layers;  // lowest first; more than one = simulcast
  uint8_t payloadType = 96;               // the browser's own numbers (Chrome: VP8 96, rtx 97)
  uint8_t rtxPayloadType = 97;            // announced only: the source never retransmits
  std::string mid = "0";                  // Chrome's numbering (tests/unit/media/ortc/ortc_fixtures.hpp)
  uint8_t midExtensionId = 9;             // 0 = do not send
  uint8_t ridExtensionId = 10;
  uint8_t repairedRidExtensionId = 11;  // announced only
  uint32_t fps = 30;                    // RTP timestamps advance 90000 / fps per frame
  uint8_t temporalLayers = 1;           // 1..3 (L1T1, L1T2, L1T3)
  uint32_t keyframeInterval = 0;        // frames between periodic keyframes; 0 = on request only
  size_t maxPayloadSize = 1100;         // bytes of RTP payload per packet
  std::string cname = "synthetic-vp8";
};

class SyntheticVp8Source {
 public:
  using PacketSink = std::function<void(std::span<const uint8_t> packet)>;

  struct LayerState {
    uint16_t sequenceNumber = 0;  // of the next packet
    uint32_t timestampBase = 0;
    uint16_t pictureId = 0;  // of the last frame (15 bits)
    uint8_t tl0PicIdx = 0;
    uint32_t frames = 0;
    uint32_t keyframes = 0;
    uint64_t packets = 0;
    uint32_t keyframeDueIn = 1;  // the keyframe is the n-th next frame; 0 = none pending
    uint8_t patternIndex = 0;    // position in the temporal-layer pattern; 0 after a keyframe
  };

  explicit SyntheticVp8Source(SyntheticVp8Options options);

  // Builds the next frame of every layer and hands each packet (plain RTP) to `sink`, layer by
  // layer, in sequence order; the last packet of a frame has the marker bit (RFC 7741 4.1).
  void sendFrame(int64_t sendTimeNs, const PacketSink& sink);

  // A PLI/FIR for this layer: its next frame (or the one `afterFrames` later) is a keyframe.
  void requestKeyframe(size_t layer, uint32_t afterFrames = 0);
  // The same by the SSRC the SFU's PLI names; false for an SSRC that is not ours.
  bool requestKeyframeForSsrc(uint32_t ssrc, uint32_t afterFrames = 0);
  std::optional<size_t> layerOfSsrc(uint32_t ssrc) const;

  size_t layerCount() const { return options_.layers.size(); }
  const LayerState& layer(size_t index) const { return state_[index]; }
  const SyntheticVp8Options& options() const { return options_; }
  uint32_t frameNumber() const { return frame_; }

  // The RtpParameters a browser's mediasoup-client would send in "produce" for this source.
  ortc::RtpParameters producerParameters() const;

 private:
  void sendLayerFrame(size_t layer, int64_t sendTimeNs, const PacketSink& sink);

  SyntheticVp8Options options_;
  std::vector<LayerState> state_;
  uint32_t frame_ = 0;
  std::array<uint8_t, 1500> payload_{};
  std::array<uint8_t, 1600> packet_{};
};

// The same for any VP8 sender signalled like `options` describes (the encodings, payload types,
// extension ids, temporal layers), e.g. one that sends frames of a real encoder instead.
ortc::RtpParameters vp8ProducerParameters(const SyntheticVp8Options& options);

}  // namespace fluxmeet::media::client
