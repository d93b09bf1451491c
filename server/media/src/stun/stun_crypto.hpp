#pragma once
// Private helpers for STUN: HMAC-SHA1 for MESSAGE-INTEGRITY (RFC 8489 section 14.5) and CRC-32
// for FINGERPRINT (section 14.7, the ISO/IEC 13239 / IEEE 802.3 polynomial).
#include <array>
#include <cstdint>
#include <initializer_list>
#include <span>

namespace fluxmeet::media::stun {

using Sha1Digest = std::array<uint8_t, 20>;

// HMAC-SHA1 (RFC 2104) over the concatenation of `parts`. Returns false only if OpenSSL fails.
bool hmacSha1(std::span<const uint8_t> key, std::initializer_list<std::span<const uint8_t>> parts,
              Sha1Digest& out);

uint32_t crc32(std::span<const uint8_t> data);

// Compares MACs without an early exit.
bool digestsEqual(std::span<const uint8_t> a, std::span<const uint8_t> b);

}  // namespace fluxmeet::media::stun
