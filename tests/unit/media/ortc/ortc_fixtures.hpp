#pragma once
// JSON as mediasoup-client 3.18 on Chrome sends it to a router built from defaultMediaCodecs():
// producer parameters carry Chrome's own payload types and header-extension ids (VP8 96 + RTX 97,
// opus 111; mid 9/4, rid 10, ...), device capabilities carry the router's payload types.
#include <nlohmann/json.hpp>

namespace fluxmeet::media::ortc::fixtures {

// transport.produce({track, encodings: [{maxBitrate: 500000, scaleResolutionDownBy: 4}, ...]})
inline constexpr const char* kChromeVp8SimulcastProducer = R"json({
  "mid": "0",
  "codecs": [
    {"mimeType": "video/VP8", "payloadType": 96, "clockRate": 90000, "parameters": {},
     "rtcpFeedback": [{"type": "goog-remb", "parameter": ""}, {"type": "transport-cc", "parameter": ""},
                      {"type": "ccm", "parameter": "fir"}, {"type": "nack", "parameter": ""},
                      {"type": "nack", "parameter": "pli"}]},
    {"mimeType": "video/rtx", "payloadType": 97, "clockRate": 90000, "parameters": {"apt": 96},
     "rtcpFeedback": []}
  ],
  "headerExtensions": [
    {"uri": "urn:ietf:params:rtp-hdrext:sdes:mid", "id": 9, "encrypt": false, "parameters": {}},
    {"uri": "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id", "id": 10, "encrypt": false, "parameters": {}},
    {"uri": "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id", "id": 11, "encrypt": false, "parameters": {}},
    {"uri": "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time", "id": 2, "encrypt": false, "parameters": {}},
    {"uri": "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01", "id": 3, "encrypt": false, "parameters": {}},
    {"uri": "urn:3gpp:video-orientation", "id": 13, "encrypt": false, "parameters": {}},
    {"uri": "urn:ietf:params:rtp-hdrext:toffset", "id": 14, "encrypt": false, "parameters": {}}
  ],
  "encodings": [
    {"active": true, "maxBitrate": 500000, "scaleResolutionDownBy": 4, "rid": "r0", "scalabilityMode": "L1T3", "dtx": false},
    {"active": true, "maxBitrate": 1000000, "scaleResolutionDownBy": 2, "rid": "r1", "scalabilityMode": "L1T3", "dtx": false},
    {"active": true, "maxBitrate": 5000000, "scaleResolutionDownBy": 1, "rid": "r2", "scalabilityMode": "L1T3", "dtx": false}
  ],
  "rtcp": {"cname": "Lt3kYfd4KYMqI6bv", "reducedSize": true},
  "msid": "b5cf5b1c-7c4e-4b0e-9a4a-8c5c3b3a1f0e 0d6a8f2e-3f1b-4c8e-a7a2-5e2f6b9c1d3a"
})json";

inline constexpr const char* kChromeOpusProducer = R"json({
  "mid": "1",
  "codecs": [
    {"mimeType": "audio/opus", "payloadType": 111, "clockRate": 48000, "channels": 2,
     "parameters": {"minptime": 10, "useinbandfec": 1, "usedtx": 1},
     "rtcpFeedback": [{"type": "transport-cc", "parameter": ""}]}
  ],
  "headerExtensions": [
    {"uri": "urn:ietf:params:rtp-hdrext:sdes:mid", "id": 4, "encrypt": false, "parameters": {}},
    {"uri": "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time", "id": 2, "encrypt": false, "parameters": {}},
    {"uri": "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01", "id": 3, "encrypt": false, "parameters": {}},
    {"uri": "urn:ietf:params:rtp-hdrext:ssrc-audio-level", "id": 1, "encrypt": false, "parameters": {}}
  ],
  "encodings": [{"ssrc": 2743146532, "dtx": false}],
  "rtcp": {"cname": "Lt3kYfd4KYMqI6bv", "reducedSize": true},
  "msid": "b5cf5b1c-7c4e-4b0e-9a4a-8c5c3b3a1f0e 7e1f0a2b-9c3d-4e5f-8a6b-1c2d3e4f5a6b"
})json";

