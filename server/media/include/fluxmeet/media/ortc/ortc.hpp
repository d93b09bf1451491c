#pragma once
// ORTC negotiation for the SFU, in mediasoup's object model (the flow mediasoup-client expects):
//
//   media codecs --generateRouterRtpCapabilities--> router capabilities --(sent to the browser)
//   producer RtpParameters --validateProducerRtpParameters, getProducerRtpParametersMapping-->
//     RtpMapping (producer payload types and SSRC/RID -> router payload types and mapped SSRCs)
//   --getConsumableRtpParameters--> consumable parameters (the producer as the router sees it)
//   device capabilities + consumable --canConsume, getConsumerRtpParameters--> consumer parameters
//
// Everything here is pure: no clocks, no randomness (callers pass the SSRCs), no I/O.
// Failures: ErrorCode::ValidationFailed for parameters that break a rule (Error::field names the
// field), ErrorCode::Unprocessable for well-formed parameters the router cannot serve.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fluxmeet/common/result.hpp"
#include "fluxmeet/media/ortc/rtp_parameters.hpp"

namespace fluxmeet::media::ortc {

// Header extensions the SFU understands (RFC 8285 URIs).
inline constexpr std::string_view kMidUri = "urn:ietf:params:rtp-hdrext:sdes:mid";  // RFC 8843
inline constexpr std::string_view kRtpStreamIdUri =
    "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id";  // RFC 8852
inline constexpr std::string_view kRepairedRtpStreamIdUri =
    "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id";  // RFC 8852
inline constexpr std::string_view kAbsSendTimeUri =
    "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";
inline constexpr std::string_view kTransportWideCcUri =
    "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";
inline constexpr std::string_view kAudioLevelUri =
    "urn:ietf:params:rtp-hdrext:ssrc-audio-level";  // RFC 6464
inline constexpr std::string_view kVideoOrientationUri =
    "urn:3gpp:video-orientation";  // 3GPP TS 26.114 section 7.4.5
inline constexpr std::string_view kTransmissionOffsetUri =
    "urn:ietf:params:rtp-hdrext:toffset";  // RFC 5450

// Router payload types are taken from the dynamic range (RFC 3551 section 6) in this order, the
// one mediasoup uses, so a browser that talked to mediasoup sees familiar numbers.
inline constexpr int kFirstDynamicPayloadType = 96;

struct RtpMapping {
  struct CodecMap {
    int payloadType;        // producer's
    int mappedPayloadType;  // router's
    friend bool operator==(const CodecMap&, const CodecMap&) = default;
  };
  struct EncodingMap {
    std::optional<uint32_t> ssrc;
    std::optional<std::string> rid;
    std::optional<std::string> scalabilityMode;
    uint32_t mappedSsrc;
    friend bool operator==(const EncodingMap&, const EncodingMap&) = default;
  };
  std::vector<CodecMap> codecs;
  std::vector<EncodingMap> encodings;
};

// Spatial and temporal layer counts of a W3C webrtc-svc scalability mode ("L3T3_KEY" -> 3, 3;
// "S2T1" -> 2, 1). Anything unrecognised counts as one layer of each, as mediasoup does.
struct ScalabilityMode {
  int spatialLayers = 1;
  int temporalLayers = 1;
};
ScalabilityMode parseScalabilityMode(std::string_view mode);

// The codecs the SFU can forward; media codecs passed to the router must match one of these.
const std::vector<RtpCodecCapability>& supportedCodecs();
// The header extensions the router advertises, with mediasoup's preferred ids.
const std::vector<RtpHeaderExtension>& supportedHeaderExtensions();

// Router capabilities: each media codec gets its preferredPayloadType or the next free dynamic
// one, a video/rtx codec (apt = its payload type, RFC 4588 section 8.6) follows each video codec,
// and the supported header extensions are appended. Fails for unsupported or duplicate codecs.
Result<RtpCapabilities> generateRouterRtpCapabilities(
    const std::vector<RtpCodecCapability>& mediaCodecs);

// Checks what a producer must have before it is mapped: codecs of `kind` only, at least one media
// codec, unique payload types, RTX codecs whose apt names a media codec in the list, at least one
// encoding, each with an ssrc or a rid (and all with rids when there are several), unique
// rids/ssrcs, codecPayloadType naming a media codec, no SVC spatial layers within simulcast.
Result<void> validateProducerRtpParameters(MediaKind kind, const RtpParameters& producer);

// Matches each producer codec to a router codec (MIME type, clock rate, channels; for H.264 the
// packetization-mode and profile, for VP9 the profile-id) and gives encoding i the mapped SSRC
// firstMappedSsrc + i.
Result<RtpMapping> getProducerRtpParametersMapping(const RtpParameters& producer,
                                                   const RtpCapabilities& router,
                                                   uint32_t firstMappedSsrc);

// The producer's stream as consumers see it: router payload types (with the router's RTX codec
// for each video codec), the producer's codec parameters, the router's RTCP feedback, the
// router's header extensions of this kind that the router sends, and one encoding per producer
// encoding carrying its mapped SSRC. Invalid pairs of arguments only shrink the result.
RtpParameters getConsumableRtpParameters(MediaKind kind, const RtpParameters& producer,
                                         const RtpCapabilities& router, const RtpMapping& mapping);

// True when the device can decode the consumable's first media codec.
// An RFC 8285 one-byte id (1..14) that no router header extension uses: the SFU renumbers
// elements a receiver must ignore to it (RFC 8285 section 4.1: unknown ids are skipped). 15 would
// end the receiver's parsing, so it is returned only when all 14 are taken.
uint8_t unusedHeaderExtensionId(const RtpCapabilities& router);

bool canConsume(const RtpParameters& consumable, const RtpCapabilities& deviceCapabilities);

// Parameters for one consumer: the consumable codecs the device supports (RTX only with its media
// codec), their RTCP feedback reduced to the device's and to the congestion control the header
// extensions allow, the device's header extensions, and a single encoding with `consumerSsrc`
// (plus `consumerRtxSsrc` when RTX is negotiated). Simulcast producers give scalabilityMode
// "L<encodings>T<temporal layers>". `mid` is left for the transport to assign.
Result<RtpParameters> getConsumerRtpParameters(const RtpParameters& consumable,
                                               const RtpCapabilities& deviceCapabilities,
                                               uint32_t consumerSsrc, uint32_t consumerRtxSsrc);

}  // namespace fluxmeet::media::ortc
