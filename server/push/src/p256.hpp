#pragma once
// P-256 (secp256r1) keys, ECDH, HKDF-SHA-256, AES-128-GCM and ES256 through the OpenSSL 3 EVP API
// (no deprecated EC_KEY). Private to the push module: VAPID signs with these, payload
// encryption derives its keys with them. Every function returns an empty value on any OpenSSL
// failure; callers turn that into a Result error.
#include <openssl/evp.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace fluxmeet::push::detail {

inline constexpr size_t kP256PointSize = 65;   // 0x04 || X || Y (SEC 1 section 2.3.3, uncompressed)
inline constexpr size_t kP256ScalarSize = 32;

using P256Point = std::array<uint8_t, kP256PointSize>;
using P256Scalar = std::array<uint8_t, kP256ScalarSize>;

struct PkeyDeleter {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyDeleter>;

PkeyPtr generateP256();
// From the 32-byte big-endian private scalar (0 < d < n); the public point is computed.
PkeyPtr p256FromPrivate(std::span<const uint8_t> scalar);
// From a 65-byte uncompressed point; a point not on the curve is rejected.
PkeyPtr p256FromPublic(std::span<const uint8_t> point);

std::optional<P256Point> exportPublic(const EVP_PKEY* key);
std::optional<P256Scalar> exportPrivate(const EVP_PKEY* key);

// The 32-byte X coordinate of own * peer (RFC 8291 section 3.1 "ecdh_secret").
std::optional<std::array<uint8_t, 32>> ecdh(EVP_PKEY* own, EVP_PKEY* peer);

// RFC 5869 section 2.2 / 2.3 with SHA-256.
std::optional<std::array<uint8_t, 32>> hkdfExtract(std::span<const uint8_t> salt, std::span<const uint8_t> ikm);
std::optional<std::vector<uint8_t>> hkdfExpand(std::span<const uint8_t> prk, std::span<const uint8_t> info,
                                               size_t length);

// AES-128-GCM with a 12-byte nonce and no associated data: ciphertext || 16-byte tag.
std::optional<std::vector<uint8_t>> aes128GcmSeal(std::span<const uint8_t> key, std::span<const uint8_t> nonce,
                                                  std::span<const uint8_t> plaintext);

// ECDSA P-256 SHA-256 as JWS "ES256" needs it (RFC 7518 section 3.4): R || S, 32 bytes each,
// not the DER SEQUENCE OpenSSL produces.
std::optional<std::array<uint8_t, 64>> signEs256(EVP_PKEY* key, std::string_view input);

}  // namespace fluxmeet::push::detail
