#include "fluxmeet/media/ortc/default_codecs.hpp"

#include <string>
#include <utility>

namespace fluxmeet::media::ortc {
namespace {

// RFC 4585 section 4.2 generic NACK and PLI, RFC 5104 section 7.1 FIR, plus REMB
// (draft-alvestrand-rmcat-remb) and transport-wide congestion control
// (draft-holmer-rmcat-transport-wide-cc-extensions-01 section 4).
std::vector<RtcpFeedback> videoFeedback() {
  return {{"nack", ""}, {"nack", "pli"}, {"ccm", "fir"}, {"goog-remb", ""}, {"transport-cc", ""}};
}

RtpCodecCapability videoCodec(std::string mimeType, Parameters parameters) {
  return RtpCodecCapability{.kind = MediaKind::Video,
                            .mimeType = std::move(mimeType),
                            .clockRate = 90000,
                            .parameters = std::move(parameters),
                            .rtcpFeedback = videoFeedback()};
}

}  // namespace

std::vector<RtpCodecCapability> defaultMediaCodecs() {
  std::vector<RtpCodecCapability> codecs;
  // RFC 7587 section 6.1: opus is always announced as 48000/2; FEC and DTX keep calls usable on
  // lossy links and cheap during silence.
  codecs.push_back(
      RtpCodecCapability{.kind = MediaKind::Audio,
                         .mimeType = "audio/opus",
                         .clockRate = 48000,
                         .channels = 2,
                         .parameters = {{"useinbandfec", int64_t{1}}, {"usedtx", int64_t{1}}},
                         .rtcpFeedback = {{"transport-cc", ""}}});
  codecs.push_back(videoCodec("video/VP8", {}));
  codecs.push_back(videoCodec("video/VP9", {{"profile-id", int64_t{0}}}));
  // RFC 6184 section 8.1: packetization-mode 1 (non-interleaved) is what browsers send.
  codecs.push_back(videoCodec("video/H264", {{"packetization-mode", int64_t{1}},
                                             {"profile-level-id", std::string("42e01f")},
                                             {"level-asymmetry-allowed", int64_t{1}}}));
  codecs.push_back(videoCodec("video/H264", {{"packetization-mode", int64_t{1}},
                                             {"profile-level-id", std::string("4d001f")},
                                             {"level-asymmetry-allowed", int64_t{1}}}));
  codecs.push_back(videoCodec("video/AV1", {}));
  return codecs;
}

}  // namespace fluxmeet::media::ortc
