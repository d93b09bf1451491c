#pragma once
// The SRTP protection profiles Flux Meet negotiates through DTLS-SRTP, and the key material a
// DTLS handshake yields for one direction of one profile
// (https://www.rfc-editor.org/rfc/rfc5764#section-4.1.2,
//  https://www.rfc-editor.org/rfc/rfc7714#section-14.2).
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace fluxmeet::media::srtp {

// DTLS-SRTP protection profiles, in our order of preference (AEAD first: one pass, smaller tag
// per byte of security, and hardware AES-GCM everywhere WebRTC runs).
//   AeadAes128Gcm        SRTP_AEAD_AES_128_GCM, 0x0007 (RFC 7714 section 14.2)
//   AesCm128HmacSha1_80  SRTP_AES128_CM_HMAC_SHA1_80, 0x0001 (RFC 5764 section 4.1.2)
enum class SrtpProfile { AeadAes128Gcm, AesCm128HmacSha1_80 };

std::string_view srtpProfileName(SrtpProfile profile);

// Master key and master salt lengths in bytes. RFC 5764 section 4.1.2 (AES-CM: 16 + 14) and
// RFC 7714 section 12 (AES-128-GCM: 16 + 12).
size_t srtpMasterKeyLength(SrtpProfile profile);
size_t srtpMasterSaltLength(SrtpProfile profile);

// One direction's SRTP master key and master salt. Lengths match the profile they came with.
struct SrtpKeys {
  std::vector<uint8_t> key;
  std::vector<uint8_t> salt;

  bool operator==(const SrtpKeys&) const = default;
};

}  // namespace fluxmeet::media::srtp
