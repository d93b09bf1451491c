#pragma once
// ProbeSource: what fluxmeet_media_probe publishes for one kind - the media library's synthetic
// VP8 / Opus sources, or real VP8 / Opus read from a file ffmpeg made (FileVp8Source,
// FileOpusSource) - behind the one interface MediaProbe paces and feeds keyframe requests to.
// Test-only code; one thread.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>

#include "fluxmeet/media/client/synthetic_opus_source.hpp"
#include "fluxmeet/media/client/synthetic_vp8_source.hpp"
#include "fluxmeet/media/ortc/rtp_parameters.hpp"

namespace fluxmeet::tools {

class ProbeSource {
 public:
  using Clock = std::chrono::steady_clock;
  // Plain RTP; the buffer is the source's and valid only during the call.
  using PacketSink = std::function<void(std::span<const uint8_t> packet)>;

  virtual ~ProbeSource() = default;

  // Sends the next frame's packets (in sequence order) and returns how long after this one the
  // next frame is due.
  virtual Clock::duration sendFrame(int64_t sendTimeNs, const PacketSink& sink) = 0;
  // A PLI/FIR entry naming `ssrc`: true when it is this source's stream (the probe counts it).
  virtual bool requestKeyframe(uint32_t ssrc) = 0;
  virtual uint64_t keyframesSent() const = 0;
  // The RtpParameters a browser's mediasoup-client would send in "produce" for this source.
  virtual media::ortc::RtpParameters producerParameters() const = 0;
};

// The media library's synthetic sources: a keyframe first and on every request (video,
// `options.fps` frames per second) and 20 ms Opus packets (audio).
std::unique_ptr<ProbeSource> makeSyntheticVideoSource(media::client::SyntheticVp8Options options);
std::unique_ptr<ProbeSource> makeSyntheticAudioSource(media::client::SyntheticOpusOptions options);

}  // namespace fluxmeet::tools