// device.rtpCapabilities after device.load({routerRtpCapabilities}) with the default codecs.
inline constexpr const char* kChromeDeviceCapabilities = R"json({
  "codecs": [
    {"kind": "audio", "mimeType": "audio/opus", "preferredPayloadType": 100, "clockRate": 48000,
     "channels": 2, "parameters": {"minptime": 10, "useinbandfec": 1},
     "rtcpFeedback": [{"type": "transport-cc", "parameter": ""}]},
    {"kind": "video", "mimeType": "video/VP8", "preferredPayloadType": 101, "clockRate": 90000,
     "parameters": {},
     "rtcpFeedback": [{"type": "goog-remb", "parameter": ""}, {"type": "transport-cc", "parameter": ""},
                      {"type": "ccm", "parameter": "fir"}, {"type": "nack", "parameter": ""},
                      {"type": "nack", "parameter": "pli"}]},
    {"kind": "video", "mimeType": "video/rtx", "preferredPayloadType": 102, "clockRate": 90000,
     "parameters": {"apt": 101}, "rtcpFeedback": []},
    {"kind": "video", "mimeType": "video/VP9", "preferredPayloadType": 103, "clockRate": 90000,
     "parameters": {"profile-id": 0},
     "rtcpFeedback": [{"type": "goog-remb", "parameter": ""}, {"type": "transport-cc", "parameter": ""},
                      {"type": "ccm", "parameter": "fir"}, {"type": "nack", "parameter": ""},
                      {"type": "nack", "parameter": "pli"}]},
    {"kind": "video", "mimeType": "video/rtx", "preferredPayloadType": 104, "clockRate": 90000,
     "parameters": {"apt": 103}, "rtcpFeedback": []},
    {"kind": "video", "mimeType": "video/H264", "preferredPayloadType": 105, "clockRate": 90000,
     "parameters": {"level-asymmetry-allowed": 1, "packetization-mode": 1, "profile-level-id": "42e01f"},
     "rtcpFeedback": [{"type": "goog-remb", "parameter": ""}, {"type": "transport-cc", "parameter": ""},
                      {"type": "ccm", "parameter": "fir"}, {"type": "nack", "parameter": ""},
                      {"type": "nack", "parameter": "pli"}]},
    {"kind": "video", "mimeType": "video/rtx", "preferredPayloadType": 106, "clockRate": 90000,
     "parameters": {"apt": 105}, "rtcpFeedback": []},
    {"kind": "video", "mimeType": "video/AV1", "preferredPayloadType": 109, "clockRate": 90000,
     "parameters": {},
     "rtcpFeedback": [{"type": "goog-remb", "parameter": ""}, {"type": "transport-cc", "parameter": ""},
                      {"type": "ccm", "parameter": "fir"}, {"type": "nack", "parameter": ""},
                      {"type": "nack", "parameter": "pli"}]},
    {"kind": "video", "mimeType": "video/rtx", "preferredPayloadType": 110, "clockRate": 90000,
     "parameters": {"apt": 109}, "rtcpFeedback": []}
  ],
  "headerExtensions": [
    {"kind": "audio", "uri": "urn:ietf:params:rtp-hdrext:sdes:mid", "preferredId": 1, "preferredEncrypt": false, "direction": "sendrecv"},
    {"kind": "video", "uri": "urn:ietf:params:rtp-hdrext:sdes:mid", "preferredId": 1, "preferredEncrypt": false, "direction": "sendrecv"},
    {"kind": "audio", "uri": "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time", "preferredId": 4, "preferredEncrypt": false, "direction": "sendrecv"},
    {"kind": "video", "uri": "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time", "preferredId": 4, "preferredEncrypt": false, "direction": "sendrecv"},
    {"kind": "video", "uri": "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01", "preferredId": 5, "preferredEncrypt": false, "direction": "sendrecv"},
    {"kind": "audio", "uri": "urn:ietf:params:rtp-hdrext:ssrc-audio-level", "preferredId": 10, "preferredEncrypt": false, "direction": "sendrecv"},
    {"kind": "video", "uri": "urn:3gpp:video-orientation", "preferredId": 11, "preferredEncrypt": false, "direction": "sendrecv"},
    {"kind": "video", "uri": "urn:ietf:params:rtp-hdrext:toffset", "preferredId": 12, "preferredEncrypt": false, "direction": "sendrecv"}
  ]
})json";

inline nlohmann::json json(const char* text) { return nlohmann::json::parse(text); }

}  // namespace fluxmeet::media::ortc::fixtures
