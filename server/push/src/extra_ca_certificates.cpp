#include "extra_ca_certificates.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>

#include <cstdio>

namespace fluxmeet::push {

Result<std::shared_ptr<const ExtraCaCertificates>> ExtraCaCertificates::load(const std::string& file) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> in(std::fopen(file.c_str(), "rb"), &std::fclose);
  if (!in) return makeError(ErrorCode::ValidationFailed, "cannot read the CA file " + file, "extraCaFile");
  auto loaded = std::shared_ptr<ExtraCaCertificates>(new ExtraCaCertificates());
  while (X509* certificate = PEM_read_X509(in.get(), nullptr, nullptr, nullptr)) {
    loaded->certificates_.emplace_back(certificate);
  }
  // The loop ends on the "no start line" error at the end of the file.
  ERR_clear_error();
  if (loaded->certificates_.empty()) {
    return makeError(ErrorCode::ValidationFailed, "no PEM certificate in the CA file " + file, "extraCaFile");
  }
  return std::shared_ptr<const ExtraCaCertificates>(std::move(loaded));
}

void ExtraCaCertificates::applyTo(CURL* easy) const {
  curl_easy_setopt(easy, CURLOPT_SSL_CTX_FUNCTION, &ExtraCaCertificates::addToContext);
  curl_easy_setopt(easy, CURLOPT_SSL_CTX_DATA, const_cast<ExtraCaCertificates*>(this));
}

// libcurl (OpenSSL flavour) calls this with the SSL_CTX after loading the default trust store.
CURLcode ExtraCaCertificates::addToContext(CURL*, void* sslContext, void* self) {
  X509_STORE* store = SSL_CTX_get_cert_store(static_cast<SSL_CTX*>(sslContext));
  if (store == nullptr) return CURLE_SSL_CERTPROBLEM;
  for (const auto& certificate : static_cast<const ExtraCaCertificates*>(self)->certificates_) {
    // A store libcurl reuses between connections already has them: adding again is harmless.
    X509_STORE_add_cert(store, certificate.get());
  }
  ERR_clear_error();
  return CURLE_OK;
}

}  // namespace fluxmeet::push
