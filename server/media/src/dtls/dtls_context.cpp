#include "dtls_context.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>

namespace fluxmeet::media::dtls {
namespace {

// use_srtp offer (client) and selection order (server: OpenSSL picks the first of *its* list
// that the client offered). RFC 5764 section 4.1.1 / RFC 7714 section 14.2.
constexpr const char* kSrtpProfiles = "SRTP_AEAD_AES_128_GCM:SRTP_AES128_CM_SHA1_80";

// Forward-secret AEAD suites first. Both certificate types are listed: our own is ECDSA, but as
// a DTLS client we may face a peer with an RSA certificate.
constexpr const char* kCipherList =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:"
    "ECDHE-ECDSA-AES128-SHA:ECDHE-RSA-AES128-SHA";

// WebRTC peers present self-signed certificates; a CA chain means nothing here. Identity is
// the fingerprint signalled out of band (RFC 5763 section 5, RFC 8122 section 5), which
// DtlsTransport checks once the handshake completes.
int acceptAnyCertificate(int /*preverifyOk*/, X509_STORE_CTX* /*store*/) { return 1; }

}  // namespace

std::string takeOpenSslErrors(const char* what) {
  std::string text = what;
  while (unsigned long code = ERR_get_error()) {
    char buffer[256];
    ERR_error_string_n(code, buffer, sizeof(buffer));
    text += "; ";
    text += buffer;
  }
  return text;
}

Result<SSL_CTX*> createDtlsContext(X509* certificate, EVP_PKEY* key) {
  ERR_clear_error();
  SSL_CTX* context = SSL_CTX_new(DTLS_method());
  if (context == nullptr) return makeError(ErrorCode::Internal, takeOpenSslErrors("SSL_CTX_new"));

  auto fail = [context](const char* what) -> Result<SSL_CTX*> {
    SSL_CTX_free(context);
    return makeError(ErrorCode::Internal, takeOpenSslErrors(what));
  };
  // DTLS 1.0 is deprecated (RFC 8996); every WebRTC endpoint speaks 1.2.
  if (SSL_CTX_set_min_proto_version(context, DTLS1_2_VERSION) != 1) return fail("min version");
  if (SSL_CTX_use_certificate(context, certificate) != 1) return fail("use_certificate");
  if (SSL_CTX_use_PrivateKey(context, key) != 1) return fail("use_PrivateKey");
  if (SSL_CTX_check_private_key(context) != 1) return fail("check_private_key");
  if (SSL_CTX_set_cipher_list(context, kCipherList) != 1) return fail("cipher list");
  if (SSL_CTX_set1_groups_list(context, "X25519:P-256:P-384") != 1) return fail("groups");
  // Unusually, 0 means success here.
  if (SSL_CTX_set_tlsext_use_srtp(context, kSrtpProfiles) != 0) return fail("use_srtp");

  // The MTU is set per SSL (memory BIOs cannot be asked for one); no resumption: each
  // PeerConnection is a fresh association with fresh keys.
  SSL_CTX_set_options(context, SSL_OP_NO_QUERY_MTU | SSL_OP_NO_TICKET);
  SSL_CTX_set_session_cache_mode(context, SSL_SESS_CACHE_OFF);
  // DTLS records must be read a whole datagram at a time.
  SSL_CTX_set_read_ahead(context, 1);
  // Mutual authentication: the server must request the client's certificate too, because its
  // fingerprint is what binds the DTLS association to the signalling session.
  SSL_CTX_set_verify(context, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT,
                     acceptAnyCertificate);
  return context;
}

}  // namespace fluxmeet::media::dtls
