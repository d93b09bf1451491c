#pragma once
// The codecs a Flux Meet router offers unless the operator configures others: what every current
// browser can both send and receive, in the order of preference used when a browser picks one.
#include <vector>

#include "fluxmeet/media/ortc/rtp_parameters.hpp"

namespace fluxmeet::media::ortc {

// opus/48000/2 (RFC 7587) with in-band FEC and DTX; VP8 (RFC 7741); VP9 profile 0; H.264
// Constrained Baseline 3.1 (42e01f) and Main 3.1 (4d001f), packetization-mode 1 (RFC 6184);
// AV1. Video codecs list nack, nack pli, ccm fir, goog-remb and transport-cc feedback; audio
// lists transport-cc. Payload types are left to generateRouterRtpCapabilities().
std::vector<RtpCodecCapability> defaultMediaCodecs();

}  // namespace fluxmeet::media::ortc
