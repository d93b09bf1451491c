#pragma once
// The OpenSSL primitives behind one half (SRTP or SRTCP) of an SrtpSession, keyed once with the
// session keys and reused for every packet without allocating:
//   AES_CM_128_HMAC_SHA1_80   AES-128 in counter mode (RFC 3711 section 4.1.1) through one
//                             EVP_CIPHER_CTX whose IV alone is reset per packet, and HMAC-SHA1
//                             (section 4.2.1, RFC 2104) from precomputed inner/outer SHA-1 states.
//   AEAD_AES_128_GCM          AES-128-GCM (RFC 7714 section 5) through one EVP_CIPHER_CTX.
// Why HMAC is not EVP_MAC: on OpenSSL 3.0 every EVP_MAC_init (even re-initialising a keyed
// context) and every EVP_DigestInit_ex frees and re-allocates the provider's digest context
// (measured: 2 resp. 1 malloc per packet), which the packet path must not do. SHA-1's
// SHA_CTX is a plain struct that copies without allocating.
#include <openssl/types.h>

#include <array>
#include <cstdint>
#include <memory>
#include <span>

#include "fluxmeet/common/result.hpp"
#include "fluxmeet/media/srtp/srtp_key_derivation.hpp"
#include "fluxmeet/media/srtp/srtp_profile.hpp"

namespace fluxmeet::media::srtp {

class SrtpCipher {
 public:
  static constexpr size_t kHmacSha1Length = 20;
  static constexpr size_t kGcmTagLength = 16;

  // `encrypt` selects the GCM direction (seal vs. open); AES-CM does both with one context.
  static Result<std::unique_ptr<SrtpCipher>> create(SrtpProfile profile,
                                                    const SrtpSessionKeys& keys, bool encrypt);
  ~SrtpCipher();
  SrtpCipher(const SrtpCipher&) = delete;
  SrtpCipher& operator=(const SrtpCipher&) = delete;

  // Session salt k_s: 14 bytes (AES-CM) or 12 (AES-GCM).
  std::span<const uint8_t> salt() const { return {salt_.data(), saltLength_}; }

  // AES-CM keystream from the 128-bit initial counter `iv`, XORed onto `data` in place.
  bool aesCm(const std::array<uint8_t, 16>& iv, std::span<uint8_t> data);

  // HMAC-SHA1 over first || second (the packet, then the ROC or nothing); full 160 bits.
  void hmacSha1(std::span<const uint8_t> first, std::span<const uint8_t> second,
                std::array<uint8_t, kHmacSha1Length>& digest);

  // AEAD_AES_128_GCM with AAD = aad || aadTail. seal: encrypts `data` in place and writes the
  // tag. open: decrypts `data` in place and returns false unless `tag` verifies (the plaintext
  // is then garbage).
  bool gcmSeal(const std::array<uint8_t, 12>& iv, std::span<const uint8_t> aad,
               std::span<const uint8_t> aadTail, std::span<uint8_t> data,
               std::span<uint8_t, kGcmTagLength> tag);
  bool gcmOpen(const std::array<uint8_t, 12>& iv, std::span<const uint8_t> aad,
               std::span<const uint8_t> aadTail, std::span<uint8_t> data,
               std::span<const uint8_t, kGcmTagLength> tag);

 private:
  struct HmacState;  // SHA-1 states after the ipad / opad blocks, in srtp_cipher.cpp
  SrtpCipher() = default;

  EVP_CIPHER_CTX* context_ = nullptr;
  std::unique_ptr<HmacState> hmac_;
  std::array<uint8_t, 14> salt_{};
  size_t saltLength_ = 0;
};

}  // namespace fluxmeet::media::srtp
