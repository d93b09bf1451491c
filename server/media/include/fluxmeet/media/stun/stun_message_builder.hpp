#pragma once
// Writes a STUN message (RFC 8489) into a caller-provided buffer, so answering a connectivity
// check allocates nothing. Calls chain; the first failure (buffer too small, attribute added
// after MESSAGE-INTEGRITY/FINGERPRINT, value too long) latches and finish() reports it.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "fluxmeet/media/stun/stun_message.hpp"

namespace fluxmeet::media::stun {

class StunMessageBuilder {
 public:
  StunMessageBuilder(std::span<uint8_t> buffer, uint16_t messageType,
                     std::span<const uint8_t, kTransactionIdSize> transactionId);

  StunMessageBuilder& addXorMappedAddress(const TransportAddress& address);
  StunMessageBuilder& addUsername(std::string_view username);
  StunMessageBuilder& addErrorCode(uint16_t code, std::string_view reason);
  StunMessageBuilder& addPriority(uint32_t priority);
  StunMessageBuilder& addUseCandidate();
  StunMessageBuilder& addIceControlling(uint64_t tieBreaker);
  StunMessageBuilder& addIceControlled(uint64_t tieBreaker);
  StunMessageBuilder& addSoftware(std::string_view software);
  StunMessageBuilder& addAttribute(uint16_t type, std::span<const uint8_t> value);
  // Section 14.5; only FINGERPRINT may follow. key = ICE password for short-term credentials.
  StunMessageBuilder& addMessageIntegrity(std::span<const uint8_t> key);
  StunMessageBuilder& addMessageIntegrity(std::string_view key);
  // Section 14.7; must be the last attribute.
  StunMessageBuilder& addFingerprint();

  bool ok() const { return ok_; }
  // The message size, or nullopt if any step failed.
  std::optional<size_t> finish() const;

 private:
  // Reserves an attribute header + padded value; returns the value's start or nullptr.
  uint8_t* reserve(uint16_t type, size_t valueLength);
  void setLength(size_t bodyLength);

  std::span<uint8_t> buffer_;
  size_t size_ = 0;
  bool ok_ = true;
  bool hasIntegrity_ = false;
  bool hasFingerprint_ = false;
};

}  // namespace fluxmeet::media::stun
