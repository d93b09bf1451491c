#pragma once
// SyntheticOpusSource: a fake microphone for MediaClient (test and benchmark code, see
// media_client.hpp; not used by the server). One Opus packet per 20 ms frame (RTP clock
// 48000, RFC 7587 section 4.1), starting with a TOC byte (RFC 6716 section 3.1), carrying the
// mid extension and the RFC 6464 audio level, and ending with a SyntheticTrailer.
//
// Threading: one thread. Builds packets into its own buffer (no allocation per packet).
#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>

#include "fluxmeet/media/ortc/rtp_parameters.hpp"

namespace fluxmeet::media::client {

struct SyntheticOpusOptions {
  uint32_t ssrc = 0;
  uint8_t payloadType = 111;  // Chrome's number; the router maps it to its own
  std::string mid = "1";
  uint8_t midExtensionId = 4;
  uint8_t audioLevelExtensionId = 1;
  size_t payloadSize = 80;  // bytes per 20 ms: 32 kbit/s
  uint8_t levelDbov = 30;   // RFC 6464: 0 = loudest, 127 = silence
  bool voiceActivity = true;
  std::string cname = "synthetic-opus";
};

class SyntheticOpusSource {
 public:
  using PacketSink = std::function<void(std::span<const uint8_t> packet)>;
  static constexpr uint32_t kSamplesPerFrame = 960;  // 20 ms at 48 kHz

  explicit SyntheticOpusSource(SyntheticOpusOptions options);

  // Builds the next 20 ms packet and hands it to `sink`.
  void sendFrame(int64_t sendTimeNs, const PacketSink& sink);
  void setLevel(uint8_t levelDbov, bool voiceActivity);

  uint32_t ssrc() const { return options_.ssrc; }
  uint16_t nextSequenceNumber() const { return sequenceNumber_; }
  uint32_t frames() const { return frames_; }
  const SyntheticOpusOptions& options() const { return options_; }

  // The RtpParameters a browser's mediasoup-client would send in "produce" for this source.
  ortc::RtpParameters producerParameters() const;

 private:
  SyntheticOpusOptions options_;
  uint16_t sequenceNumber_;
  uint32_t timestampBase_;
  uint32_t frames_ = 0;
  std::array<uint8_t, 1500> payload_{};
  std::array<uint8_t, 1600> packet_{};
};

// The same for any Opus sender signalled like `options` describes (SSRC, payload type, extension
// ids), e.g. one that sends packets of a real encoder instead.
ortc::RtpParameters opusProducerParameters(const SyntheticOpusOptions& options);

}  // namespace fluxmeet::media::client
