#include "p256.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/kdf.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>

#include <cstring>

namespace fluxmeet::push::detail {
namespace {

// "prime256v1" is OpenSSL's name for P-256 / secp256r1.
constexpr char kGroupName[] = "prime256v1";

template <class T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX, EVP_MD_CTX_free>>;
using CipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, Deleter<EVP_CIPHER_CTX, EVP_CIPHER_CTX_free>>;
using KdfPtr = std::unique_ptr<EVP_KDF, Deleter<EVP_KDF, EVP_KDF_free>>;
using KdfCtxPtr = std::unique_ptr<EVP_KDF_CTX, Deleter<EVP_KDF_CTX, EVP_KDF_CTX_free>>;
using BnPtr = std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_clear_free>>;
using BnCtxPtr = std::unique_ptr<BN_CTX, Deleter<BN_CTX, BN_CTX_free>>;
using GroupPtr = std::unique_ptr<EC_GROUP, Deleter<EC_GROUP, EC_GROUP_free>>;
using PointPtr = std::unique_ptr<EC_POINT, Deleter<EC_POINT, EC_POINT_free>>;
using ParamBldPtr = std::unique_ptr<OSSL_PARAM_BLD, Deleter<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free>>;
using ParamsPtr = std::unique_ptr<OSSL_PARAM, Deleter<OSSL_PARAM, OSSL_PARAM_free>>;
using EcdsaSigPtr = std::unique_ptr<ECDSA_SIG, Deleter<ECDSA_SIG, ECDSA_SIG_free>>;

PkeyPtr fromData(OSSL_PARAM_BLD* builder, int selection) {
  ParamsPtr params(OSSL_PARAM_BLD_to_param(builder));
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) <= 0) return nullptr;
  EVP_PKEY* key = nullptr;
  if (EVP_PKEY_fromdata(ctx.get(), &key, selection, params.get()) <= 0) return nullptr;
  return PkeyPtr(key);
}

// Uncompressed encoding of d * G, or nullopt if d is not in [1, n-1].
std::optional<P256Point> publicPointOf(const BIGNUM* d) {
  GroupPtr group(EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1));
  BnCtxPtr bnCtx(BN_CTX_new());
  if (!group || !bnCtx) return std::nullopt;
  if (BN_is_zero(d) || BN_is_negative(d) || BN_cmp(d, EC_GROUP_get0_order(group.get())) >= 0) return std::nullopt;
  PointPtr point(EC_POINT_new(group.get()));
  if (!point || EC_POINT_mul(group.get(), point.get(), d, nullptr, nullptr, bnCtx.get()) != 1) return std::nullopt;
  P256Point out{};
  if (EC_POINT_point2oct(group.get(), point.get(), POINT_CONVERSION_UNCOMPRESSED, out.data(), out.size(),
                         bnCtx.get()) != out.size()) {
    return std::nullopt;
  }
  return out;
}

}  // namespace

PkeyPtr generateP256() { return PkeyPtr(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256")); }

PkeyPtr p256FromPrivate(std::span<const uint8_t> scalar) {
  if (scalar.size() != kP256ScalarSize) return nullptr;
  BnPtr d(BN_bin2bn(scalar.data(), static_cast<int>(scalar.size()), nullptr));
  if (!d) return nullptr;
  std::optional<P256Point> point = publicPointOf(d.get());
  ParamBldPtr builder(OSSL_PARAM_BLD_new());
  if (!point || !builder) return nullptr;
  if (OSSL_PARAM_BLD_push_utf8_string(builder.get(), OSSL_PKEY_PARAM_GROUP_NAME, kGroupName, 0) != 1 ||
      OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_PRIV_KEY, d.get()) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY, point->data(), point->size()) != 1) {
    return nullptr;
  }
  return fromData(builder.get(), EVP_PKEY_KEYPAIR);
}

PkeyPtr p256FromPublic(std::span<const uint8_t> point) {
  // Only the uncompressed form: it is what PushSubscription.getKey("p256dh") returns.
  if (point.size() != kP256PointSize || point[0] != 0x04) return nullptr;
  ParamBldPtr builder(OSSL_PARAM_BLD_new());
  if (!builder ||
      OSSL_PARAM_BLD_push_utf8_string(builder.get(), OSSL_PKEY_PARAM_GROUP_NAME, kGroupName, 0) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()) != 1) {
    return nullptr;
  }
  PkeyPtr key = fromData(builder.get(), EVP_PKEY_PUBLIC_KEY);
  if (!key) return nullptr;
  // Decoding already refuses points off the curve; the explicit check keeps that a stated
  // property rather than a provider detail (an invalid peer point leaks the ECDH key).
  PkeyCtxPtr check(EVP_PKEY_CTX_new_from_pkey(nullptr, key.get(), nullptr));
  if (!check || EVP_PKEY_public_check(check.get()) != 1) return nullptr;
  return key;
}

std::optional<P256Point> exportPublic(const EVP_PKEY* key) {
  P256Point out{};
  size_t length = 0;
  if (EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_PUB_KEY, out.data(), out.size(), &length) != 1 ||
      length != out.size() || out[0] != 0x04) {
    return std::nullopt;
  }
  return out;
}

