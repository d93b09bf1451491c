#include "fluxmeet/media/dtls/dtls_certificate.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/x509.h>

#include <cstdio>
#include <ctime>
#include <regex>

namespace fluxmeet::media::dtls {
namespace {

// Independent of the production code: raw X509_digest, then "%02X" with ':' separators, the
// way `openssl x509 -noout -fingerprint -sha256` prints it.
std::string opensslStyleFingerprint(X509* certificate, const EVP_MD* digest) {
  unsigned char hash[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EXPECT_EQ(X509_digest(certificate, digest, hash, &length), 1);
  std::string text;
  for (unsigned int i = 0; i < length; ++i) {
    char pair[4];
    std::snprintf(pair, sizeof(pair), i == 0 ? "%02X" : ":%02X", hash[i]);
    text += pair;
  }
  return text;
}

class DtlsCertificateTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { certificate_ = DtlsCertificate::generate().value(); }
  static void TearDownTestSuite() { certificate_.reset(); }
  static std::shared_ptr<DtlsCertificate> certificate_;
};
std::shared_ptr<DtlsCertificate> DtlsCertificateTest::certificate_;

TEST_F(DtlsCertificateTest, FingerprintIsUpperCaseHexPairsOfSha256) {
  const std::string& fingerprint = certificate_->fingerprintSha256();
  EXPECT_TRUE(std::regex_match(fingerprint, std::regex("^([0-9A-F]{2}:){31}[0-9A-F]{2}$")))
      << fingerprint;
  EXPECT_EQ(fingerprint, opensslStyleFingerprint(certificate_->x509(), EVP_sha256()));
}

TEST_F(DtlsCertificateTest, FingerprintOfOtherHashesAndUnknownNames) {
  Result<std::string> sha1 = DtlsCertificate::fingerprint(certificate_->x509(), "SHA-1");
  ASSERT_TRUE(sha1.ok());
  EXPECT_EQ(sha1.value(), opensslStyleFingerprint(certificate_->x509(), EVP_sha1()));
  Result<std::string> sha512 = DtlsCertificate::fingerprint(certificate_->x509(), "sha-512");
  ASSERT_TRUE(sha512.ok());
  EXPECT_EQ(sha512.value().size(), 64u * 3 - 1);
  EXPECT_FALSE(DtlsCertificate::fingerprint(certificate_->x509(), "md5").ok());
  EXPECT_FALSE(DtlsCertificate::fingerprint(certificate_->x509(), "sha256").ok());
}

TEST_F(DtlsCertificateTest, IsSelfSignedEcdsaP256WithCommonNameFluxmeet) {
  EVP_PKEY* key = certificate_->privateKey();
  ASSERT_NE(key, nullptr);
  EXPECT_TRUE(EVP_PKEY_is_a(key, "EC"));
  char group[32] = {};
  size_t groupLength = 0;
  ASSERT_EQ(EVP_PKEY_get_utf8_string_param(key, "group", group, sizeof(group), &groupLength), 1);
  EXPECT_STREQ(group, "prime256v1");

  X509* x509 = certificate_->x509();
  EXPECT_EQ(X509_get_version(x509), 2);  // v3
  EXPECT_EQ(X509_verify(x509, key), 1);  // signed by its own key
  EXPECT_EQ(X509_get_signature_nid(x509), NID_ecdsa_with_SHA256);
  char commonName[64] = {};
  X509_NAME_get_text_by_NID(X509_get_subject_name(x509), NID_commonName, commonName,
                            sizeof(commonName));
  EXPECT_STREQ(commonName, "fluxmeet");
  EXPECT_EQ(X509_NAME_cmp(X509_get_subject_name(x509), X509_get_issuer_name(x509)), 0);
  EXPECT_NE(certificate_->sslContext(), nullptr);
}

TEST_F(DtlsCertificateTest, ValidForThirtyDays) {
  X509* x509 = certificate_->x509();
  std::time_t now = std::time(nullptr);
  std::time_t in29Days = now + 29 * 86400;
  std::time_t in31Days = now + 31 * 86400;
  EXPECT_LT(X509_cmp_time(X509_get0_notBefore(x509), &now), 0);
  EXPECT_GT(X509_cmp_time(X509_get0_notAfter(x509), &in29Days), 0);
  EXPECT_LT(X509_cmp_time(X509_get0_notAfter(x509), &in31Days), 0);
}

TEST_F(DtlsCertificateTest, EachGenerationHasItsOwnKeySerialAndFingerprint) {
  std::shared_ptr<DtlsCertificate> other = DtlsCertificate::generate().value();
  EXPECT_NE(other->fingerprintSha256(), certificate_->fingerprintSha256());
  EXPECT_NE(ASN1_INTEGER_cmp(X509_get0_serialNumber(other->x509()),
                             X509_get0_serialNumber(certificate_->x509())),
            0);
  EXPECT_NE(EVP_PKEY_eq(other->privateKey(), certificate_->privateKey()), 1);
}

}  // namespace
}  // namespace fluxmeet::media::dtls
