#include "fluxmeet/media/client/synthetic_opus_source.hpp"

#include <algorithm>
#include <random>
#include <utility>

#include "fluxmeet/media/client/rtp_packet_writer.hpp"
#include "fluxmeet/media/client/synthetic_trailer.hpp"
#include "fluxmeet/media/ortc/ortc.hpp"

namespace fluxmeet::media::client {
namespace {

// RFC 6716 section 3.1 TOC byte: config 31 (CELT-only fullband, 20 ms), stereo, one frame.
constexpr uint8_t kTocCelt20msStereo = (31 << 3) | 0x04;

}  // namespace

SyntheticOpusSource::SyntheticOpusSource(SyntheticOpusOptions options) : options_(std::move(options)) {
  options_.payloadSize = std::clamp<size_t>(options_.payloadSize, kSyntheticTrailerSize + 1, payload_.size());
  std::mt19937 random(options_.ssrc);
  sequenceNumber_ = static_cast<uint16_t>(random());
  timestampBase_ = random();
}

void SyntheticOpusSource::setLevel(uint8_t levelDbov, bool voiceActivity) {
  options_.levelDbov = std::min<uint8_t>(levelDbov, 127);
  options_.voiceActivity = voiceActivity;
}

void SyntheticOpusSource::sendFrame(int64_t sendTimeNs, const PacketSink& sink) {
  const std::span<uint8_t> payload(payload_.data(), options_.payloadSize);
  payload[0] = kTocCelt20msStereo;
  for (size_t i = 1; i < payload.size(); ++i) payload[i] = static_cast<uint8_t>(frames_ * 7 + i * 13);
  writeSyntheticTrailer(payload, {.layer = 0, .keyframe = false, .frame = frames_, .sendTimeNs = sendTimeNs});
  // RFC 6464 section 3: V in the top bit, then the level in -dBov.
  const uint8_t level = static_cast<uint8_t>((options_.voiceActivity ? 0x80 : 0x00) | (options_.levelDbov & 0x7F));
  const std::string_view mid = options_.mid;
  const RtpExtensionElement extensions[] = {
      {mid.empty() ? uint8_t{0} : options_.midExtensionId, {reinterpret_cast<const uint8_t*>(mid.data()), mid.size()}},
      {options_.audioLevelExtensionId, {&level, 1}},
  };
  const rtp::RtpHeaderFields fields{.marker = frames_ == 0,  // RFC 3551 section 4.1: first packet of a talkspurt
                                    .payloadType = options_.payloadType,
                                    .sequenceNumber = sequenceNumber_,
                                    .timestamp = timestampBase_ + frames_ * kSamplesPerFrame,
                                    .ssrc = options_.ssrc};
  const auto size = writeRtpPacket(packet_, fields, extensions, payload);
  ++frames_;
  if (!size) return;
  ++sequenceNumber_;
  sink(std::span<const uint8_t>(packet_.data(), *size));
}

ortc::RtpParameters SyntheticOpusSource::producerParameters() const { return opusProducerParameters(options_); }

ortc::RtpParameters opusProducerParameters(const SyntheticOpusOptions& options) {
  ortc::RtpParameters parameters;
  parameters.mid = options.mid;
  parameters.codecs.push_back({.mimeType = "audio/opus",
                               .payloadType = options.payloadType,
                               .clockRate = 48000,
                               .channels = 2,
                               .parameters = {{"minptime", int64_t{10}}, {"useinbandfec", int64_t{1}}},
                               .rtcpFeedback = {{"transport-cc", ""}}});
  if (options.midExtensionId != 0)
    parameters.headerExtensions.push_back({std::string(ortc::kMidUri), options.midExtensionId});
  if (options.audioLevelExtensionId != 0) {
    parameters.headerExtensions.push_back({std::string(ortc::kAudioLevelUri), options.audioLevelExtensionId});
  }
  ortc::RtpEncodingParameters encoding;
  encoding.ssrc = options.ssrc;
  parameters.encodings.push_back(std::move(encoding));
  parameters.rtcp.cname = options.cname;
  parameters.rtcp.reducedSize = true;
  return parameters;
}

}  // namespace fluxmeet::media::client
