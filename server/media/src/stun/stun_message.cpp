#include "fluxmeet/media/stun/stun_message.hpp"

#include "fluxmeet/media/net/byte_io.hpp"
#include "stun/stun_crypto.hpp"

namespace fluxmeet::media::stun {
namespace {

using net::loadU16;
using net::loadU32;
using net::loadU64;

constexpr size_t kAttrHeaderSize = 4;

constexpr size_t padded4(size_t n) { return (n + 3) & ~static_cast<size_t>(3); }

// Walks TLVs in [begin, end) and returns the first value of `type`. The layout was validated by
// parse(), so every header and value read here is in bounds.
std::optional<std::span<const uint8_t>> findAttribute(std::span<const uint8_t> data, size_t begin,
                                                      size_t end, uint16_t type) {
  size_t offset = begin;
  while (offset + kAttrHeaderSize <= end) {
    const uint16_t attrType = loadU16(&data[offset]);
    const uint16_t attrLen = loadU16(&data[offset + 2]);
    if (attrType == type) {
      return data.subspan(offset + kAttrHeaderSize, attrLen);
    }
    offset += kAttrHeaderSize + padded4(attrLen);
  }
  return std::nullopt;
}

}  // namespace

std::optional<StunMessage> StunMessage::parse(std::span<const uint8_t> data) {
  // RFC 8489 section 5: header layout and the checks that tell STUN from other protocols.
  if (data.size() < kHeaderSize || (data[0] & 0xC0) != 0) {
    return std::nullopt;
  }
  const size_t length = loadU16(&data[2]);
  if (length % 4 != 0 || data.size() != kHeaderSize + length ||
      loadU32(&data[4]) != kMagicCookie) {
    return std::nullopt;
  }
  StunMessage message(data);
  // Section 14: TLVs, each value padded to a multiple of 4 bytes.
  size_t offset = kHeaderSize;
  while (offset < data.size()) {
    if (data.size() - offset < kAttrHeaderSize) {
      return std::nullopt;
    }
    const uint16_t attrType = loadU16(&data[offset]);
    const size_t attrLen = loadU16(&data[offset + 2]);
    const size_t total = kAttrHeaderSize + padded4(attrLen);
    if (total > data.size() - offset) {
      return std::nullopt;
    }
    if (message.fingerprintOffset_ != 0) {
      return std::nullopt;  // section 14.7: FINGERPRINT is the last attribute
    }
    if (attrType == attr::kMessageIntegrity && message.integrityOffset_ == 0) {
      if (attrLen != kMessageIntegritySize) {
        return std::nullopt;
      }
      message.integrityOffset_ = offset;
    } else if (attrType == attr::kFingerprint) {
      if (attrLen != 4) {
        return std::nullopt;
      }
      message.fingerprintOffset_ = offset;
    }
    offset += total;
  }
  return message;
}

uint16_t StunMessage::type() const { return loadU16(&data_[0]); }

// Section 5: the 14-bit type interleaves a 12-bit method with the 2 class bits C1 (bit 8) and
// C0 (bit 4): M11..M7 C1 M6..M4 C0 M3..M0.
uint16_t StunMessage::method() const {
  const uint16_t t = type();
  return static_cast<uint16_t>((t & 0x000F) | ((t & 0x00E0) >> 1) | ((t & 0x3E00) >> 2));
}

StunClass StunMessage::messageClass() const {
  const uint16_t t = type();
  return static_cast<StunClass>(((t >> 4) & 0x1) | ((t >> 7) & 0x2));
}

std::span<const uint8_t, kTransactionIdSize> StunMessage::transactionId() const {
  return data_.subspan<8, kTransactionIdSize>();
}

TransactionId StunMessage::transactionIdCopy() const {
  TransactionId tid{};
  const auto view = transactionId();
  for (size_t i = 0; i < kTransactionIdSize; ++i) {
    tid[i] = view[i];
  }
  return tid;
}

std::optional<std::span<const uint8_t>> StunMessage::attribute(uint16_t type) const {
  if (type == attr::kMessageIntegrity) {
    if (integrityOffset_ == 0) return std::nullopt;
    return data_.subspan(integrityOffset_ + kAttrHeaderSize, kMessageIntegritySize);
  }
  if (type == attr::kFingerprint) {
    if (fingerprintOffset_ == 0) return std::nullopt;
    return data_.subspan(fingerprintOffset_ + kAttrHeaderSize, 4);
  }
  size_t end = data_.size();
  if (integrityOffset_ != 0) {
    end = integrityOffset_;
  } else if (fingerprintOffset_ != 0) {
    end = fingerprintOffset_;
  }
  return findAttribute(data_, kHeaderSize, end, type);
}

std::optional<std::string_view> StunMessage::username() const {
  auto value = attribute(attr::kUsername);
  if (!value) return std::nullopt;
  return std::string_view(reinterpret_cast<const char*>(value->data()), value->size());
}

// RFC 8445 section 16.1: PRIORITY is a 32-bit value.
std::optional<uint32_t> StunMessage::priority() const {
  auto value = attribute(attr::kPriority);
  if (!value || value->size() != 4) return std::nullopt;
  return loadU32(value->data());
}

// RFC 8445 section 16.1: USE-CANDIDATE has no value.
bool StunMessage::useCandidate() const {
  auto value = attribute(attr::kUseCandidate);
  return value && value->empty();
}

// RFC 8445 section 16.1: ICE-CONTROLLING / ICE-CONTROLLED carry a 64-bit tie-breaker.
std::optional<uint64_t> StunMessage::iceControlling() const {
  auto value = attribute(attr::kIceControlling);
  if (!value || value->size() != 8) return std::nullopt;
  return loadU64(value->data());
}

std::optional<uint64_t> StunMessage::iceControlled() const {
  auto value = attribute(attr::kIceControlled);
  if (!value || value->size() != 8) return std::nullopt;
  return loadU64(value->data());
}

// Section 14.8: 21 reserved bits, 3-bit class (3..6), 8-bit number (0..99), reason phrase.
std::optional<StunErrorCode> StunMessage::errorCode() const {
  auto value = attribute(attr::kErrorCode);
  if (!value || value->size() < 4) return std::nullopt;
  const uint8_t cls = (*value)[2] & 0x07;
  const uint8_t number = (*value)[3];
  if (cls < 3 || cls > 6 || number > 99) return std::nullopt;
  const auto reason = value->subspan(4);
  return StunErrorCode{static_cast<uint16_t>(cls * 100 + number),
                       std::string_view(reinterpret_cast<const char*>(reason.data()), reason.size())};
}

std::optional<TransportAddress> StunMessage::xorMappedAddress() const {
  auto value = attribute(attr::kXorMappedAddress);
  if (!value) return std::nullopt;
  return decodeXorAddress(*value, transactionId());
}

// Section 14.2: X-Port = port ^ top 16 bits of the cookie; X-Address = address ^ cookie (IPv4)
// or address ^ (cookie || transaction id) (IPv6).
std::optional<TransportAddress> decodeXorAddress(std::span<const uint8_t> value,
                                                 std::span<const uint8_t, kTransactionIdSize> tid) {
  if (value.size() < 4) return std::nullopt;
  TransportAddress address;
  address.port = static_cast<uint16_t>(loadU16(&value[2]) ^ (kMagicCookie >> 16));
  std::array<uint8_t, 16> mask{};
  net::storeU32(mask.data(), kMagicCookie);
  for (size_t i = 0; i < kTransactionIdSize; ++i) {
    mask[4 + i] = tid[i];
  }
  size_t addressSize = 0;
  if (value[1] == static_cast<uint8_t>(AddressFamily::IPv4) && value.size() == 8) {
    address.family = AddressFamily::IPv4;
    addressSize = 4;
  } else if (value[1] == static_cast<uint8_t>(AddressFamily::IPv6) && value.size() == 20) {
    address.family = AddressFamily::IPv6;
    addressSize = 16;
  } else {
    return std::nullopt;
  }
  for (size_t i = 0; i < addressSize; ++i) {
    address.bytes[i] = value[4 + i] ^ mask[i];
  }
  return address;
}

// Section 14.5: the HMAC covers the header and every attribute before MESSAGE-INTEGRITY, with
// the header's length field set as if MESSAGE-INTEGRITY were the last attribute.
bool StunMessage::verifyMessageIntegrity(std::span<const uint8_t> key) const {
  if (integrityOffset_ == 0) return false;
  std::array<uint8_t, kHeaderSize> header{};
  for (size_t i = 0; i < kHeaderSize; ++i) {
    header[i] = data_[i];
  }
  const size_t adjustedLength = integrityOffset_ + kAttrHeaderSize + kMessageIntegritySize - kHeaderSize;
  net::storeU16(&header[2], static_cast<uint16_t>(adjustedLength));
  Sha1Digest mac{};
  if (!hmacSha1(key,
                {std::span<const uint8_t>(header),
                 data_.subspan(kHeaderSize, integrityOffset_ - kHeaderSize)},
                mac)) {
    return false;
  }
  return digestsEqual(mac, data_.subspan(integrityOffset_ + kAttrHeaderSize, kMessageIntegritySize));
}

bool StunMessage::verifyMessageIntegrity(std::string_view key) const {
  return verifyMessageIntegrity(
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(key.data()), key.size()));
}

// Section 14.7: CRC-32 of everything before FINGERPRINT, XOR 0x5354554e. FINGERPRINT is last, so
// the header's length field already includes it as the computation requires.
bool StunMessage::verifyFingerprint() const {
  if (fingerprintOffset_ == 0) return false;
  const uint32_t expected = crc32(data_.first(fingerprintOffset_)) ^ kFingerprintXor;
  return loadU32(&data_[fingerprintOffset_ + kAttrHeaderSize]) == expected;
}

}  // namespace fluxmeet::media::stun
