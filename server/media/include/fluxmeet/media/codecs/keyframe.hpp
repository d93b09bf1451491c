#pragma once
// Keyframe detection from the first bytes of an RTP payload, per codec. The SFU needs it to
// switch simulcast layers, to start a new consumer, and to answer keyframe requests (PLI/FIR)
// without asking the producer again when a keyframe is already on its way.
#include <cstdint>
#include <span>
#include <string_view>

namespace fluxmeet::media::codecs {

enum class Codec { Unknown, Opus, Vp8, Vp9, H264, Av1 };

// "video/VP8", "audio/opus", ... (RFC 6838 media type names are case-insensitive).
Codec codecFromMimeType(std::string_view mimeType);

// True when `payload` is the first packet of a picture that can be decoded on its own. Audio
// packets (Opus) are always independently decodable. Never reads past `payload`.
bool isKeyframe(Codec codec, std::span<const uint8_t> payload);
bool isKeyframe(std::string_view mimeType, std::span<const uint8_t> payload);

// The per-codec rules, exposed for tests and for callers that already know the codec.
bool isVp8Keyframe(std::span<const uint8_t> payload);   // RFC 7741 section 4.3
bool isVp9Keyframe(std::span<const uint8_t> payload);   // RFC 9628 section 4.2
bool isH264Keyframe(std::span<const uint8_t> payload);  // RFC 6184 sections 5.6-5.8
bool isAv1Keyframe(std::span<const uint8_t> payload);   // AV1 RTP spec section 4.4

}  // namespace fluxmeet::media::codecs
