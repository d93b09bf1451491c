#include "fluxmeet/media/dtls/dtls_certificate.hpp"

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <algorithm>
#include <cctype>

#include "dtls_context.hpp"

namespace fluxmeet::media::dtls {
namespace {

constexpr long kOneDaySeconds = 24L * 60 * 60;
constexpr long kValidityDays = 30;

// RFC 8122 section 5 hash names ("sha-256") to OpenSSL digests.
const EVP_MD* digestByName(std::string_view algorithm) {
  std::string lower(algorithm);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower == "sha-1") return EVP_sha1();
  if (lower == "sha-224") return EVP_sha224();
  if (lower == "sha-256") return EVP_sha256();
  if (lower == "sha-384") return EVP_sha384();
  if (lower == "sha-512") return EVP_sha512();
  return nullptr;
}

Result<void> setRandomSerial(X509* certificate) {
  std::unique_ptr<BIGNUM, decltype(&BN_free)> serial(BN_new(), BN_free);
  // 63 random bits with the top bit clear keeps the DER INTEGER positive and at most 8 bytes.
  if (!serial || BN_rand(serial.get(), 63, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) != 1 ||
      BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(certificate)) == nullptr) {
    return makeError(ErrorCode::Internal, takeOpenSslErrors("certificate serial"));
  }
  return {};
}

Result<void> fillCertificate(X509* certificate, EVP_PKEY* key) {
  if (X509_set_version(certificate, 2) != 1) {  // v3
    return makeError(ErrorCode::Internal, takeOpenSslErrors("X509_set_version"));
  }
  if (Result<void> serial = setRandomSerial(certificate); !serial) return serial;
  if (X509_gmtime_adj(X509_getm_notBefore(certificate), -kOneDaySeconds) == nullptr ||
      X509_gmtime_adj(X509_getm_notAfter(certificate), kValidityDays * kOneDaySeconds) ==
          nullptr) {
    return makeError(ErrorCode::Internal, takeOpenSslErrors("certificate validity"));
  }
  X509_NAME* name = X509_get_subject_name(certificate);
  const auto* commonName = reinterpret_cast<const unsigned char*>("fluxmeet");
  if (X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, commonName, -1, -1, 0) != 1 ||
      X509_set_issuer_name(certificate, name) != 1 || X509_set_pubkey(certificate, key) != 1 ||
      X509_sign(certificate, key, EVP_sha256()) == 0) {
    return makeError(ErrorCode::Internal, takeOpenSslErrors("certificate signing"));
  }
  return {};
}

}  // namespace

void DtlsCertificate::KeyDeleter::operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
void DtlsCertificate::X509Deleter::operator()(X509* certificate) const { X509_free(certificate); }
void DtlsCertificate::ContextDeleter::operator()(SSL_CTX* context) const {
  SSL_CTX_free(context);
}

DtlsCertificate::~DtlsCertificate() = default;

Result<std::shared_ptr<DtlsCertificate>> DtlsCertificate::generate() {
  ERR_clear_error();
  std::shared_ptr<DtlsCertificate> result(new DtlsCertificate());

  // ECDSA P-256: what browsers generate for RTCCertificate by default, and a certificate small
  // enough that the whole server flight fits in one 1200-byte datagram.
  result->key_.reset(EVP_EC_gen("P-256"));
  if (!result->key_) return makeError(ErrorCode::Internal, takeOpenSslErrors("EVP_EC_gen"));
  result->certificate_.reset(X509_new());
  if (!result->certificate_) return makeError(ErrorCode::Internal, takeOpenSslErrors("X509_new"));
  if (Result<void> filled = fillCertificate(result->certificate_.get(), result->key_.get());
      !filled) {
    return std::move(filled).takeError();
  }

  Result<std::string> fingerprint = DtlsCertificate::fingerprint(result->x509(), "sha-256");
  if (!fingerprint) return std::move(fingerprint).takeError();
  result->fingerprintSha256_ = std::move(fingerprint.value());

  Result<SSL_CTX*> context = createDtlsContext(result->x509(), result->privateKey());
  if (!context) return std::move(context).takeError();
  result->context_.reset(context.value());
  return result;
}

Result<std::string> DtlsCertificate::fingerprint(X509* certificate, std::string_view algorithm) {
  const EVP_MD* digest = digestByName(algorithm);
  if (digest == nullptr) {
    return makeError(ErrorCode::ValidationFailed,
                     "unsupported fingerprint algorithm '" + std::string(algorithm) + "'",
                     "algorithm");
  }
  unsigned char hash[EVP_MAX_MD_SIZE];
  unsigned int hashLength = 0;
  if (certificate == nullptr || X509_digest(certificate, digest, hash, &hashLength) != 1) {
    return makeError(ErrorCode::Internal, takeOpenSslErrors("X509_digest"));
  }
  // RFC 8122 section 5: upper-case hex pairs separated by colons.
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string text;
  text.reserve(hashLength * 3);
  for (unsigned int i = 0; i < hashLength; ++i) {
    if (i != 0) text += ':';
    text += kHex[hash[i] >> 4];
    text += kHex[hash[i] & 0x0F];
  }
  return text;
}

}  // namespace fluxmeet::media::dtls
