#pragma once
// STUN messages (RFC 8489, https://www.rfc-editor.org/rfc/rfc8489) as a non-owning, non-throwing
// view. Parsing validates the header and the attribute TLV layout once; accessors then read
// attributes straight out of the caller's buffer without copying or allocating.
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace fluxmeet::media::stun {

inline constexpr uint32_t kMagicCookie = 0x2112A442;  // RFC 8489 section 5
inline constexpr size_t kHeaderSize = 20;
inline constexpr size_t kTransactionIdSize = 12;
inline constexpr size_t kMessageIntegritySize = 20;  // HMAC-SHA1, section 14.5
inline constexpr uint32_t kFingerprintXor = 0x5354554e;  // "STUN", section 14.7

// Message types (method + class bits, section 5). WebRTC uses only Binding.
namespace type {
inline constexpr uint16_t kBindingRequest = 0x0001;
inline constexpr uint16_t kBindingIndication = 0x0011;
inline constexpr uint16_t kBindingSuccess = 0x0101;
inline constexpr uint16_t kBindingError = 0x0111;
}  // namespace type

// Attribute types: RFC 8489 section 18.3 and RFC 8445 section 16.1 (ICE).
namespace attr {
inline constexpr uint16_t kMappedAddress = 0x0001;
inline constexpr uint16_t kUsername = 0x0006;
inline constexpr uint16_t kMessageIntegrity = 0x0008;
inline constexpr uint16_t kErrorCode = 0x0009;
inline constexpr uint16_t kUnknownAttributes = 0x000A;
inline constexpr uint16_t kRealm = 0x0014;
inline constexpr uint16_t kNonce = 0x0015;
inline constexpr uint16_t kMessageIntegritySha256 = 0x001C;
inline constexpr uint16_t kXorMappedAddress = 0x0020;
inline constexpr uint16_t kPriority = 0x0024;
inline constexpr uint16_t kUseCandidate = 0x0025;
inline constexpr uint16_t kSoftware = 0x8022;
inline constexpr uint16_t kFingerprint = 0x8028;
inline constexpr uint16_t kIceControlled = 0x8029;
inline constexpr uint16_t kIceControlling = 0x802A;
}  // namespace attr

enum class StunClass : uint8_t { Request, Indication, SuccessResponse, ErrorResponse };

enum class AddressFamily : uint8_t { IPv4 = 0x01, IPv6 = 0x02 };

using TransactionId = std::array<uint8_t, kTransactionIdSize>;

// Which socket a tuple is on: the worker's UDP port, or one ICE-TCP connection (RFC 6544). STUN
// itself never carries it (XOR-MAPPED-ADDRESS has no protocol); it keeps a UDP and a TCP peer
// with the same IP and port apart.
enum class TransportProtocol : uint8_t { Udp = 0, Tcp = 1 };

// An IP address and port in network byte order. For IPv4 only bytes[0..3] are meaningful.
struct TransportAddress {
  AddressFamily family = AddressFamily::IPv4;
  std::array<uint8_t, 16> bytes{};
  uint16_t port = 0;
  TransportProtocol protocol = TransportProtocol::Udp;

  friend bool operator==(const TransportAddress&, const TransportAddress&) = default;
};

struct StunErrorCode {
  uint16_t code = 0;        // 300..699 (section 14.8)
  std::string_view reason;  // UTF-8, points into the message
};

class StunMessage {
 public:
  // Validates a whole datagram: top two bits zero, length a multiple of 4 matching the buffer,
  // the magic cookie, every attribute within bounds, MESSAGE-INTEGRITY and FINGERPRINT of the
  // right size, and FINGERPRINT (if present) last. Returns nullopt otherwise.
  static std::optional<StunMessage> parse(std::span<const uint8_t> data);

  uint16_t type() const;
  uint16_t method() const;
  StunClass messageClass() const;
  std::span<const uint8_t, kTransactionIdSize> transactionId() const;
  TransactionId transactionIdCopy() const;
  std::span<const uint8_t> bytes() const { return data_; }

  // The value of the first attribute of `type`. Attributes after MESSAGE-INTEGRITY other than
  // FINGERPRINT are ignored, as section 14.5 requires.
  std::optional<std::span<const uint8_t>> attribute(uint16_t type) const;

  std::optional<std::string_view> username() const;
  std::optional<uint32_t> priority() const;
  bool useCandidate() const;
  std::optional<uint64_t> iceControlling() const;
  std::optional<uint64_t> iceControlled() const;
  std::optional<StunErrorCode> errorCode() const;
  std::optional<TransportAddress> xorMappedAddress() const;

  bool hasMessageIntegrity() const { return integrityOffset_ != 0; }
  bool hasFingerprint() const { return fingerprintOffset_ != 0; }

  // Short-term credentials (RFC 8489 section 9.1.1): key = the ICE password as bytes.
  bool verifyMessageIntegrity(std::span<const uint8_t> key) const;
  bool verifyMessageIntegrity(std::string_view key) const;
  bool verifyFingerprint() const;

 private:
  explicit StunMessage(std::span<const uint8_t> data) : data_(data) {}

  std::span<const uint8_t> data_;
  size_t integrityOffset_ = 0;    // offset of the MESSAGE-INTEGRITY attribute header, 0 = none
  size_t fingerprintOffset_ = 0;  // offset of the FINGERPRINT attribute header, 0 = none
};

// Decodes an (XOR-)MAPPED-ADDRESS value (section 14.2); exposed for tests and the builder.
std::optional<TransportAddress> decodeXorAddress(std::span<const uint8_t> value,
                                                 std::span<const uint8_t, kTransactionIdSize> tid);

}  // namespace fluxmeet::media::stun
