#pragma once
// VAPID, "Voluntary Application Server Identification for Web Push" (RFC 8292): the server's
// P-256 key pair and the `Authorization: vapid t=<JWT>, k=<key>` header that proves to a push
// service that a message comes from the server a subscription was made for.
//
// The public key, as 65 bytes base64url, is what the web client passes to
// pushManager.subscribe({applicationServerKey}). Keys are generated once (first run) and then
// stored by the caller as the two base64url strings; a push service refuses messages signed
// by another key than the one the subscription was made with, so losing the private key
// orphans every subscription.
#include <openssl/types.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "fluxmeet/common/clock.hpp"
#include "fluxmeet/common/result.hpp"

namespace fluxmeet::push {

// RFC 8292 section 2: "exp" MUST NOT be more than 24 hours after the request is made.
inline constexpr std::chrono::seconds kMaxVapidValidity{24 * 3600};

class VapidKeys {
 public:
  // A fresh key pair from OpenSSL's CSPRNG.
  static Result<VapidKeys> generate();
  // From stored keys: the 32-byte private scalar (base64url, 43 characters) and, optionally,
  // the 65-byte public point (87 characters). The public key is derived from the private one;
  // if given it must match (it catches a private and public key from different pairs).
  static Result<VapidKeys> fromBase64Url(std::string_view privateKey, std::string_view publicKey = {});

  std::string privateKeyBase64Url() const;
  // The uncompressed point, base64url without padding: the applicationServerKey browsers take.
  std::string publicKeyBase64Url() const;
  const std::array<uint8_t, 65>& publicKey() const { return publicKey_; }

  // For the module's own use (signing). The key is immutable, so a VapidKeys may be copied
  // and used from several threads.
  EVP_PKEY* pkey() const { return key_.get(); }

 private:
  VapidKeys(std::shared_ptr<EVP_PKEY> key, std::array<uint8_t, 65> publicKey);

  std::shared_ptr<EVP_PKEY> key_;
  std::array<uint8_t, 65> publicKey_{};
};

// The origin of a push endpoint, the JWT "aud" (RFC 8292 section 2): scheme "://" host, plus
// ":" port when it is not the scheme's default. Lower-case scheme and host; no path.
// "https://fcm.googleapis.com/fcm/send/abc" -> "https://fcm.googleapis.com".
// Only http and https URLs with a host are accepted.
Result<std::string> endpointOrigin(std::string_view endpoint);

// Whether `subject` is a contact URI RFC 8292 section 2.1 asks for: "mailto:..." or
// "https://...", printable ASCII, at most 256 characters.
bool isValidVapidSubject(std::string_view subject);

// The value of the Authorization header for a request to `endpoint` (RFC 8292 section 3):
//   vapid t=<JWT>, k=<public key base64url>
// The JWT is ES256 (RFC 7518 section 3.4, raw R||S signature) with the claims
// {"aud": endpointOrigin(endpoint), "exp": expiresAt, "sub": subject}. `expiresAt` must lie in
// (now, now + 24 h]. A token may be reused for every request to the same origin until it
// expires (the sender caches them).
Result<std::string> vapidAuthorization(const VapidKeys& keys, std::string_view endpoint, std::string_view subject,
                                       UnixTime expiresAt, UnixTime now = unixNow());

}  // namespace fluxmeet::push
