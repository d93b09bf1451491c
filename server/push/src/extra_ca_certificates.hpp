#pragma once
// ExtraCaCertificates: PEM certificates the push sender trusts besides the system's CA store
// (PUSH_CA_FILE: a private push service, or a test's self-signed one). Loaded once; libcurl's
// CURLOPT_SSL_CTX_FUNCTION adds them to each TLS context after it loaded the system's, so the
// public push services keep working.
#include <curl/curl.h>
#include <openssl/x509.h>

#include <memory>
#include <string>
#include <vector>

#include "fluxmeet/common/result.hpp"

namespace fluxmeet::push {

class ExtraCaCertificates {
 public:
  // ValidationFailed (field "extraCaFile") when the file cannot be read or holds no certificate.
  static Result<std::shared_ptr<const ExtraCaCertificates>> load(const std::string& file);

  size_t size() const { return certificates_.size(); }
  // Sets the easy handle up to trust these too. `this` must outlive the handle.
  void applyTo(CURL* easy) const;

 private:
  struct X509Free {
    void operator()(X509* certificate) const { X509_free(certificate); }
  };
  static CURLcode addToContext(CURL* easy, void* sslContext, void* self);

  std::vector<std::unique_ptr<X509, X509Free>> certificates_;
};

}  // namespace fluxmeet::push
