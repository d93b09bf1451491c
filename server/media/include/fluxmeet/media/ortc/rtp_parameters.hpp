#pragma once
// ORTC RTP capabilities and parameters in the object model of mediasoup v3, so browsers running
// mediasoup-client (v3) can talk to the SFU without SDP on the wire. The field names and JSON
// shapes are exactly those of mediasoup-client's `RtpParameters.ts`; the semantics follow the
// ORTC spec (https://draft.ortc.org/#rtcrtpparameters*) and RFC 3550 / RFC 4585 / RFC 8285.
//
// Parsing is strict because the JSON comes from a client: wrong types, missing required fields and
// out-of-range values give ErrorCode::ValidationFailed with Error::field naming the field
// ("codecs[1].payloadType"). Unknown extra fields are ignored, since browsers and newer
// mediasoup-client versions add some (`active`, `maxFramerate`, `priority`, ...).
#include <cstddef>
#include <cstdint>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "fluxmeet/common/result.hpp"

namespace fluxmeet::media::ortc {

enum class MediaKind { Audio, Video };

// "audio" / "video", the spelling mediasoup-client uses.
std::string_view mediaKindName(MediaKind kind);
std::optional<MediaKind> mediaKindFromName(std::string_view name);
// The kind in front of the slash of a MIME type ("video/VP8" -> Video), case-insensitive.
std::optional<MediaKind> mediaKindFromMimeType(std::string_view mimeType);

// Codec and header-extension "parameters" are a flat object (the a=fmtp pairs of RFC 4566 section
// 6 once mediasoup-client has parsed them): sdp-transform turns values that look like integers
// into JSON numbers (apt=96 -> 96) and keeps the rest as strings (profile-level-id=42e01f). Both
// keep their JSON type through a round trip.
using ParameterValue = std::variant<int64_t, std::string>;
using Parameters = std::map<std::string, ParameterValue, std::less<>>;

std::optional<int64_t> integerParameter(const Parameters& parameters, std::string_view key);
// The value as text whichever type it has (an integer is written in decimal).
std::optional<std::string> parameterAsString(const Parameters& parameters, std::string_view key);

// RFC 4585 section 4.2 a=rtcp-fb: type "nack" with parameter "" or "pli", "ccm"/"fir", plus the
// non-standard "goog-remb" and "transport-cc" every browser speaks.
struct RtcpFeedback {
  std::string type;
  std::string parameter;  // "" when absent

  friend bool operator==(const RtcpFeedback&, const RtcpFeedback&) = default;
};

struct RtpCodecCapability {
  MediaKind kind = MediaKind::Audio;
  std::string mimeType;  // "audio/opus", "video/VP8", "video/rtx", ...
  std::optional<int> preferredPayloadType;
  uint32_t clockRate = 0;
  std::optional<int> channels;  // audio only; parsing an audio codec without it gives 1
  Parameters parameters;
  std::vector<RtcpFeedback> rtcpFeedback;

  friend bool operator==(const RtpCodecCapability&, const RtpCodecCapability&) = default;
};

// Directions are from the point of view of whoever advertises the capability (for the router,
// "recvonly" means it only accepts the extension from producers).
struct RtpHeaderExtension {
  std::optional<MediaKind> kind;
  std::string uri;
  int preferredId = 0;
  bool preferredEncrypt = false;
  std::string direction = "sendrecv";  // sendrecv | sendonly | recvonly | inactive

  friend bool operator==(const RtpHeaderExtension&, const RtpHeaderExtension&) = default;
};

struct RtpCapabilities {
  std::vector<RtpCodecCapability> codecs;
  std::vector<RtpHeaderExtension> headerExtensions;

  friend bool operator==(const RtpCapabilities&, const RtpCapabilities&) = default;
};

struct RtpCodecParameters {
  std::string mimeType;
  int payloadType = 0;
  uint32_t clockRate = 0;
  std::optional<int> channels;  // audio only; parsing an audio codec without it gives 1
  Parameters parameters;
  std::vector<RtcpFeedback> rtcpFeedback;

  friend bool operator==(const RtpCodecParameters&, const RtpCodecParameters&) = default;
};

struct RtpHeaderExtensionParameters {
  std::string uri;
  int id = 0;  // RFC 8285 section 4.2 one-byte header: 1..14
  bool encrypt = false;
  Parameters parameters;

  friend bool operator==(const RtpHeaderExtensionParameters&,
                         const RtpHeaderExtensionParameters&) = default;
};

struct RtpEncodingParameters {
  std::optional<uint32_t> ssrc;
  std::optional<std::string> rid;  // RFC 8851 restriction identifier (simulcast layer name)
  std::optional<int> codecPayloadType;
  std::optional<uint32_t> rtxSsrc;  // JSON: "rtx": {"ssrc": N} (RFC 4588)
  std::optional<bool> dtx;
  std::optional<std::string> scalabilityMode;  // "L1T3", "L3T3_KEY" (W3C webrtc-svc)
  std::optional<uint32_t> maxBitrate;          // bits per second
  std::optional<double> scaleResolutionDownBy;

  friend bool operator==(const RtpEncodingParameters&, const RtpEncodingParameters&) = default;
};

struct RtcpParameters {
  std::string cname;        // RFC 3550 section 6.5.1 canonical name; "" when absent
  bool reducedSize = true;  // RFC 5506 reduced-size RTCP

  friend bool operator==(const RtcpParameters&, const RtcpParameters&) = default;
};

struct RtpParameters {
  std::optional<std::string> mid;  // RFC 8843 media identification
  std::vector<RtpCodecParameters> codecs;
  std::vector<RtpHeaderExtensionParameters> headerExtensions;
  std::vector<RtpEncodingParameters> encodings;
  RtcpParameters rtcp;
  // RFC 8830 "<stream id> <track id>"; mediasoup-client >= 3.8 sends it and uses the stream id to
  // group a consumer's audio and video into one MediaStream (lip sync).
  std::optional<std::string> msid;

  friend bool operator==(const RtpParameters&, const RtpParameters&) = default;
};

// Limits applied while parsing client JSON. Payload types are 7 bits (RFC 3550 section 5.1);
// header-extension ids fit the one-byte form (RFC 8285 section 4.2). The list sizes bound the
// work one request can cause; browsers stay far below them.
inline constexpr int kMaxPayloadType = 127;
inline constexpr int kMinHeaderExtensionId = 1;
inline constexpr int kMaxHeaderExtensionId = 14;
inline constexpr size_t kMaxCodecs = 16;
inline constexpr size_t kMaxHeaderExtensions = 32;
inline constexpr size_t kMaxEncodings = 4;
inline constexpr size_t kMaxRtcpFeedback = 16;
inline constexpr size_t kMaxParameters = 32;

bool isRtxMimeType(std::string_view mimeType);

nlohmann::json toJson(const RtpCapabilities& capabilities);
nlohmann::json toJson(const RtpParameters& parameters);
nlohmann::json toJson(const RtpCodecCapability& codec);
nlohmann::json toJson(const RtpCodecParameters& codec);

// Device capabilities as mediasoup-client's `device.rtpCapabilities` gives them.
Result<RtpCapabilities> rtpCapabilitiesFromJson(const nlohmann::json& json);
// Producer parameters as mediasoup-client's `transport.on('produce')` gives them.
Result<RtpParameters> rtpParametersFromJson(const nlohmann::json& json);

}  // namespace fluxmeet::media::ortc
