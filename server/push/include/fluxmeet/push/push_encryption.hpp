#pragma once
// Message encryption for Web Push (RFC 8291) in the "aes128gcm" content coding (RFC 8188).
//
// A fresh sender key pair and salt per message; the key is derived from ECDH with the
// subscription's p256dh key and its 16-byte auth secret (RFC 8291 section 3.3-3.4):
//   ecdh_secret = ECDH(as_private, ua_public)
//   PRK_key     = HKDF-Extract(salt=auth_secret, IKM=ecdh_secret)
//   IKM         = HKDF-Expand(PRK_key, "WebPush: info" 0x00 || ua_public || as_public, 32)
//   PRK         = HKDF-Extract(salt, IKM)
//   CEK         = HKDF-Expand(PRK, "Content-Encoding: aes128gcm" 0x00, 16)
//   NONCE       = HKDF-Expand(PRK, "Content-Encoding: nonce" 0x00, 12)
// The body is the RFC 8188 section 2.1 header followed by one record:
//   salt (16) | rs = 4096 (uint32 BE) | idlen = 65 | keyid = as_public (65) | AES-GCM(plaintext || 0x02)
// One record, so the delimiter is 0x02 ("last record") and there is no padding.
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "fluxmeet/common/result.hpp"

namespace fluxmeet::push {

inline constexpr uint32_t kPushRecordSize = 4096;
inline constexpr size_t kPushHeaderSize = 16 + 4 + 1 + 65;
// RFC 8291 section 4: push services must accept 4096-byte bodies, which leaves
// 4096 - 86 (header) - 16 (tag) - 1 (delimiter) = 3993 bytes of plaintext.
inline constexpr size_t kMaxPushPlaintext = 3993;

// The keys of a PushSubscription (PushSubscription.toJSON().keys).
struct SubscriptionKeys {
  std::array<uint8_t, 65> p256dh{};  // the user agent's ECDH public key, uncompressed point
  std::array<uint8_t, 16> auth{};    // the authentication secret
};

// Decodes keys.p256dh and keys.auth (base64url; trailing '=' tolerated). Checks the point is on
// P-256. Errors are ValidationFailed with field "p256dh" or "auth".
Result<SubscriptionKeys> parseSubscriptionKeys(std::string_view p256dh, std::string_view auth);

// The aes128gcm body for `plaintext` (<= kMaxPushPlaintext bytes, else PayloadTooLarge), with a
// random salt and a fresh ephemeral key pair.
Result<std::vector<uint8_t>> encryptPushPayload(const SubscriptionKeys& keys, std::span<const uint8_t> plaintext);

// What the random parts are, for reproducing a known message (RFC 8291 Appendix A).
struct EncryptionSeed {
  std::array<uint8_t, 16> salt{};
  std::array<uint8_t, 32> senderPrivateKey{};  // as_private, the ephemeral P-256 scalar
};

// The intermediate values of one encryption, named as in RFC 8291 Appendix A.
struct EncryptionTrace {
  std::vector<uint8_t> ecdhSecret;
  std::vector<uint8_t> senderPublicKey;  // as_public
  std::vector<uint8_t> keyInfo;
  std::vector<uint8_t> prkKey;
  std::vector<uint8_t> ikm;
  std::vector<uint8_t> prk;
  std::vector<uint8_t> cekInfo;
  std::vector<uint8_t> cek;
  std::vector<uint8_t> nonceInfo;
  std::vector<uint8_t> nonce;
  std::vector<uint8_t> header;
};

// Deterministic variant: never reuse a seed for two messages (same key and nonce).
// Fills `trace` when given.
Result<std::vector<uint8_t>> encryptPushPayload(const SubscriptionKeys& keys, std::span<const uint8_t> plaintext,
                                                const EncryptionSeed& seed, EncryptionTrace* trace = nullptr);

}  // namespace fluxmeet::push
