#pragma once
// Typed values of the RTP header extensions the SFU negotiates (elements located per RFC 8285,
// https://www.rfc-editor.org/rfc/rfc8285). Readers take an element's value bytes and never read
// past them; writers overwrite a value in place (the SFU restamps abs-send-time and the
// transport-wide sequence number on every forwarded packet) and never change its size.
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "fluxmeet/media/rtp/rtp_packet.hpp"

namespace fluxmeet::media::rtp {

// Extension IDs negotiated for one stream (SDP a=extmap); 0 = not negotiated.
struct HeaderExtensionIds {
  uint8_t mid = 0;
  uint8_t rid = 0;
  uint8_t repairedRid = 0;
  uint8_t absSendTime = 0;
  uint8_t transportWideCc = 0;
  uint8_t audioLevel = 0;
  uint8_t videoOrientation = 0;
};

// RFC 6464 section 3: V flag and the level in -dBov (0 = loudest, 127 = silence).
struct AudioLevel {
  bool voiceActivity = false;
  uint8_t levelDbov = 127;
};

// 3GPP TS 26.114 section 7.4.5 coordination of video orientation: |0|0|0|0|C|F|R1|R0|.
struct VideoOrientation {
  bool backCamera = false;       // C: 0 front-facing, 1 back-facing
  bool horizontalFlip = false;   // F
  uint16_t rotationDegrees = 0;  // R1R0 * 90: 0, 90, 180 or 270
};

// Every negotiated extension found in a packet; strings point into the packet.
struct HeaderExtensionValues {
  std::optional<std::string_view> mid;
  std::optional<std::string_view> rid;
  std::optional<std::string_view> repairedRid;
  std::optional<uint32_t> absSendTime;  // 24-bit, 6.18 fixed-point seconds
  std::optional<uint16_t> transportWideSequenceNumber;
  std::optional<AudioLevel> audioLevel;
  std::optional<VideoOrientation> videoOrientation;
};

// Walks the packet's extension block once and decodes each element whose ID is negotiated.
// An element with a malformed value is left out; if an ID appears twice the first one wins
// (as RtpPacketView::findExtension).
HeaderExtensionValues readHeaderExtensions(const RtpPacketView& packet,
                                           const HeaderExtensionIds& ids);

// mid (RFC 9143 section 15), rid / repaired-rid (RFC 8852 section 3): non-empty visible ASCII.
// Trailing zero bytes (padding some senders leave in the element) are not part of the value.
std::optional<std::string_view> readStringExtension(std::span<const uint8_t> value);

// abs-send-time (http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time): 3 bytes.
std::optional<uint32_t> readAbsSendTime(std::span<const uint8_t> value);
bool writeAbsSendTime(std::span<uint8_t> value, uint32_t absSendTime);
// Converts a clock in microseconds to the 6.18 fixed-point value (wraps every 64 s), and back.
uint32_t absSendTimeFromMicros(uint64_t micros);
uint64_t absSendTimeToMicros(uint32_t absSendTime);

// transport-wide-cc (draft-holmer-rmcat-transport-wide-cc-extensions-01 section 2): the first
// 2 bytes are the sequence number.
std::optional<uint16_t> readTransportWideSequenceNumber(std::span<const uint8_t> value);
bool writeTransportWideSequenceNumber(std::span<uint8_t> value, uint16_t sequenceNumber);

std::optional<AudioLevel> readAudioLevel(std::span<const uint8_t> value);
std::optional<VideoOrientation> readVideoOrientation(std::span<const uint8_t> value);

// Find-and-write helpers for the forwarding path; false when the element is missing or small.
bool setAbsSendTime(const RtpPacketView& packet, uint8_t id, uint32_t absSendTime);
bool setTransportWideSequenceNumber(const RtpPacketView& packet, uint8_t id,
                                    uint16_t sequenceNumber);

}  // namespace fluxmeet::media::rtp
