#include "fluxmeet/push/push_encryption.hpp"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <algorithm>
#include <optional>
#include <string>

#include "fluxmeet/common/encoding.hpp"
#include "p256.hpp"

namespace fluxmeet::push {
namespace {

using Bytes = std::vector<uint8_t>;

std::optional<Bytes> decodeBase64Url(std::string_view text) {
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  return base64UrlDecode(text);
}

void append(Bytes& out, std::span<const uint8_t> bytes) { out.insert(out.end(), bytes.begin(), bytes.end()); }
void append(Bytes& out, std::string_view text) { out.insert(out.end(), text.begin(), text.end()); }

// Wipes key material on every exit path.
template <class T>
struct Wiped {
  T value;
  ~Wiped() { OPENSSL_cleanse(value.data(), value.size()); }
};

}  // namespace

Result<SubscriptionKeys> parseSubscriptionKeys(std::string_view p256dh, std::string_view auth) {
  SubscriptionKeys keys;
  std::optional<Bytes> point = decodeBase64Url(p256dh);
  if (!point || point->size() != keys.p256dh.size() || !detail::p256FromPublic(*point)) {
    return makeError(ErrorCode::ValidationFailed, "p256dh must be a P-256 public key (65 bytes, base64url)",
                     "p256dh");
  }
  std::optional<Bytes> secret = decodeBase64Url(auth);
  if (!secret || secret->size() != keys.auth.size()) {
    return makeError(ErrorCode::ValidationFailed, "auth must be 16 bytes, base64url", "auth");
  }
  std::copy(point->begin(), point->end(), keys.p256dh.begin());
  std::copy(secret->begin(), secret->end(), keys.auth.begin());
  return keys;
}

Result<std::vector<uint8_t>> encryptPushPayload(const SubscriptionKeys& keys, std::span<const uint8_t> plaintext) {
  detail::PkeyPtr ephemeral = detail::generateP256();
  if (!ephemeral) return makeError(ErrorCode::Internal, "cannot generate an ephemeral key");
  std::optional<detail::P256Scalar> scalar = detail::exportPrivate(ephemeral.get());
  if (!scalar) return makeError(ErrorCode::Internal, "cannot export the ephemeral key");
  EncryptionSeed seed;
  seed.senderPrivateKey = *scalar;
  OPENSSL_cleanse(scalar->data(), scalar->size());
  if (RAND_bytes(seed.salt.data(), static_cast<int>(seed.salt.size())) != 1) {
    return makeError(ErrorCode::Internal, "no randomness for the salt");
  }
  Result<std::vector<uint8_t>> body = encryptPushPayload(keys, plaintext, seed);
  OPENSSL_cleanse(seed.senderPrivateKey.data(), seed.senderPrivateKey.size());
  return body;
}

Result<std::vector<uint8_t>> encryptPushPayload(const SubscriptionKeys& keys, std::span<const uint8_t> plaintext,
                                                const EncryptionSeed& seed, EncryptionTrace* trace) {
  if (plaintext.size() > kMaxPushPlaintext) {
    return makeError(ErrorCode::PayloadTooLarge, "a push message holds at most 3993 bytes", "payload");
  }
  detail::PkeyPtr receiver = detail::p256FromPublic(keys.p256dh);
  if (!receiver) return makeError(ErrorCode::ValidationFailed, "p256dh is not a P-256 public key", "p256dh");
  detail::PkeyPtr sender = detail::p256FromPrivate(seed.senderPrivateKey);
  if (!sender) return makeError(ErrorCode::Internal, "bad ephemeral private key");
  std::optional<detail::P256Point> senderPublic = detail::exportPublic(sender.get());
  if (!senderPublic) return makeError(ErrorCode::Internal, "cannot export the ephemeral public key");

  // RFC 8291 section 3.3-3.4; the names follow the RFC's pseudocode.
  std::optional<std::array<uint8_t, 32>> ecdhSecret = detail::ecdh(sender.get(), receiver.get());
  if (!ecdhSecret) return makeError(ErrorCode::Internal, "ECDH failed");
  Wiped<std::array<uint8_t, 32>> secret{*ecdhSecret};
  OPENSSL_cleanse(ecdhSecret->data(), ecdhSecret->size());

  Bytes keyInfo;
  append(keyInfo, std::string_view("WebPush: info\0", 14));
  append(keyInfo, keys.p256dh);
  append(keyInfo, *senderPublic);
  std::optional<std::array<uint8_t, 32>> prkKey = detail::hkdfExtract(keys.auth, secret.value);
  std::optional<Bytes> ikm = prkKey ? detail::hkdfExpand(*prkKey, keyInfo, 32) : std::nullopt;
  std::optional<std::array<uint8_t, 32>> prk = ikm ? detail::hkdfExtract(seed.salt, *ikm) : std::nullopt;
  const std::string_view cekInfo("Content-Encoding: aes128gcm\0", 28);
  const std::string_view nonceInfo("Content-Encoding: nonce\0", 24);
  auto asBytes = [](std::string_view text) {
    return std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(text.data()), text.size());
  };
  std::optional<Bytes> cek = prk ? detail::hkdfExpand(*prk, asBytes(cekInfo), 16) : std::nullopt;
  std::optional<Bytes> nonce = prk ? detail::hkdfExpand(*prk, asBytes(nonceInfo), 12) : std::nullopt;
  if (!cek || !nonce) return makeError(ErrorCode::Internal, "key derivation failed");

  // RFC 8188 section 2: the last (here only) record ends with delimiter 0x02, no padding.
  Bytes record(plaintext.begin(), plaintext.end());
  record.push_back(0x02);
  std::optional<Bytes> sealed = detail::aes128GcmSeal(*cek, *nonce, record);
  OPENSSL_cleanse(record.data(), record.size());
  if (!sealed) return makeError(ErrorCode::Internal, "AES-128-GCM failed");

  // RFC 8188 section 2.1 header; RFC 8291 section 4 puts as_public in keyid.
  Bytes body;
  body.reserve(kPushHeaderSize + sealed->size());
  append(body, seed.salt);
  for (int shift = 24; shift >= 0; shift -= 8) body.push_back(static_cast<uint8_t>(kPushRecordSize >> shift));
  body.push_back(static_cast<uint8_t>(senderPublic->size()));
  append(body, *senderPublic);
  if (trace != nullptr) {
    trace->ecdhSecret.assign(secret.value.begin(), secret.value.end());
    trace->senderPublicKey.assign(senderPublic->begin(), senderPublic->end());
    trace->keyInfo = keyInfo;
    trace->prkKey.assign(prkKey->begin(), prkKey->end());
    trace->ikm = *ikm;
    trace->prk.assign(prk->begin(), prk->end());
    trace->cekInfo.assign(cekInfo.begin(), cekInfo.end());
    trace->cek = *cek;
    trace->nonceInfo.assign(nonceInfo.begin(), nonceInfo.end());
    trace->nonce = *nonce;
    trace->header = body;
  }
  OPENSSL_cleanse(prkKey->data(), prkKey->size());
  OPENSSL_cleanse(ikm->data(), ikm->size());
  OPENSSL_cleanse(prk->data(), prk->size());
  OPENSSL_cleanse(cek->data(), cek->size());
  append(body, *sealed);
  return body;
}

}  // namespace fluxmeet::push
