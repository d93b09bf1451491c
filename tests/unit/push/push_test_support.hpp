#pragma once
// The other ends of Web Push, written independently of server/push so the tests do not check
// the module against itself: the user agent's side of RFC 8291 (decrypting a message with the
// subscription's private key, HKDF spelled out as HMAC-SHA-256 per RFC 5869) and a JWS ES256
// verifier (RFC 7518 section 3.4). Keys are imported from DER built by hand rather than through
// the module's EVP_PKEY_fromdata path.
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "fluxmeet/common/encoding.hpp"

namespace fluxmeet::push::test {

using Bytes = std::vector<uint8_t>;

inline Bytes b64(std::string_view text) {
  std::optional<Bytes> bytes = base64UrlDecode(text);
  return bytes ? *bytes : Bytes{};
}

inline Bytes bytesOf(std::string_view text) { return Bytes(text.begin(), text.end()); }

struct PkeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

// SubjectPublicKeyInfo for id-ecPublicKey / prime256v1 (RFC 5480) followed by the 65-byte point.
inline Pkey publicKeyFromPoint(std::span<const uint8_t> point) {
  static constexpr uint8_t kSpkiPrefix[] = {0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d,
                                            0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01,
                                            0x07, 0x03, 0x42, 0x00};
  if (point.size() != 65) return nullptr;
  Bytes der(std::begin(kSpkiPrefix), std::end(kSpkiPrefix));
  der.insert(der.end(), point.begin(), point.end());
  const unsigned char* cursor = der.data();
  return Pkey(d2i_PUBKEY(nullptr, &cursor, static_cast<long>(der.size())));
}

// SEC 1 ECPrivateKey (RFC 5915) with the curve and public key.
inline Pkey privateKeyFromScalar(std::span<const uint8_t> scalar, std::span<const uint8_t> point) {
  if (scalar.size() != 32 || point.size() != 65) return nullptr;
  Bytes der = {0x30, 0x77, 0x02, 0x01, 0x01, 0x04, 0x20};
  der.insert(der.end(), scalar.begin(), scalar.end());
  const uint8_t curve[] = {0xa0, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07,
                           0xa1, 0x44, 0x03, 0x42, 0x00};
  der.insert(der.end(), std::begin(curve), std::end(curve));
  der.insert(der.end(), point.begin(), point.end());
  const unsigned char* cursor = der.data();
  return Pkey(d2i_PrivateKey(EVP_PKEY_EC, nullptr, &cursor, static_cast<long>(der.size())));
}

inline Bytes publicPointOf(EVP_PKEY* key) {
  Bytes point(65);
  size_t length = 0;
  if (EVP_PKEY_get_octet_string_param(key, "encoded-pub-key", point.data(), point.size(), &length) != 1) return {};
  point.resize(length);
  return point;
}

// A browser's push subscription keys: the ECDH key pair and the auth secret.
struct UserAgent {
  Pkey key;
  Bytes p256dh;  // 65-byte public point
  Bytes auth;    // 16 bytes

  static UserAgent generate() {
    UserAgent agent;
    agent.key.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
    agent.p256dh = publicPointOf(agent.key.get());
    agent.auth.resize(16);
    RAND_bytes(agent.auth.data(), static_cast<int>(agent.auth.size()));
    return agent;
  }
  std::string p256dhBase64Url() const { return base64UrlEncode(p256dh); }
  std::string authBase64Url() const { return base64UrlEncode(auth); }
};

inline Bytes hmacSha256(std::span<const uint8_t> key, std::span<const uint8_t> data) {
  Bytes out(32);
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), data.data(), data.size(), out.data(), &length);
  out.resize(length);
  return out;
}

// HKDF-Expand for output of at most one hash block: T(1) = HMAC(PRK, info || 0x01).
inline Bytes hkdfExpandOneBlock(std::span<const uint8_t> prk, Bytes info, size_t length) {
  info.push_back(0x01);
  Bytes block = hmacSha256(prk, info);
  block.resize(length);
  return block;
}

inline std::optional<Bytes> ecdhSecret(EVP_PKEY* own, EVP_PKEY* peer) {
  std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(EVP_PKEY_CTX_new(own, nullptr),
                                                                   EVP_PKEY_CTX_free);
  size_t length = 32;
  Bytes secret(length);
  if (!ctx || EVP_PKEY_derive_init(ctx.get()) != 1 || EVP_PKEY_derive_set_peer(ctx.get(), peer) != 1 ||
      EVP_PKEY_derive(ctx.get(), secret.data(), &length) != 1) {
    return std::nullopt;
  }
  secret.resize(length);
  return secret;
}

