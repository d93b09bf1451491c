#pragma once
// RTP packets (RFC 3550 section 5.1, https://www.rfc-editor.org/rfc/rfc3550#section-5.1) as a
// view over a mutable buffer: the SFU forwards packets by rewriting SSRC, sequence number,
// timestamp and payload type in place, so the view never copies and never allocates.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace fluxmeet::media::rtp {

inline constexpr size_t kFixedHeaderSize = 12;

// RFC 8285 section 4.2 (one-byte) and 4.3 (two-byte) header extension profiles.
inline constexpr uint16_t kOneByteExtensionProfile = 0xBEDE;
inline constexpr uint16_t kTwoByteExtensionProfileMask = 0xFFF0;
inline constexpr uint16_t kTwoByteExtensionProfile = 0x1000;

enum class ExtensionFormat { None, OneByte, TwoByte, Other };

// Fields for building a packet header from scratch (tests, probes, RTX).
struct RtpHeaderFields {
  bool marker = false;
  uint8_t payloadType = 0;
  uint16_t sequenceNumber = 0;
  uint32_t timestamp = 0;
  uint32_t ssrc = 0;
};

class RtpPacketView {
 public:
  // Validates the fixed header, CSRC list, extension header and padding against the buffer.
  // Extension elements are checked lazily by findExtension (RFC 8285 section 4.1: a receiver
  // ignores elements it cannot parse rather than dropping the packet).
  static std::optional<RtpPacketView> parse(std::span<uint8_t> data);

  // Writes a header (no CSRCs, no extension) followed by `payload`. Returns the size written.
  static std::optional<size_t> build(std::span<uint8_t> out, const RtpHeaderFields& fields,
                                     std::span<const uint8_t> payload);

  uint8_t version() const { return static_cast<uint8_t>(data_[0] >> 6); }
  bool hasPadding() const { return (data_[0] & 0x20) != 0; }
  bool hasExtension() const { return (data_[0] & 0x10) != 0; }
  uint8_t csrcCount() const { return data_[0] & 0x0F; }
  bool marker() const { return (data_[1] & 0x80) != 0; }
  uint8_t payloadType() const { return data_[1] & 0x7F; }
  uint16_t sequenceNumber() const;
  uint32_t timestamp() const;
  uint32_t ssrc() const;
  uint32_t csrc(size_t index) const;  // index < csrcCount()

  // The SFU's forwarding rewrites.
  void setMarker(bool marker);
  void setPayloadType(uint8_t payloadType);  // 0..127
  void setSequenceNumber(uint16_t sequenceNumber);
  void setTimestamp(uint32_t timestamp);
  void setSsrc(uint32_t ssrc);

  // Header size including CSRCs and the extension block.
  size_t headerSize() const { return headerSize_; }
  size_t paddingSize() const { return paddingSize_; }
  std::span<uint8_t> payload() const;
  std::span<uint8_t> bytes() const { return data_; }

  ExtensionFormat extensionFormat() const;
  uint16_t extensionProfile() const;           // 0 when there is no extension
  std::span<uint8_t> extensionData() const;    // the words after the 4-byte extension header
  // The value of extension element `id` (1..14 one-byte, 1..255 two-byte), writable in place.
  std::optional<std::span<uint8_t>> findExtension(uint8_t id) const;

 private:
  explicit RtpPacketView(std::span<uint8_t> data) : data_(data) {}

  std::span<uint8_t> data_;
  size_t headerSize_ = kFixedHeaderSize;
  size_t extensionOffset_ = 0;  // start of the extension header, 0 = none
  size_t extensionSize_ = 0;    // bytes of extension data after its 4-byte header
  size_t paddingSize_ = 0;
};

}  // namespace fluxmeet::media::rtp
