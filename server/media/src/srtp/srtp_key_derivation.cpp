#include "fluxmeet/media/srtp/srtp_key_derivation.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <array>
#include <memory>
#include <string>

namespace fluxmeet::media::srtp {
namespace {

constexpr size_t kPrfSaltLength = 14;  // 112 bits, RFC 3711 section 4.3.1

struct CipherContextDeleter {
  void operator()(EVP_CIPHER_CTX* context) const { EVP_CIPHER_CTX_free(context); }
};

// RFC 3711 section 4.3.1: key_id = label || r with r = 0 (48 bits), x = key_id XOR master_salt,
// and the session key is the first `length` bytes of AES-CM(master_key, IV = x * 2^16).
bool prf(const std::vector<uint8_t>& masterKey, const std::vector<uint8_t>& masterSalt,
         uint8_t label, size_t length, std::vector<uint8_t>& out) {
  std::array<uint8_t, 16> iv{};
  std::copy(masterSalt.begin(), masterSalt.end(), iv.begin());  // zero-padded when 12 bytes
  iv[kPrfSaltLength - 7] ^= label;  // key_id is 56 bits, right-aligned in the 112-bit salt

  std::unique_ptr<EVP_CIPHER_CTX, CipherContextDeleter> context(EVP_CIPHER_CTX_new());
  out.assign(length, 0);
  int written = 0;
  return context &&
         EVP_EncryptInit_ex(context.get(), EVP_aes_128_ctr(), nullptr, masterKey.data(),
                            iv.data()) == 1 &&
         EVP_EncryptUpdate(context.get(), out.data(), &written, out.data(),
                           static_cast<int>(out.size())) == 1 &&
         static_cast<size_t>(written) == length;
}

}  // namespace

size_t srtpSessionSaltLength(SrtpProfile profile) {
  return profile == SrtpProfile::AeadAes128Gcm ? 12 : 14;
}

size_t srtpSessionAuthKeyLength(SrtpProfile profile) {
  return profile == SrtpProfile::AeadAes128Gcm ? 0 : 20;
}

Result<SrtpSessionKeys> deriveSrtpSessionKeys(SrtpProfile profile, const SrtpKeys& master,
                                              SrtpKeyUse use) {
  if (master.key.size() != srtpMasterKeyLength(profile) ||
      master.salt.size() != srtpMasterSaltLength(profile) || master.salt.size() > kPrfSaltLength) {
    return makeError(ErrorCode::InvalidRequest, "SRTP key/salt length does not match " +
                                                    std::string(srtpProfileName(profile)));
  }
  // RFC 3711 section 4.3.2: labels 0x00/0x01/0x02 for SRTP, 0x03/0x04/0x05 for SRTCP.
  const uint8_t base = use == SrtpKeyUse::Rtp ? 0x00 : 0x03;
  SrtpSessionKeys keys;
  bool ok = prf(master.key, master.salt, base, master.key.size(), keys.encryptionKey) &&
            prf(master.key, master.salt, base + 2, srtpSessionSaltLength(profile), keys.salt);
  if (ok && srtpSessionAuthKeyLength(profile) > 0) {
    ok = prf(master.key, master.salt, base + 1, srtpSessionAuthKeyLength(profile), keys.authKey);
  }
  if (!ok) return makeError(ErrorCode::Internal, "SRTP key derivation failed");
  return keys;
}

}  // namespace fluxmeet::media::srtp
