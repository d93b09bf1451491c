#pragma once
// SRTP session keys from a master key and master salt: RFC 3711 section 4.3 with
// key_derivation_rate 0 (what DTLS-SRTP uses, RFC 5764 section 4.1.2), i.e. each session key is
// the AES-CM PRF (section 4.3.3) keystream for x = (label || 0^48) XOR master_salt.
// AEAD_AES_128_GCM uses the same KDF with its 96-bit master salt zero-padded on the right to
// the 112 bits of the PRF input (RFC 7714 section 11, as libsrtp does).
// https://www.rfc-editor.org/rfc/rfc3711#section-4.3, https://www.rfc-editor.org/rfc/rfc7714#section-11
//
// Runs once per SrtpSession, not per packet.
#include <cstdint>
#include <vector>

#include "fluxmeet/common/result.hpp"
#include "fluxmeet/media/srtp/srtp_profile.hpp"

namespace fluxmeet::media::srtp {

// Which half of a crypto context: SRTP uses labels 0 (encryption), 1 (auth), 2 (salt), SRTCP
// labels 3, 4, 5 (RFC 3711 section 4.3.2).
enum class SrtpKeyUse { Rtp, Rtcp };

// One direction's session keys for SRTP or SRTCP. Lengths: encryption key 16, salt 14 (AES-CM)
// or 12 (AES-GCM), auth key 20 (HMAC-SHA1, RFC 3711 section 4.2.1) or empty (AES-GCM).
struct SrtpSessionKeys {
  std::vector<uint8_t> encryptionKey;
  std::vector<uint8_t> salt;
  std::vector<uint8_t> authKey;
};

size_t srtpSessionSaltLength(SrtpProfile profile);
size_t srtpSessionAuthKeyLength(SrtpProfile profile);

Result<SrtpSessionKeys> deriveSrtpSessionKeys(SrtpProfile profile, const SrtpKeys& master,
                                              SrtpKeyUse use);

}  // namespace fluxmeet::media::srtp
