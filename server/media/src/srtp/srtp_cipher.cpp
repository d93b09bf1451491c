// SHA1_Init/Update/Final are deprecated in OpenSSL 3 in favour of EVP_MD, which allocates per
// message there (see srtp_cipher.hpp); they remain the zero-allocation way to HMAC-SHA1.
#define OPENSSL_SUPPRESS_DEPRECATED
#include "srtp_cipher.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

#include <algorithm>
#include <climits>

namespace fluxmeet::media::srtp {

// RFC 2104: H(K ^ opad || H(K ^ ipad || m)); the two keyed first blocks are hashed once here.
struct SrtpCipher::HmacState {
  SHA_CTX inner;
  SHA_CTX outer;
};

namespace {

bool fitsInt(size_t size) { return size <= static_cast<size_t>(INT_MAX); }

bool addAad(EVP_CIPHER_CTX* context, std::span<const uint8_t> aad) {
  int ignored = 0;
  return aad.empty() || (fitsInt(aad.size()) &&
                         EVP_CipherUpdate(context, nullptr, &ignored, aad.data(),
                                          static_cast<int>(aad.size())) == 1);
}

bool cryptInPlace(EVP_CIPHER_CTX* context, std::span<uint8_t> data) {
  int written = 0;
  return data.empty() || (fitsInt(data.size()) &&
                          EVP_CipherUpdate(context, data.data(), &written, data.data(),
                                           static_cast<int>(data.size())) == 1 &&
                          static_cast<size_t>(written) == data.size());
}

}  // namespace

Result<std::unique_ptr<SrtpCipher>> SrtpCipher::create(SrtpProfile profile,
                                                       const SrtpSessionKeys& keys,
                                                       bool encrypt) {
  const bool gcm = profile == SrtpProfile::AeadAes128Gcm;
  if (keys.encryptionKey.size() != 16 || keys.salt.size() != srtpSessionSaltLength(profile) ||
      keys.authKey.size() != srtpSessionAuthKeyLength(profile)) {
    return makeError(ErrorCode::InvalidRequest, "SRTP session key lengths do not match profile");
  }
  std::unique_ptr<SrtpCipher> cipher(new SrtpCipher());
  cipher->context_ = EVP_CIPHER_CTX_new();
  if (cipher->context_ == nullptr ||
      EVP_CipherInit_ex(cipher->context_, gcm ? EVP_aes_128_gcm() : EVP_aes_128_ctr(), nullptr,
                        keys.encryptionKey.data(), nullptr, gcm && !encrypt ? 0 : 1) != 1) {
    return makeError(ErrorCode::Internal, "EVP cipher initialisation failed");
  }
  std::copy(keys.salt.begin(), keys.salt.end(), cipher->salt_.begin());
  cipher->saltLength_ = keys.salt.size();

  if (!gcm) {
    // Keys longer than the 64-byte block would be hashed first; SRTP's are 20 bytes.
    std::array<uint8_t, SHA_CBLOCK> innerPad{};
    std::array<uint8_t, SHA_CBLOCK> outerPad{};
    for (size_t i = 0; i < SHA_CBLOCK; ++i) {
      const uint8_t keyByte = i < keys.authKey.size() ? keys.authKey[i] : 0;
      innerPad[i] = keyByte ^ 0x36;
      outerPad[i] = keyByte ^ 0x5C;
    }
    cipher->hmac_ = std::make_unique<HmacState>();
    SHA1_Init(&cipher->hmac_->inner);
    SHA1_Update(&cipher->hmac_->inner, innerPad.data(), innerPad.size());
    SHA1_Init(&cipher->hmac_->outer);
    SHA1_Update(&cipher->hmac_->outer, outerPad.data(), outerPad.size());
    OPENSSL_cleanse(innerPad.data(), innerPad.size());
    OPENSSL_cleanse(outerPad.data(), outerPad.size());
  }
  return cipher;
}

SrtpCipher::~SrtpCipher() {
  EVP_CIPHER_CTX_free(context_);  // clears the key schedule
  if (hmac_) OPENSSL_cleanse(hmac_.get(), sizeof(HmacState));
  OPENSSL_cleanse(salt_.data(), salt_.size());
}

bool SrtpCipher::aesCm(const std::array<uint8_t, 16>& iv, std::span<uint8_t> data) {
  // EVP's CTR mode increments the whole 128-bit block big-endian; RFC 3711's counter is the low
  // 16 bits of IV + i with the IV's low 16 bits zero, which agrees for packets < 2^16 blocks.
  return EVP_CipherInit_ex(context_, nullptr, nullptr, nullptr, iv.data(), -1) == 1 &&
         cryptInPlace(context_, data);
}

void SrtpCipher::hmacSha1(std::span<const uint8_t> first, std::span<const uint8_t> second,
                          std::array<uint8_t, kHmacSha1Length>& digest) {
  SHA_CTX context = hmac_->inner;
  SHA1_Update(&context, first.data(), first.size());
  if (!second.empty()) SHA1_Update(&context, second.data(), second.size());
  SHA1_Final(digest.data(), &context);
  context = hmac_->outer;
  SHA1_Update(&context, digest.data(), digest.size());
  SHA1_Final(digest.data(), &context);
  OPENSSL_cleanse(&context, sizeof(context));
}

bool SrtpCipher::gcmSeal(const std::array<uint8_t, 12>& iv, std::span<const uint8_t> aad,
                         std::span<const uint8_t> aadTail, std::span<uint8_t> data,
                         std::span<uint8_t, kGcmTagLength> tag) {
  int written = 0;
  uint8_t none[1];
  return EVP_CipherInit_ex(context_, nullptr, nullptr, nullptr, iv.data(), -1) == 1 &&
         addAad(context_, aad) && addAad(context_, aadTail) && cryptInPlace(context_, data) &&
         EVP_CipherFinal_ex(context_, none, &written) == 1 &&
         EVP_CIPHER_CTX_ctrl(context_, EVP_CTRL_GCM_GET_TAG, kGcmTagLength, tag.data()) == 1;
}

bool SrtpCipher::gcmOpen(const std::array<uint8_t, 12>& iv, std::span<const uint8_t> aad,
                         std::span<const uint8_t> aadTail, std::span<uint8_t> data,
                         std::span<const uint8_t, kGcmTagLength> tag) {
  int written = 0;
  uint8_t none[1];
  // EVP_CTRL_GCM_SET_TAG takes a non-const pointer but only reads it.
  return EVP_CipherInit_ex(context_, nullptr, nullptr, nullptr, iv.data(), -1) == 1 &&
         addAad(context_, aad) && addAad(context_, aadTail) && cryptInPlace(context_, data) &&
         EVP_CIPHER_CTX_ctrl(context_, EVP_CTRL_GCM_SET_TAG, kGcmTagLength,
                             const_cast<uint8_t*>(tag.data())) == 1 &&
         EVP_CipherFinal_ex(context_, none, &written) == 1;
}

}  // namespace fluxmeet::media::srtp
