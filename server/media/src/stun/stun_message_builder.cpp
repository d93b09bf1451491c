#include "fluxmeet/media/stun/stun_message_builder.hpp"

#include <cstring>

#include "fluxmeet/media/net/byte_io.hpp"
#include "stun/stun_crypto.hpp"

namespace fluxmeet::media::stun {
namespace {

constexpr size_t kAttrHeaderSize = 4;
constexpr size_t kMaxUsername = 513;  // section 14.3: < 513 bytes
constexpr size_t kMaxReason = 763;    // section 14.8: < 763 bytes

constexpr size_t padded4(size_t n) { return (n + 3) & ~static_cast<size_t>(3); }

std::span<const uint8_t> asBytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

}  // namespace

StunMessageBuilder::StunMessageBuilder(std::span<uint8_t> buffer, uint16_t messageType,
                                       std::span<const uint8_t, kTransactionIdSize> transactionId)
    : buffer_(buffer) {
  if (buffer_.size() < kHeaderSize || (messageType & 0xC000) != 0) {
    ok_ = false;
    return;
  }
  net::storeU16(&buffer_[0], messageType);
  net::storeU16(&buffer_[2], 0);
  net::storeU32(&buffer_[4], kMagicCookie);
  std::memcpy(&buffer_[8], transactionId.data(), kTransactionIdSize);
  size_ = kHeaderSize;
}

void StunMessageBuilder::setLength(size_t bodyLength) {
  net::storeU16(&buffer_[2], static_cast<uint16_t>(bodyLength));
}

uint8_t* StunMessageBuilder::reserve(uint16_t type, size_t valueLength) {
  const size_t total = kAttrHeaderSize + padded4(valueLength);
  if (!ok_ || hasFingerprint_ || valueLength > 0xFFFF || total > buffer_.size() - size_ ||
      size_ + total - kHeaderSize > 0xFFFF) {
    ok_ = false;
    return nullptr;
  }
  uint8_t* p = &buffer_[size_];
  net::storeU16(p, type);
  net::storeU16(p + 2, static_cast<uint16_t>(valueLength));
  // Zero the padding so no stale buffer bytes leak onto the wire.
  std::memset(p + kAttrHeaderSize + valueLength, 0, padded4(valueLength) - valueLength);
  size_ += total;
  setLength(size_ - kHeaderSize);
  return p + kAttrHeaderSize;
}

StunMessageBuilder& StunMessageBuilder::addAttribute(uint16_t type, std::span<const uint8_t> value) {
  if (hasIntegrity_) {
    ok_ = false;  // only FINGERPRINT may follow MESSAGE-INTEGRITY (section 14.5)
    return *this;
  }
  uint8_t* p = reserve(type, value.size());
  if (p != nullptr && !value.empty()) {
    std::memcpy(p, value.data(), value.size());
  }
  return *this;
}

// Section 14.2: port XOR the cookie's top 16 bits, address XOR cookie (|| transaction id).
StunMessageBuilder& StunMessageBuilder::addXorMappedAddress(const TransportAddress& address) {
  const size_t addressSize = address.family == AddressFamily::IPv4 ? 4 : 16;
  std::array<uint8_t, 20> value{};
  value[1] = static_cast<uint8_t>(address.family);
  net::storeU16(&value[2], static_cast<uint16_t>(address.port ^ (kMagicCookie >> 16)));
  std::array<uint8_t, 16> mask{};
  net::storeU32(mask.data(), kMagicCookie);
  if (ok_) {
    std::memcpy(&mask[4], &buffer_[8], kTransactionIdSize);
  }
  for (size_t i = 0; i < addressSize; ++i) {
    value[4 + i] = address.bytes[i] ^ mask[i];
  }
  return addAttribute(attr::kXorMappedAddress, std::span<const uint8_t>(value).first(4 + addressSize));
}

StunMessageBuilder& StunMessageBuilder::addUsername(std::string_view username) {
  if (username.size() >= kMaxUsername) {
    ok_ = false;
    return *this;
  }
  return addAttribute(attr::kUsername, asBytes(username));
}

StunMessageBuilder& StunMessageBuilder::addSoftware(std::string_view software) {
  return addAttribute(attr::kSoftware, asBytes(software));
}

StunMessageBuilder& StunMessageBuilder::addErrorCode(uint16_t code, std::string_view reason) {
  if (code < 300 || code > 699 || reason.size() >= kMaxReason) {
    ok_ = false;
    return *this;
  }
  std::array<uint8_t, 4 + kMaxReason> value{};
  value[2] = static_cast<uint8_t>(code / 100);
  value[3] = static_cast<uint8_t>(code % 100);
  if (!reason.empty()) {  // an empty view may have a null data()
    std::memcpy(&value[4], reason.data(), reason.size());
  }
  return addAttribute(attr::kErrorCode, std::span<const uint8_t>(value).first(4 + reason.size()));
}

StunMessageBuilder& StunMessageBuilder::addPriority(uint32_t priority) {
  std::array<uint8_t, 4> value{};
  net::storeU32(value.data(), priority);
  return addAttribute(attr::kPriority, value);
}

StunMessageBuilder& StunMessageBuilder::addUseCandidate() {
  return addAttribute(attr::kUseCandidate, {});
}

StunMessageBuilder& StunMessageBuilder::addIceControlling(uint64_t tieBreaker) {
  std::array<uint8_t, 8> value{};
  net::storeU64(value.data(), tieBreaker);
  return addAttribute(attr::kIceControlling, value);
}

StunMessageBuilder& StunMessageBuilder::addIceControlled(uint64_t tieBreaker) {
  std::array<uint8_t, 8> value{};
  net::storeU64(value.data(), tieBreaker);
  return addAttribute(attr::kIceControlled, value);
}

// Section 14.5: the length field counts up to and including MESSAGE-INTEGRITY while hashing,
// which reserve() has already set, so the HMAC runs over the buffer as it stands.
StunMessageBuilder& StunMessageBuilder::addMessageIntegrity(std::span<const uint8_t> key) {
  if (hasIntegrity_) {
    ok_ = false;
    return *this;
  }
  const size_t start = size_;
  uint8_t* p = reserve(attr::kMessageIntegrity, kMessageIntegritySize);
  if (p == nullptr) return *this;
  Sha1Digest mac{};
  if (!hmacSha1(key, {std::span<const uint8_t>(buffer_.data(), start)}, mac)) {
    ok_ = false;
    return *this;
  }
  std::memcpy(p, mac.data(), mac.size());
  hasIntegrity_ = true;
  return *this;
}

StunMessageBuilder& StunMessageBuilder::addMessageIntegrity(std::string_view key) {
  return addMessageIntegrity(asBytes(key));
}

// Section 14.7: CRC-32 over the message up to FINGERPRINT, with the length already counting it.
StunMessageBuilder& StunMessageBuilder::addFingerprint() {
  const size_t start = size_;
  uint8_t* p = reserve(attr::kFingerprint, 4);
  if (p == nullptr) return *this;
  net::storeU32(p, crc32(std::span<const uint8_t>(buffer_.data(), start)) ^ kFingerprintXor);
  hasFingerprint_ = true;
  return *this;
}

std::optional<size_t> StunMessageBuilder::finish() const {
  if (!ok_) return std::nullopt;
  return size_;
}

}  // namespace fluxmeet::media::stun