std::optional<P256Scalar> exportPrivate(const EVP_PKEY* key) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_PRIV_KEY, &raw) != 1) return std::nullopt;
  BnPtr d(raw);
  P256Scalar out{};
  if (BN_bn2binpad(d.get(), out.data(), static_cast<int>(out.size())) != static_cast<int>(out.size())) {
    return std::nullopt;
  }
  return out;
}

std::optional<std::array<uint8_t, 32>> ecdh(EVP_PKEY* own, EVP_PKEY* peer) {
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, own, nullptr));
  if (!ctx || EVP_PKEY_derive_init(ctx.get()) <= 0 || EVP_PKEY_derive_set_peer(ctx.get(), peer) <= 0) {
    return std::nullopt;
  }
  std::array<uint8_t, 32> secret{};
  size_t length = secret.size();
  if (EVP_PKEY_derive(ctx.get(), secret.data(), &length) <= 0 || length != secret.size()) return std::nullopt;
  return secret;
}

namespace {

bool hkdf(int mode, std::span<const uint8_t> key, std::span<const uint8_t> saltOrInfo, std::span<uint8_t> out) {
  KdfPtr kdf(EVP_KDF_fetch(nullptr, "HKDF", nullptr));
  if (!kdf) return false;
  KdfCtxPtr ctx(EVP_KDF_CTX_new(kdf.get()));
  if (!ctx) return false;
  char digest[] = "SHA256";
  // OSSL_PARAM takes non-const pointers but only reads through them.
  auto* keyData = const_cast<uint8_t*>(key.data());
  auto* extraData = const_cast<uint8_t*>(saltOrInfo.data());
  const char* extraName = mode == EVP_KDF_HKDF_MODE_EXTRACT_ONLY ? OSSL_KDF_PARAM_SALT : OSSL_KDF_PARAM_INFO;
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0),
      OSSL_PARAM_construct_int(OSSL_KDF_PARAM_MODE, &mode),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, keyData, key.size()),
      OSSL_PARAM_construct_octet_string(extraName, extraData, saltOrInfo.size()),
      OSSL_PARAM_construct_end(),
  };
  return EVP_KDF_derive(ctx.get(), out.data(), out.size(), params) == 1;
}

}  // namespace

std::optional<std::array<uint8_t, 32>> hkdfExtract(std::span<const uint8_t> salt, std::span<const uint8_t> ikm) {
  std::array<uint8_t, 32> prk{};
  if (!hkdf(EVP_KDF_HKDF_MODE_EXTRACT_ONLY, ikm, salt, prk)) return std::nullopt;
  return prk;
}

std::optional<std::vector<uint8_t>> hkdfExpand(std::span<const uint8_t> prk, std::span<const uint8_t> info,
                                               size_t length) {
  std::vector<uint8_t> out(length);
  if (!hkdf(EVP_KDF_HKDF_MODE_EXPAND_ONLY, prk, info, out)) return std::nullopt;
  return out;
}

std::optional<std::vector<uint8_t>> aes128GcmSeal(std::span<const uint8_t> key, std::span<const uint8_t> nonce,
                                                  std::span<const uint8_t> plaintext) {
  constexpr size_t kTagSize = 16;
  if (key.size() != 16 || nonce.size() != 12) return std::nullopt;
  CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_128_gcm(), nullptr, key.data(), nonce.data()) != 1) {
    return std::nullopt;
  }
  std::vector<uint8_t> out(plaintext.size() + kTagSize);
  int written = 0;
  if (EVP_EncryptUpdate(ctx.get(), out.data(), &written, plaintext.data(), static_cast<int>(plaintext.size())) != 1) {
    return std::nullopt;
  }
  int finalWritten = 0;
  if (EVP_EncryptFinal_ex(ctx.get(), out.data() + written, &finalWritten) != 1 ||
      static_cast<size_t>(written + finalWritten) != plaintext.size()) {
    return std::nullopt;
  }
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagSize, out.data() + plaintext.size()) != 1) {
    return std::nullopt;
  }
  return out;
}

std::optional<std::array<uint8_t, 64>> signEs256(EVP_PKEY* key, std::string_view input) {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) != 1) return std::nullopt;
  const auto* data = reinterpret_cast<const unsigned char*>(input.data());
  size_t derLength = 0;
  if (EVP_DigestSign(ctx.get(), nullptr, &derLength, data, input.size()) != 1) return std::nullopt;
  std::vector<unsigned char> der(derLength);
  if (EVP_DigestSign(ctx.get(), der.data(), &derLength, data, input.size()) != 1) return std::nullopt;
  const unsigned char* cursor = der.data();
  EcdsaSigPtr sig(d2i_ECDSA_SIG(nullptr, &cursor, static_cast<long>(derLength)));
  if (!sig) return std::nullopt;
  const BIGNUM* r = nullptr;
  const BIGNUM* s = nullptr;
  ECDSA_SIG_get0(sig.get(), &r, &s);
  std::array<uint8_t, 64> raw{};
  if (BN_bn2binpad(r, raw.data(), 32) != 32 || BN_bn2binpad(s, raw.data() + 32, 32) != 32) return std::nullopt;
  return raw;
}

}  // namespace fluxmeet::push::detail
