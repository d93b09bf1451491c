#pragma once
// Private to the dtls/ sources: the shared SSL_CTX set-up and OpenSSL error-queue helpers.
#include <openssl/types.h>

#include <string>

#include "fluxmeet/common/result.hpp"

namespace fluxmeet::media::dtls {

// A DTLS 1.2 context usable by both roles (DTLS_method; each SSL picks accept or connect
// state) presenting `certificate`/`key`, requesting the peer's certificate and offering the
// use_srtp profiles in our preference order. The caller owns the result (SSL_CTX_free).
Result<SSL_CTX*> createDtlsContext(X509* certificate, EVP_PKEY* key);

// Drains this thread's OpenSSL error queue into one line ("what: reason; reason"), so errors
// never leak into the next, unrelated call.
std::string takeOpenSslErrors(const char* what);

}  // namespace fluxmeet::media::dtls
