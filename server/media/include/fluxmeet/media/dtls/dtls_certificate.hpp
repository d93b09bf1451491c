#pragma once
// The process's DTLS identity: one ECDSA P-256 key and a self-signed X.509 certificate, and the
// one SSL_CTX (DTLS 1.2, use_srtp) that every DtlsTransport of either role creates its SSL from.
// WebRTC authenticates DTLS peers by the certificate fingerprint exchanged over signaling
// (RFC 8827 section 6.5, RFC 8122 section 5), not by a CA chain, so a throwaway self-signed
// certificate is all a server needs (https://www.rfc-editor.org/rfc/rfc8827#section-6.5,
// https://www.rfc-editor.org/rfc/rfc8122#section-5).
//
// Generate once at start-up and share (std::shared_ptr) across media workers: the certificate
// and the SSL_CTX are read-only after generate(), and SSL_new on a shared SSL_CTX is thread-safe.
#include <openssl/types.h>

#include <memory>
#include <string>
#include <string_view>

#include "fluxmeet/common/result.hpp"

namespace fluxmeet::media::dtls {

class DtlsCertificate {
 public:
  // A fresh key pair and certificate: CN "fluxmeet", random 64-bit serial, valid from one day
  // ago (peer clock skew) to 30 days from now, signed with ECDSA-SHA256.
  static Result<std::shared_ptr<DtlsCertificate>> generate();

  // "AB:CD:..." - 32 upper-case hex pairs of SHA-256 over the DER certificate, the form of SDP's
  // a=fingerprint (RFC 8122 section 5) and mediasoup-client's DtlsParameters
  // {algorithm: "sha-256", value}.
  const std::string& fingerprintSha256() const { return fingerprintSha256_; }

  // The same form for any certificate and any hash named as RFC 8122 section 5 names it
  // ("sha-1", "sha-224", "sha-256", "sha-384", "sha-512", case-insensitive). Fails for other
  // names.
  static Result<std::string> fingerprint(X509* certificate, std::string_view algorithm);

  X509* x509() const { return certificate_.get(); }
  EVP_PKEY* privateKey() const { return key_.get(); }
  SSL_CTX* sslContext() const { return context_.get(); }

  ~DtlsCertificate();
  DtlsCertificate(const DtlsCertificate&) = delete;
  DtlsCertificate& operator=(const DtlsCertificate&) = delete;

 private:
  struct KeyDeleter { void operator()(EVP_PKEY* key) const; };
  struct X509Deleter { void operator()(X509* certificate) const; };
  struct ContextDeleter { void operator()(SSL_CTX* context) const; };

  DtlsCertificate() = default;

  std::unique_ptr<EVP_PKEY, KeyDeleter> key_;
  std::unique_ptr<X509, X509Deleter> certificate_;
  std::unique_ptr<SSL_CTX, ContextDeleter> context_;
  std::string fingerprintSha256_;
};

}  // namespace fluxmeet::media::dtls