// RFC 8291 section 3.4 from the user agent's side plus RFC 8188 record parsing, for a body of
// exactly one record. Returns the plaintext with the padding and delimiter removed.
inline std::optional<Bytes> decryptPushBody(std::span<const uint8_t> body, EVP_PKEY* uaKey,
                                            std::span<const uint8_t> uaPublic, std::span<const uint8_t> auth) {
  if (body.size() < 21) return std::nullopt;
  std::span<const uint8_t> salt = body.subspan(0, 16);
  uint32_t rs = (uint32_t{body[16]} << 24) | (uint32_t{body[17]} << 16) | (uint32_t{body[18]} << 8) | body[19];
  size_t idlen = body[20];
  if (idlen != 65 || body.size() < 21 + idlen + 17) return std::nullopt;
  std::span<const uint8_t> asPublic = body.subspan(21, idlen);
  std::span<const uint8_t> record = body.subspan(21 + idlen);
  if (record.size() > rs) return std::nullopt;  // one record only

  Pkey sender = publicKeyFromPoint(asPublic);
  if (!sender) return std::nullopt;
  std::optional<Bytes> secret = ecdhSecret(uaKey, sender.get());
  if (!secret) return std::nullopt;
  Bytes keyInfo = bytesOf(std::string_view("WebPush: info\0", 14));
  keyInfo.insert(keyInfo.end(), uaPublic.begin(), uaPublic.end());
  keyInfo.insert(keyInfo.end(), asPublic.begin(), asPublic.end());
  Bytes prkKey = hmacSha256(auth, *secret);
  Bytes ikm = hkdfExpandOneBlock(prkKey, keyInfo, 32);
  Bytes prk = hmacSha256(salt, ikm);
  Bytes cek = hkdfExpandOneBlock(prk, bytesOf(std::string_view("Content-Encoding: aes128gcm\0", 28)), 16);
  Bytes nonce = hkdfExpandOneBlock(prk, bytesOf(std::string_view("Content-Encoding: nonce\0", 24)), 12);

  std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  size_t cipherLength = record.size() - 16;
  Bytes padded(cipherLength);
  int written = 0;
  int finalWritten = 0;
  Bytes tag(record.end() - 16, record.end());
  if (EVP_DecryptInit_ex(ctx.get(), EVP_aes_128_gcm(), nullptr, cek.data(), nonce.data()) != 1 ||
      EVP_DecryptUpdate(ctx.get(), padded.data(), &written, record.data(), static_cast<int>(cipherLength)) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, 16, tag.data()) != 1 ||
      EVP_DecryptFinal_ex(ctx.get(), padded.data() + written, &finalWritten) != 1) {
    return std::nullopt;
  }
  // RFC 8188 section 2: strip zero padding back to the delimiter; the last record's is 0x02.
  while (!padded.empty() && padded.back() == 0x00) padded.pop_back();
  if (padded.empty() || padded.back() != 0x02) return std::nullopt;
  padded.pop_back();
  return padded;
}

// JWS ES256 verification: the 64-byte R || S signature re-encoded as the DER that OpenSSL takes.
inline bool verifyEs256(std::span<const uint8_t> publicPoint, std::string_view signingInput,
                        std::span<const uint8_t> rawSignature) {
  if (rawSignature.size() != 64) return false;
  Pkey key = publicKeyFromPoint(publicPoint);
  if (!key) return false;
  ECDSA_SIG* sig = ECDSA_SIG_new();
  BIGNUM* r = BN_bin2bn(rawSignature.data(), 32, nullptr);
  BIGNUM* s = BN_bin2bn(rawSignature.data() + 32, 32, nullptr);
  ECDSA_SIG_set0(sig, r, s);
  unsigned char* der = nullptr;
  int derLength = i2d_ECDSA_SIG(sig, &der);
  ECDSA_SIG_free(sig);
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  bool ok = derLength > 0 && EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()) == 1 &&
            EVP_DigestVerify(ctx.get(), der, static_cast<size_t>(derLength),
                             reinterpret_cast<const unsigned char*>(signingInput.data()), signingInput.size()) == 1;
  OPENSSL_free(der);
  return ok;
}

// The parts of "vapid t=<header>.<claims>.<signature>, k=<key>".
struct VapidHeaderParts {
  std::string jwtHeader;  // decoded JSON
  std::string claims;     // decoded JSON
  std::string signingInput;
  Bytes signature;
  std::string key;        // base64url as sent
};

inline std::optional<VapidHeaderParts> splitVapidHeader(std::string_view value) {
  constexpr std::string_view kPrefix = "vapid t=";
  constexpr std::string_view kKey = ", k=";
  if (!value.starts_with(kPrefix)) return std::nullopt;
  size_t keyAt = value.find(kKey);
  if (keyAt == std::string_view::npos) return std::nullopt;
  std::string_view jwt = value.substr(kPrefix.size(), keyAt - kPrefix.size());
  size_t dot1 = jwt.find('.');
  size_t dot2 = jwt.rfind('.');
  if (dot1 == std::string_view::npos || dot1 == dot2) return std::nullopt;
  std::optional<Bytes> header = base64UrlDecode(jwt.substr(0, dot1));
  std::optional<Bytes> claims = base64UrlDecode(jwt.substr(dot1 + 1, dot2 - dot1 - 1));
  std::optional<Bytes> signature = base64UrlDecode(jwt.substr(dot2 + 1));
  if (!header || !claims || !signature) return std::nullopt;
  return VapidHeaderParts{std::string(header->begin(), header->end()), std::string(claims->begin(), claims->end()),
                          std::string(jwt.substr(0, dot2)), *signature,
                          std::string(value.substr(keyAt + kKey.size()))};
}

}  // namespace fluxmeet::push::test
